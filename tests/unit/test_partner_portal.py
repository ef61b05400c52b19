"""The partner portal: a partner officer sees only the referrals sent to their partner, with only what
a referral shares, answers them, is reminded when one waits too long, and reaches no staff page.

Partner routes take a referral id, not a case id, and are not staff case routes: they are not in
test_area_access's AREA_ROUTES (which matches case arguments and `cases.*`); the area rule does not
apply to partners, whose rule is "the referral is addressed to my partner", tested here.
"""
from __future__ import annotations

import io
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.outbox import OutboundEmail
from app.accounts.partner_members import PartnerMembership, invite_partner_officer
from app.casework.letters import local_date
from app.casework.models import Case, CaseEvent, Partner, Referral
from app.casework.partner_portal import remind_partners
from app.citizens.identity import mask_nik
from app.extensions import db
from app.tenancy.context import tenant_context
from app.tenancy.models import utcnow
from tests.conftest import DEMO_PASSWORD
from tests.factories import make_case, tenant
from tests.helpers.attachments import png_bytes
from tests.helpers.letters import new_partner, send_referral

OFFICER_PASSWORD = "lembaga-mitra-kuat-2026"


def _sent(app, slug="bekasi", officer=True) -> dict:
    """A sent referral of `slug` to a new partner, with (optionally) one officer of that partner; committed."""
    with app.app_context(), tenant_context(tenant(slug)):
        if slug == "bekasi":  # through the real SOP steps
            case = send_referral(slug)
            referral = db.session.scalars(select(Referral).where(Referral.case_id == case.id)).one()
        else:  # another region's SOP has other roles: the referral is added directly
            case, partner = make_case(slug), new_partner()
            referral = Referral(case_id=case.id, partner_id=partner.id, reason="Uji.", status="sent", sent_at=utcnow())
            db.session.add(referral)
            db.session.flush()
        facts = dict(case_id=case.id, ticket=case.ticket, nik=case.citizen.nik, referral_id=referral.id,
                     partner_id=referral.partner_id, email=None)
        if officer:
            user = User(email=f"mitra-{uuid.uuid4().hex[:8]}@uji.id", name="Petugas Mitra")
            user.set_password(OFFICER_PASSWORD)
            db.session.add(user)
            db.session.flush()
            db.session.add(PartnerMembership(user_id=user.id, partner_id=referral.partner_id))
            facts["email"] = user.email
        db.session.commit()
        return facts


def _officer(region_client, facts, slug="bekasi"):
    client = region_client(slug)
    client.login(facts["email"], OFFICER_PASSWORD)
    return client


def _bekasi_referral():
    case = send_referral("bekasi")
    return {"referral_id": db.session.scalars(select(Referral).where(Referral.case_id == case.id)).one().id}


def _bekasi_partner():
    return {"partner_id": db.session.scalars(select(Partner)).first().id}


CROSS_TENANT = {
    # Staff of the owner region are refused (403, not their page); another region's anyone: 404.
    "partner.referral": ("GET", _bekasi_referral),
    "partner.letter": ("GET", _bekasi_referral),
    "settings_sop.partner_invite": ("POST", _bekasi_partner),
}


def test_partner_sees_only_its_own_partners_referrals(app, region_client):
    mine, other, elsewhere = _sent(app), _sent(app, officer=False), _sent(app, "cianjur", officer=False)
    client = _officer(region_client, mine)
    page = client.get("/partner/").get_data(as_text=True)
    assert mine["ticket"] in page and other["ticket"] not in page
    assert client.get(f"/partner/referrals/{mine['referral_id']}").status_code == 200
    assert client.get(f"/partner/referrals/{other['referral_id']}").status_code == 404
    assert client.get(f"/partner/referrals/{other['referral_id']}/letter.pdf").status_code == 404
    assert client.get(f"/partner/referrals/{elsewhere['referral_id']}").status_code == 404


def test_partner_sees_the_masked_nik_and_the_letter_only(app, region_client):
    facts = _sent(app)
    client = _officer(region_client, facts)
    page = client.get(f"/partner/referrals/{facts['referral_id']}").get_data(as_text=True)
    assert mask_nik(facts["nik"]) in page and facts["nik"] not in page
    letter = client.get(f"/partner/referrals/{facts['referral_id']}/letter.pdf")
    assert letter.status_code == 200 and letter.mimetype == "application/pdf"


def test_partner_answers_with_a_reply_letter_and_the_case_page_shows_it(app, region_client, staff):
    facts = _sent(app)
    client = _officer(region_client, facts)
    path = f"/partner/referrals/{facts['referral_id']}"
    bad = client.post(path, data={"result": "accepted", "plan": "  ", "due": ""})
    assert bad.status_code == 422 and "Tuliskan apa yang akan dilakukan" in bad.get_data(as_text=True)
    due = (utcnow() + timedelta(days=10)).date().isoformat()
    response = client.post(path, data={"result": "partly", "plan": "Biaya rawat inap ditanggung 50 persen.",
                                       "due": due, "reply": (io.BytesIO(png_bytes()), "balasan.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert "balasan" in client.get(path).get_data(as_text=True)
    assert client.post(path, data={"result": "accepted", "plan": "lagi", "due": due}).status_code == 409
    with app.app_context(), tenant_context(tenant("bekasi")):
        events = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == facts["case_id"],
                                                            CaseEvent.action == "partner_answer")).all()
        assert len(events) == 1 and events[0].data["answer_result"] == "partly" and events[0].data["attachment_id"]
    manager = staff("manager", "bekasi")
    case_page = manager.get(f"/cases/{facts['case_id']}").get_data(as_text=True)
    assert "Biaya rawat inap ditanggung 50 persen." in case_page and "Jawaban lembaga mitra" in case_page
    files = manager.get(f"/cases/{facts['case_id']}/attachments").get_data(as_text=True)
    assert "balasan" in files


def test_staff_do_not_open_the_partner_portal(app, staff):
    assert staff("manager", "bekasi").get("/partner/").status_code == 403


#: Region pages a partner officer may reach (besides their portal).
OPEN_TO_PARTNERS = {"static", "home.index", "api.openapi"}
#: auth.*: logging in and out, invitations, passwords — pages for everyone.
OPEN_PREFIXES = ("partner.", "public.", "locale.", "health.", "auth.")
#: 401: the JSON API answers to its tokens, never to a session cookie.
REFUSED = (401, 403, 404)


def _fill(rule) -> dict:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name].__class__.__name__
        values[name] = uuid.uuid4() if converter == "UUIDConverter" else (1 if "Int" in converter else "x")
    return values


def test_a_partner_officer_reaches_no_staff_page(app, region_client):
    facts = _sent(app)
    client = _officer(region_client, facts)
    opened = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in OPEN_TO_PARTNERS or rule.endpoint.startswith(OPEN_PREFIXES):
            continue
        path = rule.build(_fill(rule), append_unknown=False)[1]
        status = client.get(path).status_code
        if status not in REFUSED:
            opened.append((rule.endpoint, path, status))
    assert opened == [], opened
    assert client.get("/").location.endswith("/partner/")  # the front page sends them to their portal


def test_the_manager_invites_an_officer_and_an_existing_account_keeps_its_password(app, staff, region_client):
    facts = _sent(app, officer=False)
    manager = staff("manager", "bekasi")
    email = "manager@cianjur.demo"  # an account elsewhere on the platform
    refused = manager.post(f"/settings/partners/{facts['partner_id']}/invite", data={"email": "", "name": "X"})
    assert refused.status_code == 422 and "Email wajib diisi." in refused.get_data(as_text=True)
    staff_here = manager.post(f"/settings/partners/{facts['partner_id']}/invite",
                              data={"email": "case_officer@bekasi.demo", "name": "Staf"})
    assert staff_here.status_code == 422 and "staf daerah ini" in staff_here.get_data(as_text=True)
    with app.app_context():
        before = db.session.scalar(select(User.password_hash).where(User.email == email))
        with tenant_context(tenant("bekasi")):
            partner = db.session.get(Partner, (tenant("bekasi").id, facts["partner_id"]))
            _invitation, link = invite_partner_officer(partner, email=email, name="Petugas Lama")
            db.session.commit()
    token = link.rsplit("/", 1)[1]
    client = region_client("bekasi")
    assert client.post(f"/invite/{token}", data={"password": "bukan-sandinya-123"}).status_code == 422
    assert client.post(f"/invite/{token}", data={"password": DEMO_PASSWORD}).status_code == 302
    assert facts["ticket"] in client.get("/partner/").get_data(as_text=True)
    assert client.get("/cases/").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(User.password_hash).where(User.email == email)) == before


def test_the_invite_route_queues_an_invitation_for_the_partner(app, staff):
    facts = _sent(app, officer=False)
    email = f"baru-{uuid.uuid4().hex[:6]}@uji.id"
    manager = staff("manager", "bekasi")
    response = manager.post(f"/settings/partners/{facts['partner_id']}/invite", data={"email": email, "name": "Baru"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(OutboundEmail).where(OutboundEmail.to == email)) is not None


@pytest.fixture()
def waiting(app):
    """Three referrals of one partner with an officer: overdue, recent, and overdue but answered."""
    old, recent, answered = _sent(app), _sent(app), _sent(app)
    with app.app_context(), tenant_context(tenant("bekasi")):
        region = tenant("bekasi")
        for facts, hours in ((old, 100), (recent, 10), (answered, 100)):
            referral = db.session.get(Referral, (region.id, facts["referral_id"]))
            referral.sent_at = utcnow() - timedelta(hours=hours)
            if facts is answered:
                referral.partner_answered_at = utcnow()
        db.session.commit()
    return old, recent, answered


def test_reminders_go_once_a_day_for_referrals_waiting_beyond_the_response_time(app, waiting):
    old, recent, answered = waiting
    with app.app_context(), tenant_context(tenant("bekasi")):
        now = utcnow()
        ours = {old["referral_id"], recent["referral_id"], answered["referral_id"]}
        first = {r.id for r in remind_partners(now)} & ours
        assert first == {old["referral_id"]}
        # once a (local) day: five minutes later, or earlier when later is already tomorrow in WIB
        later = now + timedelta(minutes=5)
        same_day = later if local_date(later) == local_date(now) else now - timedelta(minutes=5)
        assert not {r.id for r in remind_partners(same_day)} & ours
        assert {r.id for r in remind_partners(now + timedelta(days=1))} & ours == {old["referral_id"]}
        mails = db.session.scalars(select(OutboundEmail).where(OutboundEmail.to == old["email"])).all()
        assert len(mails) == 2 and old["ticket"] in mails[0].subject
        case = db.session.get(Case, (tenant("bekasi").id, old["case_id"]))
        assert case is not None
        db.session.rollback()


def test_the_periodic_sweep_reminds_partners_too(app, waiting):
    from app.jobs.sla import sweep_job

    old, _recent, _answered = waiting
    with app.app_context():
        before = len(db.session.scalars(select(OutboundEmail).where(OutboundEmail.to == old["email"])).all())
        sweep_job()
        sweep_job()  # once a day, however often the sweep runs
        with tenant_context(tenant("bekasi")):
            after = db.session.scalars(select(OutboundEmail).where(OutboundEmail.to == old["email"])).all()
    assert len(after) == before + 1 and old["ticket"] in after[-1].subject
