"""The decree that appoints a post (Keputusan pengangkatan): who set it, its number and its date.

A post may carry one, e.g. the Puskesos coordinator set by the Lurah (Perwal Palembang Pasal 8
ayat (7)) or a secretariat appointed by a Keputusan Wali Kota. The authority is what the decree
needs at least; the number and date are optional (often not known when the chart is first made).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _

MAX_NUMBER = 120
MAX_AUTHORITY = 200
#: The oldest date a decree of an SLRT post can carry (SLRT itself is from 2016; older decrees of
#: standing offices are accepted). Anything earlier is a typing error.
EARLIEST = date(1945, 8, 17)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Authorities already written as a decree ("Keputusan Wali Kota", "SK Lurah") are not prefixed again.
_ALREADY_DECREE = re.compile(r"^(sk|surat keputusan|keputusan)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Decree:
    authority: str = ""
    number: str = ""
    date: date | None = None

    @classmethod
    def of(cls, position: Any) -> Decree:
        """The decree stored on a post (an empty one when it has none)."""
        return cls(authority=position.decree_authority or "", number=position.decree_number or "",
                   date=position.decree_date)

    def __bool__(self) -> bool:
        return bool(self.authority or self.number or self.date)

    def columns(self) -> dict[str, Any]:
        """The `positions` columns for this decree."""
        return {"decree_authority": self.authority, "decree_number": self.number, "decree_date": self.date}

    def label(self) -> str:
        """Compact, for the org chart: `SK Wali Kota No. 12/2020 tgl 12-05-2020` ("" when there is none)."""
        if not self:
            return ""
        authority = self.authority.strip()
        parts = [authority if _ALREADY_DECREE.match(authority) else _("SK %(authority)s", authority=authority)]
        if self.number:
            parts.append(_("No. %(number)s", number=self.number))
        if self.date:
            parts.append(_("tgl %(date)s", date=self.date.strftime("%d-%m-%Y")))
        return " ".join(p for p in parts if p.strip())

    def to_yaml(self) -> dict[str, Any]:
        """The template's `decree:` mapping (only what is set)."""
        out: dict[str, Any] = {"authority": self.authority}
        if self.number:
            out["number"] = self.number
        if self.date:
            out["date"] = self.date
        return out


def check(decree: Decree, today: date | None = None) -> dict[str, list[str]]:
    """Problems of a decree by form field (`decree_authority`, `decree_number`, `decree_date`)."""
    errors: dict[str, list[str]] = {"decree_authority": [], "decree_number": [], "decree_date": []}
    if (decree.number or decree.date) and not decree.authority:
        errors["decree_authority"].append(_("Tulis siapa yang menetapkan keputusan ini (wajib bila nomor atau "
                                            "tanggal diisi)."))
    if len(decree.authority) > MAX_AUTHORITY:
        errors["decree_authority"].append(_("Paling banyak %(n)s karakter.", n=MAX_AUTHORITY))
    if len(decree.number) > MAX_NUMBER:
        errors["decree_number"].append(_("Paling banyak %(n)s karakter.", n=MAX_NUMBER))
    if decree.date is not None:
        if decree.date > (today or date.today()):
            errors["decree_date"].append(_("Tanggal keputusan tidak boleh di masa depan."))
        elif decree.date < EARLIEST:
            errors["decree_date"].append(_("Tanggal keputusan terlalu lama; periksa tahunnya."))
    return {field: messages for field, messages in errors.items() if messages}


def from_yaml(value: Any) -> tuple[Decree, list[str]]:
    """A template's `decree:` mapping (authority required; number, date optional) and its problems."""
    if value is None:
        return Decree(), []
    if not isinstance(value, dict):
        return Decree(), [_("'decree' harus berupa pemetaan (authority, number, date)")]
    problems = []
    unknown = sorted(set(map(str, value)) - {"authority", "number", "date"})
    if unknown:
        problems.append(_("kunci '%(k)s' tidak dikenal di decree (pilihan: authority, number, date)",
                          k=", ".join(unknown)))
    texts = {}
    for key in ("authority", "number"):
        raw = value.get(key)
        if raw is not None and not isinstance(raw, (str, int, float)):
            problems.append(_("decree.%(k)s harus berupa teks", k=key))
            raw = None
        texts[key] = str(raw).strip() if raw is not None else ""
    if not texts["authority"]:
        problems.append(_("decree.authority wajib diisi (siapa yang menetapkan, misalnya \u201cWali Kota\u201d)"))
    when, problem = _date(value.get("date"))
    if problem:
        problems.append(problem)
    decree = Decree(authority=texts["authority"], number=texts["number"], date=when)
    for field, messages in check(decree).items():
        if field == "decree_authority" and not decree.authority:
            continue  # said above
        problems.extend(f"decree.{field.removeprefix('decree_')}: {m}" for m in messages)
    return decree, problems


def _date(raw: Any) -> tuple[date | None, str]:
    if raw is None or raw == "":
        return None, ""
    if isinstance(raw, date) and not hasattr(raw, "hour"):  # YAML reads 2019-05-12 as a date; a datetime is not one
        return raw, ""
    if isinstance(raw, str) and _ISO_DATE.match(raw.strip()):
        try:
            return date.fromisoformat(raw.strip()), ""
        except ValueError:
            pass
    return None, _("decree.date '%(d)s' bukan tanggal (tulis TTTT-BB-HH, misalnya 2019-05-12)", d=raw)
