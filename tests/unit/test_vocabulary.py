"""One vocabulary: every coded column is kept to its enum by the database, every enum is defined
once, and "overdue" means the same thing on every page that counts it.
"""
from __future__ import annotations

import ast
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import CheckConstraint, select, update
from sqlalchemy.exc import IntegrityError

from app.casework.inbox import InboxFilters, overdue_count, visible_cases
from app.casework.models import Case, Partner, Referral, SopVersion
from app.citizens.import_jobs import RegisterImportJob
from app.citizens.models import RegisterEntry
from app.dashboard.models import PlatformReportJob, ReportJob
from app.dashboard.national import national_summary
from app.dashboard.periods import Period
from app.dashboard.queries import Reader
from app.extensions import Vocabulary, db
from app.org.models import Position
from app.platform.stats import case_load
from app.tenancy.context import tenant_context
from app.tenancy.models import utcnow
from tests.factories import make_case, member, tenant
from tests.helpers.attachments import attach_to_case

APP = Path(__file__).resolve().parents[2] / "app"


def vocabulary_checks() -> list[tuple[str, str, type[Vocabulary], tuple]]:
    """(table, column, enum, extra codes) of every CHECK built by `Vocabulary.check`."""
    found = []
    for table in db.metadata.sorted_tables:
        for constraint in set(table.constraints).union(*(c.constraints for c in table.columns)):
            if isinstance(constraint, CheckConstraint) and "vocabulary" in constraint.info:
                info = constraint.info
                found.append((table.name, info["column"], info["vocabulary"], info["also"]))
    return sorted(found, key=lambda c: (c[0], c[1]))


def test_the_coded_columns_are_all_checked(app_ctx):
    assert {(t, c) for t, c, _, _ in vocabulary_checks()} == {
        ("tenants", "status"), ("sop_versions", "status"), ("partners", "level"), ("partners", "kind"),
        ("referrals", "status"), ("referrals", "outcome"),
        ("positions", "area_level"), ("report_jobs", "status"), ("platform_report_jobs", "status"),
        ("register_import_jobs", "status"), ("attachments", "kind"), ("cases", "priority"), ("cases", "closure"),
        ("cases", "group_kind"), ("referrals", "answer_result"), ("outbound_emails", "status"),
        ("api_tokens", "scope"), ("notices", "kind"), ("notice_preferences", "kind"),
        # households, programs and verval (issue 11)
        ("register_imports", "status"), ("register_households", "housing"), ("register_entries", "relation_to_head"),
        ("register_entries", "education"), ("register_entries", "disability"), ("programs", "level"),
        ("program_participations", "source"), ("program_participations", "status"), ("program_needs", "status"),
        ("program_rankings", "status"), ("program_rankings", "job_status"), ("data_updates", "kind"),
        ("data_updates", "status"),
        ("data_updates", "result"), ("export_batches", "status"), ("review_steps", "record_kind"),
        ("review_steps", "action"), ("review_steps", "decision"),
        # monitoring and evaluation (issue 15)
        ("budget_lines", "source")}


def _rows() -> dict[str, uuid.UUID]:
    """One row of each checked table, in the current region (made here where none is seeded)."""
    user, _membership = member("manager@bekasi.demo")
    case = make_case("bekasi")
    partner = db.session.scalars(select(Partner)).first()
    referral = Referral(case_id=case.id, partner_id=partner.id)
    jobs = [ReportJob(kind="monthly", period="2026-11", format="pdf", requested_by=user.id),
            PlatformReportJob(kind="national", period="2026", format="pdf", requested_by=user.id),
            RegisterImportJob(filename="uji.csv", requested_by=user.id)]
    db.session.add_all([referral, *jobs])
    db.session.flush()
    first = lambda model: db.session.scalars(select(model.id)).first()  # noqa: E731
    return {"tenants": tenant("bekasi").id, "sop_versions": first(SopVersion), "partners": partner.id,
            "cases": case.id, "referrals": referral.id, "positions": first(Position),
            "report_jobs": jobs[0].id, "platform_report_jobs": jobs[1].id, "register_import_jobs": jobs[2].id,
            "attachments": attach_to_case(case.id, "manager@bekasi.demo")["id"],
            "outbound_emails": _outbox_row(), "api_tokens": _api_token_row(user.id),
            **_notice_rows(user.id), **_household_rows(user.id), "budget_lines": _budget_line_row()}


def _household_rows(user_id) -> dict:
    """A row of each table of households, programs and verval (issue 11)."""
    from app.programs.models import Need, Participation, Program, Ranking
    from app.reviews.models import ReviewStep
    from app.verval.models import DataUpdate, ExportBatch
    from tests.helpers.households import Member, add_household

    household = add_household([Member("Uji Kosakata")])
    entry = db.session.scalars(select(RegisterEntry).where(RegisterEntry.kk_number == household.kk_number)).one()
    program = Program(code=f"uji_{uuid.uuid4().hex[:8]}", name="Uji", level="regional")
    db.session.add(program)
    db.session.flush()
    where = {"kk_number": household.kk_number, "district_code": household.village_code.rsplit(".", 1)[0],
             "village_code": household.village_code, "created_by": user_id}
    rows = {"participations": Participation(program_id=program.id, source="citizen", **where),
            "needs": Need(reason="uji", **where), "rankings": Ranking(program_id=program.id, created_by=user_id),
            "updates": DataUpdate(kind="member_changed", **where),
            "batches": ExportBatch(number=f"UJI-{uuid.uuid4().hex[:8]}", created_by=user_id),
            "steps": ReviewStep(record_kind="need", record_id=uuid.uuid4(), stage=0, action="decide", role="manager",
                                decision="approve", decided_by=user_id)}
    db.session.add_all(rows.values())
    db.session.flush()
    return {"register_imports": household.import_id, "register_households": household.id,
            "register_entries": entry.id, "programs": program.id, "program_participations": rows["participations"].id,
            "program_needs": rows["needs"].id, "program_rankings": rows["rankings"].id,
            "data_updates": rows["updates"].id, "export_batches": rows["batches"].id,
            "review_steps": rows["steps"].id}


def _budget_line_row() -> uuid.UUID:
    from tests.helpers.monitoring import make_plan

    return make_plan("bekasi")[2].id


def _notice_rows(user_id) -> dict:
    from app.notices.models import Notice, NoticePreference
    from app.notices.vocabulary import NoticeKind

    kind = next(iter(NoticeKind)).value
    notice = Notice(recipient_id=user_id, kind=kind, params={}, dedupe=f"uji-kosakata-{uuid.uuid4().hex}")
    preference = NoticePreference(user_id=user_id, kind=kind, email=False)
    db.session.add_all([notice, preference])
    db.session.flush()
    return {"notices": notice.id, "notice_preferences": preference.id}


def _api_token_row(user_id) -> uuid.UUID:
    from app.api.tokens import create_token

    return create_token("Uji kosakata", "read", user_id)[0].id


def _outbox_row() -> uuid.UUID:
    from app.accounts.outbox import OutboundEmail

    row = OutboundEmail(to="kotak@uji.id", subject="Uji", body="Isi")
    db.session.add(row)
    db.session.flush()
    return row.id


def _set(table: str, column: str, value: str, row_id) -> bool:
    """Whether the database accepts `value` in that column (a Core UPDATE: no ORM, no validation)."""
    try:
        with db.session.begin_nested():
            rows = db.metadata.tables[table]
            db.session.execute(update(rows).where(rows.c.id == row_id).values({column: str(value)}))
        return True
    except IntegrityError:
        return False


def test_each_check_refuses_a_code_outside_its_enum_and_takes_every_member(app_ctx):
    with tenant_context(tenant("bekasi")):
        rows = _rows()
        for table, column, vocabulary, also in vocabulary_checks():
            assert rows[table] is not None, table
            for code in [*vocabulary, *also]:
                assert _set(table, column, code, rows[table]), f"{table}.{column} refuses its own code {code!r}"
            for bogus in ("bogus", "Active", f"{next(iter(vocabulary))} "):
                assert not _set(table, column, bogus, rows[table]), f"{table}.{column} took {bogus!r}"


def _literal_sets(path: Path) -> list[tuple[int, frozenset]]:
    """Tuples, lists, sets of two or more string literals, and the string keys of dict literals."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items = node.elts
        elif isinstance(node, ast.Dict):
            items = [k for k in node.keys if k is not None]
        else:
            continue
        if len(items) >= 2 and all(isinstance(i, ast.Constant) and isinstance(i.value, str) for i in items):
            found.append((node.lineno, frozenset(i.value for i in items)))
    return found


def test_each_vocabulary_is_defined_once(app_ctx):
    """No module spells out an enum's codes again (as a tuple, list, set or the keys of a dict)."""
    enums = {frozenset(m.value for m in vocabulary) | set(also): vocabulary
             for _, _, vocabulary, also in vocabulary_checks()}
    enums |= {frozenset(m.value for m in vocabulary): vocabulary for _, _, vocabulary, _ in vocabulary_checks()}
    copies = [f"{path.relative_to(APP.parent)}:{line} repeats {enums[codes].__name__}"
              for path in sorted(APP.rglob("*.py")) for line, codes in _literal_sets(path) if codes in enums]
    assert copies == []


def test_the_guard_finds_a_copy(tmp_path):
    copy = tmp_path / "copy.py"
    copy.write_text('LEVELS = {"regency": 1, "province": 2, "central": 3, "non_government": 4}\n')
    assert (1, frozenset({"regency", "province", "central", "non_government"})) in _literal_sets(copy)


@pytest.fixture()
def overdue_set(app_ctx):
    """Cases in Payakumbuh due in the past, in the future, without a deadline, and closed after the
    deadline passed; returns the region."""
    region = tenant("payakumbuh")
    now = utcnow()
    with tenant_context(region):
        late, early, open_ended, closed_late = (make_case("payakumbuh") for _ in range(4))
        late.due_at = now - timedelta(days=2)
        early.due_at = now + timedelta(days=2)
        open_ended.due_at = None
        closed_late.due_at, closed_late.closed_at = now - timedelta(days=3), now - timedelta(days=1)
        db.session.commit()  # platform figures read on their own connection (their own role on PostgreSQL)
    return region


def test_overdue_is_the_same_in_the_inbox_home_dashboard_and_platform(overdue_set):
    region, now = overdue_set, utcnow()
    with tenant_context(region):
        every = db.session.scalars(select(Case)).all()
        expected = {c.id for c in every if c.is_overdue(now)}
        assert expected, "the set has a late case"
        _user, manager = member("manager@payakumbuh.demo")
        inbox = {c.id for view in ("all", "closed")
                 for c in db.session.scalars(visible_cases(manager, InboxFilters(view=view, overdue=True)))}
        assert inbox == expected
        assert overdue_count(manager) == len(expected)
        today = now.date()
        assert sum(Reader(Period(today, today)).overdue().values()) == len(expected)
    with tenant_context(None):
        assert case_load(now, only=region.id)[region.id][1] == len(expected)
        national = {row.code: row.overdue for row in national_summary(Period(now.date(), now.date()))}
        assert national[region.region_code] == len(expected)
