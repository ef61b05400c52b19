"""Changing the shape of a draft SOP: stages and steps added, changed, moved and taken out.

Like `sop_edits` (whose helpers it shares), each function takes a definition and returns a
changed deep copy, or raises `EditError` with messages per form field; nothing here touches
the database. Presets built on these (an approval before a stage or after a step) are in
`sop_presets`. Whether the result is a
procedure a case can walk (every stage reachable, every case can still close, every role
held, every step with its legal basis) is checked by `sop_drafts.check_definition`, whose
problems the editor shows at the stage or step concerned.
"""
from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _

from app.casework.sop import NOTE_RULES
from app.casework.sop_edits import EditError, _clean_roles, _find, _role_value, _sla
from app.casework.step_kinds import REGISTRY

#: `after` value that puts a new stage first.
FIRST = "_first"
#: `target` value of a new step that leads to a new stage (named by `new_stage`).
NEW_STAGE = "_new"
UP, DOWN = "up", "down"


def _slug(text: str, fallback: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_")[:48].strip("_")
    return slug or fallback


def _taken(definition: dict) -> set[str]:
    items = (definition.get("states") or []) + (definition.get("transitions") or [])
    return {str(i.get("key")) for i in items if isinstance(i, dict)}


def free_key(definition: dict, base: str, *extra: str) -> str:
    """`base`, or `base_2`, `base_3`… — unused by any stage or step (nor `<prefix>_<key>` for `extra`)."""
    taken = _taken(definition)
    key, n = base, 2
    while key in taken or any(f"{prefix}_{key}" in taken for prefix in extra):
        key, n = f"{base}_{n}", n + 1
    return key


def _stages(definition: dict) -> list[dict]:
    return [s for s in definition.get("states") or [] if isinstance(s, dict)]


def _steps(definition: dict) -> list[dict]:
    return [t for t in definition.get("transitions") or [] if isinstance(t, dict)]


def _stage_keys(definition: dict) -> list[str]:
    return [str(s.get("key")) for s in _stages(definition)]


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def _check(errors: dict[str, list[str]]) -> None:
    if errors:
        raise EditError(errors)


# --- stages ----------------------------------------------------------------------------------

def add_stage(definition: dict, *, label: str, after: str, sla_hours: int | None = None,
              legal_basis: str = "", final: bool = False) -> tuple[dict, str]:
    """A new stage after stage `after` (or first, with `FIRST`); returns (definition, its key).

    A new stage has no steps yet: until a step leads into it and one leads on, the check
    reports it where it stands ("cannot be reached", "cannot reach closing").
    """
    out = copy.deepcopy(definition)
    keys = _stage_keys(out)
    errors: dict[str, list[str]] = {}
    label = _text(label)
    if not label:
        errors["label"] = [_("Nama tahap wajib diisi.")]
    if after != FIRST and after not in keys:
        errors["after"] = [_("Pilih letak tahap dari daftar.")]
    try:
        sla = None if final else _sla(sla_hours)
    except EditError as exc:
        errors.update(exc.errors)
    _check(errors)
    key = free_key(out, _slug(label, "tahap"))
    stage: dict[str, Any] = {"key": key, "label": label}
    if sla:
        stage["sla_hours"] = sla
    if legal_basis.strip():
        stage["legal_basis"] = legal_basis.strip()
    if final:
        stage["final"] = True
    states = out.setdefault("states", [])
    position = 0 if after == FIRST else next(i for i, s in enumerate(states) if s.get("key") == after) + 1
    states.insert(position, stage)
    return out, key


def move_stage(definition: dict, key: str, direction: str) -> dict:
    """Stage `key` one place up or down the list (where it is shown; cases follow the steps)."""
    out = copy.deepcopy(definition)
    states = out.get("states") or []
    stage = _find(states, key, field="stage")
    _swap(states, states.index(stage), [i for i, s in enumerate(states) if isinstance(s, dict)], direction)
    return out


def incoming(definition: dict, key: str) -> list[dict]:
    """Steps from other stages that lead into stage `key`."""
    return [t for t in _steps(definition) if t.get("to") == key and t.get("from") != key]


def remove_stage(definition: dict, key: str, *, redirect_to: str = "") -> dict:
    """Take stage `key` out with the steps taken from it; steps into it now lead to `redirect_to`.

    Refused while an intake channel starts there, or when steps lead into it and no other
    stage is given for them.
    """
    out = copy.deepcopy(definition)
    stage = _find(out.get("states") or [], key, field="stage")
    starting = [str(c.get("label") or c.get("key")) for c in out.get("channels") or [] if c.get("entry") == key]
    if starting:
        raise EditError({"stage": [_("Jalur masuk \u201c%(c)s\u201d dimulai di tahap ini; ubah dulu tahap awal "
                                     "jalur itu.", c=", ".join(starting))]})
    leading = incoming(out, key)
    if leading:
        if redirect_to == key or redirect_to not in _stage_keys(out):
            names = ", ".join(str(t.get("label") or t.get("key")) for t in leading)
            raise EditError({"redirect_to": [_("Langkah yang menuju tahap ini (%(s)s) perlu tahap tujuan lain: "
                                               "pilih dari daftar.", s=names)]})
        for step in leading:
            step["to"] = redirect_to
    out["transitions"] = [t for t in out.get("transitions") or [] if not (isinstance(t, dict) and t.get("from") == key)]
    out["states"].remove(stage)
    return out


# --- steps -----------------------------------------------------------------------------------

def _step_errors(out: dict, *, label: str, kind: str, target: str, note: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not _text(label):
        errors["label"] = [_("Nama langkah wajib diisi.")]
    if kind not in REGISTRY:
        errors["kind"] = [_("Pilih jenis langkah dari daftar.")]
    if target not in _stage_keys(out):
        errors["target"] = [_("Pilih tahap tujuan dari daftar.")]
    if note and note not in NOTE_RULES:
        errors["note"] = [_("Pilih aturan catatan dari daftar.")]
    return errors


def _set_note(step: dict, kind: str, note: str) -> None:
    if note and note != REGISTRY[kind].note:
        step["note"] = note
    else:
        step.pop("note", None)


def add_step(definition: dict, *, source: str, target: str, kind: str, roles: Iterable[str], label: str,
             legal_basis: str, note: str = "", before: str = "", new_stage: str = "") -> tuple[dict, str]:
    """A new step of any registered kind from stage `source` to `target`; returns (definition, its key).

    With `target` = `NEW_STAGE` it leads to a new stage called `new_stage`, placed after `source`.
    It goes before step `before` (one from the same stage) or after the stage's last step.
    """
    out = copy.deepcopy(definition)
    stages = {str(s.get("key")): s for s in _stages(out)}
    if source not in stages:
        raise EditError({"stage": [_("'%(k)s' tidak ada dalam draf.", k=source)]})
    if stages[source].get("final"):
        raise EditError({"stage": [_("Tidak boleh ada langkah dari tahap akhir.")]})
    to_new = target == NEW_STAGE
    errors = _step_errors(out, label=label, kind=kind, target=source if to_new else target, note=note)
    if to_new and not _text(new_stage):
        errors["new_stage"] = [_("Nama tahap baru wajib diisi.")]
    if not legal_basis.strip():
        errors["legal_basis"] = [_("Dasar hukum wajib diisi untuk langkah baru.")]
    try:
        chosen = _clean_roles(roles)
    except EditError as exc:
        errors.update(exc.errors)
    _check(errors)
    if to_new:
        out, target = add_stage(out, label=new_stage, after=source)
    key = free_key(out, _slug(label, kind))
    step: dict[str, Any] = {"key": key, "label": _text(label), "from": source, "to": target,
                            "role": _role_value(chosen), "kind": kind, "legal_basis": legal_basis.strip()}
    _set_note(step, kind, note)
    transitions = out.setdefault("transitions", [])
    _insert_step(transitions, step, before)
    return out, key


def _insert_step(transitions: list, step: dict, before: str = "") -> None:
    same = [i for i, t in enumerate(transitions) if isinstance(t, dict) and t.get("from") == step["from"]]
    at = next((i for i in same if transitions[i].get("key") == before), None)
    if at is None:
        at = same[-1] + 1 if same else len(transitions)
    transitions.insert(at, step)


def update_step(definition: dict, key: str, *, label: str, target: str, kind: str, note: str = "") -> dict:
    """A step's name, kind, the stage it leads to, and its note rule (who takes it: `sop_edits.set_step`)."""
    out = copy.deepcopy(definition)
    step = _find(out.get("transitions") or [], key)
    _check(_step_errors(out, label=label, kind=kind, target=target, note=note))
    step.update(label=_text(label), to=target, kind=kind)
    _set_note(step, kind, note)
    return out


def move_step(definition: dict, key: str, direction: str) -> dict:
    """Step `key` one place up or down among the steps from its stage (their order on the case page)."""
    out = copy.deepcopy(definition)
    transitions = out.get("transitions") or []
    step = _find(transitions, key)
    same = [i for i, t in enumerate(transitions) if isinstance(t, dict) and t.get("from") == step.get("from")]
    _swap(transitions, transitions.index(step), same, direction)
    return out


def remove_step(definition: dict, key: str) -> dict:
    """Take step `key` out."""
    out = copy.deepcopy(definition)
    out["transitions"].remove(_find(out.get("transitions") or [], key))
    return out


def _swap(items: list, index: int, places: list[int], direction: str) -> None:
    """Swap `items[index]` with its neighbour among `places` (indexes) in `direction`; at an end, nothing."""
    if direction not in (UP, DOWN):
        raise EditError({"direction": [_("Arah pemindahan tidak dikenal.")]})
    at = places.index(index)
    other = at - 1 if direction == UP else at + 1
    if 0 <= other < len(places):
        j = places[other]
        items[index], items[j] = items[j], items[index]
