"""Two officers registering the same new citizen at the same moment: one citizen, no 500.

On any database: the citizen is inserted by another session between our lookup and our
insert (the unique NIK refuses our row; we take theirs). On PostgreSQL: two threads, two
sessions, both past the lookup before either inserts (a barrier), both commit.
"""
from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.casework import intake
from app.casework.intake import open_case
from app.citizens.models import Citizen
from app.extensions import db
from app.tenancy.context import tenant_context
from app.verval.models import DataUpdate
from tests.factories import citizen_data, member, tenant

SLUG = "payakumbuh"


def _count(model, **where) -> int:
    stmt = select(func.count()).select_from(model)
    for name, value in where.items():
        stmt = stmt.where(getattr(model, name) == value)
    return db.session.scalar(stmt)


def _open(data, email=f"intake_officer@{SLUG}.demo"):
    user, membership = member(email)
    case, _created = open_case(citizen_data=data, complaint="Butuh bantuan biaya sekolah.",
                               service_area="pendidikan", channel="walk_in", intake_token=uuid.uuid4().hex,
                               user=user, membership=membership)
    return case


def test_citizen_inserted_by_another_session_meanwhile_is_reused(app, monkeypatch):
    with app.app_context(), tenant_context(tenant(SLUG)):
        data = citizen_data(SLUG, name="Warga Balapan")
        original = intake.find_citizen
        calls = []

        def lookup_then_someone_else_inserts(nik):
            found = original(nik)
            if not calls:
                with Session(db.engine) as other:
                    other.add(Citizen(**{**data.__dict__, "name": "Warga Balapan (petugas lain)"}))
                    other.commit()
            calls.append(nik)
            return found

        monkeypatch.setattr(intake, "find_citizen", lookup_then_someone_else_inserts)
        case = _open(data)
        db.session.commit()
        assert _count(Citizen, nik=data.nik) == 1
        citizen = db.session.scalar(select(Citizen).where(Citizen.nik == data.nik))
        assert case.citizen_id == citizen.id and citizen.name == "Warga Balapan"  # our typed data wins
        assert _count(DataUpdate, citizen_id=citizen.id) == 1


@pytest.mark.postgres
def test_two_officers_at_the_same_moment_get_one_citizen(app, monkeypatch):
    with app.app_context(), tenant_context(tenant(SLUG)):
        data = citizen_data(SLUG, name="Warga Serentak")
        tenant_row = tenant(SLUG)
    barrier = threading.Barrier(2, timeout=20)
    original = intake.find_citizen
    waited = threading.local()

    def lookup_then_wait(nik):
        found = original(nik)
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()  # both officers have looked the NIK up and found nobody
        return found

    monkeypatch.setattr(intake, "find_citizen", lookup_then_wait)
    results, errors = [], []

    def officer(email):
        try:
            with app.app_context(), tenant_context(tenant_row):
                case = _open(data, email)
                db.session.commit()
                results.append((case.ticket, case.citizen_id))
        except Exception as exc:
            errors.append(repr(exc))
            barrier.abort()

    threads = [threading.Thread(target=officer, args=(email,))
               for email in (f"intake_officer@{SLUG}.demo", f"manager@{SLUG}.demo")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(results) == 2 and results[0][0] != results[1][0]  # two cases
    assert results[0][1] == results[1][1]  # one citizen
    with app.app_context(), tenant_context(tenant_row):
        assert _count(Citizen, nik=data.nik) == 1
        assert _count(DataUpdate, citizen_id=results[0][1]) == 1
