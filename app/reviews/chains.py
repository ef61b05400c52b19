"""Review chains as region data: who reviews, recommends and decides each kind of record.

A chain is a list of stages, each `{"action": "review"|"recommend"|"decide", "roles": [canonical
roles], "legal_basis": "Pasal …"}`; the last stage decides and only the last one. A region's own
chains are `Tenant.review_chains` (kind → chain, from its template's `reviews:` section or its
settings page); a kind it does not name follows `DEFAULT_CHAINS`, the blank Permensos 15/2018
structure's defaults. No code asks which role reviews: it reads the chain.
"""
from __future__ import annotations

import copy
from typing import Any

from flask_babel import gettext as _

from app.org.vocabulary import ROLES
from app.reference.citations import citation_plain
from app.reviews.vocabulary import ReviewAction, ReviewedKind

STAGE_KEYS = ("action", "roles", "legal_basis")
#: Longest chain a region may configure (the five regulations need at most three stages).
MAX_STAGES = 6
MAX_LEGAL_BASIS = 500

# Permensos 15/2018 sets the SLRT's tasks (data of the poor kept current with the integrated
# welfare register, supervisors overseeing facilitators' field work, the secretariat managed by
# its manager) but no article says who approves which record; the starting point cites it by
# subject, as the region's own regulation later replaces these citations with its articles.
# Stored citations (`app.reference.citations`), the same as the blank structure's `reviews:`:
# inferred from Permensos 15/2018, and local policy for a member's changes.
_SUPERVISOR_REVIEWS = {"action": "review", "roles": ["supervisor"],
                       "legal_basis": "inferred@Permensos 15/2018: tugas supervisor: menelaah usulan penambahan "
                                      "data, perubahan profil, kepesertaan dan kebutuhan program"}
_MANAGER_DECIDES = {"action": "decide", "roles": ["manager"],
                    "legal_basis": "inferred@Permensos 15/2018: tugas manajer: mengoordinasikan pelaksanaan tugas "
                                   "sekretariat teknis"}
_SUPERVISOR_DECIDES = {"action": "decide", "roles": ["supervisor"],
                       "legal_basis": "local: perubahan data anggota diputuskan supervisor kecamatan; Permensos "
                                      "15/2018 tidak mengaturnya"}

DEFAULT_CHAINS: dict[str, list[dict]] = {
    ReviewedKind.PARTICIPATION.value: [_SUPERVISOR_REVIEWS, _MANAGER_DECIDES],
    ReviewedKind.NEED.value: [_SUPERVISOR_REVIEWS, _MANAGER_DECIDES],
    ReviewedKind.NEW_HOUSEHOLD.value: [_SUPERVISOR_REVIEWS, _MANAGER_DECIDES],
    ReviewedKind.MEMBER_CHANGED.value: [_SUPERVISOR_DECIDES],
    ReviewedKind.MEMBER_BORN.value: [_SUPERVISOR_DECIDES],
    ReviewedKind.MEMBER_DECEASED.value: [_SUPERVISOR_DECIDES],
    ReviewedKind.MEMBER_MOVED.value: [_SUPERVISOR_DECIDES],
    ReviewedKind.NO_LONGER_POOR.value: [_SUPERVISOR_REVIEWS, _MANAGER_DECIDES],
}


def chain_for(kind: str, tenant=None) -> list[dict]:
    """The chain `kind` follows in `tenant` (default: the region in context): its own, else the default.

    A copy: callers may keep it on a record (`Reviewed.chain`) without sharing it.
    """
    if tenant is None:
        from app.tenancy.context import current_tenant_or_none

        tenant = current_tenant_or_none()
    own = (getattr(tenant, "review_chains", None) or {}).get(kind) if tenant is not None else None
    if own:
        return copy.deepcopy(own)
    if kind not in DEFAULT_CHAINS:
        raise KeyError(kind)
    return copy.deepcopy(DEFAULT_CHAINS[kind])


def chains_of(tenant) -> dict[str, list[dict]]:
    """Every kind's chain in `tenant`, in the vocabulary's order (the settings page, documentation)."""
    return {kind.value: chain_for(kind.value, tenant) for kind in ReviewedKind}


def is_own(kind: str, tenant) -> bool:
    """Whether `tenant` names its own chain for `kind` (else it follows the default)."""
    return bool((tenant.review_chains or {}).get(kind))


def chain_problems(raw: Any, roles_held: set[str] | None) -> tuple[list[dict], list[tuple[int | None, str, str]]]:
    """One chain, normalised, and its problems as (stage index or None, field, message)."""
    problems: list[tuple[int | None, str, str]] = []
    if not isinstance(raw, list):
        return [], [(None, "", _("harus berupa daftar tahap (action, roles, legal_basis)"))]
    if not raw:
        return [], [(None, "", _("rantai tidak boleh kosong: paling sedikit satu tahap yang memutuskan"))]
    if len(raw) > MAX_STAGES:
        problems.append((None, "", _("paling banyak %(n)s tahap", n=MAX_STAGES)))
    chain: list[dict] = []
    for i, stage in enumerate(raw):
        if not isinstance(stage, dict):
            problems.append((i, "", _("setiap tahap harus berupa pemetaan (action, roles, legal_basis)")))
            continue
        for key in stage:
            if key not in STAGE_KEYS:
                problems.append((i, "", _("kunci '%(k)s' tidak dikenal (pilihan: %(o)s)",
                                          k=key, o=", ".join(STAGE_KEYS))))
        action = stage.get("action")
        if action not in ReviewAction.labels():
            problems.append((i, "action", _("tindakan '%(a)s' tidak dikenal (pilihan: %(o)s)",
                                            a=action, o=", ".join(ReviewAction))))
        elif action == ReviewAction.DECIDE and i < len(raw) - 1:
            problems.append((i, "action", _("hanya tahap terakhir yang boleh memutuskan")))
        elif action != ReviewAction.DECIDE and i == len(raw) - 1:
            problems.append((i, "action", _("tahap terakhir harus memutuskan (decide)")))
        roles = stage.get("roles")
        if isinstance(roles, str):
            roles = [roles]
        if not isinstance(roles, list) or not roles or not all(isinstance(r, str) for r in roles):
            problems.append((i, "roles", _("pilih paling sedikit satu peran (roles)")))
            roles = []
        for role in roles:
            if role not in ROLES:
                problems.append((i, "roles", _("peran '%(r)s' tidak dikenal (pilihan: %(o)s)",
                                               r=role, o=", ".join(ROLES))))
            elif roles_held is not None and role not in roles_held:
                problems.append((i, "roles", _("tidak ada jabatan dengan peran %(r)s di daerah ini", r=role)))
        if len(set(roles)) != len(roles):
            problems.append((i, "roles", _("peran yang sama disebut lebih dari sekali")))
        basis = stage.get("legal_basis")
        if isinstance(basis, bool) or not isinstance(basis, (str, int, float)) or not str(basis).strip():
            problems.append((i, "legal_basis", _("dasar hukum (legal_basis) wajib diisi: pasal yang mengaturnya")))
            basis = ""
        elif len(str(basis).strip()) > MAX_LEGAL_BASIS:
            problems.append((i, "legal_basis", _("dasar hukum (legal_basis) paling panjang %(n)s karakter",
                                                 n=MAX_LEGAL_BASIS)))
        chain.append({"action": action, "roles": list(roles), "legal_basis": " ".join(str(basis).split())})
    return chain, problems


def check_chain(raw: Any, roles_held: set[str] | None, entry: str) -> tuple[list[dict], list[str]]:
    """One chain, normalised, and its problems, each named by its entry (`entry[stage]: what`)."""
    chain, problems = chain_problems(raw, roles_held)
    return chain, [f"{entry}[{i + 1}]: {message}" if i is not None else f"{entry}: {message}"
                   for i, _field, message in problems]


def check_chains(data: Any, roles_held: set[str] | None, entry: str = "reviews") -> tuple[dict, list[str]]:
    """Validate a template's `reviews:` section: kind → chain.

    Returns the chains (normalised, in the vocabulary's order) and the problems, each named by
    its entry (`reviews.need[2]: …`); `({}, [])` when the section is absent. `roles_held`: the
    canonical roles some post of the region holds (None = do not check).
    """
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [f"{entry}: " + _("harus berupa pemetaan jenis data → daftar tahap")]
    problems: list[str] = []
    for kind in data:
        if kind not in ReviewedKind.labels():
            problems.append(f"{entry}.{kind}: " + _("jenis data '%(k)s' tidak dikenal (pilihan: %(o)s)",
                                                    k=kind, o=", ".join(ReviewedKind)))
    chains: dict[str, list[dict]] = {}
    for kind in ReviewedKind:
        if kind.value not in data:
            continue
        chain, found = check_chain(data[kind.value], roles_held, f"{entry}.{kind.value}")
        problems.extend(found)
        chains[kind.value] = chain
    return (chains if not problems else {}), problems


def describe_stage(stage: dict) -> str:
    """"Menelaah: Supervisor (Pasal 12 huruf d)" — a stage in words."""
    roles = ", ".join(str(ROLES.get(r, r)) for r in stage.get("roles") or [])
    basis = f" ({citation_plain(stage['legal_basis'])})" if stage.get("legal_basis") else ""
    return f"{ReviewAction.label_of(stage.get('action'))}: {roles}{basis}"


def describe_chain(chain: list[dict]) -> str:
    """The stages in words, in order, joined by arrows."""
    return " → ".join(describe_stage(stage) for stage in chain)


def reviewing_roles(tenant=None) -> frozenset[str]:
    """Every role that acts at some stage of some chain of the region (the current one by default)."""
    return frozenset(role for kind in ReviewedKind for stage in chain_for(kind.value, tenant)
                     for role in stage.get("roles", ()))


def reviews_here() -> bool:
    """The template global `reviews_here()`: whether the logged-in member's role reviews anything here."""
    from flask import has_request_context
    from flask_login import current_user

    membership = getattr(current_user, "membership", None) if has_request_context() else None
    position = getattr(membership, "position", None)
    return position is not None and position.role in reviewing_roles()
