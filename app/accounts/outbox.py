"""Outgoing email: `send_mail` is the one function other code calls.

Every message is stored in the outbox (`outbound_emails`) and handed to the sender
(`app.accounts.mailer`) only after the transaction that queued it commits: an RQ job with
retries, or at once when there is no Redis. Without `MAIL_SMTP_URL` (development) nothing is
sent; the rows are what the development mailbox (/dev/mailbox) shows.

Secrets (an invitation or password-reset link) are never stored. The stored text and HTML
have the secret replaced by a marker naming a fingerprint of its hash, so neither the table
nor the mailbox can rebuild the link. The secret travels only in the delivery job's
arguments (Redis, deleted when the job ends: `result_ttl=0`, and the job never ends "failed"
because it marks the row failed itself), and the job puts it back in place of the marker.
"""
from __future__ import annotations

import hashlib
import uuid
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import Model, Vocabulary, db
from app.tenancy.models import utcnow

#: Session.info key: messages to hand to the sender once the transaction commits.
PENDING = "outbox_pending"


class MailStatus(Vocabulary):
    QUEUED = "queued", _l("menunggu dikirim")
    SENT = "sent", _l("terkirim")
    FAILED = "failed", _l("gagal terkirim")


class OutboundEmail(Model):
    __tablename__ = "outbound_emails"
    __platform_table__ = ("one outbox for the platform and every region, drained by one sender; "
                          "tenant_id (nullable) only says which region a message is about")

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tenants.id"))
    to: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), MailStatus.check("status"), default=MailStatus.QUEUED,
                                        server_default=MailStatus.QUEUED.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


def marker_for(secret: str) -> str:
    """What stands in the stored copy where `secret` is: names a fingerprint of its hash only."""
    fingerprint = hashlib.sha256(secret.encode()).hexdigest()[:12]
    return _("[tautan rahasia, tidak disimpan; sidik %(h)s]", h=fingerprint)


def redacted(text: str | None, secret: str | None, marker: str) -> str | None:
    return text.replace(secret, marker) if text and secret else text


#: `OutboundEmail.error` of a message whose address is malformed or refused by the server (5xx RCPT).
INVALID_ADDRESS = "invalid_address"


def failure_reason(error: str | None) -> str:
    """What the sender of a failed message is told (the raw error stays in the row for operators)."""
    return _("alamat tidak valid") if error == INVALID_ADDRESS else _("server email menolak atau tidak dapat dihubungi")


def send_mail(to: str, subject: str, text: str, html: str | None = None, *, tenant_id=None,
              locale: str | None = None, secret: str | None = None) -> OutboundEmail:
    """Queue one message (flushes); it is sent after the current transaction commits.

    `secret` (a link inside `text`/`html`) is not stored. `locale` is the recipient's language,
    used for the outbox's own wording (the marker); the caller renders the message itself
    (`app.accounts.mail_templates.render_mail`). A malformed address is refused here: the row
    is stored as failed with the reason, and nothing is sent."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        marker = marker_for(secret) if secret else ""
    message = OutboundEmail(to=to.strip(), subject=subject, body=redacted(text, secret, marker),
                            html=redacted(html, secret, marker), tenant_id=tenant_id, status=MailStatus.QUEUED)
    try:
        validate_email(message.to, check_deliverability=False)
    except EmailNotValidError:
        message.status, message.error = MailStatus.FAILED, INVALID_ADDRESS
    db.session.add(message)
    db.session.flush()
    current_app.logger.info("email to %s: %s (%s)", message.to, subject, message.status)
    if message.status == MailStatus.QUEUED and current_app.config.get("MAIL_SMTP_URL"):
        pending = db.session().info.setdefault(PENDING, [])
        pending.append((message.id, {marker: secret} if secret else {}))
    return message


def send_email(to: str, subject: str, body: str, tenant_id=None, *, secret: str = "",
               secret_hash: str = "") -> OutboundEmail:
    """The former plain-text entry point, kept for callers not yet moved to `send_mail`
    (`secret_hash` is no longer needed: the marker fingerprints the secret itself)."""
    return send_mail(to, subject, body, tenant_id=tenant_id, secret=secret or None)


@event.listens_for(Session, "after_commit")
def _hand_over(session: Session) -> None:
    """After the commit that stored them, hand the queued messages to the sender."""
    if session.in_nested_transaction():
        return  # a SAVEPOINT released (after_commit fires for those too): the real commit is still to come
    pending = session.info.pop(PENDING, None)
    if pending:
        from app.accounts.mailer import dispatch

        for message_id, secrets in pending:
            dispatch(message_id, secrets)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction) -> None:
    """The outer transaction ended without its commit reaching `_hand_over` (a SAVEPOINT rolled
    back inside it does not drop the messages the outer transaction may still commit)."""
    if transaction.parent is None:
        session.info.pop(PENDING, None)


def last_failures(tenant_id, emails) -> dict[str, str]:
    """email → why the latest message to it failed (translated), for the messages of `tenant_id` that failed."""
    rows = db.session.execute(select(OutboundEmail.to, OutboundEmail.status, OutboundEmail.error)
                              .where(OutboundEmail.tenant_id == tenant_id, OutboundEmail.to.in_(list(emails)))
                              .order_by(OutboundEmail.created_at))
    latest = {to: (status, error) for to, status, error in rows}
    return {to: failure_reason(error) for to, (status, error) in latest.items() if status == MailStatus.FAILED}


def mailbox(tenant_id, limit: int = 100) -> list[OutboundEmail]:
    """The development mailbox of a realm (a region, or the platform when `tenant_id` is None)."""
    return list(db.session.scalars(select(OutboundEmail).where(OutboundEmail.tenant_id == tenant_id)
                                   .order_by(OutboundEmail.created_at.desc()).limit(limit)))
