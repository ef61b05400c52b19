"""The sender: SMTP through the standard library (`smtplib`, `email.message`), configured by
`MAIL_SMTP_URL`, e.g. `smtp://user:pass@host:587?starttls=1` or `smtps://user:pass@host:465`;
`MAIL_FROM` is the sender address.

A message is delivered by `deliver_job` (an RQ job with `Retry(max=3, interval=[10, 60, 300])`,
or at once with the same number of immediate attempts when there is no Redis). A temporary
failure (connection refused, 4xx) is retried; a permanent one (5xx for the recipient) and the
last attempt mark the row failed with the reason, shown to whoever sent the message. The job
never raises on its last attempt, so RQ keeps no failed job holding the secret.
"""
from __future__ import annotations

import smtplib
import ssl
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app
from sqlalchemy.orm import Session

from app.accounts.outbox import INVALID_ADDRESS, MailStatus, OutboundEmail
from app.extensions import db
from app.tenancy.models import utcnow

RETRY_INTERVALS = [10, 60, 300]
TIMEOUT = 20


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None
    password: str | None
    tls: bool  # implicit TLS (smtps)
    starttls: bool


def parse_smtp_url(url: str) -> SmtpSettings:
    """`smtp[s]://[user[:pass]@]host[:port][?starttls=1]`; user and password may be %-encoded."""
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ValueError("MAIL_SMTP_URL must look like smtp://user:pass@host:587?starttls=1 or smtps://host:465")
    tls = parts.scheme == "smtps"
    flag = parse_qs(parts.query).get("starttls", ["0"])[0].lower()
    return SmtpSettings(host=parts.hostname, port=parts.port or (465 if tls else 25),
                        username=unquote(parts.username) if parts.username else None,
                        password=unquote(parts.password) if parts.password else None,
                        tls=tls, starttls=flag in {"1", "true", "yes", "on"})


class PermanentFailure(Exception):
    """The server refused for good (5xx): retrying cannot help."""


def _build(row: OutboundEmail, secrets: dict[str, str]) -> EmailMessage:
    def restore(text: str) -> str:
        for marker, secret in secrets.items():
            text = text.replace(marker, secret)
        return text

    message = EmailMessage()
    message["From"] = current_app.config.get("MAIL_FROM") or f"SLRT Cloud <noreply@{_domain()}>"
    message["To"] = row.to
    message["Subject"] = row.subject
    message["Message-ID"] = make_msgid(domain=_domain())
    message.set_content(restore(row.body))
    if row.html:
        message.add_alternative(restore(row.html), subtype="html")
    return message


def _domain() -> str:
    return current_app.config["BASE_DOMAIN"].split(":")[0]


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.tls:
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT, context=ssl.create_default_context())
    return smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT)


def smtp_send(message: EmailMessage) -> None:
    """Send one message; raises PermanentFailure on a 5xx, other errors are temporary."""
    settings = parse_smtp_url(current_app.config["MAIL_SMTP_URL"])
    try:
        with _connect(settings) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.username:
                smtp.login(settings.username, settings.password or "")
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _text in exc.recipients.values()]
        if all(500 <= code < 600 for code in codes):
            raise PermanentFailure(INVALID_ADDRESS) from exc
        raise
    except smtplib.SMTPResponseException as exc:
        if 500 <= exc.smtp_code < 600:
            raise PermanentFailure(f"{exc.smtp_code} {exc.smtp_error!r}"[:400]) from exc
        raise


def deliver(message_id: uuid.UUID, secrets: dict[str, str], *, last_attempt: bool) -> bool:
    """One attempt to send an outbox row. True when done (sent, failed for good, or gone);
    False after a temporary failure that should be retried."""
    with Session(db.engine) as session:
        row = session.get(OutboundEmail, message_id)
        if row is None or row.status != MailStatus.QUEUED:
            return True
        row.attempts += 1
        try:
            smtp_send(_build(row, secrets))
        except PermanentFailure as exc:
            row.status, row.error = MailStatus.FAILED, str(exc)
        except (OSError, smtplib.SMTPException) as exc:
            row.error = f"{type(exc).__name__}: {exc}"[:500]
            if last_attempt:
                row.status = MailStatus.FAILED
        else:
            row.status, row.sent_at, row.error = MailStatus.SENT, utcnow(), None
        session.commit()
        current_app.logger.info("email %s to %s: %s (attempt %s)", row.id, row.to, row.status, row.attempts)
        return row.status != MailStatus.QUEUED


class RetryLater(Exception):
    """Raised inside the RQ job so that RQ schedules the next attempt."""


def deliver_job(message_id: uuid.UUID, secrets: dict[str, str]) -> None:
    """The RQ job: retried by RQ while attempts are left, marks the row failed on the last."""
    from rq import get_current_job

    job = get_current_job()
    last = job is None or not job.retries_left
    if not deliver(message_id, secrets, last_attempt=last):
        raise RetryLater(str(message_id))


def dispatch(message_id: uuid.UUID, secrets: dict[str, str]) -> None:
    """Hand a committed outbox row to the sender: RQ with retries, or inline attempts."""
    intervals = current_app.config.get("MAIL_RETRY_INTERVALS", RETRY_INTERVALS)
    if not current_app.config.get("REDIS_URL"):
        for attempt in range(len(intervals) + 1):
            if deliver(message_id, secrets, last_attempt=attempt == len(intervals)):
                return
        return
    from rq import Retry

    from app.jobs.queue import get_queue

    get_queue().enqueue(deliver_job, message_id, secrets, retry=Retry(max=len(intervals), interval=intervals),
                        result_ttl=0, failure_ttl=60)
