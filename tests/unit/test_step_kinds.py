"""The registry of step kinds: every kind is complete, every kind in use is known, and a
kind added as one module at runtime is accepted, rendered and counted with nothing else changed."""
from __future__ import annotations

import copy
import importlib.util
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from jinja2 import ChoiceLoader, FileSystemLoader
from sqlalchemy import func, select

from app.casework.errors import StepInvalid
from app.casework.models import CaseEvent, SopVersion
from app.casework.sop import NOTE_RULES, SopError, parse_sop
from app.casework.sop_diff import diff_sop
from app.casework.sop_store import current_version
from app.casework.step_kinds import KIND_LABELS, REGISTRY, StepInput, register, unregister
from app.casework.steps import take_step
from app.dashboard import metrics
from app.dashboard.facts import load_histories
from app.dashboard.metrics import CaseFacts, EventFacts, ReferralFacts, event_deltas
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import make_case, member, tenant

APP_DIR = Path(__file__).resolve().parents[2] / "app"
#: The rollup metrics metrics.py documents (its docstring lists each as `name`).
DOCUMENTED_METRICS = {m for line in metrics.__doc__.splitlines() if line.startswith("* ")
                      for m in re.findall(r"`(\w+)`", line)}


def _region_files() -> list[Path]:
    """The five region templates and the starting points (wherever the tenant package lives)."""
    files = sorted(APP_DIR.glob("*/templates/*.yaml")) + sorted(APP_DIR.glob("*/starting_points/*.yaml"))
    assert len(files) >= 6, files
    return files


def _rich_event(kind: str) -> EventFacts:
    at = datetime(2026, 3, 2, 5, tzinfo=UTC)
    referral = ReferralFacts("p1", "province", at - timedelta(days=3), at - timedelta(days=2),
                             at - timedelta(days=1), at, at)
    data = {"referral": "approved", "outcome": "served", "inform_channel": "phone", "partner": "X"}
    return EventFacts(kind=kind, at=at, from_state="a", to_state="b", to_final=False, data=data,
                      prev_at=at - timedelta(hours=5), intake_at=at - timedelta(days=4), referral=referral)


@pytest.mark.parametrize("key", list(REGISTRY))
def test_every_kind_has_all_its_parts(app, key):
    kind = REGISTRY[key]
    assert kind.key == key and str(kind.label).strip() and str(KIND_LABELS[key]) == str(kind.label)
    assert kind.note in NOTE_RULES
    assert app.jinja_env.get_template(kind.template)  # how it renders on the case page
    assert set(kind.metrics) <= DOCUMENTED_METRICS, kind.metrics
    counted = {k.metric for k in event_deltas(CaseFacts("1371010", "kesehatan", "walk_in", "", None),
                                              _rich_event(key))}
    own = counted - {"open", "state_hours"}
    assert own <= set(kind.metrics), own  # it counts only what it declares


def test_every_kind_the_regions_use_is_registered():
    for path in _region_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        used = {t.get("kind") or "forward" for t in data["sop"]["transitions"]}
        assert used <= set(REGISTRY), (path.name, used - set(REGISTRY))


def test_format_md_lists_every_registered_kind():
    (fmt,) = APP_DIR.glob("*/templates/FORMAT.md")
    table = fmt.read_text(encoding="utf-8").split("Kinds of step", 1)[1].split("\n#", 1)[0]
    listed = re.findall(r"^\| `(\w+)` \|", table, re.M)
    assert listed == list(REGISTRY)


FAKE_KIND = '''
"""`test_home_check`: a home check with a visit code (only in tests)."""
from wtforms import StringField

from app.casework.step_kinds.base import StepKind


class HomeCheck(StepKind):
    key = "test_home_check"
    label = "Cek rumah (uji)"
    order = 999
    fields = {"visit_code": StringField("Kode kunjungan uji")}
    metrics = ("home_checks",)
    template = "cases/steps/test_home_check.html"

    def check(self, data):
        return {} if (data.value("visit_code") or "").strip() else {"visit_code": ["Isi kode kunjungan."]}

    def apply(self, case, data, now):
        return {"visit_code": data.value("visit_code").strip()}

    def counts(self, tally):
        tally.add("home_checks", area=True, detail=tally.data.get("visit_code", ""))


KIND = HomeCheck()
'''
FAKE_TEMPLATE = ('{% extends "cases/steps/_step.html" %}'
                 '{% block fields %}{% from "_form_macros.html" import field %}{{ field(form.visit_code) }}'
                 '{% endblock %}')


@pytest.fixture()
def fake_kind(app, tmp_path, monkeypatch):
    """A kind module written to disk, loaded and registered at runtime; removed afterwards."""
    (tmp_path / "fake_kind.py").write_text(FAKE_KIND, encoding="utf-8")
    (tmp_path / "cases" / "steps").mkdir(parents=True)
    (tmp_path / "cases" / "steps" / "test_home_check.html").write_text(FAKE_TEMPLATE, encoding="utf-8")
    monkeypatch.setattr(app.jinja_env, "loader", ChoiceLoader([FileSystemLoader(str(tmp_path)), app.jinja_env.loader]))
    spec = importlib.util.spec_from_file_location("slrt_fake_step_kind", tmp_path / "fake_kind.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    unregister("test_home_check")


def _with_fake_step(definition: dict) -> dict:
    out = copy.deepcopy(definition)
    step = next(t for t in out["transitions"] if t["key"] == "forward_to_back_office")
    step["kind"] = "test_home_check"
    return out


def _as(app, email: str, view: str, **kw):
    """Call a view as `email` in this region, in this test's transaction (nothing committed)."""
    from flask_login import login_user

    from app.accounts.auth import SessionUser

    user, membership = member(email)
    method, data = ("POST", kw.pop("data")) if "data" in kw else ("GET", None)
    with app.test_request_context(method=method, data=data):
        login_user(SessionUser(user, membership))
        return app.view_functions[view](**kw)


def test_a_kind_added_as_one_module_is_accepted_rendered_and_counted(app, app_ctx, fake_kind):
    with tenant_context(tenant("payakumbuh")):
        base = current_version()
        definition = _with_fake_step(base.definition)
        with pytest.raises(SopError, match="test_home_check"):
            parse_sop(definition)
        register(fake_kind)
        assert parse_sop(definition).transition("forward_to_back_office").kind == "test_home_check"
        assert any("Cek rumah (uji)" in str(c) for c in diff_sop(base.definition, definition))

        version = SopVersion(number=db.session.scalar(select(func.max(SopVersion.number))) + 1,
                             status="superseded", definition=definition, regulation=base.regulation)
        case = make_case("payakumbuh")
        case.sop_version = version
        db.session.flush()

        page, status = _as(app, "intake_officer@payakumbuh.demo", "cases.show", case_id=case.id)
        assert status == 200 and "Kode kunjungan uji" in page and 'name="forward_to_back_office-visit_code"' in page

        page, status = _as(app, "intake_officer@payakumbuh.demo", "cases.step", case_id=case.id,
                           key="forward_to_back_office",
                           data={"forward_to_back_office-version": case.version})
        assert status == 422 and "Isi kode kunjungan." in page and case.state == "registered"

        user, membership = member("intake_officer@payakumbuh.demo")
        with pytest.raises(StepInvalid):
            take_step(case, "forward_to_back_office", StepInput(), user=user, membership=membership,
                      expected_version=case.version)
        response = _as(app, "intake_officer@payakumbuh.demo", "cases.step", case_id=case.id,
                       key="forward_to_back_office",
                       data={"forward_to_back_office-version": case.version,
                             "forward_to_back_office-visit_code": " KV-7 "})
        assert response.status_code == 302 and case.state == "analysis"
        event = db.session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                          CaseEvent.action == "forward_to_back_office"))
        assert event.data == {"visit_code": "KV-7"}

        history = load_histories(db.session, tenant("payakumbuh").id, [case.id])[case.id]
        counted = Counter({k: v for k, v in history.deltas().items() if k.metric == "home_checks"})
        assert [(k.detail, k.service_area, v) for k, v in counted.items()] == [("KV-7", "kesehatan", 1)]


def test_a_referral_whose_partner_went_after_the_check_is_refused_at_the_field(app_ctx):
    """check() passed, then the partner was retired before apply(): the step is refused, not a crash."""
    from app.casework.step_kinds.request_referral import RequestReferral

    with tenant_context(tenant("bekasi")), pytest.raises(StepInvalid) as refused:
        RequestReferral().apply(None, StepInput(partner_id="bukan-lembaga", note="rujuk"), datetime.now(UTC))
    assert list(refused.value.errors) == ["partner_id"]
