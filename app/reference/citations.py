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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

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

    def html(self, own: str = "", empty: str = "—") -> Markup:
        """The citation for a page: its text, its regulation when not `own`, and a badge saying its kind."""
        if not self.text and self.kind == "stated" and not self.regulation:
            return Markup('<span class="citation citation-empty">%s</span>') % empty
        parts = [Markup('<span class="citation-text">%s</span>') % self.text] if self.text else []
        if self.regulation and self.regulation != own:
            parts.append(Markup('<span class="citation-regulation">(%s)</span>') % self.regulation)
        parts.append(Markup('<span class="citation-kind citation-{0}" title="{1}">{2}</span>').format(
            self.kind, str(KIND_HELP[self.kind]), self.kind_label))
        return Markup('<span class="citation">%s</span>') % Markup(" ").join(parts)

    def elsewhere(self, regulation: str) -> Citation:
        """The same citation read in another region: it names its own regulation from now on."""
        if self.regulation or not regulation or (self.kind == "local" and not self.text):
            return self
        return Citation(text=self.text, kind=self.kind, regulation=regulation)


def citation_html(stored: str | None, own: str | None = None, empty: str = "—") -> Markup:
    """The Jinja filter `citation`: a stored citation as escaped HTML. `own` is the regulation that goes
    unnamed (default: the current region's)."""
    if own is None:
        from app.tenancy.context import current_tenant_or_none

        tenant = current_tenant_or_none()
        own = tenant.regulation_short if tenant is not None else ""
    return Citation.parse(stored).html(own=own or "", empty=empty)


def citation_plain(stored: str | None) -> str:
    """A stored citation as one line of text (PDFs, letters, spreadsheets, diffs); "" when there is none."""
    return Citation.parse(stored).plain() if (stored or "").strip() else ""


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


def map_citations(data: Any, change: Callable[[Any], Any]) -> Any:
    """A copy of a document (dicts and lists) with every `legal_basis` value replaced by `change(value)`;
    the document itself is left as it is (it may be a stored JSON column)."""
    if isinstance(data, dict):
        return {key: change(value) if key == "legal_basis" else map_citations(value, change)
                for key, value in data.items()}
    if isinstance(data, list):
        return [map_citations(item, change) for item in data]
    return data


def for_yaml(data: Any) -> Any:
    """A copy of a document in stored shape with its citations as an export writes them (`to_yaml`)."""
    return map_citations(data, lambda value: to_yaml(value) if isinstance(value, str) else value)


def cited_elsewhere(data: Any, regulation: str) -> Any:
    """A copy of a document in stored shape whose citations of its own regulation now name `regulation`
    (a region copied from another: the source's articles stay the source's)."""
    return map_citations(data, lambda value: Citation.parse(value).elsewhere(regulation).encode()
                         if isinstance(value, str) and value.strip() else value)
