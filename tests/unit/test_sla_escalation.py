"""SLA escalation: region data says who is told when a stage passes its SLA; the sweep is idempotent."""
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.casework.models import CaseEvent, SopVersion
from app.casework.staffing import Staffing
from app.casework.vocabulary import SopStatus
from app.extensions import db
from app.notices.escalation import sweep_overdue, sweep_region
from app.notices.models import Notice
from app.notices.vocabulary import NoticeKind
from app.tenancy.context import tenant_context
from app.tenancy.models import utcnow
from app.tenants.template import TemplateError, parse_template
from tests.factories import make_case, tenant

SLUG = "bekasi"
TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "tenants" / "templates"


def _told(case, level):
    return {n.recipient_id for n in db.session.scalars(select(Notice).where(
        Notice.case_id == case.id, Notice.kind == NoticeKind.SLA_PASSED.value,
        Notice.params["level"].as_integer() == level))}


def _escalations(case):
    return db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                      CaseEvent.action == "escalation").order_by(CaseEvent.at)).all()


def _holders(case, role):
    return {m.user_id for m in Staffing.now().by_role[role].near(case)}


def _overdue_case(now):
    case = make_case(SLUG)
    case.due_at = now - timedelta(minutes=5)
    db.session.flush()
    return case


def test_supervisor_first_then_manager_a_day_later(app_ctx):
    now = utcnow()
    with tenant_context(tenant(SLUG)):
        case = _overdue_case(now)
        handlers = {m.user_id for m in Staffing.now().takers(case)}
        supervisors, managers = _holders(case, "supervisor"), _holders(case, "manager")
        assert supervisors and managers
        db.session.commit()
    assert sweep_overdue(now) >= 1
    with tenant_context(tenant(SLUG)):
        assert _told(case, 1) == supervisors | handlers
        events = _escalations(case)
        assert [(e.data["level"], e.data["roles"]) for e in events] == [(1, ["supervisor"])]
    sweep_overdue(now + timedelta(minutes=1))  # at once again: nothing new for this case
    with tenant_context(tenant(SLUG)):
        assert len(_escalations(case)) == 1
        assert db.session.scalar(select(func.count()).select_from(Notice).where(Notice.case_id == case.id)) == \
            len(supervisors | handlers) + db.session.scalar(select(func.count()).select_from(Notice).where(
                Notice.case_id == case.id, Notice.kind != NoticeKind.SLA_PASSED.value))
        assert _told(case, 2) == set()
    sweep_overdue(now + timedelta(hours=24))
    with tenant_context(tenant(SLUG)):
        assert [e.data["level"] for e in _escalations(case)] == [1, 2]
        assert _escalations(case)[1].data["roles"] == ["manager"]
        assert _told(case, 2) == managers


def test_region_data_changes_who_is_told(app_ctx):
    now = utcnow()
    with tenant_context(tenant(SLUG)):
        case = _overdue_case(now)
        definition = dict(case.sop_version.definition)
        definition["escalation"] = [{"after_hours": 0, "notify": ["manager"]}]
        number = (db.session.scalar(select(func.max(SopVersion.number))) or 0) + 1
        version = SopVersion(number=number, status=SopStatus.SUPERSEDED, definition=definition)
        db.session.add(version)
        db.session.flush()
        case.sop_version_id = version.id
        db.session.flush()
        db.session.expire(case, ["sop_version"])
        handlers = {m.user_id for m in Staffing.now().takers(case)}
        sweep_region(now)
        assert _told(case, 1) == _holders(case, "manager") | handlers
        assert not (_holders(case, "supervisor") - handlers) & _told(case, 1)
        assert [e.data["roles"] for e in _escalations(case)] == [["manager"]]
        db.session.rollback()


def test_no_escalation_before_due(app_ctx):
    now = utcnow()
    with tenant_context(tenant(SLUG)):
        case = make_case(SLUG)
        sweep_region(now)
        assert _escalations(case) == []
        db.session.rollback()


def _template(escalation_yaml: str) -> str:
    text = (TEMPLATES / f"{SLUG}.yaml").read_text()
    start = text.index("  escalation:\n")
    end = text.index("\n\n", start)
    return text[:start] + escalation_yaml + text[end:]


def test_shipped_templates_carry_the_default_escalation():
    for path in TEMPLATES.glob("*.yaml"):
        template = parse_template(path.read_text(), path.name)
        assert template.sop["escalation"] == [{"after_hours": 0, "notify": ["supervisor"]},
                                              {"after_hours": 24, "notify": ["manager"]}]


@pytest.mark.parametrize("block, fragment", [
    ("  escalation:\n    - after_hours: 0\n      notify: [welfare_center_coordinator]", "welfare_center_coordinator"),
    ("  escalation:\n    - after_hours: 0\n      notify: [kepala_dunia]", "kepala_dunia"),
    ("  escalation:\n    - after_hours: -3\n      notify: [manager]", "after_hours"),
    ("  escalation:\n    - after_hours: 24\n      notify: [manager]\n    - after_hours: 2\n      notify: [manager]",
     "after_hours"),
    ("  escalation:\n    - after_hours: 0\n      notify: []", "notify"),
    ("  escalation: supervisor", "escalation"),
])
def test_invalid_escalation_refused_at_template_validation(app_ctx, block, fragment):
    with pytest.raises(TemplateError) as refused:
        parse_template(_template(block), f"uji-{uuid.uuid4().hex[:4]}.yaml")
    assert any("escalation" in p and fragment in p for p in refused.value.problems), refused.value.problems


def test_worker_schedules_the_sweep_every_five_minutes(app, monkeypatch):
    from app.jobs.queue import get_queue
    from app.jobs.sla import SWEEP_INTERVAL, make_cron, sweep_job

    monkeypatch.setitem(app.config, "RQ_QUEUE", f"slrt-test-{uuid.uuid4().hex[:8]}")
    monkeypatch.setitem(app.config, "REDIS_URL", app.config.get("REDIS_URL") or "redis://127.0.0.1:6379/15")
    with app.app_context():
        queue = get_queue()
        [job] = make_cron(queue).get_jobs()
        assert job.func is sweep_job and job.interval == SWEEP_INTERVAL == 300 and job.queue_name == queue.name


def test_cli_sweep_runs_without_redis(app):
    result = app.test_cli_runner().invoke(args=["sla", "sweep"])
    assert result.exit_code == 0 and "escalation levels fired:" in result.output
