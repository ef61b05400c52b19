"""Legal citations that say what kind they are.

Every rule a region configures (a post, a step, a permission, a review stage) carries its legal basis.
A citation is honest about how it relates to the text:

- *stated*: the article says it;
- *inferred*: derived from the article (the regulation is silent on the detail);
- *local*: no article; the region decided it (local policy).

A citation names its regulation only when it is not the region's own (a copied region's articles, or
the national Permensos). It is stored as one string, so every `legal_basis` column and JSON field keeps
its type: a plain text is a stated citation of the region's own regulation; otherwise
``<kind>[@<regulation>]: <text>``, e.g. ``inferred: Pasal 7 huruf c`` or
``stated@Permensos 15/2018: Pasal 4 ayat (1)``. In YAML a citation is that string or a mapping
``{text, kind, regulation}``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

KINDS: dict[str, Any] = {
    "stated": _l("tertulis"),
    "inferred": _l("disimpulkan"),
    "local": _l("kebijakan setempat"),
}
KIND_HELP: dict[str, Any] = {
    "stated": _l("Pasal yang dikutip menyatakannya"),
    "inferred": _l("Disimpulkan dari pasal yang dikutip; peraturan tidak menyebutnya secara langsung"),
    "local": _l("Tidak ada pasal; ditetapkan oleh daerah"),
}
_ENCODED = re.compile(r"^(stated|inferred|local)(?:@([^:\n]{1,120}))?: ?(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Citation:
    text: str
    kind: str = "stated"
    #: The regulation cited when it is not the region's own ("" = the region's own).
    regulation: str = ""

    @classmethod
    def parse(cls, value: str | None) -> Citation:
        """Read a stored citation (plain text = stated, the region's own regulation)."""
        value = (value or "").strip()
        match = _ENCODED.match(value)
        if not match:
            return cls(text=value)
        return cls(text=match.group(3).strip(), kind=match.group(1), regulation=(match.group(2) or "").strip())

    def encode(self) -> str:
        if self.kind == "stated" and not self.regulation:
            return self.text
        where = f"@{self.regulation}" if self.regulation else ""
        return f"{self.kind}{where}: {self.text}"

    def __str__(self) -> str:
        return self.encode()

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    def plain(self) -> str:
        """One line for PDFs, letters and spreadsheets: text, regulation, kind when not stated."""
        parts = [self.text or "—"]
        if self.regulation:
            parts.append(f"({self.regulation})")
        if self.kind != "stated":
            parts.append(f"[{self.kind_label}]")
        return " ".join(parts)

    def elsewhere(self, regulation: str) -> Citation:
        """The same citation read in another region: it names its own regulation from now on."""
        if self.regulation or not regulation or (self.kind == "local" and not self.text):
            return self
        return Citation(text=self.text, kind=self.kind, regulation=regulation)


def from_yaml(value: Any, entry: str) -> tuple[str, list[str]]:
    """A YAML `legal_basis` (string or mapping) as its stored string, with the problems found."""
    if value is None:
        return "", []
    if isinstance(value, (str, int, float)):
        return Citation.parse(str(value)).encode(), []
    if not isinstance(value, dict):
        return "", [f"{entry}: " + _("'legal_basis' harus berupa teks atau pemetaan (text, kind, regulation)")]
    problems = []
    unknown = sorted(set(map(str, value)) - {"text", "kind", "regulation"})
    if unknown:
        problems.append(f"{entry}: " + _("kunci '%(k)s' tidak dikenal di legal_basis (pilihan: text, kind, regulation)",
                                         k=", ".join(unknown)))
    kind = str(value.get("kind") or "stated").strip()
    if kind not in KINDS:
        problems.append(f"{entry}: " + _("jenis dasar hukum '%(k)s' tidak dikenal (pilihan: %(o)s)",
                                         k=kind, o=", ".join(KINDS)))
        kind = "stated"
    text = str(value.get("text") or "").strip()
    if not text and kind != "local":
        problems.append(f"{entry}: " + _("legal_basis.text wajib diisi (pasal yang dikutip)"))
    regulation = str(value.get("regulation") or "").strip()
    if ":" in regulation or "\n" in regulation or len(regulation) > 120:
        problems.append(f"{entry}: " + _("legal_basis.regulation tidak sah (tanpa titik dua, paling panjang 120)"))
        regulation = ""
    return Citation(text=text, kind=kind, regulation=regulation).encode(), problems


def to_yaml(stored: str) -> str | dict[str, str]:
    """A stored citation as the YAML an export writes (a plain string when it is stated and own)."""
    citation = Citation.parse(stored)
    if citation.kind == "stated" and not citation.regulation:
        return citation.text
    out = {"text": citation.text, "kind": citation.kind}
    if citation.regulation:
        out["regulation"] = citation.regulation
    return out


def normalise(data: Any, entry: str = "") -> list[str]:
    """Replace, in place, every `legal_basis` mapping in a parsed YAML document by its stored string."""
    problems: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            where = f"{entry}.{key}" if entry else str(key)
            if key == "legal_basis":
                data[key], found = from_yaml(value, entry or "legal_basis")
                problems.extend(found)
            else:
                problems.extend(normalise(value, where))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            label = item.get("key") if isinstance(item, dict) else None
            problems.extend(normalise(item, f"{entry}[{i + 1}]" + (f" ({label})" if label else "")))
    return problems
