"""One region's figures on the console: what the comparison shows for it, SLA compliance per
stage, referrals by partner level, and the month-by-month trends. Read-only, aggregates only
(no names, no NIK); every view is recorded in the platform audit log, whoever looks.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from app.casework.vocabulary import Outcome, PartnerLevel
from app.dashboard.national import NationalRow, national_summary
from app.dashboard.national_programs import ProgramFigures, national_program_codes, program_figures, short_code
from app.dashboard.periods import Period
from app.dashboard.queries import Labels
from app.dashboard.sla import StageCompliance, stage_compliance
from app.dashboard.trends import Trend, trend
from app.platform.audit import record_platform
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant


@dataclass
class RegionFigures:
    row: NationalRow
    stages: list[StageCompliance]
    trend: Trend
    programs: ProgramFigures = field(default_factory=ProgramFigures)  # coverage and overlap now

    def program_rows(self) -> list[tuple[str, int, float | None]]:
        """(code, households receiving, share of the known households) per national program."""
        return [(short_code(code), self.programs.by_code.get(code, 0), self.programs.coverage(code))
                for code in national_program_codes()]

    def levels(self) -> list[tuple[str, int, float | None]]:
        """(level label, referrals requested, median response hours) for each partner level."""
        return [(str(PartnerLevel.label_of(level)), self.row.by_level.get(level, 0), self.row.response_median(level))
                for level in PartnerLevel]

    def outcomes(self) -> list[tuple[str, int]]:
        return [(str(Outcome.label_of(outcome)), self.row.by_outcome.get(outcome, 0)) for outcome in Outcome]


def region_figures(tenant: Tenant, period: Period, period_args: dict) -> RegionFigures:
    """The region's figures for `period`; recorded as viewed (`region_read.figures`)."""
    (row,) = national_summary(period, only=tenant.id)
    series = trend(period, only=tenant.id)
    with tenant_context(tenant):
        labels = Labels(tenant)  # the stages' names in the region's own SOP
    stages = stage_compliance(tenant.id, period, series.months, labels)
    record_platform("region_read.figures", tenant=tenant, object_type="tenant", object_id=tenant.id,
                    period=period_args)
    programs = program_figures([tenant.id]).get(tenant.id) or ProgramFigures()
    return RegionFigures(row, stages, series, programs)
