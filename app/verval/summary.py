"""A data update in words: who it is about and what it proposes (lists, queue, detail, export)."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.citizens.vocabulary import Disability, Education, Relationship
from app.verval.vocabulary import UpdateKind

FIELD_LABELS = {
    "nik": _l("NIK"), "name": _l("Nama"), "relation_to_head": _l("Hubungan dengan kepala keluarga"),
    "sex": _l("Jenis kelamin"), "birth_date": _l("Tanggal lahir"), "education": _l("Pendidikan"),
    "occupation": _l("Pekerjaan"), "disability": _l("Disabilitas"), "pregnant": _l("Hamil"),
}
SEXES = {"L": _l("Laki-laki"), "P": _l("Perempuan")}


def field_label(field: str) -> str:
    return str(FIELD_LABELS.get(field, field))


def show_value(field: str, value) -> str:
    """A member field's stored value as a person reads it."""
    if value in (None, ""):
        return "—"
    if field == "relation_to_head":
        return Relationship.label_of(value)
    if field == "education":
        return Education.label_of(value)
    if field == "disability":
        return Disability.label_of(value)
    if field == "sex":
        return str(SEXES.get(value, value))
    if field == "pregnant":
        return _("Ya") if value else _("Tidak")
    if field in ("birth_date", "date"):
        try:
            return date.fromisoformat(str(value)).strftime("%d-%m-%Y")
        except ValueError:
            return str(value)
    return str(value)


def head_of(members: list[dict]) -> dict | None:
    """The head among a proposed household's members (else the first one)."""
    return next((m for m in members if m.get("relation_to_head") == Relationship.HEAD), members[0] if members else None)


def person_name(update) -> str:
    """Whom the update is about: the member's name, or the head of a new household."""
    data = update.data or {}
    if update.kind == UpdateKind.NEW_HOUSEHOLD:
        head = head_of(data.get("members") or [])
        return head.get("name", "") if head else ""
    if update.kind == UpdateKind.MEMBER_BORN:
        return (data.get("member") or {}).get("name", "")
    return data.get("name", "")


def what(update) -> str:
    """What the update proposes, in one line."""
    data = update.data or {}
    kind = update.kind
    if kind == UpdateKind.NEW_HOUSEHOLD:
        members = data.get("members") or []
        return _("Rumah tangga baru, %(n)s anggota", n=len(members))
    if kind == UpdateKind.MEMBER_CHANGED:
        return "; ".join(f"{field_label(f)}: {show_value(f, c.get('old'))} → {show_value(f, c.get('new'))}"
                         for f, c in (data.get("changes") or {}).items())
    if kind == UpdateKind.MEMBER_BORN:
        member = data.get("member") or {}
        return _("Lahir %(d)s: %(name)s", d=show_value("birth_date", member.get("birth_date")),
                 name=member.get("name", ""))
    if kind == UpdateKind.MEMBER_DECEASED:
        return _("Meninggal %(d)s", d=show_value("date", data.get("date")))
    if kind == UpdateKind.MEMBER_MOVED:
        when = show_value("date", data.get("date")) if data.get("date") else ""
        return _("Pindah ke %(where)s", where=data.get("destination", "")) + (f" ({when})" if when else "")
    return update.reason or UpdateKind.label_of(kind)
