"""Reading a data-update proposal form (one form per kind) into what `propose` takes.

Field names: `village_code`, `address`, `members_count`, `members-<i>-<field>` (a new
household), `member-<field>` (a born member), `nik` (the member concerned), `new-<field>` (a
change: empty = unchanged), `date`, `destination`, `reason`. The values typed are kept as
they were (`values`) so a refused form comes back filled in.
"""
from __future__ import annotations

from app.citizens.vocabulary import Disability, Education, Relationship
from app.verval.household import MEMBER_FIELDS
from app.verval.summary import SEXES
from app.verval.vocabulary import UpdateKind

MEMBER_INPUTS = ("nik", "name", "relation_to_head", "sex", "birth_date", "education", "occupation", "disability",
                 "pregnant")
MAX_ROWS = 30


def members_count(form) -> int:
    try:
        count = int(form.get("members_count", 1))
    except ValueError:
        count = 1
    return max(1, min(MAX_ROWS, count))


def _member(form, prefix: str) -> dict:
    return {f: (form.get(f"{prefix}{f}") or "").strip() for f in MEMBER_INPUTS}


def _changes(form) -> dict:
    """The fields given a new value (empty = unchanged); `pregnant` is "1"/"0" when chosen."""
    changes = {}
    for field in MEMBER_FIELDS:
        value = (form.get(f"new-{field}") or "").strip()
        if value == "":
            continue
        changes[field] = (value == "1") if field == "pregnant" else value
    return changes


def read(kind: str, form) -> tuple[str, dict, str]:
    """(NIK, data, reason) of a proposal of `kind` from the submitted form."""
    reason = (form.get("reason") or "").strip()
    nik = (form.get("nik") or "").strip()
    if kind == UpdateKind.NEW_HOUSEHOLD:
        members = [_member(form, f"members-{i}-") for i in range(members_count(form))]
        members = [m for m in members if any(m[f] for f in ("nik", "name", "birth_date"))] or members[:1]
        return "", {"village_code": (form.get("village_code") or "").strip(),
                    "address": (form.get("address") or "").strip(), "members": members}, reason
    if kind == UpdateKind.MEMBER_BORN:
        return "", {"member": _member(form, "member-")}, reason
    if kind == UpdateKind.MEMBER_CHANGED:
        return nik, {"changes": _changes(form)}, reason
    if kind == UpdateKind.MEMBER_DECEASED:
        return nik, {"date": (form.get("date") or "").strip()}, reason
    if kind == UpdateKind.MEMBER_MOVED:
        return nik, {"destination": (form.get("destination") or "").strip(),
                     "date": (form.get("date") or "").strip()}, reason
    return "", {}, reason


def choices() -> dict:
    """The lists the form's selects offer."""
    return {"relation_to_head": Relationship.labels(), "education": Education.labels(),
            "disability": Disability.labels(), "sex": {k: str(v) for k, v in SEXES.items()}}
