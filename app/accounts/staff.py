"""A region's staff: invite, move, deactivate and reactivate members, and hand their cases over.

Operations take explicit arguments, flush, and leave the commit to the request; a refused
change raises `ConfigError` (messages per form field) and writes nothing. Each change is an
audit event `config.staff.*` with what it was before and after.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.invitations import Invitation, create_invitation, existing_account
from app.accounts.models import Membership, MembershipArea, User
from app.accounts.sessions import DEACTIVATED, end_sessions
from app.audit.log import record
from app.extensions import db
from app.org.models import Position
from app.org.operations import ConfigError, raise_if
from app.permissions import Capability, roles_for
from app.reference.models import District, Village
from app.tenancy.context import ALL_TENANTS, current_tenant_id, tenant_in_context
from app.tenancy.models import utcnow


def area_names(areas) -> list[str]:
    """`Talang Aman, Kec. Kemuning` for (district, village|None) pairs or MembershipArea rows."""
    out = []
    for area in areas:
        district, village = (area.district_code, area.village_code) if hasattr(area, "district_code") else area
        d = db.session.get(District, district)
        v = db.session.get(Village, village) if village else None
        district_name = d.name if d else district
        out.append(f"{v.name}, Kec. {district_name}" if v else f"Kec. {district_name}")
    return out


def member_snapshot(membership: Membership) -> dict:
    """What the audit log keeps of a membership."""
    return {"user": membership.user.email, "position": membership.position.title, "role": membership.position.role,
            "areas": area_names(membership.areas), "active": membership.active}


def clean_areas(position: Position, district_codes=(), village_codes=()) -> list[tuple[str, str | None]]:
    """The work areas for a post: districts or villages of this region, as its area level asks."""
    prefix = tenant_in_context().region_code + "."
    level = position.area_level
    if level is None:
        return []
    if level == "district":
        codes = list(dict.fromkeys(c for c in district_codes if c))
        bad = [c for c in codes if not c.startswith(prefix) or db.session.get(District, c) is None]
        if bad:
            raise ConfigError({"district_codes": [
                _("Kecamatan %(c)s bukan bagian dari daerah ini.", c=", ".join(bad))]})
        if not codes:
            raise ConfigError({"district_codes": [_("Pilih minimal satu kecamatan wilayah kerja.")]})
        return [(c, None) for c in codes]
    codes = list(dict.fromkeys(c for c in village_codes if c))
    found = {c: db.session.get(Village, c) if c.startswith(prefix) else None for c in codes}
    bad = [c for c, v in found.items() if v is None]
    if bad:
        raise ConfigError({"village_codes": [
            _("Kelurahan/desa %(c)s bukan bagian dari daerah ini.", c=", ".join(bad))]})
    if not codes:
        raise ConfigError({"village_codes": [_("Pilih minimal satu kelurahan/desa wilayah kerja.")]})
    return [(v.district_code, v.code) for v in found.values() if v is not None]


def _check_position(position: Position | None) -> Position:
    """`position` if it is still open (and its unit too); refused otherwise."""
    if position is None or position.retired_at is not None or position.unit.retired_at is not None:
        raise ConfigError({"position_id": [_("Pilih jabatan yang masih aktif dari daftar.")]})
    return position


def pending_invitations() -> list[Invitation]:
    """Open invitations into this region, newest first."""
    found = db.session.scalars(select(Invitation).where(Invitation.tenant_id == current_tenant_id())
                               .order_by(Invitation.created_at.desc()))
    return [i for i in found if i.is_open]


class ExistingAccount(ConfigError):
    """The email already has an account: the inviter is told so and confirms before sending."""


def account_notice(email: str) -> str | None:
    """What the inviting region is told about an email that already has an account: only
    that it has one (never where else it is used), or None for a brand-new email."""
    if not email or existing_account(email) is None:
        return None
    return _("Email ini sudah terdaftar di SLRT Cloud; orang tersebut akan bergabung dengan akun yang sudah ada "
             "(kata sandinya tidak berubah).")


def invite_staff(*, email: str, name: str, position: Position | None, district_codes=(), village_codes=(),
                 invited_by=None, existing_ok: bool = False) -> tuple[Invitation, str]:
    """Invite a person into a post (with areas); returns (invitation, link). An email that
    already has an account is refused with `ExistingAccount` unless `existing_ok` (the inviter
    saw the notice); the person then joins that account on acceptance, with its own password."""
    email, name = email.strip().lower(), name.strip()
    errors: dict[str, list[str]] = {"email": [], "name": []}
    if not name:
        errors["name"].append(_("Nama wajib diisi."))
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    here = db.session.scalar(select(Membership).where(Membership.user_id == user.id)) if user else None
    if here is not None and here.active:
        errors["email"].append(_("%(e)s sudah menjadi staf di daerah ini (%(p)s). Untuk mengganti jabatannya, "
                                 "gunakan \u201cPindahkan\u201d di halaman stafnya.", e=email, p=here.position.title))
    elif here is not None:
        errors["email"].append(_("%(e)s pernah menjadi staf di daerah ini dan sekarang nonaktif. Aktifkan kembali "
                                 "dari halaman stafnya.", e=email))
    if any(i.email == email for i in pending_invitations()):
        errors["email"].append(_("Sudah ada undangan terbuka untuk %(e)s. Batalkan undangan itu dahulu bila ingin "
                                 "mengundang ulang.", e=email))
    raise_if(errors)
    position = _check_position(position)
    areas = clean_areas(position, district_codes, village_codes)
    notice = account_notice(email)
    if notice and not existing_ok:
        raise ExistingAccount({"email": [notice]})
    invitation, link = create_invitation(email, name, tenant=tenant_in_context(),
                                         position=position, areas=areas, invited_by=invited_by)
    record("config.staff.invite", "invitation", invitation.id,
           after={"email": email, "name": name, "position": position.title, "areas": area_names(areas),
                  "existing_account": notice is not None})
    return invitation, link


def revoke_invitation(invitation: Invitation) -> None:
    """Withdraw an open invitation; its link stops working at once."""
    if not invitation.is_open:
        raise ConfigError({"": [_("Undangan ini sudah tidak terbuka.")]})
    invitation.revoked_at = utcnow()
    record("config.staff.invitation_revoke", "invitation", invitation.id, before={"email": invitation.email})


def _set_areas(membership: Membership, areas) -> None:
    membership.areas.clear()
    db.session.flush()
    for district, village in areas:
        membership.areas.append(MembershipArea(district_code=district, village_code=village))
    db.session.flush()


def move_member(membership: Membership, *, position: Position | None, district_codes=(), village_codes=(),
                actor=None) -> Membership:
    """Give a member another post and/or other work areas."""
    position = _check_position(position)
    if actor is not None and actor.id == membership.id and position.role not in roles_for(Capability.CONFIGURE):
        raise ConfigError({"position_id": [_("Dengan jabatan itu Anda tidak dapat lagi membuka Pengaturan. Minta "
                                             "pimpinan lain memindahkan Anda.")]})
    areas = clean_areas(position, district_codes, village_codes)
    before = member_snapshot(membership)
    if position.id == membership.position_id and set(areas) == {(a.district_code, a.village_code)
                                                                for a in membership.areas}:
        return membership
    membership.position_id = position.id
    _set_areas(membership, areas)
    db.session.expire(membership, ["position"])
    record("config.staff.move", "membership", membership.id, before=before, after=member_snapshot(membership))
    return membership


def other_active_memberships(user: User, membership: Membership) -> int:
    """How many active posts the user holds elsewhere (in any region: platform-level check)."""
    return db.session.scalar(
        select(func.count()).select_from(Membership)
        .where(Membership.user_id == user.id, Membership.active.is_(True), Membership.id != membership.id)
        .execution_options(**{ALL_TENANTS: True})) or 0


def deactivate_member(membership: Membership, *, actor=None) -> bool:
    """End a member's post here and every session they have open; returns whether the account closed too.

    The account itself is closed only when the person holds no other active post (in any
    region) and no platform role.
    """
    if actor is not None and actor.id == membership.id:
        raise ConfigError({"": [_("Anda tidak dapat menonaktifkan akun Anda sendiri.")]})
    if not membership.active:
        raise ConfigError({"": [_("Staf ini sudah nonaktif.")]})
    user = membership.user
    membership.active = False
    end_sessions(user.id, DEACTIVATED, realm=str(membership.tenant_id))  # this region only
    # "Closed" is derived (no active post anywhere, no platform role: no realm lets them in);
    # `User.active` is the platform's switch and a region never sets it.
    closes_account = not user.platform_role and other_active_memberships(user, membership) == 0
    db.session.flush()
    record("config.staff.deactivate", "membership", membership.id, before={"active": True},
           after={"active": False, "account_closed": closes_account}, user=user.email)
    return closes_account


def reactivate_member(membership: Membership) -> None:
    """Give a deactivated member their post back (they log in with their old password).

    Only the membership changes: an account deactivated on the platform stays deactivated."""
    if membership.active:
        raise ConfigError({"": [_("Staf ini masih aktif.")]})
    _check_position(membership.position)
    membership.active = True  # this post only: the account's own flag is the platform's
    db.session.flush()
    record("config.staff.reactivate", "membership", membership.id, before={"active": False},
           after={"active": True}, user=membership.user.email)



def set_nip(membership: Membership, nip: str) -> bool:
    """Set a member's NIP (18 digits; spaces ignored; empty clears it). Returns whether it changed."""
    value = "".join((nip or "").split())
    wrong = bool(value) and not (value.isdigit() and len(value) == 18)
    raise_if({"nip": [_("NIP terdiri dari 18 angka (tanpa huruf atau tanda baca).")] if wrong else []})
    if membership.nip == value:
        return False
    record("config.staff.nip", "membership", membership.id, user=membership.user.email,
           before={"nip": membership.nip}, after={"nip": value})
    membership.nip = value
    db.session.flush()
    return True
