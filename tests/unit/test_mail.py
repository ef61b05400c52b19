"""Email is really sent: through SMTP (a real server started here), after the commit, with
retries; the outbox row says sent or failed, and the inviter sees an address that bounced."""
from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select

from app.accounts.mailer import parse_smtp_url
from app.accounts.outbox import INVALID_ADDRESS, MailStatus, OutboundEmail, send_mail
from app.accounts.staff import invite_staff
from app.extensions import db
from app.org.models import Position
from app.tenancy.context import tenant_context
from tests.factories import tenant
from tests.helpers.reports import drain

PASSWORD = "gerobak-lampu-senja-41"


def _post(app, slug="bekasi") -> Position:
    return db.session.scalar(select(Position).where(
        Position.area_level.is_(None), Position.retired_at.is_(None), Position.role != "manager")
        .order_by(Position.key))


def _invite(app, email: str, *, commit: bool = True) -> str:
    """Invite `email` into a plain Bekasi post; returns the link shown to the inviter."""
    with app.app_context(), tenant_context(tenant("bekasi")):
        _invitation, link = invite_staff(email=email, name="Penerima Surat", position=_post(app))
        if commit:
            db.session.commit()
        else:
            db.session.rollback()
    drain(app)
    return link


def _row(app, email: str) -> OutboundEmail:
    with app.app_context():
        row = db.session.scalar(select(OutboundEmail).where(OutboundEmail.to == email))
        db.session.expunge(row)
        return row


def _email() -> str:
    return f"surat-{uuid.uuid4().hex[:10]}@uji.id"


def test_invitation_mail_arrives_in_text_and_html_and_its_link_accepts(app, smtp_server, region_client):
    email = _email()
    _invite(app, email)
    [message] = smtp_server.to(email)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    path = re.search(r"https?://[^/\s]+(/invite/[A-Za-z0-9_-]+)", text).group(1)
    assert path in html and "Penerima Surat" in text and "Undangan" in message["Subject"]
    row = _row(app, email)
    assert row.status == MailStatus.SENT and row.sent_at is not None and row.attempts == 1
    token = path.rsplit("/", 1)[1]
    assert token not in row.body and token not in (row.html or "")  # only the message sent had it
    client = region_client("bekasi")
    response = client.post(path, data={"name": "Penerima Surat", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302


def test_nothing_is_sent_when_the_transaction_rolls_back(app, smtp_server):
    email = _email()
    _invite(app, email, commit=False)
    assert smtp_server.to(email) == []
    with app.app_context():
        assert db.session.scalar(select(OutboundEmail).where(OutboundEmail.to == email)) is None


def test_a_savepoint_neither_sends_early_nor_drops_the_message(app, smtp_server):
    """after_commit/after_rollback fire for SAVEPOINTs too: only the outer transaction decides."""
    sent, dropped = _email(), _email()
    with app.app_context(), tenant_context(tenant("bekasi")):
        invite_staff(email=sent, name="Penerima Surat", position=_post(app))
        try:
            with db.session.begin_nested():  # refused savepoint inside the same request
                raise RuntimeError("savepoint rolled back")
        except RuntimeError:
            pass
        db.session.commit()
        invite_staff(email=dropped, name="Penerima Surat", position=_post(app))
        with db.session.begin_nested():  # released savepoint, then the request fails
            pass
        db.session.rollback()
    drain(app)
    assert len(smtp_server.to(sent)) == 1
    assert smtp_server.to(dropped) == []


def test_a_temporary_failure_is_retried_then_sent(app, smtp_server):
    smtp_server.temporary_failures = 1
    email = _email()
    _invite(app, email)
    assert len(smtp_server.to(email)) == 1
    row = _row(app, email)
    assert (row.status, row.attempts, row.error) == (MailStatus.SENT, 2, None)


def test_a_message_failing_every_attempt_is_marked_failed(app, smtp_server):
    smtp_server.temporary_failures = 99
    email = _email()
    _invite(app, email)
    row = _row(app, email)
    assert (row.status, row.attempts) == (MailStatus.FAILED, 4) and "451" in row.error
    assert smtp_server.to(email) == []


def test_an_address_the_server_refuses_is_failed_at_once_and_shown_to_the_inviter(app, smtp_server, staff):
    email = _email()
    smtp_server.reject.add(email)
    _invite(app, email)
    row = _row(app, email)
    assert (row.status, row.attempts, row.error) == (MailStatus.FAILED, 1, INVALID_ADDRESS)
    page = staff("manager", "bekasi").get("/settings/staff/").get_data(as_text=True)
    listed = page[page.index(email):][:400]
    assert "gagal terkirim: alamat tidak valid" in listed


def test_a_malformed_address_is_refused_when_queued(app, smtp_server):
    with app.app_context():
        row = send_mail("bukan alamat@", "Uji", "Isi")
        db.session.commit()
        assert (row.status, row.error) == (MailStatus.FAILED, INVALID_ADDRESS)
    drain(app)
    assert smtp_server.messages == []


def test_without_a_relay_messages_stay_in_the_outbox(app):
    assert not app.config.get("MAIL_SMTP_URL")
    email = _email()
    _invite(app, email)
    row = _row(app, email)
    assert (row.status, row.attempts) == (MailStatus.QUEUED, 0)


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://mail.example.go.id", ("mail.example.go.id", 25, None, None, False, False)),
    ("smtp://user%40x:p%3Ass@relay:587?starttls=1", ("relay", 587, "user@x", "p:ss", False, True)),
    ("smtps://u:p@relay", ("relay", 465, "u", "p", True, False)),
])
def test_smtp_url_is_parsed(url, expected):
    s = parse_smtp_url(url)
    assert (s.host, s.port, s.username, s.password, s.tls, s.starttls) == expected


def test_a_url_of_another_scheme_is_refused():
    with pytest.raises(ValueError):
        parse_smtp_url("http://relay:25")


def test_the_development_mailbox_shows_the_realm_s_messages_without_links(app, staff, region_client):
    email = _email()
    link = _invite(app, email)
    page = staff("manager", "bekasi").get("/dev/mailbox")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and email in text and link.rsplit("/", 1)[1] not in text
    assert email not in staff("manager", "cianjur").get("/dev/mailbox").get_data(as_text=True)
    assert staff("intake_officer", "bekasi").get("/dev/mailbox").status_code == 403
    admin = region_client(None)
    admin.login("admin@platform.demo")
    assert admin.get("/dev/mailbox").status_code == 200 and email not in admin.get("/dev/mailbox").get_data(
        as_text=True)


def test_there_is_no_development_mailbox_with_a_relay_or_in_production(app, smtp_server, staff):
    manager = staff("manager", "bekasi")
    assert manager.get("/dev/mailbox").status_code == 404
    app.config["MAIL_SMTP_URL"] = None
    saved, app.config["SLRT_ENV"] = app.config["SLRT_ENV"], "production"
    try:
        assert manager.get("/dev/mailbox").status_code == 404
    finally:
        app.config["SLRT_ENV"] = saved
