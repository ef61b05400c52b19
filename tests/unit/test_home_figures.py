"""The home page's region figures count a month from local midnight (WIB), not from 00:00 UTC."""
from __future__ import annotations

from datetime import UTC, datetime

from app.casework.home_work import local_month_start, region_figures
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import make_case, tenant


def test_the_month_starts_at_midnight_wib(app):
    with app.app_context():
        # 1 December 10:00 WIB; the month began at 30 November 17:00 UTC
        assert local_month_start(datetime(2026, 12, 1, 3, tzinfo=UTC)) == datetime(2026, 11, 30, 17, tzinfo=UTC)
        # 30 November 23:30 WIB is still November
        assert local_month_start(datetime(2026, 11, 30, 16, 30, tzinfo=UTC)) == datetime(2026, 10, 31, 17, tzinfo=UTC)


def test_a_complaint_at_00_30_wib_on_the_first_counts_in_the_new_month(app):
    now = datetime(2026, 12, 1, 3, tzinfo=UTC)  # 10:00 WIB on the first
    with app.app_context(), tenant_context(tenant("payakumbuh")):
        case = make_case("payakumbuh")
        counts = {}
        for label, moment in (("23:30 WIB on the 30th", datetime(2026, 11, 30, 16, 30, tzinfo=UTC)),
                              ("00:30 WIB on the 1st", datetime(2026, 11, 30, 17, 30, tzinfo=UTC))):
            case.created_at = case.closed_at = moment
            db.session.flush()
            figures = region_figures(now)
            counts[label] = (figures.received_this_month, figures.closed_this_month)
        db.session.rollback()
    before, after = counts["23:30 WIB on the 30th"], counts["00:30 WIB on the 1st"]
    assert (after[0] - before[0], after[1] - before[1]) == (1, 1)
