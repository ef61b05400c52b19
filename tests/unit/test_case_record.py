"""What a case's record holds: a required note is really written, the partner's answer (result,
letter number and date) is recorded, shown and counted, and the timeline reads oldest first."""
from __future__ import annotations

import re
import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from app.casework.errors import StepInvalid
from app.casework.models import CaseEvent, Partner
from app.casework.steps import StepInput, take_step
from app.dashboard.rollups import read_counters
from app.extensions import db
from app.tenancy.context import tenant_context
from app.tenancy.models import utcnow
from tests.factories import make_case, member, tenant


def step(case, key, role, slug, **data):
    user, membership = member(f"{role}@{slug}.demo")
    return take_step(case, key, StepInput(**data), user=user, membership=membership, expected_version=case.version)


def events_of(case) -> int:
    return db.session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case.id))


@pytest.mark.parametrize("note", ["", "   \n ", "\u200b", " \u00a0\ufeff "])
def test_an_empty_analysis_is_not_accepted_for_approval(app_ctx, note):
    """Palembang's back office submits its analysis for the supervisor's approval: the analysis is the note."""
    with tenant_context(tenant("palembang")):
        case = make_case("palembang")
        step(case, "forward_to_back_office", "intake_officer", "palembang")
        before = (case.state, case.version, events_of(case))
        with pytest.raises(StepInvalid) as err:
            step(case, "submit_analysis", "case_officer", "palembang", note=note)
        assert err.value.errors == {"note": ["Catatan wajib diisi untuk langkah ini."]}
        assert (case.state, case.version, events_of(case)) == before
        step(case, "submit_analysis", "case_officer", "palembang", note="Keluarga layak dirujuk ke Dinas Sosial.")
        assert case.state == "analysis_review"


def test_invisible_characters_are_no_note_for_any_required_step(app_ctx):
    """The rule is one check in the step-taking path: a reason made of zero-width spaces is refused."""
    with tenant_context(tenant("palembang")):
        case = make_case("palembang", channel="home_visit")
        with pytest.raises(StepInvalid) as err:
            step(case, "return_field_record", "supervisor", "palembang", note="\u200b\u200b")
        assert err.value.errors == {"note": ["Alasan pengembalian wajib diisi."]}


@pytest.fixture()
def awaiting_answer(app_ctx):
    """A Payakumbuh case whose referral to a fresh partner was sent and awaits the answer."""
    with tenant_context(tenant("payakumbuh")):
        case = make_case("payakumbuh")
        partner = Partner(name=f"Dinas Uji {uuid.uuid4().hex[:6]}", level="regency", kind="opd")
        db.session.add(partner)
        db.session.flush()
        step(case, "forward_to_back_office", "intake_officer", "payakumbuh")
        step(case, "request_referral", "case_officer", "payakumbuh", note="Perlu bantuan", partner_id=str(partner.id))
        step(case, "approve_referral", "unit_head", "payakumbuh")
        step(case, "send_referral", "case_officer", "payakumbuh")
        yield case, partner
        # Retired afterwards: the region's exported configuration must stay as its template made it
        # (tests/unit/test_export.py round-trips it).
        db.session.rollback()
        partner.retired_at = utcnow()
        db.session.commit()


def test_the_answer_needs_its_result(awaiting_answer):
    case, _partner = awaiting_answer
    with pytest.raises(StepInvalid) as err:
        step(case, "record_answer", "case_officer", "payakumbuh", note="Sudah dijawab", answer_result="mungkin")
    assert err.value.errors == {"answer_result": [
        "Pilih jawaban lembaga: diterima, ditolak, atau diterima sebagian."]}


def test_the_answer_records_result_letter_number_and_date_and_is_counted(awaiting_answer):
    case, partner = awaiting_answer
    step(case, "record_answer", "case_officer", "payakumbuh", note="Dua dari tiga bantuan disetujui",
         answer_result="partly", letter_number="400/123/Dinsos/2026", extra={"letter_date": date(2026, 11, 30)})
    referral = case.referrals[-1]
    assert (referral.answer_result, referral.letter_number, referral.letter_date) == (
        "partly", "400/123/Dinsos/2026", date(2026, 11, 30))
    assert case.events[-1].data["answer_result"] == "partly"
    counters = read_counters(db.session, tenant("payakumbuh").id)
    answered = {key.detail for key, value in counters.items()
                if key.metric == "referral_answered" and str(key.partner_id) == str(partner.id) and value}
    assert answered == {"partly"}


def test_the_answer_shows_in_the_timeline(app, staff, awaiting_answer):
    case, _partner = awaiting_answer
    step(case, "record_answer", "case_officer", "payakumbuh", note="Ditolak: kuota habis",
         answer_result="rejected", letter_number="005/77/2026", extra={"letter_date": "2026-11-28"})
    db.session.commit()
    page = staff("case_officer", "payakumbuh").get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Jawaban lembaga: Ditolak" in page and "005/77/2026" in page and "28-11-2026" in page


def test_the_answer_form_keeps_a_bad_letter_date_at_its_field(app, staff, awaiting_answer):
    case, _partner = awaiting_answer
    version = case.version
    db.session.commit()
    response = staff("case_officer", "payakumbuh").post(f"/cases/{case.id}/steps/record_answer", data={
        "record_answer-version": version, "record_answer-note": "Dijawab", "record_answer-answer_result": "accepted",
        "record_answer-letter_number": "12/2026", "record_answer-letter_date": "2099-01-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Tanggal surat tidak boleh setelah hari ini." in page
    assert 'value="12/2026"' in page


def test_the_timeline_reads_oldest_first_with_numbering(app, staff):
    with app.app_context(), tenant_context(tenant("cianjur")):
        case = make_case("cianjur")
        step(case, "forward_to_back_office", "intake_officer", "cianjur", note="Diteruskan pertama")
        case_id, labels = case.id, [e.label for e in case.events]
        db.session.commit()
    page = staff("manager", "cianjur").get(f"/cases/{case_id}").get_data(as_text=True)
    timeline = page[page.index('class="events"'):]
    positions = [timeline.index(label) for label in labels]
    assert positions == sorted(positions)
    assert re.findall(r'<li value="(\d+)"', timeline) == ["1", "2"]
