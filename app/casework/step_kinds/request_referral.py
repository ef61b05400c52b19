"""`request_referral`: the back office proposes a referral to one of the region's partners."""
from typing import Any, ClassVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from app.casework.errors import StepInvalid
from app.casework.models import Referral
from app.casework.step_kinds.base import StepKind
from app.casework.step_kinds.referrals import active_partner, active_partners
from app.casework.vocabulary import PartnerLevel
from app.extensions import db


class RequestReferral(StepKind):
    key = "request_referral"
    label = _l("Usulan rujukan")
    order = 50
    note = "required"
    keeps_approval = True  # a referral is always approved
    fields: ClassVar[dict[str, Any]] = {
        "partner_id": SelectField(_l("Lembaga tujuan rujukan"), choices=[], validate_choice=False)}
    metrics = ("referral_requested",)
    referral_stamp = "requested_at"

    def prepare_form(self, form) -> None:
        form.partner_id.choices = [("", _("— pilih lembaga —"))] + [
            (str(p.id), f"{p.name} ({PartnerLevel.label_of(p.level)})") for p in active_partners()]

    def check(self, data) -> dict[str, list[str]]:
        if active_partner(data.partner_id) is None:
            return {"partner_id": [_("Pilih lembaga tujuan rujukan dari daftar.")]}
        return {}

    def apply(self, case, data, now) -> dict:
        partner = active_partner(data.partner_id)
        if partner is None:  # retired since check() passed: refused the same way
            raise StepInvalid(self.check(data))
        referral = Referral(case_id=case.id, partner_id=partner.id, reason=data.note.strip(), requested_at=now)
        db.session.add(referral)
        case.referrals.append(referral)
        return {"partner": partner.name, "level": partner.level}

    def counts(self, tally) -> None:
        if tally.referral:
            tally.add("referral_requested", partner=True)


KIND = RequestReferral()
