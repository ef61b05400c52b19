"""The year-end evaluation (page and PDF, with the evaluating office's notes) and each Puskesos's
figures, counted against cases made by hand."""
from __future__ import annotations

import subprocess
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.casework.models import Case, Referral
from app.dashboard.periods import Period
from app.dashboard.periods import today as local_today
from app.extensions import db
from app.monitoring.figures import welfare_center_figures
from app.org.welfare_centers import open_welfare_center, villages_without_welfare_center
from app.reference.models import Village
from app.tenancy.context import tenant_context
from tests.factories import make_case, member, tenant
from tests.helpers.monitoring import make_plan

REGION = "palembang"


def pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode()


def test_evaluation_pdf_has_figures_plan_against_realisation_and_the_offices_notes(app, staff):
    with app.app_context(), tenant_context(tenant(REGION)):
        plan, activity, _line = make_plan(REGION, amount="3.000.000", target="8")
        activity.achieved = 6
        year, owner = plan.year, plan.owner_name
        db.session.commit()
    note = f"Serapan rendah {uuid.uuid4().hex[:6]}"
    evaluator = staff("monitoring_officer", REGION)  # Bappeda's post (Pasal 27 ayat (1))
    assert evaluator.post(f"/monitoring/evaluation/notes?year={year}", data={"text": ""}).status_code == 422
    assert evaluator.post(f"/monitoring/evaluation/notes?year={year}", data={"text": note}).status_code == 302
    assert staff("manager", REGION).post(f"/monitoring/evaluation/notes?year={year}",
                                         data={"text": "x"}).status_code == 403
    page = staff("manager", REGION).get(f"/monitoring/evaluation?year={year}").get_data(as_text=True)
    assert owner in page and note in page and "Badan Perencanaan Pembangunan Daerah" in page
    response = staff("manager", REGION).get(f"/monitoring/evaluation.pdf?year={year}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for expected in ("Evaluasi Akhir Tahun Penyelenggaraan SLRT Tahun", str(year), "Pengaduan diterima", owner,
                     "Sosialisasi SLRT", "Rp 3.000.000", "75%", note, "Pasal 27 ayat (1)",
                     "Badan Perencanaan Pembangunan Daerah"):
        assert expected in " ".join(text.split()), expected
    with app.app_context(), tenant_context(tenant(REGION)):
        from app.audit.models import AuditEvent

        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "monitoring.evaluation.download",
                                                          AuditEvent.object_id == str(year))) is not None


def _two_villages(app):
    """Two villages without a Puskesos and without cases (other tests' cases would count in the
    figures): one in the demo supervisor's district, one outside it."""
    with app.app_context(), tenant_context(tenant(REGION)):
        _user, supervisor = member(f"supervisor@{REGION}.demo")
        own = {a.district_code for a in supervisor.areas}
        with_cases = set(db.session.scalars(select(Case.village_code).distinct()))
        free = [v for v in villages_without_welfare_center() if v[1] not in with_cases]
        inside = next(code for _d, code, _n in free if db.session.get(Village, code).district_code in own)
        outside = next(code for _d, code, _n in free if db.session.get(Village, code).district_code not in own)
        return inside, outside


def test_each_welfare_center_has_its_own_figures(app, staff):
    inside, outside = _two_villages(app)
    now = datetime.now(UTC)
    with app.app_context(), tenant_context(tenant(REGION)):
        unit = open_welfare_center(village_code=inside, name=f"Puskesos Uji {uuid.uuid4().hex[:5]}",
                                   legal_basis="Pasal 16")
        other = open_welfare_center(village_code=outside, name=f"Puskesos Luar {uuid.uuid4().hex[:5]}",
                                    legal_basis="Pasal 16")
        cases = [make_case(REGION) for _ in range(5)]
        # 1: recorded by the Puskesos's post, finished; 2: through the Puskesos channel in its village, referred;
        # 3: recorded by the post, open and late; 4: last year (not in the period), late now; 5: elsewhere
        for case in cases[:4]:
            case.village_code = inside
        cases[0].origin_unit_id, cases[0].closed_at = unit.id, now
        cases[1].channel, cases[1].origin_unit_id = "welfare_center", None
        partner = db.session.scalars(select(Referral.partner_id)).first()
        if partner is not None:
            db.session.add(Referral(case_id=cases[1].id, partner_id=partner))
        cases[2].origin_unit_id, cases[2].due_at = unit.id, now - timedelta(hours=1)
        cases[3].origin_unit_id, cases[3].due_at = unit.id, now - timedelta(days=400)
        cases[3].created_at = now - timedelta(days=400)
        cases[4].origin_unit_id = other.id
        db.session.flush()
        local = local_today()  # the region's month (WIB): from 00:00 to 07:00 on the 1st the UTC date is last month's
        period = Period.month(local.year, local.month)
        rows = {r.name: r for r in welfare_center_figures(period)}
        row = rows[unit.name]
        assert (row.recorded, row.handled, row.referred, row.overdue) == (3, 1, 1 if partner else 0, 2)
        assert rows[other.name].recorded == 1
        names = unit.name, other.name
        db.session.commit()
    supervisor = staff("supervisor", REGION).get("/monitoring/welfare-centers").get_data(as_text=True)
    assert names[0] in supervisor and names[1] not in supervisor  # a supervisor sees their districts only
    manager = staff("manager", REGION).get("/monitoring/welfare-centers").get_data(as_text=True)
    assert names[0] in manager and names[1] in manager
    assert staff("intake_officer", REGION).get("/monitoring/welfare-centers").status_code == 403
