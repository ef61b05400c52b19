"""What came of a closed case, in plain words a citizen may read on the public status page.

Nothing personal: the partner a case was referred to (a public body), the kind of result,
or that the case was withdrawn or merged into another ticket (which is named).
"""
from __future__ import annotations

from flask_babel import gettext as _

from app.casework.models import Case
from app.casework.vocabulary import Closure, Outcome


def _result(outcome: str) -> str:
    phrases: dict[str, str] = {Outcome.SERVED: _("layanan diterima"), Outcome.NOT_SERVED: _("tidak dapat dilayani"),
                               Outcome.REDIRECTED: _("dialihkan ke program lain")}
    return phrases.get(outcome, "")


def _handled(case: Case) -> bool:
    sop = case.sop_version.sop
    return any((step := sop.transition(e.action)) is not None and step.step_kind.key == "handle"
               for e in case.events)


def _outcome_recorded(case: Case) -> str:
    sop = case.sop_version.sop
    for event in reversed(case.events):
        step = sop.transition(event.action)
        if step is not None and step.step_kind.key == "record_outcome":
            return str((event.data or {}).get("outcome") or "")
    return ""


def plain_outcome(case: Case, service_name: str = "") -> str:
    """"Selesai: dirujuk ke Dinas Kesehatan, layanan diterima" — or "" while the case is open."""
    if not case.is_closed:
        return ""
    if case.closure == Closure.WITHDRAWN:
        return _("Selesai: pengaduan ditarik.")
    if case.closure == Closure.MERGED:
        survivor = case.merged_into.ticket if case.merged_into is not None else ""
        return _("Pengaduan ini digabung dengan pengaduan %(ticket)s; periksa status tiket tersebut.",
                 ticket=survivor)
    referral = next((r for r in reversed(case.referrals) if r.outcome), None)
    if referral is not None:
        return _("Selesai: dirujuk ke %(partner)s, %(result)s.", partner=referral.partner.name,
                 result=_result(referral.outcome))
    recorded = _result(_outcome_recorded(case))
    if recorded:
        return _("Selesai: %(result)s.", result=recorded)
    if _handled(case):
        return _("Selesai: ditangani langsung oleh %(service)s.", service=service_name or _("petugas"))
    return _("Selesai.")
