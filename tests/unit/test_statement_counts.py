"""SQL statements per request on the everyday pages, pinned (counts are deterministic, times are not).

Each page costs a fixed number of statements whatever the number of cases listed: no N+1, no
session user, membership or SOP version read twice. The bounds are today's counts; a change
that needs one more statement raises the bound here, knowingly. `set_config` (PostgreSQL's
tenant setting, once per transaction) is not counted, so SQLite and PostgreSQL agree.
"""
from __future__ import annotations

import uuid
from contextlib import contextmanager

from sqlalchemy import event, select

from app.casework.models import Case
from app.casework.sop_store import current_version, publish_version, versions_in_use
from app.casework.vocabulary import SopStatus
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import citizen_data, make_case, tenant

SLUG = "bekasi"
HX = {"HX-Request": "true", "HX-Target": "case-list"}


@contextmanager
def counted(app):
    """The statements the block sends to the database (the tenant setting left out)."""
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def listener(_conn, _cursor, statement, *_args):
        if "set_config" not in statement:
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def _cases(app, n: int) -> uuid.UUID:
    with app.app_context(), tenant_context(tenant(SLUG)):
        for i in range(n):
            case = make_case(SLUG, service_area=("kesehatan", "pendidikan", "sosial")[i % 3])
        db.session.commit()
        return case.id


def _count(app, client, path: str, **kw) -> int:
    client.get(path, **kw)  # warm: first requests compile statements and fill caches
    with counted(app) as statements:
        response = client.get(path, **kw)
    assert response.status_code == 200, (path, response.status_code)
    return len(statements)


def test_everyday_pages_cost_a_fixed_number_of_statements(app, staff):
    case_id = _cases(app, 25)  # a full page (20 rows) in every list
    client = staff("intake_officer", SLUG)
    pages = {"/cases/?view=all": {"headers": HX}, "/cases/": {}, "/home": {}, f"/cases/{case_id}": {}}
    before = {path: _count(app, client, path, **kw) for path, kw in pages.items()}
    _cases(app, 25)
    after = {path: _count(app, client, path, **kw) for path, kw in pages.items()}
    assert after == before  # independent of how many cases there are
    assert after["/cases/?view=all"] <= 12  # session, user + membership (2), SOP versions, page (5), count, districts
    assert after["/cases/"] <= 12
    assert after["/home"] <= 7  # the waiting count is a count, not a page of cases with their relations
    assert after[f"/cases/{case_id}"] <= 16  # its SOP version comes with the versions in use


def test_the_session_user_and_the_sop_are_read_once_per_request(app, staff):
    _cases(app, 3)
    client = staff("intake_officer", SLUG)
    client.get("/home")
    with counted(app) as statements:
        assert client.get("/cases/", headers=HX).status_code == 200
    flat = [" ".join(s.split()) for s in statements]
    tables = [s.split(" FROM ", 1)[1].split()[0] for s in flat if s.startswith("SELECT") and " FROM " in s]
    for table in ("user_sessions", "users", "memberships", "tenants"):
        assert tables.count(table) == 1, (table, tables)
    assert tables.count("sop_versions") == 1  # the versions in use: the rows' pinned versions and the current one too


def test_intake_costs_a_fixed_number_of_statements(app, staff):
    client = staff("intake_officer", SLUG)

    def submit() -> int:
        with app.app_context(), tenant_context(tenant(SLUG)):
            data = citizen_data(SLUG, name="Warga Hitung Pernyataan")
        form = {"intake_token": uuid.uuid4().hex, "nik": data.nik, "kk_number": data.kk_number, "name": data.name,
                "birth_date": data.birth_date.isoformat(), "sex": data.sex, "address": "Jl. Hitung No. 1",
                "village_code": data.village_code, "phone": "0812-3456-7001", "service_area": "kesehatan",
                "channel": "walk_in", "complaint": "Butuh bantuan biaya berobat.", "existing_case": "new"}
        with counted(app) as statements:
            response = client.post("/intake/", data=form)
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        return len(statements)

    submit()
    # a new citizen: identity checks, register match, program rollups, case, rollups (each flush that writes
    # counters writes the day's and the month's: 53 -> 55)
    assert submit() <= 55


def test_a_step_reads_only_the_members_it_may_notify(app):
    """Writing a case event loads the holders of the roles the case now waits on, not every member."""
    from app.casework.steps import StepInput, allowed_steps, take_step
    from tests.factories import member

    with app.app_context(), tenant_context(tenant(SLUG)):
        case = make_case(SLUG)
        user, membership = member(f"intake_officer@{SLUG}.demo")
        step = next(t for t in allowed_steps(case, membership) if not t.step_kind.fields)
        db.session.flush()
        with counted(app) as statements:
            take_step(case, step.key, StepInput(note="Catatan uji."), user=user, membership=membership,
                      expected_version=case.version)
        db.session.rollback()
    members = [s for s in statements if s.lstrip().startswith("SELECT memberships.")]
    assert len(members) == 1 and "positions.role IN" in members[0].replace('"', "")
    assert not [s for s in statements if "FROM org_units" in s and "parent_id FROM" in s]  # no unit tree
    assert len(statements) <= 20


def test_kept_sop_versions_follow_a_publication_in_the_same_transaction(app):
    with app.app_context(), tenant_context(tenant("payakumbuh")):
        first = current_version()
        in_use = {v.id for v in versions_in_use()}
        assert current_version() is first and first.id in in_use
        newer = publish_version(dict(first.definition), "Perbup Uji Simpan 1/2026", note="uji")
        assert current_version() is newer
        assert {v.id for v in versions_in_use()} == in_use | {newer.id}
        newer.status, first.status = SopStatus.SUPERSEDED, SopStatus.PUBLISHED  # not flushed: seen, as by a query
        assert current_version() is first
        db.session.rollback()
        assert current_version().id == first.id
        assert db.session.scalar(select(Case.id).limit(0)) is None  # the session is usable after


def test_the_current_version_comes_from_the_versions_in_use_once_they_are_read(app):
    with app.app_context(), tenant_context(tenant("payakumbuh")):
        first = current_version()
        newer = publish_version(dict(first.definition), "Perbup Uji Simpan 2/2026", note="uji")
        db.session.flush()
        in_use = versions_in_use()  # read after the publication: holds both
        with counted(app) as statements:
            assert current_version() is newer
        assert statements == []  # answered from the versions in use
        newer.status, first.status = SopStatus.SUPERSEDED, SopStatus.PUBLISHED  # not flushed: the kept list is
        assert current_version() is first and newer in in_use                  # not used; a query sees the change
        db.session.rollback()


def test_the_places_of_a_page_of_unstaffed_cases_are_read_at_once(app):
    """The manager's inbox says where each case nobody can take lies: one read for the page, not per row."""
    from types import SimpleNamespace

    from app.casework.staffing import _load_places, _place
    from app.reference.models import District, Village

    with app.app_context(), tenant_context(tenant("cianjur")):
        villages = db.session.execute(select(Village.code, Village.district_code).join(District).where(
            District.regency_code == tenant("cianjur").region_code).order_by(Village.code).limit(20)).all()
        rows = [SimpleNamespace(district_code=d, village_code=v) for v, d in villages]
        db.session.expunge_all()
        with counted(app) as loading:
            held = _load_places(rows)
        with counted(app) as placing:
            places = [_place(row) for row in rows]
        assert len(loading) == 2 and placing == [] and len(held) > 20
        assert all(", Kecamatan " in place for place in places)


def test_the_current_register_import_is_read_once_and_follows_a_change(app):
    from app.citizens.models import RegisterImport
    from app.citizens.register import current_import_id
    from app.citizens.vocabulary import ImportStatus

    with app.app_context(), tenant_context(tenant(SLUG)):
        first = current_import_id()
        assert first is not None
        with counted(app) as statements:
            assert current_import_id() == first
        assert statements == []  # kept for the transaction
        current = db.session.scalars(select(RegisterImport).where(RegisterImport.id == first)).one()
        current.status = ImportStatus.PREVIOUS  # not flushed: read again (another test may have left an
        assert current_import_id() != first      # older import current; this one is not any more)
        db.session.rollback()
        assert current_import_id() == first
