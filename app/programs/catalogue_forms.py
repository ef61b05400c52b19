"""Conditions as a person types them in the catalogue editor: one row per condition, values as text.

`parse_rows` turns the rows (attribute, operator, value text, legal basis, points) into
conditions and says, per row and field, what cannot be read; `value_text` is the inverse
for filling the editor. The meaning is checked afterwards by `criteria.condition_problems`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from app.programs.attributes import ATTRIBUTES, Attribute

_RANGE = re.compile(r"^\s*(-?\d+)\s*(?:-|–|—|s/?d|sampai|hingga|to)\s*(-?\d+)\s*$", re.IGNORECASE)
_YES = {"ya", "y", "yes", "true", "1", "benar"}
_NO = {"tidak", "t", "no", "false", "0", "bukan"}


@dataclass
class Row:
    """One row of the editor as typed."""

    attribute: str = ""
    op: str = ""
    value: str = ""
    legal_basis: str = ""
    points: str = ""

    @property
    def blank(self) -> bool:
        return not any(s.strip() for s in (self.attribute, self.op, self.value, self.legal_basis, self.points))


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if re.fullmatch(r"-?\d+", text) else None


def _parse_value(attribute: Attribute, op: str, text: str) -> tuple[Any, str | None]:
    text = (text or "").strip()
    if attribute.type == "int":
        if op == "between":
            found = _RANGE.match(text)
            if not found:
                return text, _("Isi dua angka: dari dan sampai (mis. 6-21).")
            return [int(found.group(1)), int(found.group(2))], None
        number = _number(text)
        return (number, None) if number is not None else (text, _("Nilai harus bilangan bulat."))
    if attribute.type == "bool":
        if text.lower() in _YES:
            return True, None
        if text.lower() in _NO:
            return False, None
        return text, _("Isi \u201cya\u201d atau \u201ctidak\u201d.")
    parts = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
    parts = [_code_of(attribute, p) for p in parts]
    if op in ("in", "not_in"):
        return parts, None
    if len(parts) > 1:
        return parts, _("Operator ini hanya untuk satu nilai; pakai \u201csalah satu dari\u201d untuk beberapa.")
    return (parts[0] if parts else ""), None


def _code_of(attribute: Attribute, text: str) -> str:
    """A choice typed as its code or its label (any case); a program code in upper case."""
    if attribute.type == "program":
        return text.upper()
    if attribute.choices:
        for code, label in attribute.choices().items():
            if text.lower() in (code.lower(), str(label).lower()):
                return code
    return text


def parse_rows(rows: list[Row], *, weights: bool = False) -> tuple[list[dict], dict[int, dict[str, str]]]:
    """The conditions of the non-blank rows, and index (among those) → {field: problem} for what cannot be read."""
    conditions: list[dict] = []
    problems: dict[int, dict[str, str]] = {}
    for row in (r for r in rows if not r.blank):
        index = len(conditions)
        condition: dict[str, Any] = {"attribute": row.attribute.strip(), "op": row.op.strip(),
                                     "value": row.value.strip(), "legal_basis": " ".join(row.legal_basis.split())}
        attribute = ATTRIBUTES.get(condition["attribute"])
        if attribute is not None and condition["op"] in attribute.ops:
            condition["value"], problem = _parse_value(attribute, condition["op"], row.value)
            if problem:
                problems.setdefault(index, {})["value"] = problem
        if weights:
            points = _number(row.points or "")
            condition["points"] = points if points is not None else row.points
            if points is None:
                problems.setdefault(index, {})["points"] = _("Poin harus bilangan bulat.")
        conditions.append(condition)
    return conditions, problems


def value_text(condition: dict) -> str:
    """A stored condition's value as the editor shows it."""
    value = condition.get("value")
    attribute = ATTRIBUTES.get(condition.get("attribute", ""))
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, list):
        if attribute is not None and attribute.type == "int" and len(value) == 2:
            return f"{value[0]}-{value[1]}"
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def rows_of(conditions: list[dict] | None) -> list[Row]:
    """Editor rows for stored conditions."""
    return [Row(attribute=str(c.get("attribute", "")), op=str(c.get("op", "")), value=value_text(c),
                legal_basis=str(c.get("legal_basis", "")),
                points="" if c.get("points") is None else str(c.get("points")))
            for c in conditions or [] if isinstance(c, dict)]


def value_hints() -> list[tuple[str, str, str]]:
    """(attribute label, operators, values a person may type) for the editor's help table."""
    from app.programs.attributes import OPERATORS

    hints = []
    for attribute in ATTRIBUTES.values():
        ops = ", ".join(str(OPERATORS[o]) for o in attribute.ops)
        if attribute.type == "int":
            values = _("angka %(low)s–%(high)s; \u201cantara\u201d: mis. 6-21", low=attribute.minimum,
                       high=attribute.maximum)
        elif attribute.type == "bool":
            values = _("ya / tidak")
        elif attribute.type == "program":
            values = _("kode program di katalog, mis. PKH, BPNT")
        elif attribute.type == "village":
            values = _("kode desa/kelurahan Kemendagri, mis. 32.75.01.1001")
        elif attribute.type == "district":
            values = _("kode kecamatan Kemendagri, mis. 32.75.01")
        else:
            values = ", ".join(f"{code} ({label})" for code, label in (attribute.choices or dict)().items())
        hints.append((str(attribute.label), ops, values))
    return hints
