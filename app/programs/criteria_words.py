"""Conditions in words, as the catalogue, the gap list and the public page say them."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app.programs.attributes import ATTRIBUTES, OPERATORS, Attribute


def describe(condition: dict, names: dict[str, str] | None = None) -> str:
    """The condition in words ("Desil kesejahteraan paling tinggi 4"); `names`: program code → name."""
    attribute = ATTRIBUTES.get(condition.get("attribute", ""))
    if attribute is None:
        return _("Atribut tidak dikenal: %(name)s", name=condition.get("attribute") or "—")
    op, value = condition.get("op", ""), condition.get("value")
    if attribute.type == "bool":
        return str(attribute.label) if value is True else _("%(label)s: tidak", label=attribute.label)
    if attribute.type == "int":
        if op == "between" and isinstance(value, list) and len(value) == 2:
            return _("%(label)s antara %(low)s dan %(high)s", label=attribute.label, low=value[0], high=value[1])
        return f"{attribute.label} {OPERATORS.get(op, op)} {value}"
    words = _value_words(attribute, value, names)
    if attribute.type == "program":
        if op in ("eq", "in"):
            return _("Menerima %(programs)s", programs=words)
        return _("Tidak menerima %(programs)s", programs=words)
    if op in ("eq", "in"):
        return f"{attribute.label}: {words}"
    return _("%(label)s bukan %(values)s", label=attribute.label, values=words)


def _value_words(attribute: Attribute, value: Any, names: dict[str, str] | None) -> str:
    values = value if isinstance(value, list) else [value]
    labels = attribute.choices() if attribute.choices else {}
    if attribute.type == "program":
        labels = names if names is not None else program_names_in_context()
    if attribute.type == "village" or attribute.type == "district":  # codes named by the official list
        from app.programs.catalogue import area_names

        labels = area_names([v for v in values if isinstance(v, str)])
    words = [str(labels.get(v, v)) for v in values]
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s atau %(last)s", first=", ".join(words[:-1]), last=words[-1])


def program_names_in_context() -> dict[str, str]:
    from app.programs.catalogue import program_names

    return program_names()
