"""A real SMTP server on loopback that the app's sender delivers to, and helpers to
read what it received; the mail-in receiver on loopback, and replies to send it."""

from __future__ import annotations

import asyncio
import smtplib
import socket
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import make_msgid
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from forum_server.db import Database
from forum_server.mail.inbox_worker import run_inbox_worker
from forum_server.mail.models import InboxMessage
from forum_server.mail.receiver import Receiver
from forum_server.orm import utcnow
from forum_server.policy import Actor
from forum_server.rooms.models import Question
from forum_server.settings import Settings
from tests.helpers import make_settings


def free_port() -> int:
    # aiosmtpd's Controller cannot be given port 0: ask the system for a free one first.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Relay:
    """An SMTP server collecting what it accepts; refuses addresses listed in `refuse`
    with a 550, and can be stopped and started again on the same port."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.received: list[tuple[list[str], EmailMessage]] = []
        self.refuse: set[str] = set()
        self.lock = threading.Lock()
        self.controller: Controller | None = None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 Message accepted"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str, about: str = "") -> list[EmailMessage]:
        """What `address` received, optionally only messages whose subject has `about`
        (the scheduler's "session is open" notices come and go with the clock)."""
        with self.lock:
            return [
                m for rcpt, m in self.received if address in rcpt and about in str(m["Subject"])
            ]


@pytest.fixture
def relay() -> Iterator[Relay]:
    server = Relay(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def settings(tmp_path: Path, database_url: str, relay: Relay) -> Settings:
    return make_settings(tmp_path, database_url, smtp_url=f"smtp://127.0.0.1:{relay.port}")


def text_of(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())  # type: ignore[attr-defined]


def actor_of(user: Any) -> Actor:
    return Actor(user_id=user.id, display_name=user.display_name)


@pytest.fixture
def question_threads(db: Database) -> Callable[[int], Awaitable[list[int]]]:
    async def threads(session_id: int) -> list[int]:
        async with db.read() as session:
            rows = await session.scalars(
                select(Question.thread_id)
                .where(Question.session_id == session_id)
                .order_by(Question.number)
            )
            return list(rows)

    return threads


@pytest.fixture
def make_session(make_session: Callable[..., Awaitable[int]]) -> Callable[..., Awaitable[int]]:
    """Sessions that close in three days: no "closes in 24 hours" notice comes along
    unless a test asks for one."""

    async def make(slug: str, **fields: Any) -> int:
        fields.setdefault("closes_at", utcnow() + timedelta(days=3))
        return await make_session(slug, **fields)

    return make


@pytest.fixture
async def quiet_db(settings: Settings) -> AsyncIterator[Database]:
    """The test's database without a running app: no background sender takes the
    messages a test means to deliver itself."""
    database = Database(settings.database_url)
    yield database
    await database.dispose()


# --- replies by mail: the receiver on loopback, and messages to send it ---------------


class MailIn:
    """`forum-server mail-in`'s listener and worker, running in the test's loop with
    the app's database; messages are sent to it with the standard library's smtplib."""

    def __init__(self, db: Database, port: int) -> None:
        self.db = db
        self.port = port

    async def send(
        self, message: EmailMessage, *, to: str | None = None, mail_from: str = "w@example.org"
    ) -> None:
        recipient = to or str(message["To"])

        def send() -> None:
            with smtplib.SMTP("127.0.0.1", self.port, timeout=10) as smtp:
                smtp.send_message(message, from_addr=mail_from, to_addrs=[recipient])

        await asyncio.to_thread(send)

    async def settled(self, count: int = 1) -> list[InboxMessage]:
        """The inbox once `count` messages are done (the worker runs beside the test)."""
        async with asyncio.timeout(15):
            while True:
                async with self.db.read() as session:
                    rows = list(
                        await session.scalars(select(InboxMessage).order_by(InboxMessage.id))
                    )
                if len(rows) >= count and all(r.status == "done" for r in rows):
                    return rows
                await asyncio.sleep(0.05)


@pytest.fixture
async def mail_in(app: Any, settings: Settings) -> AsyncIterator[MailIn]:
    db: Database = app.state.ctx.db
    stop, wake = asyncio.Event(), asyncio.Event()
    receiver = Receiver(db, settings, wake=wake)
    port = await receiver.start("127.0.0.1", 0)
    worker = asyncio.create_task(run_inbox_worker(db, settings, stop, wake, every=0.2))
    yield MailIn(db, port)
    stop.set()
    await receiver.stop()
    await worker


def reply_to(notice: EmailMessage, body: str, **headers: str) -> EmailMessage:
    """A person's reply to a notice, as a mail program writes it: to its Reply-To,
    threaded under it, quoting it below."""
    reply = EmailMessage()
    reply["From"] = headers.pop("From", "A Watcher <w@example.org>")
    reply["To"] = str(notice["Reply-To"])
    reply["Subject"] = f"Re: {notice['Subject']}"
    reply["Message-ID"] = make_msgid(domain="mua.example.org")
    reply["In-Reply-To"] = str(notice["Message-ID"])
    reply["References"] = f"{notice['References'] or ''} {notice['Message-ID']}".strip()
    for name, value in headers.items():
        reply[name.replace("_", "-")] = value
    quoted = "\n".join(f"> {line}" for line in text_of(notice).splitlines())
    reply.set_content(
        f"{body}\n\nOn Mon, 6 Jan 2025 at 10:12, Forum <forum@testserver> wrote:\n{quoted}\n"
    )
    return reply


def new_mail(to: str, subject: str, body: str, **headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = headers.pop("From", "w@example.org")
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="mua.example.org")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


async def mailed(app: Any, relay: Relay, address: str, about: str = "") -> list[EmailMessage]:
    """What `address` received once the outbox is delivered: delivers, and waits a
    little for a message the app's own background sender may be handing over."""
    from tests.helpers import deliver_mail

    async with asyncio.timeout(10):
        while True:
            await deliver_mail(app)
            if found := relay.to(address, about):
                return found
            await asyncio.sleep(0.1)
