"""The household page: everything the secretariat knows about one household and each member.

Who may open it: a member with SEE_HOUSEHOLDS whose work areas cover where the household
lives (no areas: the whole region), or who may see a case of one of its members (a case
never leads to a page its holder cannot open). Anything else answers 404, as for another
region's household. Every view is audited: the page is personal data.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from app.audit.log import record
from app.casework.access import covers_place, visible_condition
from app.casework.models import Case
from app.citizens.models import Citizen
from app.citizens.vocabulary import Disability, Education, HousingCondition, Relationship
from app.errors import NotFound
from app.extensions import db
from app.households.records import HouseholdRecords, household_records
from app.programs.attributes import CATEGORIES
from app.programs.facts import HouseholdFacts, MemberFacts, household_facts
from app.programs.models import Program
from app.reference.models import District, Village

CHILD_AGE = 18  # UU 35/2014 Pasal 1: a child is under 18
_RELATION_ORDER = {code: i for i, code in enumerate(Relationship.labels())}


@dataclass
class MemberRow:
    """One member as the page lists them; `index` names them in URLs (never the NIK)."""

    index: int
    facts: MemberFacts
    relation: str
    education: str
    disability: str
    categories: list[str]


@dataclass
class CaseRow:
    case: Case
    citizen_name: str
    state: str


@dataclass
class HouseholdPage:
    facts: HouseholdFacts
    village_name: str
    district_name: str
    housing: str
    members: list[MemberRow]
    cases: list[CaseRow]
    hidden_cases: int          # cases of members this viewer may not open (another area or unit)
    records: HouseholdRecords
    gaps: Any = None
    citizens: dict[str, Any] = field(default_factory=dict)  # nik → citizen id, for members known from intake

    @property
    def open_cases(self) -> list[Case]:
        """The members' open cases this viewer may open (a gap can be referred within one)."""
        return [row.case for row in self.cases if not row.case.is_closed]


def ordered_members(facts: HouseholdFacts) -> list[MemberFacts]:
    """Head first, then by relationship as on the Kartu Keluarga, then oldest first."""
    return sorted(facts.members, key=lambda m: (_RELATION_ORDER.get(m.relation_to_head, len(_RELATION_ORDER)),
                                                m.birth_date or date.max, m.nik))


def _categories(member: MemberFacts) -> list[str]:
    found = [str(label) for label, test in CATEGORIES.values() if test(member)]
    if member.age is not None and member.age < CHILD_AGE:
        found.insert(0, _("Anak (di bawah %(n)s tahun)", n=CHILD_AGE))
    return found


def member_rows(facts: HouseholdFacts) -> list[MemberRow]:
    return [MemberRow(index=i, facts=m, relation=Relationship.label_of(m.relation_to_head) if m.relation_to_head
                      else "—", education=Education.label_of(m.education) if m.education else "—",
                      disability=Disability.label_of(m.disability) if m.disability else "—",
                      categories=_categories(m))
            for i, m in enumerate(ordered_members(facts))]


def _member_citizens(facts: HouseholdFacts) -> list[tuple[Any, str, str]]:
    """(id, nik, name) of citizens known from intake with this KK number or a member's NIK."""
    niks = [m.nik for m in facts.members]
    return [(cid, nik, name) for cid, nik, name in db.session.execute(select(Citizen.id, Citizen.nik, Citizen.name)
                                                                       .where(or_(Citizen.kk_number == facts.kk_number,
                                                                                  Citizen.nik.in_(niks))))]


def _cases(citizen_ids: list, membership) -> list[tuple[Case, bool]]:
    """Every case of these citizens, newest first, each with whether this member may open it."""
    if not citizen_ids:
        return []
    visible = visible_condition(membership)
    rows = db.session.execute(
        select(Case, and_(visible, Case.id.isnot(None)).label("visible"))
        .where(Case.citizen_id.in_(citizen_ids)).options(selectinload(Case.sop_version))
        .order_by(Case.created_at.desc())).all()
    return [(case, bool(seen)) for case, seen in rows]


def _state_label(case: Case) -> str:
    """The label of the case's state in its SOP version, read from the definition (no full parse of the SOP)."""
    states = (case.sop_version.definition or {}).get("states") or []
    return next((str(s.get("label") or s.get("key")) for s in states if s.get("key") == case.state), case.state)


def _place_names(village_code: str) -> tuple[str, str]:
    if not village_code:
        return "", ""
    row = db.session.execute(select(Village.name, District.name).join(District, District.code == Village.district_code)
                             .where(Village.code == village_code)).first()
    return (row[0], row[1]) if row else ("", "")


def household_in_view(kk_number: str, membership, today: date | None = None):
    """(facts, citizens, cases) of a household this member may open; NotFound otherwise."""
    facts = household_facts(kk_number, today) if kk_number.isdigit() and len(kk_number) == 16 else None
    if facts is None:
        raise NotFound(_("Rumah tangga tidak ditemukan."))
    citizens = _member_citizens(facts)
    cases = _cases([c[0] for c in citizens], membership)
    if not covers_place(membership, facts.village_code or None) and not any(seen for _c, seen in cases):
        raise NotFound(_("Rumah tangga tidak ditemukan."))
    return facts, citizens, cases


def household_page(kk_number: str, membership, today: date | None = None) -> HouseholdPage:
    """The household page's content for this member (NotFound outside their reach); the view is audited."""
    from app.programs.eligibility import gaps  # written alongside (helper "programs")

    facts, citizens, cases = household_in_view(kk_number, membership, today)
    catalogue = list(db.session.scalars(select(Program).order_by(Program.sort_order, Program.name)))
    names = {nik: name for _id, nik, name in citizens}
    names.update({m.nik: m.name for m in facts.members})
    by_id = {cid: name for cid, _nik, name in citizens}
    village, district = _place_names(facts.village_code)
    page = HouseholdPage(
        facts=facts, village_name=village, district_name=district,
        housing=HousingCondition.label_of(facts.housing) if facts.housing else "",
        members=member_rows(facts),
        cases=[CaseRow(case, by_id.get(case.citizen_id, ""), _state_label(case)) for case, seen in cases if seen],
        hidden_cases=sum(1 for _c, seen in cases if not seen),
        records=household_records(facts.kk_number, names, catalogue),
        gaps=gaps(facts, [p for p in catalogue if p.active]),
        citizens={nik: cid for cid, nik, _name in citizens})
    record("household.view", "household", facts.kk_number, in_register=facts.in_register,
           members=len(facts.members))
    return page


def member_at(facts: HouseholdFacts, index: int) -> MemberFacts:
    """The member listed at `index` on the page (NotFound if there is none)."""
    members = ordered_members(facts)
    if not 0 <= index < len(members):
        raise NotFound(_("Anggota rumah tangga tidak ditemukan."))
    return members[index]
