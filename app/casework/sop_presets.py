"""Presets of the SOP editor: common shapes built in one go, here an approval by anyone.

"Add an approval by ___ after this step" and "… before this stage": a new stage waiting
for the approver, an approval that goes on, and a return (with a reason) that sends the
case back. Nothing is limited to these: `sop_flow` adds any stage or step of any kind.
"""
from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _

from app.casework.sop_edits import APPROVE, RETURN, EditError, _clean_roles, _find, _role_value, _sla
from app.casework.sop_flow import _check, _slug, _stage_keys, _steps, _text, free_key, incoming
from app.casework.sop_procedure import role_titles
from app.casework.step_kinds import kind_of


def default_return(definition: dict, step: dict) -> str:
    """Where a case goes back to when the approval added after `step` is refused.

    After an approval, where that approval's own return leads (the chain sends a referral back to
    the one who proposed it); after any other step, the stage the step is taken from.
    """
    kind = kind_of(step.get("kind") or "forward")
    if kind is not None and kind.approval and not kind.sends_back:
        back = next((t for t in _steps(definition) if t.get("from") == step.get("from") and t.get("kind") == RETURN),
                    None)
        if back is not None:
            return str(back.get("to"))
    return str(step.get("from") or "")


def return_before(definition: dict, stage_key: str) -> str:
    """Where a case goes back to when the approval added before stage `stage_key` is refused:
    the stage the first step into it (not itself a return) is taken from, if any."""
    for step in incoming(definition, stage_key):
        kind = kind_of(step.get("kind") or "forward")
        if kind is not None and not kind.sends_back:
            return str(step.get("from") or "")
    return ""


def _sends_back(step: dict) -> bool:
    kind = kind_of(step.get("kind") or "forward")
    return kind is not None and kind.sends_back


def add_approval(definition: dict, *, roles: Iterable[str], legal_basis: str, label: str = "",
                 sla_hours: int | None = None, return_to: str = "", after_step: str = "",
                 before_stage: str = "", who: str = "") -> tuple[dict, str]:
    """An approval by `roles` after step `after_step`, or before stage `before_stage`.

    After a step: the step now leads to a new approval stage; from there the approval goes on
    where the step led. Before a stage: every step and channel that led into it leads to the new
    stage, whose approval goes on to it; steps that send a case back into it (a return) still
    lead to it directly: what was already passed is not approved again. Either way a return (with
    a reason) goes from the new stage to `return_to`, unless that is empty. `who` names the
    approver in the default labels. Returns (definition, the new stage's key).
    """
    out = copy.deepcopy(definition)
    keys = _stage_keys(out)
    errors: dict[str, list[str]] = {}
    try:
        chosen = _clean_roles(roles)
    except EditError as exc:
        errors.update(exc.errors)
    if not legal_basis.strip():
        errors["legal_basis"] = [_("Dasar hukum wajib diisi untuk langkah baru.")]
    if return_to and return_to not in keys:
        errors["return_to"] = [_("Pilih tahap tujuan pengembalian dari daftar.")]
    try:
        sla = _sla(sla_hours)
    except EditError as exc:
        errors.update(exc.errors)
    step = _find(out.get("transitions") or [], after_step) if after_step else None
    if step is None and before_stage not in keys:
        errors["stage"] = [_("'%(k)s' tidak ada dalam draf.", k=before_stage)]
    _check(errors)
    who = who or role_titles(chosen)
    label = _text(label) or _("Menunggu persetujuan %(who)s", who=who)
    key = free_key(out, _slug(label, "persetujuan"), APPROVE, RETURN)
    stage: dict[str, Any] = {"key": key, "label": label, "legal_basis": legal_basis.strip()}
    if sla:
        stage["sla_hours"] = sla
    states, transitions = out["states"], out["transitions"]
    if step is not None:
        onward, subject = str(step["to"]), str(step.get("label") or step["key"])
        states.insert(keys.index(str(step["from"])) + 1, stage)
        step["to"] = key
        at = transitions.index(step) + 1
    else:
        onward = before_stage
        subject = next(str(s.get("label") or before_stage) for s in states if s.get("key") == before_stage)
        for other in incoming(out, before_stage):
            if not _sends_back(other):
                other["to"] = key
        for channel in out.get("channels") or []:
            if channel.get("entry") == before_stage:
                channel["entry"] = key
        states.insert(keys.index(before_stage), stage)
        at = len(transitions)
    if step is not None:  # the approver approves what the step proposed, or sends it back
        approve_label = _("Setujui (%(who)s): %(s)s", who=who, s=subject)
        return_label = _("Kembalikan (%(who)s): %(s)s", who=who, s=subject)
    else:  # the approver lets the case on to the stage, or sends it back where it came from
        approve_label = _("Setujui (%(who)s), lanjut ke \u201c%(s)s\u201d", who=who, s=subject)
        back = next((str(s.get("label") or return_to) for s in states if s.get("key") == return_to), return_to)
        return_label = _("Kembalikan (%(who)s) ke \u201c%(s)s\u201d", who=who, s=back)
    added = [{"key": f"{APPROVE}_{key}", "label": approve_label, "from": key, "to": onward,
              "role": _role_value(chosen), "kind": APPROVE, "legal_basis": legal_basis.strip()}]
    if return_to:
        added.append({"key": f"{RETURN}_{key}", "label": return_label,
                      "from": key, "to": return_to, "role": _role_value(chosen), "kind": RETURN,
                      "legal_basis": legal_basis.strip()})
    transitions[at:at] = added
    return out, key
