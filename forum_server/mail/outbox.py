"""The durable outbox: queue a message inside the transaction that causes it; claim,
then record the outcome of, what is due. Delivery itself is sender.py's.

A message is claimed for a while (a lease) before it is sent, by one process only:
on PostgreSQL the claim selects with FOR UPDATE SKIP LOCKED, so two senders never
take the same row; SQLite's single writer runs claims one at a time. A process
killed while sending leaves its claim to expire, and the message is tried again.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypedDict

from forum_server.db import Database, UnitOfWork
from forum_server.mail.models import OutboxMessage
from forum_server.orm import utcnow
from forum_server.policy import Actor, check_may_see_mail_failures

LEASE = timedelta(minutes=5)
FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(hours=2)
MAX_ATTEMPTS = 12  # about a day of retries with the back-off below
# Context keys that hold secrets (links that sign in or reset): wiped once sent.
SECRET_KEYS = ("path",)


@dataclass(frozen=True)
class Outgoing:
    """A message to queue. `message_key` makes its Message-ID: the same key (the
    same notice to the same person) is queued once, however often it is asked for."""

    kind: str
    to: str
    context: dict[str, Any] = field(default_factory=dict)
    user_id: int | None = None
    session_id: int | None = None
    message_key: str | None = None  # None: a fresh one


async def queue(uow: UnitOfWork, messages: Iterable[Outgoing]) -> int:
    """Adds the messages to the outbox in the caller's transaction; skips those whose
    Message-ID is queued already. Returns how many were added."""
    rows = {}
    for item in messages:
        # The left-hand side of the Message-ID; the domain is added when it is sent.
        mid = item.message_key or f"m{secrets.token_hex(12)}"
        rows[mid] = OutboxMessage(
            message_id=mid,
            kind=item.kind,
            to_addr=item.to,
            user_id=item.user_id,
            session_id=item.session_id,
            context=json.dumps(item.context, default=str, ensure_ascii=False),
        )
    ids = list(rows)
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        existing = await uow.session.scalars(
            select(OutboxMessage.message_id).where(OutboxMessage.message_id.in_(chunk))
        )
        for mid in existing:
            rows.pop(mid, None)
    uow.session.add_all(rows.values())
    return len(rows)


@dataclass(frozen=True)
class Claimed:
    id: int
    message_id: str
    kind: str
    to: str
    user_id: int | None
    session_id: int | None
    context: dict[str, Any]
    attempts: int


async def claim_due(db: Database, worker: str, *, limit: int = 50) -> list[Claimed]:
    """Claims up to `limit` messages that are due (or whose claim expired) for `worker`."""
    now = utcnow()
    async with db.write() as uow:
        ids: list[int] = []
        # Claims whose holder died first, then what is due, oldest first (each query
        # walks the (status, next_attempt_at) index, whatever the outbox's size).
        for due in (
            select(OutboxMessage.id).where(
                OutboxMessage.status == "sending", OutboxMessage.claimed_until < now
            ),
            select(OutboxMessage.id)
            .where(OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at),
        ):
            due = due.limit(limit - len(ids))
            if uow.dialect == "postgresql":
                due = due.with_for_update(skip_locked=True)
            ids += await uow.session.scalars(due)
            if len(ids) >= limit:
                break
        if not ids:
            return []
        await uow.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .values(status="sending", claimed_by=worker, claimed_until=now + LEASE)
        )
        rows = await uow.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .order_by(OutboxMessage.id)
            .execution_options(populate_existing=True)
        )
        return [
            Claimed(
                r.id,
                r.message_id,
                r.kind,
                r.to_addr,
                r.user_id,
                r.session_id,
                json.loads(r.context),
                r.attempts,
            )
            for r in rows
        ]


def next_attempt(attempts: int, now: datetime) -> datetime:
    """Exponential back-off: 30 s, 1 min, 2 min … capped at two hours."""
    delay = min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LAST_RETRY)
    return now + delay


@dataclass(frozen=True)
class Outcome:
    """The result of one try: `sent`, `dropped`, `failed` (permanent) or `retry`."""

    message: Claimed
    outcome: str
    error: str | None = None


async def record(db: Database, worker: str, outcomes: Sequence[Outcome]) -> None:
    """Records the results of a few tries in one transaction. Only the claim's holder
    records one (an expired claim taken over is no longer ours)."""
    if not outcomes:
        return
    async with db.write() as uow:
        for item in outcomes:
            await uow.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == item.message.id, OutboxMessage.claimed_by == worker)
                .values(**_values(item.message, item.outcome, item.error))
            )


def _values(message: Claimed, outcome: str, error: str | None) -> dict[str, Any]:
    now = utcnow()
    values: dict[str, Any] = {"claimed_by": None, "claimed_until": None, "last_error": error}
    attempts = message.attempts + 1
    if outcome == "retry" and attempts >= MAX_ATTEMPTS:
        outcome = "failed"
    if outcome == "retry":
        values.update(
            status="queued", attempts=attempts, next_attempt_at=next_attempt(attempts, now)
        )
    else:
        values.update(status=outcome, attempts=attempts)
        if outcome == "sent":
            values["sent_at"] = now
        if outcome != "failed":  # a failure is kept whole for the secretariat to resend
            values["context"] = json.dumps(
                {k: v for k, v in message.context.items() if k not in SECRET_KEYS}
            )
    return values


class FailedJson(TypedDict):
    id: int
    to: str
    kind: str
    attempts: int
    error: str
    created_at: str


@dataclass(frozen=True)
class FailedMessage:
    id: int
    to: str
    kind: str
    attempts: int
    error: str
    created_at: datetime
    last_tried_at: datetime

    def as_json(self) -> FailedJson:
        return {
            "id": self.id,
            "to": self.to,
            "kind": self.kind,
            "attempts": self.attempts,
            "error": self.error,
            "created_at": self.created_at.isoformat(),
        }


async def failed_messages(session: AsyncSession, *, limit: int = 200) -> list[FailedMessage]:
    """Messages the relay refused for good (5xx) or that ran out of retries, newest first."""
    rows = await session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == "failed")
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    )
    return [
        FailedMessage(
            r.id, r.to_addr, r.kind, r.attempts, r.last_error or "", r.created_at, r.next_attempt_at
        )
        for r in rows
    ]


async def mail_failures(db: Database, actor: Actor) -> list[FailedMessage]:
    """The failures, for the secretariat (Unauthorized / Forbidden for others)."""
    check_may_see_mail_failures(actor)
    async with db.read() as session:
        return await failed_messages(session)
