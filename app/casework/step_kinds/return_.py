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

    def still_waiting(self, case) -> bool:
        """A return to an earlier approval of the chain (a stage whose own step is an approval) sends the
        referral back one level, still awaiting approval; any other return sends the referral back."""
        sop = case.sop_version.sop
        steps = [t for t in sop.transitions_from(case.state) if t.kind == self.key]
        return bool(steps) and all(any(s.is_approval and not s.step_kind.sends_back
                                       for s in sop.transitions_from(t.target)) for t in steps)

    def note_required_message(self) -> str:
        return _("Alasan pengembalian wajib diisi.")

    def program(self, event):
        return None


KIND = Return()
