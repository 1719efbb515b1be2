"""`forum-server mail-in`: an SMTP (or LMTP) listener for reply addresses, meant to
sit behind the organization's mail server, and the inbox worker beside it.

The listener refuses, while the sender is still connected, any recipient that is not
a reply address this site signed (550) and any message larger than
FORUM_MAX_BODY_BYTES (552). It answers 250 only once the message is stored in the
inbox table: a receiver killed the moment after loses nothing, and a message it
could not store is refused with a 4xx, which the mail server retries. What to do
with each message is the worker's business, after the answer.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from typing import Any

from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session

from forum_server.db import Database
from forum_server.mail import inbox
from forum_server.mail.inbox_worker import run_inbox_worker
from forum_server.mail.reply_tokens import token_of
from forum_server.settings import Settings
from forum_server.wiring import open_database

log = logging.getLogger(__name__)

MAX_RECIPIENTS = 20  # reply addresses per message; more is not a person replying


class InboxHandler:
    """aiosmtpd's hooks: check each recipient, store each message."""

    def __init__(self, db: Database, settings: Settings, wake: asyncio.Event, lmtp: bool) -> None:
        self.db = db
        self.settings = settings
        self.wake = wake
        self.lmtp = lmtp

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if token_of(self.settings, address) is None:
            log.info("refused recipient %r from %s", address, session.peer)
            return "550 5.1.1 No such reply address here"
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 Too many recipients"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        sender = envelope.mail_from or ""
        received = [inbox.Received(rcpt, sender, raw) for rcpt in envelope.rcpt_tos]
        try:
            ids = await inbox.store(self.db, received)
        except Exception:
            log.exception("could not store a message from %s; asked to retry", session.peer)
            return self._each(envelope, "451 4.3.0 Cannot store the message now; try again later")
        log.info("stored mail %s (%d bytes) from %r", ids, len(raw), sender)
        self.wake.set()
        return self._each(envelope, "250 2.0.0 Message accepted")

    async def handle_exception(self, error: Exception) -> str:
        log.exception("mail session failed: %r", error)
        return "421 4.3.0 Something went wrong; try again later"

    def _each(self, envelope: Envelope, status: str) -> str:
        """LMTP answers DATA once for each recipient; SMTP once for all."""
        return "\r\n".join([status] * len(envelope.rcpt_tos)) if self.lmtp else status


def message_size_limit(settings: Settings) -> int:
    """The largest message accepted: a reply's text and headers (FORUM_MAX_BODY_BYTES)
    and files up to FORUM_MAX_UPLOAD_BYTES, which base64 makes a third larger. Above
    it the sending server is told 552 and bounces the message to its writer."""
    return settings.max_body_bytes + settings.max_upload_bytes * 4 // 3


class Receiver:
    """The listener, bound to a host and port of this machine."""

    def __init__(
        self, db: Database, settings: Settings, *, lmtp: bool = False, wake: asyncio.Event
    ) -> None:
        self.handler = InboxHandler(db, settings, wake, lmtp)
        self.settings = settings
        self.lmtp = lmtp
        self.server: asyncio.AbstractServer | None = None

    def _protocol(self) -> SMTP:
        kind = LMTP if self.lmtp else SMTP
        options: dict[str, Any] = {
            "data_size_limit": message_size_limit(self.settings),
            "enable_SMTPUTF8": True,
            "hostname": self.settings.message_domain,
            "ident": "forum_server mail-in",
            "timeout": 60,
        }
        return kind(self.handler, **options)

    async def start(self, host: str, port: int) -> int:
        """Listens; returns the port (the one the system chose for port 0)."""
        loop = asyncio.get_running_loop()
        self.server = await loop.create_server(self._protocol, host=host, port=port)
        return int(self.server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
            self.server = None


async def run_mail_in(
    settings: Settings,
    host: str,
    port: int,
    *,
    lmtp: bool = False,
    announce: Callable[[int], None] | None = None,
) -> None:
    """Receives and handles mail until SIGINT or SIGTERM; then stops listening,
    finishes the message in hand and leaves the rest in the inbox."""
    db, broker = await open_database(settings)
    stop, wake = asyncio.Event(), asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    receiver = Receiver(db, settings, lmtp=lmtp, wake=wake)
    worker = asyncio.create_task(run_inbox_worker(db, settings, stop, wake), name="mail-inbox")
    try:
        bound = await receiver.start(host, port)
        if announce is not None:
            announce(bound)
        await stop.wait()
    finally:
        stop.set()
        await receiver.stop()
        await worker
        await broker.disconnect()
        await db.dispose()
