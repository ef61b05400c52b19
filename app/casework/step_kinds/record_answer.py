"""`record_answer`: the partner's answer to the referral: accepted, rejected or partly, and its letter."""
from datetime import date
from typing import Any, ClassVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, StringField
from wtforms.validators import Length, Optional

from app.casework.step_kinds.base import StepInput, StepKind
from app.casework.step_kinds.referrals import open_referral
from app.casework.vocabulary import AnswerResult, ReferralStatus

LETTER_NUMBER_MAX = 100


def letter_date_of(data: StepInput) -> date | None:
    """The answer letter's date as entered (a date from the form, or an ISO string), else None."""
    value = data.value("letter_date")
    if isinstance(value, date) or not value:
        return value or None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


class RecordAnswer(StepKind):
    key = "record_answer"
    label = _l("Pencatatan jawaban lembaga")
    order = 70
    note = "required"
    fields: ClassVar[dict[str, Any]] = {
        "answer_result": RadioField(_l("Jawaban lembaga"), choices=list(AnswerResult.labels().items()),
                                    validate_choice=False),
        "letter_number": StringField(_l("Nomor surat jawaban"), validators=[
            Optional(), Length(max=LETTER_NUMBER_MAX, message=_l("Nomor surat paling banyak 100 karakter."))]),
        "letter_date": DateField(_l("Tanggal surat jawaban"), validators=[Optional()],
                                 invalid_value_message=_l("Tanggal surat tidak sah.")),
    }
    metrics = ("referral_answered", "response_hours")
    referral_stamp = "answered_at"

    def check(self, data) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        if data.answer_result not in AnswerResult.labels():
            errors["answer_result"] = [_("Pilih jawaban lembaga: diterima, ditolak, atau diterima sebagian.")]
        if len((data.letter_number or "").strip()) > LETTER_NUMBER_MAX:
            errors["letter_number"] = [_("Nomor surat paling banyak 100 karakter.")]
        letter_date = letter_date_of(data)
        if data.value("letter_date") and letter_date is None:
            errors["letter_date"] = [_("Tanggal surat tidak sah.")]
        elif letter_date is not None and letter_date > date.today():
            errors["letter_date"] = [_("Tanggal surat tidak boleh setelah hari ini.")]
        return errors

    def apply(self, case, data, now) -> dict:
        number, letter_date = (data.letter_number or "").strip(), letter_date_of(data)
        recorded = {"answer_result": data.answer_result, "letter_number": number,
                    "letter_date": letter_date.isoformat() if letter_date else ""}
        referral = open_referral(case)
        if referral is None:
            return recorded
        referral.status, referral.answered_at, referral.answer = ReferralStatus.ANSWERED, now, data.note.strip()
        referral.answer_result, referral.letter_number, referral.letter_date = data.answer_result, number, letter_date
        return {"partner": referral.partner.name, **recorded}

    def counts(self, tally) -> None:
        if not tally.referral:
            return
        tally.add("referral_answered", partner=True, detail=str(tally.data.get("answer_result") or ""))
        if tally.referral.sent_at is not None:
            tally.add("response_hours", partner=True, bucket=tally.bucket_since(tally.referral.sent_at))

    def program(self, event):
        return False


KIND = RecordAnswer()
