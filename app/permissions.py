"""Who may do what outside the SOP: named capabilities, the roles that hold them by default,
and a region's own choice where its configuration says otherwise.

The SOP says who takes each step of a case (`app.casework.sop`); everything else a member may
do (configure the region, import the register, decide pre-list proposals, see the dashboard,
request reports, reveal a NIK, …) is asked here, by capability, never with a list of roles:

    @requires(Capability.SEE_DASHBOARD)         # a route: 403 for a member without it
    can(current_user, Capability.REVEAL_NIK)   # code: a SessionUser or a Membership
    {% if can('reveal_nik') %}                  # templates

A region overrides a capability in `Tenant.permissions`, a JSON object mapping the
capability's value to the full list of canonical roles that hold it there, e.g.
`{"see_dashboard": ["manager", "unit_head", "supervisor"]}`. A capability it does not name
keeps `DEFAULTS`. Checks are always against the canonical role of the member's post
(`app.org.vocabulary.ROLES`), never against a title.
"""
from __future__ import annotations

import enum
from functools import wraps
from typing import Any

from flask import abort, has_request_context
from flask_login import current_user

from app.org.vocabulary import ROLES
from app.tenancy.context import current_tenant_or_none
from app.tenancy.models import Tenant


class Capability(enum.StrEnum):
    """Something a member may do outside the SOP."""

    CONFIGURE = "configure"              # org chart, staff, SOP drafts, partners, terms, export/import
    SEARCH_REGISTER = "search_register"  # the register extract: size, last import, exact lookup
    IMPORT_REGISTER = "import_register"  # replace the extract with a new file
    SEE_PRELIST = "see_prelist"          # the pre-list of proposals (a supervisor: own districts)
    DECIDE_PRELIST = "decide_prelist"    # verify or reject a proposal (a supervisor: own districts)
    SEE_DASHBOARD = "see_dashboard"      # the dashboard (patrons and the coordination team read it)
    REQUEST_REPORTS = "request_reports"  # have activity reports built and download them
    REVEAL_NIK = "reveal_nik"            # show a citizen's full NIK (each reveal is audited)
    OVERSEE_CASES = "oversee_cases"      # the inbox's view of every open case, not only those waiting on me
    DELETE_ATTACHMENTS = "delete_attachments"  # remove a file someone else attached (the uploader always may)
    CORRECT_CASE = "correct_case"        # correct a case's citizen data and complaint after intake (with a reason)
    MANAGE_CASES = "manage_cases"        # withdraw, merge, reassign a case; set its priority and follow-up date
    SEE_HOUSEHOLDS = "see_households"    # the citizen/household page: cases, programs, needs, updates, register
    RECORD_PARTICIPATION = "record_participation"  # record what a household receives and needs (kepesertaan, kebutuhan)
    PROPOSE_UPDATES = "propose_updates"  # propose a data update for verval (new household, member changes, …)
    MANAGE_PROGRAMS = "manage_programs"  # the region's program catalogue and its beneficiary criteria
    EXCHANGE_SIKS = "exchange_siks"      # gather approved updates into SIKS-NG batches, import the ministry's result
    RANK_CANDIDATES = "rank_candidates"  # rank candidates for a regional program and record who is proposed


#: Who holds each capability unless the region says otherwise.
DEFAULTS: dict[Capability, frozenset[str]] = {
    Capability.CONFIGURE: frozenset({"manager", "unit_head"}),
    Capability.SEARCH_REGISTER: frozenset({"data_officer", "manager", "unit_head", "intake_officer"}),
    Capability.IMPORT_REGISTER: frozenset({"data_officer", "manager", "unit_head"}),
    Capability.SEE_PRELIST: frozenset({"supervisor", "manager", "unit_head", "data_officer"}),
    Capability.DECIDE_PRELIST: frozenset({"supervisor", "manager", "unit_head"}),
    Capability.SEE_DASHBOARD: frozenset({"manager", "unit_head", "monitoring_officer", "patron",
                                         "coordination_member"}),
    Capability.REQUEST_REPORTS: frozenset({"manager", "unit_head", "monitoring_officer"}),
    Capability.REVEAL_NIK: frozenset({"intake_officer", "case_officer", "data_officer", "facilitator", "supervisor",
                                      "welfare_center_coordinator", "manager"}),
    Capability.OVERSEE_CASES: frozenset({"manager", "unit_head", "monitoring_officer", "admin_staff", "supervisor"}),
    Capability.DELETE_ATTACHMENTS: frozenset({"manager", "unit_head"}),
    Capability.CORRECT_CASE: frozenset({"manager", "unit_head", "intake_officer", "case_officer"}),
    Capability.MANAGE_CASES: frozenset({"manager", "unit_head"}),
    Capability.SEE_HOUSEHOLDS: frozenset({"intake_officer", "case_officer", "data_officer", "facilitator", "supervisor",
                                          "welfare_center_coordinator", "manager", "unit_head"}),
    Capability.RECORD_PARTICIPATION: frozenset({"intake_officer", "case_officer", "data_officer", "facilitator",
                                                "welfare_center_coordinator"}),
    Capability.PROPOSE_UPDATES: frozenset({"intake_officer", "data_officer", "facilitator",
                                           "welfare_center_coordinator"}),
    Capability.MANAGE_PROGRAMS: frozenset({"manager", "unit_head"}),
    Capability.EXCHANGE_SIKS: frozenset({"data_officer", "manager", "unit_head"}),
    Capability.RANK_CANDIDATES: frozenset({"manager", "unit_head"}),
}


def _override(tenant: Tenant | None, capability: Capability) -> frozenset[str] | None:
    """The region's own list for `capability`, if its configuration has a well-formed one."""
    chosen = getattr(tenant, "permissions", None) or {}
    roles = chosen.get(capability.value) if isinstance(chosen, dict) else None
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        return None
    return frozenset(r for r in roles if r in ROLES)


def roles_for(capability: Capability | str, tenant: Tenant | None = None) -> frozenset[str]:
    """The canonical roles holding `capability` in `tenant` (the current region by default)."""
    capability = Capability(capability)
    if tenant is None:
        tenant = current_tenant_or_none()
    found = _override(tenant, capability)
    return DEFAULTS[capability] if found is None else found


def _role_and_tenant(who: Any) -> tuple[str | None, Tenant | None]:
    """(canonical role, region) of a Membership, or of a SessionUser's membership here."""
    membership = getattr(who, "membership", who)
    position = getattr(membership, "position", None)
    if position is None:  # anonymous, a platform user, or nobody
        return None, None
    tenant = current_tenant_or_none()
    if tenant is None or tenant.id != membership.tenant_id:
        from app.extensions import db

        tenant = db.session.get(Tenant, membership.tenant_id)
    return position.role, tenant


def can(who: Any, capability: Capability | str) -> bool:
    """Whether `who` (a SessionUser in the current region, or a Membership) holds `capability`."""
    role, tenant = _role_and_tenant(who)
    return role is not None and tenant is not None and role in roles_for(capability, tenant)


def can_here(capability: Capability | str) -> bool:
    """The template global `can('reveal_nik')`: the logged-in member, in the current region."""
    return has_request_context() and can(current_user, capability)


def requires(capability: Capability):
    """Route decorator: a logged-in member of this region (`staff_required`) holding `capability`, else 403.

    The view keeps the capability as `required_capability`, so tests can read the route → capability map.
    """
    from app.accounts.auth import staff_required

    def decorator(view):
        @wraps(view)
        def checked(*args, **kwargs):
            if not can(current_user, capability):
                abort(403)
            return view(*args, **kwargs)

        guarded = staff_required()(checked)
        guarded.required_capability = capability
        return guarded

    return decorator


def register(app) -> None:
    """`can(...)` in every template."""
    app.jinja_env.globals["can"] = can_here
