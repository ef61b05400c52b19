"""A demo register extract: realistic households for a region's villages, written as its current import.

Households of every shape (young families with school-age children, elderly heads, three
generations, single mothers), deciles weighted to the poorest, housing, a few disabilities
and pregnancies, and the program flags the extract carries (PKH, BPNT, PBI-JK, PIP, RS-RTLH)
where a household of that kind would have them. Rows are made in the documented layout with
Indonesian values (`demo_rows`, also used by the benchmark) and go through the real stager.
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.models import Membership
from app.citizens.extract_compare import summary_of
from app.citizens.extract_format import COLUMNS
from app.citizens.extract_read import Sheet
from app.citizens.extract_stage import Stager
from app.citizens.models import RegisterImport
from app.citizens.register import current_import_id
from app.citizens.vocabulary import ImportStatus
from app.extensions import db
from app.reference.models import District, Village
from app.tenancy.context import current_tenant_id, tenant_in_context
from app.tenancy.models import utcnow

MEN = ("Agus", "Budi", "Dedi", "Eko", "Hendra", "Irwan", "Joko", "Rudi", "Slamet", "Yusuf", "Asep", "Ujang",
       "Darmawan", "Sutrisno", "Wahyu", "Rahmat", "Syahrial", "Zulkifli", "Ahmad", "Bambang")
WOMEN = ("Siti", "Dewi", "Rina", "Nur", "Sri", "Wati", "Yuni", "Ratna", "Lina", "Euis", "Neneng", "Rohani",
         "Fitri", "Aisyah", "Mariani", "Suryani", "Lestari", "Nurhayati", "Yanti", "Rosmiati")
FAMILY = ("Saputra", "Hidayat", "Lubis", "Nasution", "Siregar", "Sembiring", "Wijaya", "Permana", "Kurniawan",
          "Rahman", "Hasibuan", "Putra", "Setiawan", "Maulana", "Harahap", "Suhendra", "Gunawan", "Pratama")
STREETS = ("Jl. Melati", "Jl. Mawar", "Jl. Kenanga", "Gg. Masjid", "Jl. Merdeka", "Jl. Pasar", "Gg. Sawah",
           "Jl. Sudirman", "Jl. Veteran", "Dusun Sukamaju", "Kampung Baru", "Jl. Pahlawan")
WORK = ("Buruh harian lepas", "Petani", "Pedagang kecil", "Nelayan", "Ojek", "Buruh pabrik", "Pekebun",
        "Tukang bangunan", "Tidak bekerja", "Mengurus rumah tangga")
ADULT_SCHOOL = ("Tidak/belum sekolah", "SD", "SMP", "SMA", "Diploma/perguruan tinggi")
ADULT_SCHOOL_WEIGHTS = (10, 35, 25, 25, 5)
DISABILITIES = ("Disabilitas fisik", "Disabilitas sensorik", "Disabilitas intelektual", "Disabilitas mental")
DECILE_WEIGHTS = (18, 18, 16, 14, 10, 8, 6, 4, 3, 3)


class _Person:
    def __init__(self, relation: str, sex: str, age: int):
        self.relation, self.sex, self.age = relation, sex, age
        self.pregnant, self.disability = False, "Tidak ada"


def _people(rng: random.Random) -> list[_Person]:
    """One household's members: relation to the head, sex and age."""
    shape = rng.random()
    if shape < 0.15:  # elderly head, alone or with a spouse
        head = _Person("Kepala keluarga", rng.choice("LP"), rng.randint(65, 86))
        people = [head] + ([_Person("Istri/suami", "P" if head.sex == "L" else "L", head.age - rng.randint(0, 6))]
                           if rng.random() < 0.55 else [])
    elif shape < 0.25:  # a single mother
        head = _Person("Kepala keluarga", "P", rng.randint(24, 55))
        people = [head] + [_Person("Anak", rng.choice("LP"), rng.randint(0, min(20, head.age - 18)))
                           for _ in range(rng.randint(1, 3))]
    elif shape < 0.40:  # three generations
        head = _Person("Kepala keluarga", "L", rng.randint(60, 80))
        child = _Person("Anak", rng.choice("LP"), rng.randint(25, 40))
        people = [head, _Person("Istri/suami", "P", head.age - rng.randint(0, 8)), child,
                  _Person("Menantu", "P" if child.sex == "L" else "L", child.age + rng.randint(-4, 4))]
        people += [_Person("Cucu", rng.choice("LP"), rng.randint(0, min(14, child.age - 18)))
                   for _ in range(rng.randint(1, 3))]
    else:  # parents and children, sometimes a grandparent
        head = _Person("Kepala keluarga", "L", rng.randint(26, 56))
        people = [head, _Person("Istri/suami", "P", max(19, head.age - rng.randint(-2, 7)))]
        people += [_Person("Anak", rng.choice("LP"), rng.randint(0, min(22, head.age - 20)))
                   for _ in range(rng.randint(0, 4))]
        if rng.random() < 0.1:
            people.append(_Person("Orang tua/mertua", rng.choice("LP"), rng.randint(head.age + 20, head.age + 32)))
    return people


def _schooling(age: int, rng: random.Random) -> str:
    if age < 7:
        return "Tidak/belum sekolah"
    if age < 19:
        return "SD" if age < 13 else "SMP" if age < 16 else "SMA"
    return rng.choices(ADULT_SCHOOL, ADULT_SCHOOL_WEIGHTS)[0]


def _work(person: _Person, rng: random.Random) -> str:
    if person.age < 7:
        return ""
    if person.age < 19:
        return "Pelajar"
    if person.age >= 70:
        return "Tidak bekerja"
    return rng.choice(WORK)


def demo_rows(villages: list[str], households: int, *, seed: int = 11, today: date | None = None,
              first_share: float = 0.2) -> Iterator[list[str]]:
    """Rows in the documented layout (`COLUMNS` order, Indonesian values) for `households` households.

    `first_share` of them live in the first village (where the demo facilitator works); the
    others are spread over all `villages`. NIK and KK numbers are well formed and unique.
    """
    rng, today = random.Random(seed), today or date.today()
    serial, used = 0, set()
    for number in range(households):
        village = villages[0] if rng.random() < first_share else rng.choice(villages)
        district = village.replace(".", "")[:6]
        decile = rng.choices(range(1, 11), DECILE_WEIGHTS)[0]
        housing = (rng.choices(("Layak huni", "Tidak layak huni", "Rusak berat"), (50, 40, 10))[0] if decile <= 3
                   else rng.choices(("Layak huni", "Tidak layak huni"), (85, 15))[0])
        people = _people(rng)
        for person in people:
            person.pregnant = person.sex == "P" and 19 <= person.age <= 40 and rng.random() < 0.07
            person.disability = rng.choice(DISABILITIES) if rng.random() < 0.03 else "Tidak ada"
        needy = any(p.age < 18 or p.age >= 60 or p.pregnant or p.disability != "Tidak ada" for p in people)
        flags = [name for name, wanted in (("PKH", decile <= 2 and needy and rng.random() < 0.75),
                                           ("BPNT", decile <= 3 and rng.random() < 0.7),
                                           ("RS-RTLH", housing == "Rusak berat" and rng.random() < 0.3)) if wanted]
        insured = decile <= 4 and rng.random() < 0.8
        family = rng.choice(FAMILY)
        address = (f"{rng.choice(STREETS)} No. {rng.randint(1, 150)}, "
                   f"RT {rng.randint(1, 15):02d}/RW {rng.randint(1, 9):02d}")
        household = [f"{district}70{number:08d}", village, address, str(decile), housing, ", ".join(flags)]
        for person in people:
            serial += 1
            birth = today - timedelta(days=person.age * 365 + rng.randint(1, 360))
            day = birth.day + (40 if person.sex == "P" else 0)
            born = f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
            while (nik := f"{born}{(5000 + serial) % 10000:04d}") in used:
                serial += 1
            used.add(nik)
            given = rng.choice(MEN if person.sex == "L" else WOMEN)
            member_flags = (["PBI-JK"] if insured else []) + (
                ["PIP"] if 6 <= person.age <= 21 and decile <= 3 and rng.random() < 0.6 else [])
            yield [*household, nik, f"{given} {family}", person.relation, person.sex, birth.strftime("%d-%m-%Y"),
                               _schooling(person.age, rng), _work(person, rng), person.disability,
                               "Ya" if person.pregnant else "Tidak", ", ".join(member_flags)]


def region_villages() -> list[str]:
    """The region's village codes, in code order (the first is the demo facilitator's)."""
    return list(db.session.scalars(select(Village.code).join(District, District.code == Village.district_code)
                                   .where(District.regency_code == tenant_in_context().region_code)
                                   .order_by(Village.code)))


def seed_demo_extract(households: int = 300) -> RegisterImport | None:
    """Write a demo extract as the region's current import; nothing when the region has one already."""
    if current_import_id() is not None:
        return None
    region = tenant_in_context()
    user_id = db.session.scalars(select(Membership.user_id)).first()
    villages = region_villages()
    if user_id is None or not villages:
        return None
    now = utcnow()
    batch = RegisterImport(filename="contoh-data-terpadu-demo.csv", row_count=0, household_count=0,
                           status=ImportStatus.PENDING, imported_by=user_id, summary={})
    db.session.add(batch)
    db.session.flush()
    rows = enumerate(demo_rows(villages, households, seed=int(region.region_code.replace(".", ""))), start=2)
    sheet = Sheet(header=list(COLUMNS), rows=rows, done=lambda: 0.0)
    counts = Stager(region.region_code, tenant_id=current_tenant_id(), import_id=batch.id).run(sheet)
    batch.row_count, batch.household_count = counts.members, counts.households
    batch.summary = summary_of(batch, counts.figures(), None)
    batch.status, batch.confirmed_by, batch.confirmed_at = ImportStatus.CURRENT, user_id, now
    db.session.flush()
    from app.dashboard.program_rollups import rebuild_program_rollups

    rebuild_program_rollups(region.id)  # the dashboard's program access and overlap figures
    return batch
