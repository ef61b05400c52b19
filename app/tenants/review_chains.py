"""Editing a region's review chains from its settings page (`/settings/reviews`).

A chain saved here becomes the region's own for that kind (`Tenant.review_chains`); a reset
returns the kind to the default. Each change is one `config.reviews.update` audit event with
the chain before and after in words, so the configuration history reads it. Records already
under review keep the chain they started with (`Reviewed.chain`).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app.audit.log import record
from app.casework.sop_drafts import held_roles
from app.casework.sop_procedure import titles_by_role
from app.errors import Invalid, NotFound
from app.extensions import db
from app.org.vocabulary import ROLES
from app.reviews.chains import DEFAULT_CHAINS, chain_for, chain_problems, describe_chain, is_own
from app.reviews.vocabulary import ReviewAction, ReviewedKind
from app.tenancy.models import Tenant


@dataclass
class StageView:
    action: str
    action_label: str
    roles: list[tuple[str, str, list[str]]]  # (role, role label, local titles of the posts holding it)
    legal_basis: str


@dataclass
class ChainView:
    kind: str
    label: str
    own: bool  # the region's own chain (else the default)
    stages: list[StageView]


def kind_or_404(kind: str) -> str:
    """The kind, if it is one the vocabulary knows."""
    if kind not in ReviewedKind.labels():
        raise NotFound(_("Jenis data ini tidak dikenal."))
    return kind


def view_chain(tenant: Tenant, kind: str, titles: dict[str, list[str]] | None = None) -> ChainView:
    """A kind's chain as the settings page shows it: each stage's action, roles with local titles, article."""
    titles = titles_by_role() if titles is None else titles
    stages = [StageView(action=s["action"], action_label=ReviewAction.label_of(s["action"]),
                        roles=[(r, str(ROLES.get(r, r)), titles.get(r, [])) for r in s["roles"]],
                        legal_basis=s.get("legal_basis", ""))
              for s in chain_for(kind, tenant)]
    return ChainView(kind=kind, label=ReviewedKind.label_of(kind), own=is_own(kind, tenant), stages=stages)


def view_chains(tenant: Tenant) -> list[ChainView]:
    """Every kind's chain, in the vocabulary's order."""
    titles = titles_by_role()
    return [view_chain(tenant, kind.value, titles) for kind in ReviewedKind]


def role_choices() -> list[tuple[str, str]]:
    """(role, label) for the roles some post in service holds, labelled with the posts' local titles."""
    titles, held = titles_by_role(), held_roles()
    out = []
    for role, label in ROLES.items():
        if role in held:
            local = ", ".join(titles.get(role, []))
            out.append((role, f"{local} ({label})" if local and local != str(label) else str(label)))
    return out


def save_chain(tenant: Tenant, kind: str, stages: list[dict]) -> bool:
    """Make `stages` the region's own chain for `kind`; returns whether anything changed.

    Raises `Invalid` with field errors `stages-<i>-<field>` (and "" for the chain as a whole):
    an unknown action or role, a role no post in service holds, no legal basis, no stage, or a
    last stage that does not decide. Nothing is written then.
    """
    kind_or_404(kind)
    chain, problems = chain_problems(stages, held_roles())
    if problems:
        errors: dict[str, list[str]] = {}
        for index, field, message in problems:
            key = f"stages-{index}-{field}" if index is not None and field else ""
            errors.setdefault(key, []).append(message)
        raise Invalid(_("Rantai penelaahan belum dapat disimpan: periksa isian yang ditandai."), errors)
    own = dict(tenant.review_chains or {})
    if own.get(kind) == chain:
        return False
    before, was_own = chain_for(kind, tenant), kind in own
    own[kind] = chain
    tenant.review_chains = own
    record("config.reviews.update", "tenant", tenant.id, name=ReviewedKind.label_of(kind),
           before=_words(before, was_own), after=describe_chain(chain))
    db.session.flush()
    return True


def reset_chain(tenant: Tenant, kind: str) -> bool:
    """Return `kind` to the default chain; returns whether it had one of its own."""
    kind_or_404(kind)
    own = dict(tenant.review_chains or {})
    if kind not in own:
        return False
    before = own.pop(kind)
    tenant.review_chains = own
    record("config.reviews.update", "tenant", tenant.id, name=ReviewedKind.label_of(kind),
           before=describe_chain(before), after=_words(DEFAULT_CHAINS[kind], was_own=False))
    db.session.flush()
    return True


def _words(chain: list[dict], was_own: bool) -> str:
    text = describe_chain(chain)
    return text if was_own else _("bawaan: %(c)s", c=text)
