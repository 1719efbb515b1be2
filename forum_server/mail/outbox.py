"""Outgoing e-mail. Until an SMTP server is configured, messages are written to the
data folder's `outbox/` as .eml files that any mail client opens."""

from __future__ import annotations

import secrets
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from forum_server.orm import utcnow

SENDER = "forum_server <no-reply@localhost>"


def write_to_outbox(data_dir: Path, to: str, subject: str, body: str) -> Path:
    """Writes one message and returns its path. Called after the transaction that
    caused it has committed, so a rolled-back change never sends mail."""
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = to
    message["Subject"] = subject
    now = utcnow()
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain="forum-server.local")
    message.set_content(body)
    outbox = data_dir / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{now:%Y%m%dT%H%M%S}-{secrets.token_hex(4)}.eml"
    path.write_bytes(bytes(message))
    return path
