"""Edits a manager makes to a draft SOP, as functions on the definition mapping.

Each function takes a definition (the JSON a `SopVersion` stores, in the template format
of `FORMAT.md`) and returns a changed deep copy; nothing here touches the database.
Bad input raises `EditError` with messages per form field. Whether the result is a
valid procedure is a separate question, answered by `sop_drafts.check_definition`.
"""
from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _

from app.casework.sop import CHANNELS
from app.casework.step_kinds import kind_of
from app.errors import Invalid
from app.org.vocabulary import ROLES, SERVICE_AREAS

REVIEW_ROLE = "supervisor"
#: The pair of kinds an inserted review is made of: an approval and a return beside it.
APPROVE, RETURN = "approve", "return"


class EditError(Invalid):
    """The edit was refused; `errors` maps a form field to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors=errors)
        self.errors = errors


def roles_of(item: dict) -> tuple[str, ...]:
    """An item's `role` (a string or a list in the file) as a tuple."""
    value = item.get("role")
    if isinstance(value, list):
        return tuple(str(r) for r in value)
    return (str(value),) if value else ()


def _role_value(roles: Iterable[str]) -> str | list[str]:
    roles = list(roles)
    return roles[0] if len(roles) == 1 else roles


def _clean_roles(roles: Iterable[str], field: str = "roles") -> list[str]:
    chosen = [r for r in ROLES if r in set(roles)]  # canonical order, unknown ones dropped
    if not chosen:
        raise EditError({field: [_("Pilih minimal satu peran.")]})
    return chosen


def _required(value: str | None, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise EditError({field: [message]})
    return value


def _find(items: list[dict], key: str, field: str = "step") -> dict:
    found = next((i for i in items if isinstance(i, dict) and i.get("key") == key), None)
    if found is None:
        raise EditError({field: [_("'%(k)s' tidak ada dalam draf.", k=key)]})
    return found


def _sla(value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise EditError({"sla_hours": [_("Batas waktu harus bilangan bulat positif (jam).")]})
    return value


def set_step(definition: dict, key: str, *, roles: Iterable[str], legal_basis: str,
             with_pair: bool = False, basis_confirmed: bool = False) -> dict:
    """Who may take step `key` and its legal basis ("change an approver").

    When who takes it changes, the legal basis must change too, or be confirmed as still
    right (`basis_confirmed`): an article that named the old approver rarely names the new one.
    With `with_pair`, an approval's sibling return steps (from the same stage) get the
    same roles, so whoever approves is also the one who may send it back.
    """
    out = copy.deepcopy(definition)
    chosen = _clean_roles(roles)
    basis = _required(legal_basis, "legal_basis", _("Dasar hukum wajib diisi."))
    step = _find(out.get("transitions") or [], key)
    unchanged_basis = basis == str(step.get("legal_basis") or "").strip()
    if set(chosen) != set(roles_of(step)) and unchanged_basis and not basis_confirmed:
        raise EditError({"legal_basis": [_("Yang mengambil langkah ini berubah: isi dasar hukum yang baru, "
                                           "atau centang bahwa dasar hukum ini tetap berlaku.")]})
    step["role"], step["legal_basis"] = _role_value(chosen), basis
    if with_pair and step.get("kind") == APPROVE:
        for other in out["transitions"]:
            if other.get("from") == step.get("from") and other.get("kind") == RETURN:
                other["role"] = _role_value(chosen)
    return out


def set_stage(definition: dict, key: str, *, label: str, sla_hours: int | None, legal_basis: str = "") -> dict:
    """A stage's label, SLA (hours, or none) and legal basis."""
    out = copy.deepcopy(definition)
    stage = _find(out.get("states") or [], key, field="stage")
    stage["label"] = _required(label, "label", _("Nama tahap wajib diisi."))
    sla = _sla(sla_hours)
    if sla is None or stage.get("final"):
        stage.pop("sla_hours", None)
    else:
        stage["sla_hours"] = sla
    if legal_basis.strip():
        stage["legal_basis"] = legal_basis.strip()
    else:
        stage.pop("legal_basis", None)
    return out


def review_key(definition: dict, source: str) -> str:
    """A free stage key for a review after a step from `source`: `<source>_review`, then `_2`…"""
    taken = {s.get("key") for s in definition.get("states") or []}
    taken |= {t.get("key") for t in definition.get("transitions") or []}
    base = f"{source}_review"[:72]
    key, n = base, 2
    while key in taken or f"approve_{key}" in taken or f"return_{key}" in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def can_add_review(definition: dict, step: dict) -> bool:
    """Whether a supervisor approval may be inserted after `step` (not before another approval)."""
    target = step.get("to")
    steps = definition.get("transitions") or []
    approvals = [t for t in steps if t.get("from") == target and t.get("kind") == APPROVE]
    kind = kind_of(step.get("kind") or "forward")
    return kind is not None and kind.reviewable and not approvals


def add_review(definition: dict, step_key: str, *, label: str, sla_hours: int | None,
               legal_basis: str) -> tuple[dict, str]:
    """Insert a supervisor approval after step `step_key`; returns (definition, new stage key).

    The step now leads to the new stage; from there an approval (supervisor) goes on to
    the step's old target and a return goes back to the step's own stage.
    """
    out = copy.deepcopy(definition)
    transitions = out.get("transitions") or []
    step = _find(transitions, step_key)
    if not can_add_review(out, step):
        raise EditError({"step": [_("Setelah langkah ini tidak dapat ditambah persetujuan Supervisor.")]})
    basis = _required(legal_basis, "legal_basis", _("Dasar hukum wajib diisi untuk langkah baru."))
    label = _required(label, "label", _("Nama tahap wajib diisi."))
    source, target = step["from"], step["to"]
    key = review_key(out, source)
    stage: dict[str, Any] = {"key": key, "label": label, "legal_basis": basis}
    if _sla(sla_hours):
        stage["sla_hours"] = sla_hours
    states = out["states"]
    position = next((i for i, s in enumerate(states) if s.get("key") == source), len(states) - 1)
    states.insert(position + 1, stage)
    step["to"] = key
    step_label = step.get("label") or step_key
    approve = {"key": f"approve_{key}", "label": _("Setujui: %(s)s", s=step_label), "from": key, "to": target,
               "role": REVIEW_ROLE, "kind": APPROVE, "legal_basis": basis}
    back = {"key": f"return_{key}", "label": _("Kembalikan: %(s)s", s=step_label), "from": key, "to": source,
            "role": REVIEW_ROLE, "kind": RETURN, "legal_basis": basis}
    index = transitions.index(step)
    transitions[index + 1:index + 1] = [approve, back]
    return out, key


def removable_review(definition: dict, stage_key: str | None) -> tuple[dict, dict] | None:
    """(approve, return) if `stage_key` is an approval stage that can be taken out, else None.

    That is a stage whose only steps are one approval and one return, where no channel
    starts, and which is not a referral's approval (a referral is always approved).
    """
    if not stage_key or any(c.get("entry") == stage_key for c in definition.get("channels") or []):
        return None
    steps = definition.get("transitions") or []
    if any(t.get("to") == stage_key and getattr(kind_of(t.get("kind") or "forward"), "keeps_approval", False)
           for t in steps):
        return None
    steps = [t for t in definition.get("transitions") or [] if t.get("from") == stage_key]
    kinds = sorted(t.get("kind") for t in steps)
    if kinds != sorted([APPROVE, RETURN]):
        return None
    approve = next(t for t in steps if t.get("kind") == APPROVE)
    back = next(t for t in steps if t.get("kind") == RETURN)
    return approve, back


def remove_review(definition: dict, stage_key: str) -> dict:
    """Take out an approval stage: steps into it now lead where its approval led."""
    out = copy.deepcopy(definition)
    pair = removable_review(out, stage_key)
    if pair is None:
        raise EditError({"stage": [_("Tahap ini bukan tahap persetujuan yang dapat dihapus.")]})
    approve, back = pair
    out["transitions"] = [t for t in out["transitions"] if t is not approve and t is not back]
    for step in out["transitions"]:
        if step.get("to") == stage_key:
            step["to"] = approve["to"]
    out["states"] = [s for s in out["states"] if s.get("key") != stage_key]
    return out


def set_routing(definition: dict, routing: dict[str, str], unit_keys: Iterable[str],
                own_areas: Iterable[str] = ()) -> dict:
    """Which back-office unit handles each service area. The region's own areas (`own_areas`) may be left
    empty: their cases go where their built-in area's do."""
    units, own = set(unit_keys), list(own_areas)
    errors = {area: [_("Pilih unit back office dari daftar.")] for area in [*SERVICE_AREAS, *own]
              if (area in SERVICE_AREAS or routing.get(area)) and routing.get(area) not in units}
    if errors:
        raise EditError(errors)
    out = copy.deepcopy(definition)
    out["routing"] = {area: routing[area] for area in [*SERVICE_AREAS, *own] if routing.get(area)}
    return out


def set_channel(definition: dict, key: str, *, enabled: bool, label: str = "", entry: str = "",
                roles: Iterable[str] = (), legal_basis: str = "") -> dict:
    """Open, change or close an intake channel (walk-in, Puskesos, home visit)."""
    if key not in CHANNELS:
        raise EditError({"channel": [_("Jalur '%(k)s' tidak dikenal.", k=key)]})
    out = copy.deepcopy(definition)
    channels = out.setdefault("channels", [])
    existing = next((c for c in channels if c.get("key") == key), None)
    if not enabled:
        out["channels"] = [c for c in channels if c.get("key") != key]
        return out
    errors: dict[str, list[str]] = {}
    stages = {s.get("key"): s for s in out.get("states") or []}
    if entry not in stages or stages[entry].get("final"):
        errors["entry"] = [_("Pilih tahap awal dari daftar.")]
    for field, value, message in (("label", label, _("Nama jalur wajib diisi.")),
                                  ("legal_basis", legal_basis, _("Dasar hukum wajib diisi."))):
        if not (value or "").strip():
            errors[field] = [message]
    try:
        chosen = _clean_roles(roles)
    except EditError as exc:
        errors.update(exc.errors)
        chosen = []
    if errors:
        raise EditError(errors)
    item = {"key": key, "label": label.strip(), "entry": entry, "role": _role_value(chosen),
            "legal_basis": legal_basis.strip()}
    if existing is None:
        order = {k: i for i, k in enumerate(CHANNELS)}
        channels.append(item)
        channels.sort(key=lambda c: order.get(c.get("key"), 99))
    else:
        existing.clear()
        existing.update(item)
    return out


def set_regulation(definition: dict, regulation: str) -> dict:
    """The regulation this version implements (kept in the definition, as templates do)."""
    out = copy.deepcopy(definition)
    out["regulation"] = _required(regulation, "regulation", _("Peraturan yang dilaksanakan wajib diisi."))
    return out
