"""What the region knows about a household, as the criteria see it.

A household is read from the region's current register extract (its members, decile,
housing, the extract's program flags); one that is not in the extract is built from the
`Citizen` rows with its KK number (`in_register` False). "Receives a program" means the
extract flags it (household or member flags matched to `Program.register_flag`) or an
approved participation with no end date.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.citizens.models import Citizen, RegisterEntry, RegisterHousehold
from app.citizens.register import current_import_id
from app.extensions import db
from app.programs.models import Participation, Program
from app.reviews.vocabulary import ReviewStatus

HEAD = "head"


@dataclass
class MemberFacts:
    """One member of a household."""

    nik: str
    name: str
    relation_to_head: str
    sex: str
    birth_date: date | None
    age: int | None
    education: str
    occupation: str
    disability: str
    pregnant: bool
    programs: set[str] = field(default_factory=set)  # catalogue codes this person receives


@dataclass
class HouseholdFacts:
    """A household (Kartu Keluarga) with its members and what it receives."""

    kk_number: str
    village_code: str
    district_code: str
    address: str
    decile: int | None
    housing: str
    in_register: bool
    members: list[MemberFacts]
    programs: set[str] = field(default_factory=set)  # codes received by the household or a member

    @property
    def head(self) -> MemberFacts | None:
        """The member marked head of the household, or None (the extract may lack it; citizens have no relation)."""
        return next((m for m in self.members if m.relation_to_head == HEAD), None)


def age_on(birth: date | None, today: date) -> int | None:
    """Full years between `birth` and `today`."""
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _district(village_code: str | None) -> str:
    return village_code.rsplit(".", 1)[0] if village_code else ""


class _Catalogue:
    """The region's programs by register flag and by id (all of them: an ended one was still received)."""

    def __init__(self) -> None:
        rows = db.session.execute(select(Program.id, Program.code, Program.register_flag)).all()
        self.by_flag = {flag.strip().lower(): code for _, code, flag in rows if flag and flag.strip()}
        self.by_id: dict[uuid.UUID, str] = {pid: code for pid, code, _ in rows}

    def codes(self, flags: str | None) -> set[str]:
        if not flags:
            return set()
        return {self.by_flag[f] for f in (p.strip().lower() for p in flags.split(",")) if f in self.by_flag}


def _participations(catalogue: _Catalogue, kk_numbers: list[str] | None) -> dict[str, list[tuple[str, str]]]:
    """kk → [(nik or "", code)] of approved participations that have not ended."""
    query = select(Participation.kk_number, Participation.nik, Participation.program_id).where(
        Participation.status == ReviewStatus.APPROVED, Participation.ended_at.is_(None))
    if kk_numbers is not None:
        query = query.where(Participation.kk_number.in_(kk_numbers))
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for kk, nik, program_id in db.session.execute(query):
        code = catalogue.by_id.get(program_id)
        if code:
            found[kk].append((nik or "", code))
    return found


_HOUSEHOLD_COLUMNS = (RegisterHousehold.kk_number, RegisterHousehold.village_code, RegisterHousehold.address,
                      RegisterHousehold.decile, RegisterHousehold.housing, RegisterHousehold.programs)
_ENTRY_COLUMNS = (RegisterEntry.kk_number, RegisterEntry.nik, RegisterEntry.name, RegisterEntry.relation_to_head,
                  RegisterEntry.sex, RegisterEntry.birth_date, RegisterEntry.education, RegisterEntry.occupation,
                  RegisterEntry.disability, RegisterEntry.pregnant, RegisterEntry.programs)


def _build(household, entries, catalogue: _Catalogue, held: list[tuple[str, str]], today: date) -> HouseholdFacts:
    members = []
    for _kk, nik, name, relation, sex, birth, education, occupation, disability, pregnant, flags in entries:
        age = None if birth is None else \
            today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        members.append(MemberFacts(nik, name, relation or "", sex or "", birth, age, education or "",
                                   occupation or "", disability or "", bool(pregnant),
                                   catalogue.codes(flags) if flags else set()))
    kk, village, address, decile, housing, flags = household
    village = village or ""
    facts = HouseholdFacts(kk, village, _district(village), address or "", decile, housing or "", True, members,
                           catalogue.codes(flags) if flags else set())
    if held:
        _add_participations(facts, held)
    else:
        for member in members:
            if member.programs:
                facts.programs |= member.programs
    return facts


def _add_participations(facts: HouseholdFacts, held: list[tuple[str, str]]) -> None:
    by_nik = {m.nik: m for m in facts.members}
    for nik, code in held:
        if nik and nik in by_nik:
            by_nik[nik].programs.add(code)
        facts.programs.add(code)
    for member in facts.members:
        facts.programs |= member.programs


def _from_citizens(kk_number: str, catalogue: _Catalogue, held: list[tuple[str, str]],
                   today: date) -> HouseholdFacts | None:
    citizens = db.session.scalars(select(Citizen).where(Citizen.kk_number == kk_number).order_by(Citizen.nik)).all()
    if not citizens:
        return None
    members = [MemberFacts(nik=c.nik, name=c.name, relation_to_head="", sex=c.sex or "", birth_date=c.birth_date,
                           age=age_on(c.birth_date, today), education="", occupation="", disability="",
                           pregnant=False) for c in citizens]
    first = citizens[0]
    facts = HouseholdFacts(kk_number=kk_number, village_code=first.village_code,
                           district_code=_district(first.village_code), address=first.address, decile=None,
                           housing="", in_register=False, members=members)
    _add_participations(facts, held)
    return facts


def household_facts(kk_number: str, today: date | None = None) -> HouseholdFacts | None:
    """The household with KK number `kk_number` in the region in context, or None if unknown."""
    return next(iter_household_facts([kk_number], today=today), None)


def iter_household_facts(kk_numbers: Iterable[str] | None = None, *, today: date | None = None,
                         chunk: int = 5000) -> Iterator[HouseholdFacts]:
    """Households in chunks: the given KK numbers (unknown ones skipped), or every one of the current extract.

    Each chunk costs three queries (households, members, participations), so 100,000
    households are read in a few dozen round trips.
    """
    today = today or date.today()
    catalogue = _Catalogue()
    import_id = current_import_id()
    if kk_numbers is None:
        if import_id is None:
            return
        yield from _whole_extract(import_id, catalogue, today, chunk)
        return
    wanted = sorted({k for k in kk_numbers if k})
    for start in range(0, len(wanted), chunk):
        part = wanted[start:start + chunk]
        held = _participations(catalogue, part)
        found = _register_chunk(import_id, catalogue, today, part, held) if import_id is not None else {}
        for kk in part:
            facts = found.get(kk) or _from_citizens(kk, catalogue, held.get(kk, []), today)
            if facts is not None:
                yield facts


def _register_chunk(import_id, catalogue: _Catalogue, today: date, part: list[str],
                    held: dict[str, list[tuple[str, str]]]) -> dict[str, HouseholdFacts]:
    households = db.session.execute(select(*_HOUSEHOLD_COLUMNS).where(
        RegisterHousehold.import_id == import_id, RegisterHousehold.kk_number.in_(part))).all()
    members = _members_by_kk(select(*_ENTRY_COLUMNS).where(
        RegisterEntry.import_id == import_id, RegisterEntry.kk_number.in_(part)))
    return {h.kk_number: _build(h, members.get(h.kk_number, []), catalogue, held.get(h.kk_number, []), today)
            for h in households}


def _members_by_kk(query) -> dict[str, list]:
    """Rows by KK number, each household's members in NIK order (sorted here: the index gives KK order)."""
    members: dict[str, list] = defaultdict(list)
    for row in db.session.execute(query.order_by(RegisterEntry.kk_number)):
        members[row[0]].append(row)
    for rows in members.values():
        if len(rows) > 1:
            rows.sort(key=lambda r: r[1])
    return members


def _whole_extract(import_id, catalogue: _Catalogue, today: date, chunk: int) -> Iterator[HouseholdFacts]:
    """Every household of the extract by KK number, a chunk at a time (keyset pagination)."""
    held = _participations(catalogue, None)
    last = ""
    while True:
        households = db.session.execute(
            select(*_HOUSEHOLD_COLUMNS).where(RegisterHousehold.import_id == import_id,
                                              RegisterHousehold.kk_number > last)
            .order_by(RegisterHousehold.kk_number).limit(chunk)).all()
        if not households:
            return
        first, last = households[0].kk_number, households[-1].kk_number
        members = _members_by_kk(select(*_ENTRY_COLUMNS).where(
            RegisterEntry.import_id == import_id, RegisterEntry.kk_number >= first, RegisterEntry.kk_number <= last))
        for household in households:
            yield _build(household, members.get(household.kk_number, []), catalogue,
                         held.get(household.kk_number, []), today)
