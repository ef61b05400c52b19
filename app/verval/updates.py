"""Proposing a data update for verval: a new household, a member's change, birth, death, move,
or a household no longer poor.

`propose` checks what is proposed against the region's current register extract, kind by
kind (`app.verval.checks`, messages at the form's fields), places the update where the
household lives (so area-bound reviewers see it), puts it on the region's review chain for
its kind (`app.reviews.operations.submit`) and audits it.

A household of another region is never proposed here: the KK number must be issued in this
region (a KK is reissued where a family lives), the village must be one of its villages, and
a member's NIK must be of this region unless the region already knows the person (a citizen
recorded at intake keeps a NIK issued where they were born). A household already in the
register is changed, never added again; one already proposed and not refused is not
proposed twice.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.audit.log import record
from app.citizens.identity import district_code_of, mask_nik
from app.citizens.models import Citizen
from app.errors import Conflict, Forbidden, Invalid
from app.extensions import db
from app.reference.models import District
from app.reviews.operations import area_bound, in_areas, membership_of, submit
from app.reviews.vocabulary import ReviewStatus
from app.tenancy.models import utcnow
from app.verval import checks
from app.verval.household import RegisteredHousehold, in_region, region_village, registered_household
from app.verval.models import DataUpdate
from app.verval.vocabulary import MinistryResult, UpdateKind

REASON_MAX = 2000
#: Kinds about one member of a registered household (the NIK says which).
MEMBER_KINDS = (UpdateKind.MEMBER_CHANGED, UpdateKind.MEMBER_DECEASED, UpdateKind.MEMBER_MOVED)


def _check_kk(kk_number: str, errors: checks.Errors) -> None:
    if not (len(kk_number) == 16 and kk_number.isdigit()):
        checks.add_error(errors, "kk_number", _("Nomor KK harus 16 angka (tertulis %(n)s karakter).", n=len(kk_number)))
    elif db.session.get(District, district_code_of(kk_number)) is None:
        checks.add_error(errors, "kk_number", _("6 angka pertama Nomor KK (%(c)s) bukan kode kecamatan yang terdaftar.",
                                           c=kk_number[:6]))
    elif not in_region(kk_number):
        checks.add_error(errors, "kk_number", _("Nomor KK ini diterbitkan di luar daerah ini: rumah tangga daerah lain "
                                           "tidak dapat diusulkan di sini."))


def _from_citizen(citizen: Citizen) -> dict:
    """A new household's data as intake knows it: the citizen alone, relationship not asked."""
    return {"village_code": citizen.village_code, "address": citizen.address,
            "members": [{"nik": citizen.nik, "name": citizen.name, "sex": citizen.sex,
                         "birth_date": citizen.birth_date.isoformat(), "relation_to_head": ""}]}


def _known_niks(niks: list[str]) -> set[str]:
    """The NIKs among `niks` of people this region has recorded (citizens)."""
    niks = [n for n in niks if n]
    return set(db.session.scalars(select(Citizen.nik).where(Citizen.nik.in_(niks)))) if niks else set()


def open_duplicate(kind: str, kk_number: str, nik: str) -> DataUpdate | None:
    """An update of this kind for this household (and member) still under review, or approved
    and not refused by the ministry."""
    stmt = select(DataUpdate).where(
        DataUpdate.kind == kind, DataUpdate.kk_number == kk_number,
        DataUpdate.status.in_((ReviewStatus.PENDING.value, ReviewStatus.APPROVED.value)),
        DataUpdate.result != MinistryResult.REJECTED.value)
    if kind != UpdateKind.NEW_HOUSEHOLD:
        stmt = stmt.where(DataUpdate.nik == nik)
    return db.session.scalars(stmt.limit(1)).first()


def _registered(kind: str, kk_number: str, nik: str, data: dict, errors: checks.Errors,
                today: date) -> tuple[RegisteredHousehold | None, str, dict]:
    """(household, NIK, stored data) for a kind about a household of the register."""
    household = registered_household(kk_number)
    if household is None:
        checks.add_error(errors, "kk_number", _("Rumah tangga dengan Nomor KK ini tidak ada di data terpadu "
                                                "daerah ini."))
        return None, nik, {}
    if kind in MEMBER_KINDS and household.member(nik) is None:
        checks.add_error(errors, "nik", _("Pilih anggota rumah tangga ini (NIK yang ada di data terpadu)."))
    if kind == UpdateKind.MEMBER_CHANGED:
        return household, nik, checks.check_member_changed(data, errors, household, nik, today)
    if kind == UpdateKind.MEMBER_DECEASED:
        return household, nik, checks.check_member_deceased(data, errors, household, nik, today)
    if kind == UpdateKind.MEMBER_MOVED:
        return household, nik, checks.check_member_moved(data, errors, household, nik, today)
    if kind == UpdateKind.MEMBER_BORN:
        cleaned = checks.check_member_born(data, errors, household, today)
        return household, cleaned["member"]["nik"], cleaned
    return household, "", {}  # no longer poor: the reason says why


def propose(kind: str, *, kk_number: str, nik: str, data: dict, reason: str, member: Any,
            case=None, citizen: Citizen | None = None) -> DataUpdate:
    """Propose a data update (validated; submitted to the region's review chain; audited).

    `case`/`citizen`: the intake that found the citizen missing from the register (a new
    household made from the citizen's data). Otherwise the member proposes from the form and
    must work where the household lives. Raises Invalid (field → messages), Conflict
    (already proposed), Forbidden (not a member here).
    """
    membership = membership_of(member)
    if membership is None:
        raise Forbidden(_("Hanya staf daerah ini yang dapat mengusulkan perubahan data."))
    if kind not in UpdateKind.labels():
        raise Invalid(errors={"kind": [_("Pilih jenis usulan.")]})
    kk_number, nik, reason = (kk_number or "").strip(), (nik or "").strip(), (reason or "").strip()
    data = dict(data or {})
    if kind == UpdateKind.NEW_HOUSEHOLD and citizen is not None and not data.get("members"):
        data = _from_citizen(citizen)
    today = date.today()
    errors: checks.Errors = {}
    _check_kk(kk_number, errors)
    if len(reason) > REASON_MAX:
        checks.add_error(errors, "reason", _("Paling panjang %(n)s karakter.", n=REASON_MAX))
    if kind == UpdateKind.NO_LONGER_POOR and not reason:
        checks.add_error(errors, "reason", _("Tuliskan mengapa rumah tangga ini tidak miskin lagi."))
    if errors:
        raise Invalid(errors=errors)
    if kind == UpdateKind.NEW_HOUSEHOLD:
        if registered_household(kk_number) is not None:
            checks.add_error(errors, "kk_number", _("Rumah tangga ini sudah ada di data terpadu: usulkan perubahan "
                                               "data anggotanya."))
        given = data.get("members")
        raw: list = given if isinstance(given, list) else []
        known = _known_niks([str((m or {}).get("nik") or "").strip() for m in raw if isinstance(m, dict)])
        stored = checks.check_new_household(data, errors, kk_number=kk_number, known_niks=known, today=today,
                                            from_form=citizen is None)
        village = region_village(stored["village_code"])
        if village is None:
            checks.add_error(errors, "village_code", _("Pilih kelurahan/desa di daerah ini."))
        village_code, nik = (village.code if village else ""), ""
    else:
        household, nik, stored = _registered(kind, kk_number, nik, data, errors, today)
        village = region_village(household.village_code) if household is not None else None
        if household is not None and village is None:
            checks.add_error(errors, "kk_number", _("Kelurahan/desa rumah tangga ini di data terpadu bukan bagian dari "
                                               "daerah ini."))
        village_code = village.code if village else ""
    if village_code and case is None and citizen is None and not _reaches(membership, village_code):
        key = "village_code" if kind == UpdateKind.NEW_HOUSEHOLD else "kk_number"
        checks.add_error(errors, key, _("Rumah tangga ini di luar wilayah kerja Anda."))
    if errors:
        raise Invalid(errors=errors)
    if open_duplicate(kind, kk_number, nik) is not None:
        raise Conflict(_("Usulan yang sama untuk rumah tangga/anggota ini sudah ada dan belum ditolak."))
    update = DataUpdate(kind=kind, kk_number=kk_number, nik=nik, district_code=village_code.rsplit(".", 1)[0],
                        village_code=village_code, data=stored, reason=reason,
                        case_id=case.id if case is not None else None,
                        citizen_id=citizen.id if citizen is not None else None, created_by=membership.user_id,
                        created_at=case.created_at if case is not None else utcnow())
    submit(update, kind)
    record("verval.propose", "data_update", update.id, kind=kind, kk=mask_nik(kk_number),
           nik=mask_nik(nik) if nik else "", case=getattr(case, "ticket", None), status=update.status)
    return update


def _reaches(membership, village_code: str) -> bool:
    """Whether a member proposing from the form works where the household lives."""
    return not area_bound(membership) or in_areas(membership, village_code.rsplit(".", 1)[0], village_code)


def household_to_change(kk_number: str, member: Any) -> RegisteredHousehold:
    """The registered household a member proposes a change for; Invalid at `kk` if the register
    does not have it here or it lies outside the member's areas (one message for both)."""
    membership = membership_of(member)
    household = registered_household((kk_number or "").strip())
    if household is None or membership is None or not _reaches(membership, household.village_code or ""):
        raise Invalid(errors={"kk": [_("Rumah tangga dengan Nomor KK ini tidak ada di data terpadu wilayah kerja "
                                       "Anda.")]})
    return household
