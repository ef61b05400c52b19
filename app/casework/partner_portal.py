"""The partner portal: a partner officer's view of, and answer to, the referrals addressed to them.

A partner sees a referral once it is sent, and of it only what the referral shares: the ticket,
the citizen's name and masked NIK, the need (service area), the referral's reason and its letter.

The answer: the SOP's `record_answer` step is taken by the region's staff (its roles are the
region's posts), so a partner never takes an SOP step. The partner's answer is kept on the
referral (`partner_answered_at`) and as a case event `partner_answer` (result, what will be
done, by when, the reply letter attached to the case as `partner_reply`), which the back
office sees on the case page and confirms with its own `record_answer` step.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.outbox import send_email
from app.accounts.partner_members import PartnerMembership
from app.attachments.models import Attachment
from app.attachments.vocabulary import AttachmentKind
from app.audit.log import record
from app.casework.letters import ReferralLetter, local_date
from app.casework.models import Case, CaseEvent, Partner, Referral
from app.casework.notes import meaningful
from app.casework.vocabulary import AnswerResult
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.tenancy.context import tenant_in_context

PLAN_MAX = 2000
ADDRESSED = Referral.sent_at.is_not(None)
WAITING = ADDRESSED & Referral.answered_at.is_(None) & Referral.partner_answered_at.is_(None)


def response_hours() -> int:
    """The region's response time for partners, in hours."""
    return tenant_in_context().partner_response_hours or 72


@dataclass(frozen=True)
class Row:
    referral: Referral
    waiting_hours: int | None  # None once answered
    overdue: bool


def _as_aware(moment: datetime, now: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=now.tzinfo)


def _row(referral: Referral, now: datetime, limit: int) -> Row:
    if referral.answered_at or referral.partner_answered_at or referral.sent_at is None:
        return Row(referral, None, False)
    hours = int((now - _as_aware(referral.sent_at, now)).total_seconds() // 3600)
    return Row(referral, hours, hours >= limit)


def partner_referrals(partner_id, now: datetime) -> list[Row]:
    """The referrals sent to this partner (current region), newest first, with waiting time and overdue flag."""
    referrals = db.session.scalars(
        select(Referral).where(ADDRESSED, Referral.partner_id == partner_id).order_by(Referral.sent_at.desc())
        .options(selectinload(Referral.case).selectinload(Case.citizen))).all()
    limit = response_hours()
    return [_row(r, now, limit) for r in referrals]


def partner_referral(referral_id, session_user) -> Referral:
    """A referral addressed to the logged-in partner officer's partner. Another region's referral
    (tenant scoping) or another partner's is not found; staff of this region are refused."""
    referral = db.session.scalar(select(Referral).where(Referral.id == referral_id, ADDRESSED))
    if referral is None:
        raise NotFound()
    partner = getattr(session_user, "partner", None)
    if partner is None:
        raise Forbidden(_("Halaman ini hanya untuk petugas lembaga mitra."))
    if referral.partner_id != partner.partner_id:
        raise NotFound()
    return referral


def referral_letter(referral: Referral) -> ReferralLetter | None:
    """The latest letter issued for this referral, if any."""
    return db.session.scalars(select(ReferralLetter).where(ReferralLetter.referral_id == referral.id)
                              .order_by(ReferralLetter.issued_at.desc())).first()


def partner_uploads(referral: Referral) -> list[Attachment]:
    """The reply letters this partner's officers attached to the case (nothing else of the case)."""
    officers = select(PartnerMembership.user_id).where(PartnerMembership.partner_id == referral.partner_id)
    return list(db.session.scalars(
        select(Attachment).where(Attachment.case_id == referral.case_id,
                                 Attachment.kind == AttachmentKind.PARTNER_REPLY,
                                 Attachment.deleted_at.is_(None), Attachment.uploaded_by.in_(officers))
        .order_by(Attachment.uploaded_at)))


def answer_problems(result: str, plan: str, due: date | None, today: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if result not in AnswerResult.labels():
        errors["result"] = [_("Pilih jawaban lembaga: diterima, ditolak, atau diterima sebagian.")]
    if not meaningful(plan):
        errors["plan"] = [_("Tuliskan apa yang akan dilakukan lembaga (atau alasan penolakan).")]
    elif len(plan) > PLAN_MAX:
        errors["plan"] = [_("Paling banyak 2000 karakter.")]
    if due is None and result != AnswerResult.REJECTED:
        errors["due"] = [_("Isi tanggal paling lambat tindak lanjut.")]
    elif due is not None and due < today:
        errors["due"] = [_("Tanggal tindak lanjut tidak boleh sebelum hari ini.")]
    return errors


def record_partner_answer(referral: Referral, *, result: str, plan: str, due: date | None, reply_file,
                          actor, now: datetime) -> CaseEvent:
    """Record the partner's answer on the referral and the case (event `partner_answer`, reply letter
    attached as `partner_reply`). Refused input raises `Invalid` at its field and writes nothing."""
    from app.attachments.operations import attach

    if referral.partner_answered_at is not None or referral.answered_at is not None:
        raise Conflict(_("Rujukan ini sudah dijawab."))
    errors = answer_problems(result, plan, due, local_date(now))
    if errors:
        raise Invalid(errors=errors)
    case = referral.case
    upload = attach(case, reply_file, AttachmentKind.PARTNER_REPLY, actor) if reply_file else None
    partner = db.session.get(Partner, (referral.tenant_id, referral.partner_id))
    label = _("Jawaban lembaga mitra: %(r)s (menunggu konfirmasi)", r=AnswerResult(result).label)
    note = meaningful(plan) + ("\n" + _("Paling lambat: %(d)s", d=due.isoformat()) if due else "")
    event = CaseEvent(case_id=case.id, at=now, user_id=actor.id, actor_name=actor.name,
                      actor_title=partner.name if partner else "", action="partner_answer", label=label, note=note,
                      data={"referral_id": str(referral.id), "answer_result": result,
                            "due": due.isoformat() if due else "",
                            "attachment_id": str(upload.id) if upload else ""})
    db.session.add(event)
    referral.partner_answered_at = now
    db.session.flush()
    record("referral.partner_answer", "case", case.id, ticket=case.ticket, referral=str(referral.id),
           answer_result=result)
    return event


def overdue_referrals(now: datetime) -> list[Referral]:
    """Referrals of the current region waiting for their partner longer than the response time."""
    cutoff = now - timedelta(hours=response_hours())
    return list(db.session.scalars(select(Referral).where(WAITING, Referral.sent_at <= cutoff)
                                   .order_by(Referral.sent_at)))


def remind_partners(now: datetime) -> list[Referral]:
    """Queue one reminder mail per overdue referral per (local) day to its partner's active officers.
    Returns the referrals reminded now. Flushes."""
    today, reminded = local_date(now), []
    for referral in overdue_referrals(now):
        if referral.partner_reminded_at is not None and local_date(referral.partner_reminded_at) >= today:
            continue
        emails = db.session.scalars(
            select(PartnerMembership).where(PartnerMembership.partner_id == referral.partner_id,
                                            PartnerMembership.active.is_(True))
            .options(selectinload(PartnerMembership.user))).all()
        recipients = sorted({m.user.email for m in emails if m.user.active})
        if not recipients:
            continue
        for to in recipients:
            send_email(to, _("Pengingat: rujukan %(t)s menunggu jawaban", t=referral.case.ticket),
                       _("Rujukan %(t)s menunggu jawaban lembaga Anda lebih dari %(h)s jam. Buka portal mitra "
                         "untuk mencatat jawaban.", t=referral.case.ticket, h=response_hours()),
                       tenant_id=referral.tenant_id)
        referral.partner_reminded_at = now
        reminded.append(referral)
    db.session.flush()
    return reminded


def remind_all_partners(now: datetime) -> int:
    """`remind_partners` in every active region, each in its own transaction; returns how many
    referrals were reminded. Run by the periodic sweep (app/jobs/sla.py) and `flask sla sweep`."""
    from app.tenancy.context import tenant_context
    from app.tenancy.models import Tenant, TenantStatus

    reminded = 0
    for tenant in db.session.scalars(select(Tenant).where(Tenant.status == TenantStatus.ACTIVE.value)).all():
        with tenant_context(tenant):
            reminded += len(remind_partners(now))
            db.session.commit()
    return reminded
