"""Asking for a platform report: the national summary or one region's report."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from app.blueprints.dashboard.forms import ReportForm

NATIONAL = "national"


class PlatformReportForm(ReportForm):
    """`scope` is "national" (one row per region) or a region's id."""

    scope = SelectField(_l("Cakupan"), default=NATIONAL)

    def set_regions(self, regions) -> None:
        self.scope.choices = [(NATIONAL, str(_l("Ringkasan nasional (satu baris per daerah)")))] + [
            (str(r.id), r.name) for r in regions]
