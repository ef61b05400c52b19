"""In-app notices: who gets which, never across regions, the bell, mark read, email choices."""
import uuid

import pytest
from sqlalchemy import select

from app.accounts.invitations import accept_invitation, create_invitation
from app.accounts.models import Membership, User
from app.accounts.outbox import OutboundEmail
from app.casework.models import Partner
from app.casework.staffing import Staffing
from app.casework.steps import StepInput, take_step
from app.extensions import db
from app.notices.models import Notice
from app.notices.operations import set_email_choices
from app.notices.vocabulary import NoticeKind
from app.org.models import Position
from app.tenancy.context import tenant_context
from tests.factories import make_case, member, tenant, village_of

SLUG = "payakumbuh"


def _step(case, key, email, **data):
    user, membership = member(email)
    return take_step(case, key, StepInput(**data), user=user, membership=membership, expected_version=case.version)


def _partner():
    found = Partner(name=f"Dinas Uji {uuid.uuid4().hex[:6]}", level="regency", kind="opd")
    db.session.add(found)
    db.session.flush()
    return found


def _recipients(case, kind):
    return {n.recipient_id for n in db.session.scalars(select(Notice).where(Notice.case_id == case.id,
                                                                           Notice.kind == kind.value))}


def _own_notice(email, slug="bekasi"):
    """A fresh case-waiting notice for `email` in `slug` (made through `notify`)."""
    from app.notices.operations import notify

    user, _m = member(email)
    case = make_case(slug)
    notify([user], NoticeKind.CASE_WAITING, case, stage="test", stage_label="Uji")
    return db.session.scalar(select(Notice).where(Notice.case_id == case.id, Notice.recipient_id == user.id))


def _bekasi_notice():
    return {"notice_id": _own_notice("manager@bekasi.demo").id}


CROSS_TENANT = {"notices.read": ("POST", _bekasi_notice)}


@pytest.fixture()
def payakumbuh(app_ctx):
    with tenant_context(tenant(SLUG)):
        yield


def test_case_waiting_goes_to_who_can_take_it_and_not_the_actor(payakumbuh):
    case = make_case(SLUG)
    _step(case, "forward_to_back_office", f"intake_officer@{SLUG}.demo")
    takers = {m.user_id for m in Staffing.now().takers(case)}
    officer, _m = member(f"case_officer@{SLUG}.demo")
    intake, _m = member(f"intake_officer@{SLUG}.demo")
    assert officer.id in takers
    assert _recipients(case, NoticeKind.CASE_WAITING) == takers - {intake.id}


def test_referral_returned_and_approved_go_to_the_requester_only(payakumbuh):
    case, target = make_case(SLUG), _partner()
    officer, _m = member(f"case_officer@{SLUG}.demo")
    _step(case, "forward_to_back_office", f"intake_officer@{SLUG}.demo")
    _step(case, "request_referral", f"case_officer@{SLUG}.demo", note="Perlu bantuan", partner_id=str(target.id))
    head, _m = member(f"unit_head@{SLUG}.demo")
    assert head.id in _recipients(case, NoticeKind.CASE_WAITING)  # the approval waits on the unit head
    _step(case, "return_referral", f"unit_head@{SLUG}.demo", note="Lengkapi surat")
    assert _recipients(case, NoticeKind.REFERRAL_RETURNED) == {officer.id}
    assert _recipients(case, NoticeKind.REFERRAL_APPROVED) == set()
    _step(case, "request_referral", f"case_officer@{SLUG}.demo", note="Sudah lengkap", partner_id=str(target.id))
    _step(case, "approve_referral", f"unit_head@{SLUG}.demo")
    assert _recipients(case, NoticeKind.REFERRAL_APPROVED) == {officer.id}


def test_notices_stay_in_their_region(app_ctx):
    with tenant_context(tenant(SLUG)):
        case = make_case(SLUG)
        _step(case, "forward_to_back_office", f"intake_officer@{SLUG}.demo")
        recipients = _recipients(case, NoticeKind.CASE_WAITING)
        members = set(db.session.scalars(select(Membership.user_id)))
        assert recipients and recipients <= members
        case_id = case.id
        db.session.commit()
    with tenant_context(tenant("bekasi")):
        assert db.session.scalars(select(Notice).where(Notice.case_id == case_id)).all() == []


def test_invitation_accepted_tells_the_inviter(app_ctx):
    region = tenant(SLUG)
    with tenant_context(region):
        inviter, _m = member(f"manager@{SLUG}.demo")
        position = db.session.scalar(select(Position).where(Position.role == "facilitator"))
        village = village_of(SLUG)
        email = f"baru.{uuid.uuid4().hex[:8]}@uji.id"
        invitation, _link = create_invitation(email, "Petugas Notis", invited_by=inviter, tenant=region,
                                               position=position, areas=[(village.district_code, village.code)])
    accept_invitation(invitation, "gerobak-lampu-senja-41", name="Petugas Notis")
    with tenant_context(region):
        got = db.session.scalars(select(Notice).where(Notice.kind == NoticeKind.INVITATION_ACCEPTED.value,
                                                      Notice.params["name"].as_string() == "Petugas Notis")).all()
        assert [n.recipient_id for n in got] == [inviter.id]


def test_bell_count_list_and_mark_read(app, staff):
    with app.app_context(), tenant_context(tenant("bekasi")):
        user = db.session.scalar(select(User).where(User.email == "supervisor@bekasi.demo"))
        for n in db.session.scalars(select(Notice).where(Notice.recipient_id == user.id)):
            n.read_at = n.created_at
        notice = _own_notice("supervisor@bekasi.demo")
        other = _own_notice("manager@bekasi.demo")
        notice_id, other_id = notice.id, other.id
        db.session.commit()
    me = staff("supervisor", "bekasi")
    fragment = me.get("/notices/count")
    assert fragment.status_code == 200 and ">1<" in fragment.get_data(as_text=True)
    page = me.get("/notices").get_data(as_text=True)
    assert "menunggu Anda" in page
    assert me.get("/").status_code in (200, 302)
    assert me.post(f"/notices/{other_id}/read").status_code == 404  # someone else's notice
    assert me.post(f"/notices/{notice_id}/read").status_code == 302
    assert ">1<" not in me.get("/notices/count").get_data(as_text=True)
    with app.app_context(), tenant_context(tenant("bekasi")):
        assert db.session.get(Notice, (tenant("bekasi").id, other_id)).read_at is None


def test_base_page_has_the_bell(staff):
    page = staff("supervisor", "bekasi").get("/home").get_data(as_text=True)
    assert 'hx-get="/notices/count"' in page and 'href="/notices"' in page


def test_preferences_page_saves_choices(app, staff):
    me = staff("facilitator", "bekasi")
    assert me.get("/notices/preferences").status_code == 200
    assert me.post("/notices/preferences", data={"email": ["sla_passed", "bogus"]}).status_code == 302
    page = me.get("/notices/preferences").get_data(as_text=True)
    assert 'value="sla_passed" checked' in page and 'value="case_waiting" checked' not in page


def test_email_only_when_chosen(payakumbuh):
    officer, _m = member(f"case_officer@{SLUG}.demo")
    head, _m = member(f"unit_head@{SLUG}.demo")
    set_email_choices(officer.id, [NoticeKind.CASE_WAITING.value])
    set_email_choices(head.id, [])
    before = {u: _mail_count(u) for u in (officer.email, head.email)}
    case, target = make_case(SLUG), _partner()
    _step(case, "forward_to_back_office", f"intake_officer@{SLUG}.demo")
    _step(case, "request_referral", f"case_officer@{SLUG}.demo", note="Perlu", partner_id=str(target.id))
    assert head.id in _recipients(case, NoticeKind.CASE_WAITING)
    assert _mail_count(officer.email) == before[officer.email] + 1
    assert _mail_count(head.email) == before[head.email]
    mail = db.session.scalars(select(OutboundEmail).where(OutboundEmail.to == officer.email)
                              .order_by(OutboundEmail.created_at.desc())).first()
    assert case.ticket in mail.body


def _mail_count(email):
    return len(db.session.scalars(select(OutboundEmail).where(OutboundEmail.to == email)).all())


def test_the_light_holders_find_the_same_takers_as_the_members(payakumbuh):
    """Whom a step notifies comes from plain rows (`Staffing.holding`); for every open case of the region,
    in every stage, they are exactly the members `Staffing.now` finds (areas, units, assignees and all)."""
    from app.casework.models import Case

    case = make_case(SLUG)
    _step(case, "forward_to_back_office", f"intake_officer@{SLUG}.demo")
    assigned = make_case(SLUG)
    assigned.assignee_id = member(f"case_officer@{SLUG}.demo")[0].id
    db.session.flush()
    members = Staffing.now()
    checked = 0
    for open_case in db.session.scalars(select(Case).where(Case.closed_at.is_(None))):
        roles = members.waiting_roles(open_case)
        if not roles:
            continue
        light = [m.user_id for m in Staffing.holding(roles).takers(open_case)]
        assert light == [m.user_id for m in Staffing.now(roles).takers(open_case)], open_case.ticket
        checked += 1
    assert checked >= 2
    # And member by member, for every role: the same post, unit and areas as the ORM reads them.
    from app.casework.staffing import active_members, role_holders
    from app.org.vocabulary import ROLES

    def shape(m):
        areas = sorted((a.district_code, a.village_code or "") for a in m.areas)
        return m.user_id, m.position.role, m.position.unit.id, m.position.unit.kind, areas

    light = [shape(m) for m in role_holders(ROLES)]
    assert light == [shape(m) for m in active_members(ROLES)]
    assert any(areas for *_rest, areas in light) and len({unit for _u, _r, unit, _k, _a in light}) > 1


def test_a_notice_already_given_is_neither_made_nor_emailed_again(payakumbuh):
    from app.notices.operations import notify

    officer, _m = member(f"case_officer@{SLUG}.demo")
    set_email_choices(officer.id, [NoticeKind.CASE_WAITING.value])
    case = make_case(SLUG)
    before = _mail_count(officer.email)
    assert notify([officer.id], NoticeKind.CASE_WAITING, case, stage="uji", stage_label="Uji") == [officer.id]
    assert notify([officer], NoticeKind.CASE_WAITING, case, stage="uji", stage_label="Uji") == []
    assert _recipients(case, NoticeKind.CASE_WAITING) == {officer.id}
    assert _mail_count(officer.email) == before + 1
    notice = db.session.scalar(select(Notice).where(Notice.case_id == case.id))
    assert notice.params == {"ticket": case.ticket, "stage_label": "Uji"} and notice.created_at is not None
