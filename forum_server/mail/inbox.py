"""The durable inbox: the receiver stores each message before answering 250; the
worker claims what is waiting, then settles each message in the transaction that
acts on it (the post, or the answer queued in the outbox).

Claims are leases, as in the outbox: on PostgreSQL the claim selects with FOR UPDATE
SKIP LOCKED, so two workers never take the same row; SQLite's single writer runs
claims one at a time. A worker killed mid-way leaves its claim to expire, and the
message is taken again. Settling checks that the claim is still the worker's and
raises otherwise, rolling back what it would have done: a message acts once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select, update

from forum_server.db import Database, UnitOfWork
from forum_server.mail.models import InboxMessage
from forum_server.orm import utcnow

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 5  # a message that failed this often unexpectedly is given up on
RETRY_AFTER = timedelta(minutes=1)  # times the attempts made: 1, 2, 3, 4 minutes
KEEP_RAW = frozenset({"dropped", "failed"})


class LostClaim(Exception):
    """Another worker took the message over (this one's lease ran out)."""


@dataclass(frozen=True)
class Received:
    """A message accepted for one reply address."""

    recipient: str
    mail_from: str
    raw: bytes


@dataclass(frozen=True)
class Claimed:
    id: int
    recipient: str
    mail_from: str
    raw: bytes
    attempts: int
    worker: str


async def store(db: Database, messages: Iterable[Received]) -> list[int]:
    """Keeps the messages (one row per recipient); committed when this returns."""
    async with db.write() as uow:
        rows = [
            InboxMessage(recipient=m.recipient[:254], mail_from=m.mail_from[:254], raw=m.raw)
            for m in messages
        ]
        uow.session.add_all(rows)
        await uow.flush()
        return [row.id for row in rows]


async def claim(db: Database, worker: str, *, limit: int = 20) -> list[Claimed]:
    """Claims up to `limit` waiting messages (or ones whose claim expired), oldest first."""
    now = utcnow()
    async with db.write() as uow:
        due = (
            select(InboxMessage.id)
            .where(
                or_(
                    InboxMessage.status == "new",
                    (InboxMessage.status == "working") & (InboxMessage.claimed_until < now),
                )
            )
            .order_by(InboxMessage.id)
            .limit(limit)
        )
        if uow.dialect == "postgresql":
            due = due.with_for_update(skip_locked=True)
        ids = list(await uow.session.scalars(due))
        if not ids:
            return []
        await uow.session.execute(
            update(InboxMessage)
            .where(InboxMessage.id.in_(ids))
            .values(
                status="working",
                claimed_by=worker,
                claimed_until=now + LEASE,
                attempts=InboxMessage.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
        rows = await uow.session.scalars(
            select(InboxMessage)
            .where(InboxMessage.id.in_(ids))
            .order_by(InboxMessage.id)
            .execution_options(populate_existing=True)
        )
        return [Claimed(r.id, r.recipient, r.mail_from, r.raw, r.attempts, worker) for r in rows]


async def settle(
    uow: UnitOfWork,
    item: Claimed,
    outcome: str,
    *,
    note: str | None = None,
    post_id: int | None = None,
) -> None:
    """Marks the message done, in the caller's transaction; raises LostClaim (rolling
    the transaction back) if it is no longer this worker's."""
    result = await uow.session.execute(
        update(InboxMessage)
        .where(
            InboxMessage.id == item.id,
            InboxMessage.claimed_by == item.worker,
            InboxMessage.status == "working",
        )
        .values(
            status="done",
            outcome=outcome,
            note=note[:1000] if note else None,
            post_id=post_id,
            # Its words are a post now, or were sent back in the answer; what could not
            # be read is kept for a look.
            raw=InboxMessage.raw if outcome in KEEP_RAW else b"",
            claimed_by=None,
            claimed_until=None,
            done_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 1) != 1:
        raise LostClaim(item.id)


async def postpone(db: Database, item: Claimed, delay: timedelta) -> None:
    """Keeps the message from every worker for `delay` (it failed unexpectedly: the
    cause may pass), after which any worker may take it again."""
    async with db.write() as uow:
        await uow.session.execute(
            update(InboxMessage)
            .where(InboxMessage.id == item.id, InboxMessage.claimed_by == item.worker)
            .values(claimed_until=utcnow() + delay)
            .execution_options(synchronize_session=False)
        )


async def release(db: Database, item: Claimed) -> None:
    """Gives the claim back at once, for a message to be tried again (the database
    was busy): the next pass takes it."""
    async with db.write() as uow:
        await uow.session.execute(
            update(InboxMessage)
            .where(InboxMessage.id == item.id, InboxMessage.claimed_by == item.worker)
            .values(status="new", claimed_by=None, claimed_until=None)
            .execution_options(synchronize_session=False)
        )
