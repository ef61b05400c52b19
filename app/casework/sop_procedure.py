"""The SOP as a person reads it: numbered stages, each with its steps, who takes them, SLA, legal basis.

Works on a definition mapping, so a draft that does not validate yet can be shown too.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.casework.models import SopVersion
from app.casework.sop_diff import CHANNEL_LABELS, KIND_LABELS
from app.casework.sop_edits import roles_of
from app.casework.step_kinds.referrals import approvals_ahead
from app.casework.vocabulary import ReferralStatus
from app.extensions import db
from app.org.models import OrgUnit, Position
from app.org.service_areas import own_areas, unit_for_area
from app.org.vocabulary import ROLES, SERVICE_AREAS


@dataclass
class Who:
    """A role that may take a step, with the local titles of the posts holding it."""
    role: str
    role_label: str
    titles: list[str]


@dataclass
class StepView:
    """A step as the procedure page shows it."""
    key: str
    label: str
    kind: str
    kind_label: str
    who: list[Who]
    target: str
    target_label: str
    legal_basis: str
    raw: dict


@dataclass
class StageView:
    """A numbered stage with the steps taken from it."""
    number: int
    key: str
    label: str
    sla_hours: int | None
    legal_basis: str
    final: bool
    steps: list[StepView] = field(default_factory=list)
    raw: dict = field(default_factory=dict)


@dataclass
class ChannelView:
    """An intake channel as the procedure page shows it."""
    key: str
    name: str
    label: str
    entry_label: str
    who: list[Who]
    legal_basis: str


def titles_by_role() -> dict[str, list[str]]:
    """Local titles of the positions in service, by canonical role."""
    out: dict[str, list[str]] = {}
    rows = db.session.execute(select(Position.role, Position.title).where(Position.retired_at.is_(None))
                              .order_by(Position.sort_order)).all()
    for role, title in rows:
        if title not in out.setdefault(role, []):
            out[role].append(title)
    return out


def role_titles(roles, titles: dict[str, list[str]] | None = None) -> str:
    """The region's own titles of the posts holding `roles` ("Kepala UPT"); a role nobody holds by its label.

    A set of roles is taken in the canonical order of roles.
    """
    titles = titles_by_role() if titles is None else titles
    if isinstance(roles, set | frozenset):
        roles = [r for r in ROLES if r in roles] + sorted(r for r in roles if r not in ROLES)
    names: list[str] = []
    for role in roles:
        for name in titles.get(role) or [str(ROLES.get(role, role))]:
            if name not in names:
                names.append(name)
    return " / ".join(names)


def referral_state_label(case, referral) -> str:
    """A referral's state in words; while it awaits approval, whose ("Menunggu persetujuan Kepala UPT").

    Between two approvals of a chain the referral is still awaiting approval: this names the
    next approver, never "approved" before the last approval.
    """
    if referral.status != ReferralStatus.REQUESTED or case.sop_version is None:
        return str(ReferralStatus.label_of(referral.status))
    roles: list[str] = []
    for step in approvals_ahead(case.sop_version.sop, case.state):
        roles += [r for r in step.roles if r not in roles]
    if not roles:
        return str(ReferralStatus.label_of(referral.status))
    return _("Menunggu persetujuan %(who)s", who=role_titles(roles))


def _who(roles, titles) -> list[Who]:
    return [Who(r, str(ROLES.get(r, r)), titles.get(r, [])) for r in roles]


def stages(definition: dict, titles: dict[str, list[str]] | None = None) -> list[StageView]:
    """The definition's stages in its own order, numbered, each with the steps taken from it."""
    titles = titles_by_role() if titles is None else titles
    labels = {s.get("key"): s.get("label") or s.get("key") for s in definition.get("states") or []}
    out = []
    for n, state in enumerate(definition.get("states") or [], start=1):
        view = StageView(number=n, key=state.get("key"), label=state.get("label") or state.get("key"),
                         sla_hours=state.get("sla_hours"), legal_basis=state.get("legal_basis") or "",
                         final=bool(state.get("final")), raw=state)
        for t in definition.get("transitions") or []:
            if t.get("from") == view.key:
                kind = t.get("kind") or "forward"
                view.steps.append(StepView(
                    key=t.get("key"), label=t.get("label") or t.get("key"), kind=kind,
                    kind_label=str(KIND_LABELS.get(kind, kind)), who=_who(roles_of(t), titles),
                    target=t.get("to"), target_label=labels.get(t.get("to"), t.get("to")),
                    legal_basis=t.get("legal_basis") or "", raw=t))
        out.append(view)
    return out


def channels(definition: dict, titles: dict[str, list[str]] | None = None) -> list[ChannelView]:
    """The definition's intake channels with who records and where a case starts."""
    titles = titles_by_role() if titles is None else titles
    labels = {s.get("key"): s.get("label") or s.get("key") for s in definition.get("states") or []}
    return [ChannelView(key=c.get("key"), name=str(CHANNEL_LABELS.get(c.get("key")) or c.get("label") or c.get("key")),
                        label=c.get("label") or "", entry_label=labels.get(c.get("entry"), c.get("entry")),
                        who=_who(roles_of(c), titles), legal_basis=c.get("legal_basis") or "")
            for c in definition.get("channels") or []]


def routing(definition: dict) -> list[tuple[str, str]]:
    """(service area label, unit name) for each of the six areas, then each of the region's own (routed
    on its own line, or where its built-in area goes)."""
    names = {u.key: u.name for u in db.session.scalars(select(OrgUnit))}
    mapping = definition.get("routing") or {}
    rows = []
    for area, label in SERVICE_AREAS.items():
        unit_key = mapping.get(area) or ""
        rows.append((str(label), names.get(unit_key, unit_key or "—")))
    for own in own_areas():
        unit_key = unit_for_area(mapping, own.key) or ""
        rows.append((own.label, names.get(unit_key, unit_key or "—")))
    return rows


def versions() -> list[tuple[SopVersion, str]]:
    """Every version, newest first, with the name of who published it."""
    rows = db.session.execute(
        select(SopVersion, User.name).outerjoin(User, User.id == SopVersion.published_by)
        .order_by(SopVersion.number.desc())).all()
    return [(version, name or "") for version, name in rows]
