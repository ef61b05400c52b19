"""Sample casework made through the real operations, on a clock we control.

For benchmarks, tests and demos: cases are opened with `open_case` and moved with
`take_step` by the region's own staff (whoever the SOP allows), so every rollup is
kept by the same listener as in production. Not for production data.
"""
from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.models import Membership
from app.casework.intake import CitizenData, open_case
from app.casework.models import Case, Partner
from app.casework.sop import Transition
from app.casework.sop_store import current_version
from app.casework.steps import INFORM_CHANNELS, StepInput, allowed_steps, take_step
from app.casework.vocabulary import AnswerResult
from app.citizens.models import Citizen, RegisterEntry, RegisterHousehold, RegisterImport
from app.citizens.vocabulary import ImportStatus
from app.extensions import db
from app.org.models import Position
from app.org.vocabulary import SERVICE_AREAS
from app.reference.models import District, Village
from app.tenancy.context import tenant_in_context
from app.tenancy.models import Tenant

OUTCOME_WEIGHTS = (("served", 6), ("not_served", 2), ("redirected", 1))


@dataclass
class Clock:
    """A settable `utcnow` for the casework operations."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, hours: float) -> datetime:
        self.now += timedelta(hours=hours)
        return self.now


@contextmanager
def frozen_clock(clock: Clock) -> Iterator[Clock]:
    """Make intake and steps read the time from `clock` inside the block."""
    from app.casework import intake, steps

    saved = intake.utcnow, steps.utcnow
    intake.utcnow = steps.utcnow = clock
    try:
        yield clock
    finally:
        intake.utcnow, steps.utcnow = saved


def onboard_copy(template_slug: str, slug: str, code: str, name: str, password: str) -> Tenant:
    """A fresh region from a shipped template under another code and subdomain, with demo staff."""
    from flask import current_app

    from app.accounts.demo import seed_region_accounts
    from app.tenants.onboarding import known_region_codes, onboard_region
    from app.tenants.template import parse_template

    path = current_app.config["TEMPLATES_DIR"] / f"{template_slug}.yaml"
    text = path.read_text()
    original = parse_template(text, str(path))
    text = text.replace(f'code: "{original.code}"', f'code: "{code}"').replace(
        f"slug: {original.slug}", f"slug: {slug}").replace(f"name: {original.name}", f"name: {name}")
    tenant = onboard_region(parse_template(text, f"{slug}.yaml", known_regions=known_region_codes()))
    seed_region_accounts(tenant, password)
    return tenant


class CaseworkSampler:
    """Opens and walks cases in the current region (call inside its tenant_context)."""

    def __init__(self, rng: random.Random, register_share: float = 0.5, district_limit: int | None = None):
        self.rng = rng
        self.register_share = register_share
        region = tenant_in_context()
        districts = db.session.scalars(select(District.code).where(District.regency_code == region.region_code)
                                       .order_by(District.code)).all()[:district_limit]
        self.villages = db.session.scalars(select(Village.code).where(Village.district_code.in_(districts))
                                           .order_by(Village.code)).all()
        self.partners = db.session.scalars(select(Partner).where(Partner.retired_at.is_(None))
                                           .order_by(Partner.name)).all()
        self.members = db.session.scalars(
            select(Membership).join(Position, Position.id == Membership.position_id)
            .where(Membership.active.is_(True)).order_by(Position.sort_order, Membership.user_id)
            .options(selectinload(Membership.position).selectinload(Position.unit),
                     selectinload(Membership.areas), selectinload(Membership.user))).all()
        self.sop = current_version().sop
        self.import_batch: RegisterImport | None = None
        known = db.session.scalar(select(func.count()).select_from(Citizen)) or 0
        self.serial = itertools.count(known + 1)
        self.citizens: list[CitizenData] = []

    def _member_for(self, roles, case: Case | None = None, key: str | None = None):
        for membership in self.members:
            if membership.position.role not in roles:
                continue
            if case is None or any(t.key == key for t in allowed_steps(case, membership)):
                return membership
        return None

    def _citizen(self, village: str) -> CitizenData:
        if self.citizens and self.rng.random() < 0.12:  # someone comes back with another complaint
            return self.rng.choice(self.citizens)
        n = next(self.serial)
        birth = date(1950 + n % 50, 1 + n % 12, 1 + n % 28)
        sex = "P" if n % 2 else "L"
        day = birth.day + (40 if sex == "P" else 0)
        prefix = village.replace(".", "")[:6]
        nik = f"{prefix}{day:02d}{birth.month:02d}{birth.year % 100:02d}{n % 10000:04d}"
        # "6" after the district code: the demo extract uses "70", test helpers "99", the bulk sample "8",
        # so a random number here can never be mistaken for (or collide with) one of theirs.
        kk = f"{prefix}6{uuid.uuid4().int % 10**9:09d}"
        data = CitizenData(nik=nik, kk_number=kk, name=f"Warga Sampel {n}", birth_date=birth, sex=sex,
                           address=f"Jl. Sampel No. {n % 300}", village_code=village, phone=f"0812{n:08d}")
        if self.rng.random() < self.register_share:
            self._register(data)
        self.citizens.append(data)
        return data

    def _register(self, data: CitizenData) -> None:
        if self.import_batch is None:
            self.import_batch = db.session.scalar(select(RegisterImport).where(
                RegisterImport.status == ImportStatus.CURRENT).order_by(RegisterImport.imported_at.desc()).limit(1))
        if self.import_batch is None:
            user = self.members[0].user
            self.import_batch = RegisterImport(filename="sampel.csv", row_count=0, imported_by=user.id)
            db.session.add(self.import_batch)
            db.session.flush()
        db.session.add(RegisterHousehold(import_id=self.import_batch.id, kk_number=data.kk_number,
                                         village_code=data.village_code, address=data.address))
        db.session.add(RegisterEntry(nik=data.nik, kk_number=data.kk_number, name=data.name,
                                     village_code=data.village_code, import_id=self.import_batch.id,
                                     relation_to_head="head", sex=data.sex, birth_date=data.birth_date))

    def open(self, clock: Clock, channel: str | None = None, area: str | None = None) -> Case | None:
        """One new case at `clock.now` (None if no one may take that channel here)."""
        channel = channel or self.rng.choice(list(self.sop.channels))
        roles = self.sop.channels[channel].roles
        openers = [m for m in self.members if m.position.role in roles]
        # At the office anyone from anywhere; in the field, where the officer works.
        office = [m for m in openers if not m.areas]
        opener = self.rng.choice(office if channel == "walk_in" and office else openers) if openers else None
        if opener is None:
            return None
        village = self.rng.choice(self.villages)
        if opener.areas:
            village = next((a.village_code for a in opener.areas if a.village_code), village)
        with frozen_clock(clock):
            case, _created = open_case(citizen_data=self._citizen(village), complaint="Keluhan sampel.",
                                       service_area=area or self.rng.choice(list(SERVICE_AREAS)), channel=channel,
                                       intake_token=uuid.uuid4().hex, user=opener.user, membership=opener)
        return case

    def take(self, case: Case, key: str, clock: Clock, **data) -> None:
        """Take step `key` at `clock.now` as someone who may (tests and fixed data sets)."""
        transition = self.sop.transition(key)
        member = self._member_for(transition.roles, case, key)
        if member is None:
            raise LookupError(f"no one here may take {key} on {case.ticket}")
        with frozen_clock(clock):
            take_step(case, key, StepInput(note=data.pop("note", "Catatan."), **data), user=member.user,
                      membership=member, expected_version=case.version)

    def open_for(self, clock: Clock, citizen: CitizenData, channel: str, area: str) -> Case:
        """One case for a given citizen (tests and fixed data sets)."""
        opener = self._member_for(self.sop.channels[channel].roles)
        with frozen_clock(clock):
            case, _created = open_case(citizen_data=citizen, complaint="Keluhan.", service_area=area, channel=channel,
                                       intake_token=uuid.uuid4().hex, user=opener.user, membership=opener)
        return case

    def new_citizen(self, village: str, in_register: bool = False) -> CitizenData:
        """A citizen living in `village`, in the register or not."""
        share, self.register_share = self.register_share, 1.0 if in_register else 0.0
        reuse = self.citizens
        self.citizens = []
        try:
            return self._citizen(village)
        finally:
            self.register_share, self.citizens = share, reuse + self.citizens

    def step(self, case: Case, clock: Clock) -> bool:
        """Take one step the SOP allows now (returns are rarer); False when none can be taken."""
        chosen = self.choose(case)
        if chosen is None:
            return False
        transition, member, data = chosen
        with frozen_clock(clock):
            take_step(case, transition.key, data, user=member.user, membership=member, expected_version=case.version)
        return True

    def choose(self, case: Case) -> tuple[Transition, Membership, StepInput] | None:
        """A step the SOP allows now, who takes it and what they fill in (None when none can be taken)."""
        choices = []
        for transition in self.sop.transitions_from(case.state):
            member = self._member_for(transition.roles, case, transition.key)
            if member is not None:
                choices.append((transition, member, 1 if transition.kind != "return" else 0.2))
        if not choices:
            return None
        transition, member, _w = self.rng.choices(choices, weights=[c[2] for c in choices])[0]
        data = StepInput(note="Catatan sampel.")
        if transition.needs_partner:
            data.partner_id = str(self.rng.choice(self.partners).id)
        if transition.needs_outcome:
            data.outcome = self.rng.choices([o for o, _ in OUTCOME_WEIGHTS], [w for _, w in OUTCOME_WEIGHTS])[0]
        if transition.needs_inform_channel:
            data.inform_channel = self.rng.choice(list(INFORM_CHANNELS))
        if "answer_result" in transition.step_kind.fields:
            data.answer_result = self.rng.choice(list(AnswerResult))
        return transition, member, data

    def walk(self, case: Case, clock: Clock, until: datetime, max_steps: int = 30) -> int:
        """Move `case` on, each step after a wait around its stage's SLA, until closed or `until`."""
        taken = 0
        while not case.is_closed and taken < max_steps:
            sla = self.sop.state(case.state).sla_hours or 24
            clock.advance(sla * self.rng.lognormvariate(-0.7, 0.8))
            if clock.now >= until or not self.step(case, clock):
                break
            taken += 1
        return taken
