"""The dashboard page in two steps: the first response carries the filters and the headline figures
only (a handful of rollup reads), and each section is asked for as an htmx fragment when it comes
into view. The reports still build every section at once (`figures.figures`)."""
from __future__ import annotations

from app.dashboard.figures import build_section, headline_rows
from app.dashboard.metrics import median_hours
from app.dashboard.periods import Period
from app.dashboard.program_access import Receipts
from app.dashboard.queries import Figures, Labels, Reader, Section
from app.dashboard.sections import section_keys, section_title


def headline_totals(reader: Reader, receipts: Receipts) -> dict:
    """The totals the headline shows, read directly (the same reads the sections make for them)."""
    totals = {"received": reader.total("received"), "closed": reader.total("closed"),
              "open": reader.total("open", snapshot=True), "overdue": sum(reader.overdue().values()),
              "informed": reader.total("informed"), "referrals": reader.total("referral_requested"),
              "prelist": reader.total("prelist"),
              "close_median_hours": median_hours(reader.histograms("close_hours").get(None, {}))}
    totals.update(receipts.totals())
    return totals


def first_paint(tenant, period: Period, district: str = "") -> Figures:
    """The headline and the sections' titles (their tables come with `one_section`)."""
    reader, labels = Reader(period, district), Labels(tenant)
    totals = headline_totals(reader, Receipts.read(district))
    sections = [Section(key, section_title(key), "", []) for key in section_keys(period)]
    return Figures(period=period, district=district, district_name=labels.district(district) if district else "",
                   headline=headline_rows(totals), sections=sections, totals=totals)


def one_section(tenant, period: Period, district: str, key: str) -> Section | None:
    """One section with its tables (None for a key the board does not show for this period)."""
    if key not in section_keys(period):
        return None
    receipts = Receipts.read(district) if key in ("access", "overlap") else None
    return build_section(key, Reader(period, district), Labels(tenant), {}, receipts)
