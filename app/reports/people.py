"""The people a region served in a period, by sex, age group and disability.

"Served" means: a citizen whose complaint was received in the period, counted once however
many complaints they brought. Sex and birth date come from the citizen's record (taken at
intake), disability from the citizen's entry in the current register extract (matched by
NIK); a citizen outside the register has no recorded disability. Age is the age on the day of
the citizen's first complaint in the period. Group complaints have no one person behind them:
they are counted on their own line, with the members they declare.

One streamed query (a row per person, never all of them in memory) folded into counters.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select

from app.casework.models import Case
from app.citizens.models import Citizen, RegisterEntry
from app.citizens.register import current_import_id
from app.citizens.vocabulary import Disability
from app.dashboard.periods import Period
from app.dashboard.queries import Table, day_bounds
from app.extensions import db
from app.localtime import local_zone

#: Age groups as social-welfare statistics count them: (key, first age, last age or None, label).
AGE_GROUPS = (("toddler", 0, 5, _l("0–5 tahun (balita)")),
              ("child", 6, 17, _l("6–17 tahun (anak)")),
              ("adult", 18, 59, _l("18–59 tahun (dewasa)")),
              ("elderly", 60, None, _l("60 tahun ke atas (lanjut usia)")))
SEXES = (("L", _l("Laki-laki")), ("P", _l("Perempuan")))
UNKNOWN = ""
STREAM = 2000


def age_on(birth: date | None, day: date) -> int | None:
    """Whole years from `birth` to `day` (None when the birth date is unknown or after `day`)."""
    if birth is None or birth > day:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_group(age: int | None) -> str:
    """The key of the age group `age` falls in ("" when unknown)."""
    if age is None:
        return UNKNOWN
    for key, first, last, _label in AGE_GROUPS:
        if age >= first and (last is None or age <= last):
            return key
    return UNKNOWN


@dataclass
class PeopleServed:
    """Counts of the people served: (sex, age group key, disability code) → people; group complaints."""

    counts: Counter = field(default_factory=Counter)
    groups: int = 0
    group_members: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def by(self, position: int) -> Counter:
        """People folded onto one of (sex, age group, disability), split by sex: {(value, sex): n}."""
        out: Counter = Counter()
        for key, n in self.counts.items():
            out[(key[position], key[0])] += n
        return out


def _local_day(moment: datetime, zone: ZoneInfo) -> date:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone).date()


def people_served(period: Period, district: str = "") -> PeopleServed:
    """Who the current region served in `period` (optionally in one district)."""
    lower, upper = day_bounds(period)
    in_period = [Case.created_at >= lower, Case.created_at < upper]
    if district:
        in_period.append(Case.district_code == district)
    first = (select(Case.citizen_id.label("citizen_id"), func.min(Case.created_at).label("first_at"))
             .where(*in_period, Case.citizen_id.is_not(None)).group_by(Case.citizen_id).subquery())
    import_id = current_import_id()
    disability = RegisterEntry.disability if import_id is not None else None
    columns = [Citizen.sex, Citizen.birth_date, first.c.first_at]
    stmt = select(*columns, disability) if disability is not None else select(*columns)
    stmt = stmt.join(first, first.c.citizen_id == Citizen.id)
    if import_id is not None:
        stmt = stmt.outerjoin(RegisterEntry, and_(RegisterEntry.tenant_id == Citizen.tenant_id,
                                                  RegisterEntry.nik == Citizen.nik,
                                                  RegisterEntry.import_id == import_id))
    zone = local_zone()
    out = PeopleServed()
    for row in db.session.execute(stmt.execution_options(yield_per=STREAM)):
        sex, birth, first_at = row[0], row[1], row[2]
        kind = (row[3] or UNKNOWN) if import_id is not None else UNKNOWN
        out.counts[(sex if sex in ("L", "P") else UNKNOWN, age_group(age_on(birth, _local_day(first_at, zone))),
                    kind)] += 1
    groups = db.session.execute(select(func.count(), func.coalesce(func.sum(Case.group_members), 0))
                                .where(*in_period, Case.citizen_id.is_(None))).one()
    out.groups, out.group_members = int(groups[0] or 0), int(groups[1] or 0)
    return out


def _sex_columns(label: str) -> list[str]:
    return [label, *[str(name) for _code, name in SEXES], _("Jumlah")]


def _split_rows(counts: Counter, keys: list[tuple[str, str]]) -> list[list]:
    """One row per (key, label): people by sex and their sum; then the total row."""
    rows: list[list[Any]] = []
    for key, label in keys:
        by_sex = [counts.get((key, code), 0) for code, _name in SEXES]
        rows.append([label, *by_sex, sum(by_sex)])
    totals = [sum(row[i] for row in rows) for i in range(1, len(SEXES) + 2)]
    return [*rows, [_("Jumlah"), *totals]]


def sex_table(people: PeopleServed) -> Table:
    total = people.total
    rows = []
    for code, name in SEXES:
        n = sum(v for key, v in people.counts.items() if key[0] == code)
        rows.append([str(name), n, n / total if total else None])
    rows.append([_("Jumlah"), total, 1.0 if total else None])
    return Table("people_sex", _("Warga yang dilayani menurut jenis kelamin"),
                 [_("Jenis kelamin"), _("Orang"), _("Bagian")], rows, formats=("text", "int", "percent"),
                 chart_columns=())


def age_table(people: PeopleServed) -> Table:
    keys = [(key, str(label)) for key, _first, _last, label in AGE_GROUPS]
    counts = people.by(1)
    if any(value == UNKNOWN for value, _s in counts):
        keys.append((UNKNOWN, _("Tanggal lahir tidak tercatat")))
    return Table("people_age", _("Warga yang dilayani menurut kelompok umur dan jenis kelamin"),
                 _sex_columns(_("Kelompok umur")), _split_rows(counts, keys), chart_columns=(),
                 note=_("Umur pada hari pengaduan pertamanya dalam periode ini."))


def disability_table(people: PeopleServed) -> Table:
    keys = [(str(kind), str(kind.label)) for kind in Disability]
    keys.append((UNKNOWN, _("Tidak tercatat (di luar data terpadu)")))
    return Table("people_disability", _("Warga yang dilayani menurut disabilitas dan jenis kelamin"),
                 _sex_columns(_("Disabilitas")), _split_rows(people.by(2), keys), chart_columns=(),
                 note=_("Menurut data terpadu yang berlaku (dicocokkan dengan NIK); warga di luar data terpadu "
                        "tidak memiliki catatan disabilitas."))


def people_tables(people: PeopleServed) -> list[Table]:
    return [sex_table(people), age_table(people), disability_table(people)]


def group_note(people: PeopleServed) -> str:
    """The line about group complaints ("" when there were none)."""
    if not people.groups:
        return ""
    return _("Selain itu, %(n)s pengaduan kelompok dengan %(m)s anggota yang dinyatakan (tidak dirinci per orang).",
             n=people.groups, m=people.group_members)
