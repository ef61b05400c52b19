"""A real SMTP server for the tests (aiosmtpd on 127.0.0.1, a free port) and what arrived there."""
from __future__ import annotations

import socket
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

import pytest
from aiosmtpd.controller import Controller


class Recorder:
    """An SMTP handler: keeps what arrives; refuses addresses in `reject` (550 at RCPT) and fails
    the next `temporary_failures` messages with a 451 at DATA."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.reject: set[str] = set()
        self.temporary_failures = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.temporary_failures:
            self.temporary_failures -= 1
            return "451 4.3.0 Try again later"
        self.messages.append(message_from_bytes(envelope.content, policy=default))  # type: ignore[arg-type]
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def smtp_server(app):
    """Starts the server and points MAIL_SMTP_URL at it (retries without waiting) for one test."""
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    saved = {key: app.config[key] for key in ("MAIL_SMTP_URL", "MAIL_RETRY_INTERVALS") if key in app.config}
    app.config.update(MAIL_SMTP_URL=f"smtp://127.0.0.1:{controller.port}", MAIL_RETRY_INTERVALS=[0, 0, 0])
    try:
        yield recorder
    finally:
        app.config.pop("MAIL_RETRY_INTERVALS", None)
        app.config.update(saved)
        controller.stop()
