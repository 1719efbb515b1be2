"""Delivering the outbox: to the relay of FORUM_SMTP_URL, or into the data folder's
outbox/ as .eml files when none is configured. Runs in every server process beside
the scheduler; the outbox's claims keep processes from sending a message twice."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import secrets
import time
from collections.abc import Sequence
from email.message import EmailMessage
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib

from forum_server.db import Database
from forum_server.mail import outbox
from forum_server.mail.compose import build
from forum_server.mail.content import Lookups, draft_for
from forum_server.periodic import repeat
from forum_server.settings import Settings

log = logging.getLogger(__name__)

RECORD_EVERY = 20  # outcomes per write transaction
YIELD_RATIO = 1.0  # the background sender works at most about half the time


class PermanentFailure(Exception):
    """The relay refused the message for good (a 5xx answer)."""


class Transport(Protocol):
    async def __aenter__(self) -> Transport: ...

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    async def send(self, message: EmailMessage, to: str, ref: int) -> None: ...


class FileTransport:
    """Writes each message to outbox/<its outbox number>.eml: the embedded default,
    which needs no mail server (any mail client opens the files). Same name on a retry."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def __aenter__(self) -> FileTransport:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    async def __aexit__(self, *_: object) -> None:
        return None

    async def send(self, message: EmailMessage, to: str, ref: int) -> None:
        path = self.folder / f"{ref:010d}.eml"
        draft = path.with_suffix(".part")
        draft.write_bytes(bytes(message))
        os.replace(draft, path)  # a reader never sees half a message


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SmtpTransport:
    """One connection per batch. smtp:// upgrades with STARTTLS (required, except to a
    relay on this machine's loopback); smtps:// is TLS from the first byte."""

    def __init__(self, url: str, *, timeout: float = 30) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "localhost"
        implicit = parts.scheme == "smtps"
        self.options = {
            "hostname": self.host,
            "port": parts.port or (465 if implicit else 587),
            "username": unquote(parts.username) if parts.username else None,
            "password": unquote(parts.password) if parts.password else None,
            "use_tls": implicit,
            "start_tls": False if implicit else (None if _is_loopback(self.host) else True),
            "timeout": timeout,
        }
        self.client: aiosmtplib.SMTP | None = None

    async def __aenter__(self) -> SmtpTransport:
        self.client = aiosmtplib.SMTP(**self.options)  # type: ignore[arg-type]
        await self.client.connect()
        return self

    async def __aexit__(self, *_: object) -> None:
        if self.client is not None and self.client.is_connected:
            try:
                await self.client.quit()
            except aiosmtplib.SMTPException:
                self.client.close()

    async def send(self, message: EmailMessage, to: str, ref: int) -> None:
        assert self.client is not None
        try:
            errors, _ = await self.client.send_message(message, recipients=[to])
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [r.code for r in exc.recipients]
            if codes and min(codes) >= 500:
                raise PermanentFailure("; ".join(str(r) for r in exc.recipients)) from exc
            raise
        except aiosmtplib.SMTPResponseException as exc:
            if exc.code >= 500:
                raise PermanentFailure(f"{exc.code} {exc.message}") from exc
            raise
        if errors:  # refused for this one recipient
            code, text = next(iter(errors.values()))
            if code >= 500:
                raise PermanentFailure(f"{code} {text}")
            raise aiosmtplib.SMTPResponseException(code, text)


def transport_for(settings: Settings) -> Transport:
    if settings.smtp_url:
        return SmtpTransport(settings.smtp_url)
    return FileTransport(settings.data_dir / "outbox")


async def deliver_due(
    db: Database,
    settings: Settings,
    *,
    worker: str | None = None,
    limit: int = 50,
    yield_ratio: float = 0.0,
    stop: asyncio.Event | None = None,
) -> int:
    """Claims what is due and delivers it; returns how many were sent. A relay that
    cannot be reached leaves every claimed message for a later try. Between batches
    it pauses `yield_ratio` times as long as the batch took (the background sender
    shares the process and SQLite's writer with people's requests). Returns early
    once `stop` is set (the server is shutting down; the rest waits in the outbox)."""
    worker = worker or secrets.token_hex(8)
    sent = 0
    while True:
        began = time.perf_counter()
        claimed = await outbox.claim_due(db, worker, limit=limit)
        if not claimed:
            return sent
        sent += await _deliver(db, settings, worker, claimed)
        if len(claimed) < limit or (stop is not None and stop.is_set()):
            return sent
        await asyncio.sleep((time.perf_counter() - began) * yield_ratio)


async def _deliver(
    db: Database, settings: Settings, worker: str, claimed: Sequence[outbox.Claimed]
) -> int:
    """Sends a claimed batch over one connection. Outcomes are recorded RECORD_EVERY
    at a time: a process killed in between sends those few again when their claim
    expires (with the same Message-ID, which receivers use to drop duplicates)."""
    pending: list[outbox.Outcome] = []
    recorded: list[outbox.Outcome] = []

    async def flush() -> None:
        await outbox.record(db, worker, pending)
        recorded.extend(pending)
        pending.clear()

    try:
        async with transport_for(settings) as transport, db.read() as session:
            look = Lookups(session, settings.default_language)
            look.expect(claimed)
            for message in claimed:
                pending.append(await _try(transport, settings, look, message))
                if len(pending) >= RECORD_EVERY:
                    await flush()
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        # Unreachable or gone: what was not tried yet is retried later.
        log.warning("mail relay unavailable: %s", exc)
        tried = {item.message.id for item in (*recorded, *pending)}
        error = f"{type(exc).__name__}: {exc}"
        pending += [outbox.Outcome(m, "retry", error) for m in claimed if m.id not in tried]
    await flush()
    return sum(1 for item in recorded if item.outcome == "sent")


async def _try(
    transport: Transport, settings: Settings, look: Lookups, message: outbox.Claimed
) -> outbox.Outcome:
    draft = await draft_for(look, message)
    if draft is None:
        return outbox.Outcome(message, "dropped")
    mime = build(settings, message.message_id, message.to, draft)
    try:
        await transport.send(mime, message.to, message.id)
    except PermanentFailure as exc:
        log.warning("mail %s to %s refused: %s", message.id, message.to, exc)
        return outbox.Outcome(message, "failed", str(exc))
    except aiosmtplib.SMTPResponseException as exc:  # 4xx: try again later
        return outbox.Outcome(message, "retry", f"{exc.code} {exc.message}")
    return outbox.Outcome(message, "sent")


async def run_sender(
    db: Database, settings: Settings, stop: asyncio.Event, *, interval: float = 2.0
) -> None:
    worker = secrets.token_hex(8)
    await repeat(
        partial(deliver_due, db, settings, worker=worker, yield_ratio=YIELD_RATIO, stop=stop),
        stop,
        every=interval,
        what="mail delivery pass",
    )
