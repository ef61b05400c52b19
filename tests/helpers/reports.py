"""Report and dashboard helpers: the known February data set, fresh sample regions, report jobs."""
from __future__ import annotations

import random
import re
import time
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import select

from app.casework.models import Case, Partner
from app.dashboard.models import ReportJob
from app.dashboard.periods import Period
from app.dashboard.reporting import download_token
from app.dashboard.sample import CaseworkSampler, Clock, onboard_copy
from app.extensions import db
from app.reference.models import District, Village
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant
from app.verval.models import DataUpdate
from tests.conftest import DEMO_PASSWORD

#: Fresh regions made from shipped templates, so other tests' cases never mix in.
SAMPLE_REGIONS = {"uji-rollup": ("batubara", "16.72", "Kota Uji Rollup"),
                  "uji-laporan": ("bekasi", "16.73", "Kota Uji Laporan"),
                  "uji-program": ("palembang", "16.74", "Kota Uji Program"),
                  "uji-bulanan": ("batubara", "16.01", "Kabupaten Uji Bulanan")}


def sample_region_id(app, slug: str):
    """Id of the fresh region `slug` (created once per test session)."""
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        if tenant is None:
            template, code, name = SAMPLE_REGIONS[slug]
            tenant = onboard_copy(template, slug, code, name, DEMO_PASSWORD)
            db.session.commit()
        return tenant.id


@contextmanager
def in_sample_region(app, slug: str):
    """The fresh region `slug` in context (an app context of its own); what the block left unflushed
    or uncommitted is rolled back after it."""
    tid = sample_region_id(app, slug)
    with app.app_context():
        tenant = db.session.get(Tenant, tid)
        with tenant_context(tenant):
            yield tenant
            db.session.rollback()


SLUG = "uji-laporan"


FEBRUARY = Period.month(2025, 2)


def _partner(level: str) -> Partner:
    return db.session.scalars(select(Partner).where(Partner.level == level).order_by(Partner.name)).first()


def build_known_data(app) -> dict:
    """Five cases, three pre-list proposals, four referrals, one citizen referred to two programs;
    and households receiving programs (`_known_receipts`)."""
    tid = sample_region_id(app, SLUG)
    with app.app_context():
        tenant = db.session.get(Tenant, tid)
        with tenant_context(tenant):
            if db.session.scalar(select(DataUpdate).limit(1)) is not None:
                return _districts(tenant)
            import random
            s = CaseworkSampler(random.Random(1))
            _d1, d2 = db.session.scalars(select(District.code).where(District.regency_code == tenant.region_code)
                                        .order_by(District.code).limit(2)).all()
            v2 = db.session.scalar(select(Village.code).where(Village.district_code == d2).order_by(Village.code))
            facilitator_village = next(a.village_code for m in s.members for a in m.areas if a.village_code)
            regency, province, central = _partner("regency"), _partner("province"), _partner("central")
            c = Clock(datetime(2025, 2, 3, 2, 0, tzinfo=UTC))
            citizen1 = s.new_citizen(facilitator_village)
            one = s.open_for(c, citizen1, "walk_in", "kesehatan")
            for key, hours, data in (("forward_to_back_office", 2, {}),
                                     ("request_referral", 5, {"partner_id": str(regency.id)}),
                                     ("approve_referral", 24, {}), ("send_referral", 2, {}),
                                     ("record_answer", 48, {"answer_result": "accepted"}),
                                     ("record_outcome", 24, {"outcome": "served"}),
                                     ("inform", 3, {"inform_channel": "phone"})):
                c.advance(hours)
                s.take(one, key, c, **data)
            c.advance(1)
            two = s.open_for(c, s.new_citizen(v2, in_register=True), "walk_in", "pendidikan")
            for key, hours, data in (("forward_to_back_office", 1, {}), ("handle", 10, {}),
                                     ("inform", 1, {"inform_channel": "in_person"})):
                c.advance(hours)
                s.take(two, key, c, **data)
            c.advance(1)
            three = s.open_for(c, s.new_citizen(v2), "walk_in", "kesehatan")
            for key, hours, data in (("forward_to_back_office", 1, {}),
                                     ("request_referral", 2, {"partner_id": str(central.id)}),
                                     ("return_referral", 3, {"note": "Lengkapi surat"}),
                                     ("request_referral", 4, {"partner_id": str(province.id)}),
                                     ("approve_referral", 5, {}), ("send_referral", 6, {})):
                c.advance(hours)
                s.take(three, key, c, **data)
            c.advance(1)
            four = s.open_for(c, s.new_citizen(facilitator_village), "home_visit", "pelayanan_dasar_lainnya")
            c.advance(20)
            s.take(four, "approve_field_record", c)
            c.advance(1)
            five = s.open_for(c, citizen1, "walk_in", "sosial")
            for key, hours, data in (("forward_to_back_office", 1, {}),
                                     ("request_referral", 1, {"partner_id": str(province.id)}),
                                     ("approve_referral", 1, {}), ("send_referral", 1, {}),
                                     ("record_answer", 30, {"answer_result": "rejected"}),
                                     ("record_outcome", 1, {"outcome": "not_served"}),
                                     ("inform", 1, {"inform_channel": "message"})):
                c.advance(hours)
                s.take(five, key, c, **data)
            proposal = db.session.scalar(select(DataUpdate).where(DataUpdate.case_id == three.id))
            proposal.status, proposal.stage = "approved", len(proposal.chain)
            _known_receipts(facilitator_village, v2)
            db.session.commit()
            return _districts(tenant)


def _known_receipts(village1: str, village2: str) -> None:
    """Households of the register and outside it, and what they receive now.

    In the register: H1 (district 1) flagged PKH and BPNT, its member PBI-JK; H2 (district 1)
    BPNT, its member PBI-JK; H4 (district 2) nothing; H5 (district 2) nothing, with a pending
    PKH participation and an ended BPNT one (neither counts). Outside it: H3 (district 2) with
    an approved participation in a regional program. With the case citizens' households (one of
    them in the register), nine households are known and three receive programs.
    """
    from datetime import date

    from app.dashboard.program_rollups import rebuild_program_rollups
    from app.programs.models import Participation, Program
    from app.tenancy.context import current_tenant_id
    from tests.helpers.households import Member, add_household

    one, two = (db.session.get(Village, code) for code in (village1, village2))
    add_household([Member("Kepala H1", programs=["pbi_jk"]), Member("Anak H1", "child", programs=["pbi_jk"])],
                  village=one, programs=["pkh", "bpnt"])
    add_household([Member("Kepala H2", programs=["pbi_jk"])], village=one, programs=["bpnt"])
    add_household([Member("Kepala H4")], village=two)
    h5 = add_household([Member("Kepala H5")], village=two)
    regional = Program(code="UJI_DAERAH", name="Bantuan Daerah Uji", level="regional", sort_order=100)
    db.session.add(regional)
    db.session.flush()
    by_code = {code: pid for code, pid in db.session.execute(select(Program.code, Program.id))}
    creator = db.session.scalar(select(DataUpdate.created_by).limit(1))
    h3_kk = f"{two.district_code.replace('.', '')}98{str(current_tenant_id().int)[:8]}"
    for kk, code, status, ended in ((h3_kk, "UJI_DAERAH", "approved", None), (h5.kk_number, "PKH", "pending", None),
                                    (h5.kk_number, "BPNT", "approved", date(2025, 1, 31))):
        db.session.add(Participation(program_id=by_code[code], source="field_visit", kk_number=kk,
                                     district_code=two.district_code, village_code=two.code, status=status,
                                     chain=[{"action": "decide", "roles": ["manager"], "legal_basis": ""}],
                                     stage=0 if status == "pending" else 1, ended_at=ended, created_by=creator))
    db.session.flush()
    rebuild_program_rollups(current_tenant_id())


def _districts(tenant) -> dict:
    names = db.session.execute(select(District.code, District.name).where(District.regency_code == tenant.region_code)
                               .order_by(District.code).limit(2)).all()
    return {"d1": names[0], "d2": names[1], "partners": {lvl: _partner(lvl).name for lvl in
                                                          ("regency", "province", "central")}}


def drain(app) -> None:
    """Run what is queued (RQ mode); inline mode already ran it."""
    if not app.config.get("REDIS_URL"):
        return
    from rq import SimpleWorker

    from app.jobs.queue import get_queue

    with app.app_context():
        queue = get_queue()
        SimpleWorker([queue], connection=queue.connection).work(burst=True)


def client_for(region_client, role="manager", slug=SLUG):
    client = region_client(slug)
    client.login(f"{role}@{slug}.demo", DEMO_PASSWORD)
    return client


def request_report(client, fmt="pdf", period="2025-02", kind="monthly"):
    field = "month" if kind == "monthly" else "year"
    response = client.post("/dashboard/reports", data={"kind": kind, field: period, "format": fmt})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def latest_job(app, slug=SLUG) -> ReportJob:
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        with tenant_context(tenant):
            job = db.session.scalars(select(ReportJob).order_by(ReportJob.created_at.desc())).first()
            db.session.expunge(job)
            return job


def download_link(page: str) -> str:
    match = re.search(r'href="(/dashboard/reports/[0-9a-f-]+/download\?token=[^"]+)"', page)
    assert match, "no download link on the page"
    return match.group(1).replace("&amp;", "&")


def job_in_bekasi_manager():
    """A finished report of the current region (bekasi) for its demo manager (cross-tenant test)."""
    import tempfile

    from flask import current_app

    from app.accounts.models import User
    from app.jobs.reports import reports_dir

    current_app.config.setdefault("REPORTS_DIR", tempfile.mkdtemp(prefix="slrt-reports-"))
    user = db.session.scalar(select(User).where(User.email == "manager@bekasi.demo"))
    job = ReportJob(kind="monthly", period="2025-01", format="pdf", requested_by=user.id, status="done",
                    progress=100)
    db.session.add(job)
    db.session.flush()
    folder = reports_dir() / "bekasi"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{job.id}.pdf").write_bytes(b"%PDF-1.4 uji")
    job.file_path = f"bekasi/{job.id}.pdf"
    return {"job_id": job.id, "token": download_token(job, user.id)}


def failing_writer(times: int | None):
    """A writer that writes half a file and fails `times` times (None: always)."""
    from app.dashboard import reporting

    calls = {"n": 0, "times": times}
    original = reporting.write_region_report

    def write(tenant, job, out, progress):
        calls["n"] += 1
        if calls["times"] is None or calls["n"] <= calls["times"]:
            out.write(b"%PDF-1.4 half a report")
            progress(50)
            raise RuntimeError("disk penuh (uji)")
        return original(tenant, job, out, progress)

    return write, calls


def abandon_queued_job(app, retries_left: int) -> None:
    """Take the one queued RQ job as a worker would, start it, and stop beating (the worker died)."""
    from rq.executions import Execution
    from rq.registry import StartedJobRegistry

    from app.jobs.queue import get_queue

    with app.app_context():
        queue = get_queue()
        (rq_id,) = queue.job_ids
        rq_job = queue.fetch_job(rq_id)
        queue.remove(rq_job)
        rq_job.retries_left = retries_left
        rq_job.set_status("started")
        rq_job.save()
        with queue.connection.pipeline() as pipe:
            execution = Execution.create(rq_job, ttl=90, pipeline=pipe, worker_name="dead-worker")
            pipe.execute()
        registry = StartedJobRegistry(queue=queue)
        queue.connection.zadd(registry.key, {execution.composite_key: time.time() - 5})  # heartbeat expired


def random_casework(seed: int, cases: int, start: datetime) -> list[Case]:
    """Open `cases` cases on random days, channels, areas and districts; walk each a random way."""
    rng = random.Random(seed)
    sampler = CaseworkSampler(rng, register_share=0.4, district_limit=3)
    clock = Clock(start)
    opened = []
    for _ in range(cases):
        clock.advance(rng.uniform(1, 30))
        case = sampler.open(clock)
        if case is not None:
            opened.append((case, Clock(clock.now)))
    rng.shuffle(opened)
    for case, own_clock in opened:  # interleaved in time across cases, as in an office
        sampler.walk(case, own_clock, until=start.replace(year=start.year + 1), max_steps=rng.randint(0, 12))
    for proposal in db.session.scalars(select(DataUpdate).where(DataUpdate.kind == "new_household")):
        if rng.random() < 0.4:
            proposal.status = rng.choice(["approved", "rejected"])
            proposal.stage = len(proposal.chain)
            if proposal.status == "approved" and rng.random() < 0.5:
                proposal.result = rng.choice(["accepted", "rejected"])
    db.session.flush()
    return [case for case, _clock in opened]
