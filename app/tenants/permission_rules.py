"""Permissions outside the SOP as region data: the `permissions:` section of a region template,
and editing a region's own rules from its settings page (`/settings/permissions`).

A rule is `{"roles": [canonical roles], "legal_basis": "Pasal …"}` per capability
(`app.permissions`); a capability the region does not name keeps the default. Each change is one
`config.permissions.update` audit event with the roles before and after in words (the region's
own post titles) and the article, so the configuration history reads it. Nobody may take
CONFIGURE away from every role an active member holds (the region would be locked out).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.errors import Invalid, NotFound
from app.extensions import db
from app.org.vocabulary import ROLES
from app.permissions import DEFAULTS, Capability, Rule, ordered, rule_for, rules_of
from app.reference.citations import citation_plain
from app.tenancy.models import Tenant

RULE_KEYS = ("roles", "legal_basis")
MAX_LEGAL_BASIS = 500


def capability_or_404(value: str) -> Capability:
    """The capability named `value`, if the vocabulary knows it."""
    if value not in Capability.labels():
        raise NotFound(_("Hak akses ini tidak dikenal."))
    return Capability(value)


# --- the template section -------------------------------------------------------------------


def check_permissions(data: Any, roles_held: set[str] | None,
                      entry: str = "permissions") -> tuple[dict[str, dict], list[str]]:
    """Validate a template's `permissions:` section: capability → {roles, legal_basis}.

    Returns the rules (roles in the vocabulary's order, capabilities in its order) and the
    problems, each named by its entry (`permissions.see_dashboard: …`); `({}, [])` when the
    section is absent. A rule must cite its article. `roles_held` (the roles the file's posts
    hold; None = do not check): CONFIGURE must stay with at least one of them.
    """
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [f"{entry}: " + _("harus berupa pemetaan hak akses → roles dan legal_basis")]
    problems: list[str] = []
    for key in data:
        if key not in Capability.labels():
            problems.append(f"{entry}.{key}: " + _("hak akses '%(k)s' tidak dikenal (pilihan: %(o)s)",
                                                   k=key, o=", ".join(Capability)))
    rules: dict[str, dict] = {}
    for capability in Capability:
        if capability.value not in data:
            continue
        where = f"{entry}.{capability.value}"
        raw = data[capability.value]
        if not isinstance(raw, dict):
            problems.append(f"{where}: " + _("harus berupa pemetaan (roles, legal_basis)"))
            continue
        for key in raw:
            if key not in RULE_KEYS:
                problems.append(f"{where}: " + _("kunci '%(k)s' tidak dikenal (pilihan: %(o)s)",
                                                 k=key, o=", ".join(RULE_KEYS)))
        roles = raw.get("roles")
        if roles is None:
            roles = []
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            problems.append(f"{where}: " + _("'roles' harus berupa daftar peran"))
            roles = []
        for role in roles:
            if role not in ROLES:
                problems.append(f"{where}: " + _("peran '%(r)s' tidak dikenal (pilihan: %(o)s)",
                                                 r=role, o=", ".join(ROLES)))
        if capability == Capability.CONFIGURE and roles_held is not None and not set(roles) & roles_held:
            problems.append(f"{where}: " + _("tidak ada jabatan dengan peran yang disebut: tidak seorang pun "
                                             "dapat mengatur daerah"))
        basis = raw.get("legal_basis")
        if isinstance(basis, bool) or not isinstance(basis, (str, int, float)) or not str(basis).strip():
            problems.append(f"{where}: " + _("dasar hukum (legal_basis) wajib diisi: pasal yang mengaturnya"))
            basis = ""
        elif len(str(basis).strip()) > MAX_LEGAL_BASIS:
            problems.append(f"{where}: " + _("dasar hukum (legal_basis) paling panjang %(n)s karakter",
                                             n=MAX_LEGAL_BASIS))
        rules[capability.value] = {"roles": list(ordered(roles)), "legal_basis": " ".join(str(basis).split())}
    return (rules if not problems else {}), problems


def own_rules(tenant: Tenant) -> dict[str, dict]:
    """The region's own rules in the template's shape (capabilities and roles in the vocabulary's order)."""
    return {rule.capability.value: {"roles": list(rule.roles), "legal_basis": rule.legal_basis}
            for rule in rules_of(tenant) if rule.own}


# --- in words ----------------------------------------------------------------------------------


def describe(entry: dict | None, capability: Capability | str, titles: dict[str, list[str]] | None = None) -> str:
    """"Kepala UPT, Manajer (Pasal 7 ayat (2) huruf d)" — a rule in words; None = "bawaan: …"."""
    from app.casework.sop_diff import role_names

    if entry is None:
        return _("bawaan: %(r)s", r=role_names(ordered(DEFAULTS[Capability(capability)]), titles) or "—")
    who = role_names(ordered(entry.get("roles") or []), titles) or _("tidak seorang pun")
    return f"{who} ({citation_plain(entry['legal_basis'])})" if entry.get("legal_basis") else who


@dataclass
class RuleView:
    rule: Rule
    roles: list[tuple[str, str, list[str]]]  # (role, role label, local titles of the posts holding it)


def view_rules(tenant: Tenant) -> list[RuleView]:
    """Every capability as the settings page shows it, roles with the region's post titles."""
    from app.casework.sop_procedure import titles_by_role

    titles = titles_by_role()
    return [RuleView(rule=rule, roles=[(r, str(ROLES[r]), titles.get(r, [])) for r in rule.roles])
            for rule in rules_of(tenant)]


def role_choices() -> list[tuple[str, str]]:
    """(role, label) for the roles some post in service holds, labelled with the posts' local titles."""
    from app.casework.sop_procedure import titles_by_role

    titles, held = titles_by_role(), _held_roles()
    out = []
    for role, label in ROLES.items():
        if role in held:
            local = ", ".join(titles.get(role, []))
            out.append((role, f"{local} ({label})" if local and local != str(label) else str(label)))
    return out


# --- saving ------------------------------------------------------------------------------------


def _held_roles() -> set[str]:
    from app.org.models import Position

    return set(db.session.scalars(select(Position.role).where(Position.retired_at.is_(None)).distinct()))


def active_member_roles() -> set[str]:
    """Roles held by the posts of the region's active members (those who could still sign in and act)."""
    from app.accounts.models import Membership
    from app.org.models import Position

    return set(db.session.scalars(
        select(Position.role).join(Membership, Membership.position_id == Position.id)
        .where(Membership.active.is_(True), Position.retired_at.is_(None)).distinct()))


def lock_out_problem(capability: Capability, roles) -> str | None:
    """Why `roles` would lock the region out, if CONFIGURE would leave every active member."""
    if capability != Capability.CONFIGURE or set(roles) & active_member_roles():
        return None
    return _("Tidak dapat disimpan: tidak ada petugas aktif yang memegang peran ini, sehingga tidak seorang pun "
             "dapat lagi mengatur daerah. Sisakan paling sedikit satu peran yang dipegang petugas aktif.")


def save_rule(tenant: Tenant, capability: Capability, roles: list[str], legal_basis: str) -> bool:
    """Make (roles, legal basis) the region's own rule for `capability`; returns whether anything changed.

    The same roles as the default (among the roles the region's posts hold) without a legal basis
    return the capability to the default. Raises `Invalid` with field errors (`roles`,
    `legal_basis`, "" for the page): an unknown role or one no post holds, roles that differ from
    the default without a legal basis, or a lock-out. Nothing is written then.
    """
    held, basis = _held_roles(), " ".join((legal_basis or "").split())
    errors: dict[str, list[str]] = {}
    for role in roles:
        if role not in ROLES:
            errors.setdefault("roles", []).append(_("Peran \u201c%(r)s\u201d tidak dikenal.", r=role))
        elif role not in held:
            errors.setdefault("roles", []).append(_("Tidak ada jabatan dengan peran %(r)s di daerah ini.",
                                                    r=ROLES[role]))
    differs = set(roles) != (DEFAULTS[capability] & held)
    if differs and not basis:
        errors.setdefault("legal_basis", []).append(
            _("Dasar hukum wajib diisi bila berbeda dari bawaan: sebutkan pasal yang mengaturnya."))
    if len(basis) > MAX_LEGAL_BASIS:
        errors.setdefault("legal_basis", []).append(_("Paling panjang %(n)s karakter.", n=MAX_LEGAL_BASIS))
    problem = None if errors else lock_out_problem(capability, roles)
    if problem:
        errors[""] = [problem]
    if errors:
        raise Invalid(_("Hak akses belum dapat disimpan: periksa isian yang ditandai."), errors)
    if not differs and not basis:
        return _drop(tenant, capability)
    entry = {"roles": list(ordered(roles)), "legal_basis": basis}
    own = dict(tenant.permissions or {})
    before = rule_for(capability, tenant)
    if before.own and own.get(capability.value) == entry:
        return False
    own[capability.value] = entry
    tenant.permissions = own
    _record(tenant, capability, _entry_of(before), entry)
    return True


def reset_rule(tenant: Tenant, capability: Capability) -> bool:
    """Return `capability` to the default; returns whether the region had a rule of its own.

    Raises `Invalid` when the default would lock the region out (CONFIGURE).
    """
    if not rule_for(capability, tenant).own:
        return False
    problem = lock_out_problem(capability, DEFAULTS[capability])
    if problem:
        raise Invalid(problem, {"": [problem]})
    return _drop(tenant, capability)


def _drop(tenant: Tenant, capability: Capability) -> bool:
    own = dict(tenant.permissions or {})
    if capability.value not in own:
        return False
    before = rule_for(capability, tenant)
    del own[capability.value]
    tenant.permissions = own
    _record(tenant, capability, _entry_of(before), None)
    return True


def _entry_of(rule: Rule) -> dict | None:
    return {"roles": list(rule.roles), "legal_basis": rule.legal_basis} if rule.own else None


def _record(tenant: Tenant, capability: Capability, before: dict | None, after: dict | None) -> None:
    from app.audit.log import record
    from app.casework.sop_procedure import titles_by_role

    titles = titles_by_role()
    record("config.permissions.update", "tenant", tenant.id, name=str(capability.label),
           before=describe(before, capability, titles), after=describe(after, capability, titles))
    db.session.flush()
