"""Org-chart and membership helpers: posts, fresh members, field visits, the chart put back."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select

from app.accounts.models import Membership, MembershipArea, User
from app.audit.models import AuditEvent
from app.casework.intake import CitizenData, open_case
from app.casework.models import Case
from app.casework.steps import StepInput, take_step
from app.extensions import db
from app.org.models import OrgUnit, Position
from app.reference.models import Village
from app.tenancy.models import utcnow
from tests.conftest import DEMO_PASSWORD
from tests.factories import make_kk, make_nik, village_of
from tests.helpers.regions import in_region


def unit_by_key(key):
    return db.session.scalar(select(OrgUnit).where(OrgUnit.key == key))


def position_of(role):
    return db.session.scalars(select(Position).where(Position.role == role, Position.retired_at.is_(None))
                              .order_by(Position.sort_order)).first()


def new_member(role=None, *, position=None, areas=(), name="Petugas Uji"):
    """A fresh user holding a post in the current region (demo accounts stay untouched)."""
    user = User(email=f"{uuid.uuid4().hex[:10]}@uji.id", name=name)
    user.set_password(DEMO_PASSWORD)
    membership = Membership(user=user, position=position or position_of(role))
    for district, village in areas:
        membership.areas.append(MembershipArea(district_code=district, village_code=village))
    db.session.add(membership)
    db.session.flush()
    return membership


def last_audit(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.at.desc())).first()


def restore_chart(app, slug="palembang"):
    """Retire every unit and post the region's template doesn't have, so its export stays the template's."""
    from app.tenants.template import load_template_file

    template = load_template_file(app.config["TEMPLATES_DIR"] / f"{slug}.yaml")
    unit_keys, position_keys = {u.key for u in template.units}, {p.key for p in template.positions}

    def retire():
        for model, keys in ((OrgUnit, unit_keys), (Position, position_keys)):
            for row in db.session.scalars(select(model).where(model.retired_at.is_(None), model.key.not_in(keys))):
                row.retired_at = utcnow()
    in_region(app, slug, retire)


def step(case, key, membership, note="Catatan uji.", **data):
    return take_step(case, key, StepInput(note=note, **data), user=membership.user, membership=membership,
                     expected_version=case.version)


def free_village(slug="palembang") -> Village:
    """A village in the demo district that no member works in yet."""
    demo = village_of(slug)
    taken = set(db.session.scalars(select(MembershipArea.village_code).where(MembershipArea.village_code.is_not(None))))
    return db.session.scalars(select(Village).where(Village.district_code == demo.district_code,
                                                    Village.code.not_in(taken)).order_by(Village.code)).first()


def home_visit(facilitator, village: Village) -> Case:
    birth = date(1990, 5, 17)
    data = CitizenData(nik=make_nik(village.code, birth, "L"), kk_number=make_kk(village.code), name="Warga Desa Uji",
                       birth_date=birth, sex="L", address="Jl. Uji", village_code=village.code)
    case, _ = open_case(citizen_data=data, complaint="Rumah rusak.", service_area="sosial", channel="home_visit",
                        intake_token=uuid.uuid4().hex, user=facilitator.user, membership=facilitator)
    db.session.flush()
    return case


NEW_PASSWORD = "Lembayung-senja-di-Kemuning-7"


def fresh_member(app, slug: str = "cianjur", role: str = "intake_officer") -> str:
    """The email of a new person holding a post in `slug` (demo accounts stay untouched)."""
    return in_region(app, slug, lambda: new_member(role, name="Sesi Uji").user.email)
