"""`return`: an approver sends the case back, with a reason (a referral so sent is returned)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.casework.step_kinds.approve import Approve
from app.casework.vocabulary import ReferralStatus


class Return(Approve):
    key = "return"
    label = _l("Pengembalian (dengan alasan)")
    order = 30
    note = "required"
    sends_back = True
    decision = ReferralStatus.RETURNED

    def note_required_message(self) -> str:
        return _("Alasan pengembalian wajib diisi.")

    def program(self, event):
        return None


KIND = Return()
