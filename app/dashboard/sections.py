"""The dashboard's sections by key, and their titles: one place for the page that loads them one at
a time (`app.dashboard.board`) and for `figures()` that builds them all (reports)."""
from __future__ import annotations

from flask_babel import gettext as _

from app.dashboard.periods import Period

#: In the order the board shows them; "monthly" only for a period of more than one month.
KEYS = ("prelist", "access", "overlap", "gaps", "referrals", "casework", "monthly")


def section_keys(period: Period) -> list[str]:
    return [k for k in KEYS if k != "monthly" or len(period.months()) > 1]


def section_title(key: str) -> str:
    return {
        "prelist": _("a. Ringkasan usulan penambahan data penerima manfaat"),
        "access": _("b. Akses program pusat dan daerah"),
        "overlap": _("c. Komplementaritas dan irisan program"),
        "gaps": _("d. Informasi dan analisis kesenjangan layanan sosial"),
        "referrals": _("Rujukan ke program"),
        "casework": _("Kinerja layanan dan rujukan"),
        "monthly": _("Perkembangan per bulan"),
    }[key]
