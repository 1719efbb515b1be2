"""Sliding-window counters kept in the database, so every server process counts the same.

A counter is any table with a `key` (who is counted: "client:203.0.113.9",
"user:42"…) and an `at` time, one row per counted event. Sign-in attempts and posts
use their own tables and windows; the arithmetic lives here once.

`take` checks and counts in one step, inside the caller's write transaction, so
that requests arriving together cannot all pass a check made before any of them is
counted: on SQLite the single writer (BEGIN IMMEDIATE) already runs write
transactions one at a time; on PostgreSQL a transaction-scoped advisory lock per key
makes the count-then-insert of one key wait for the other transaction's commit.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar, Protocol

from sqlalchemy import delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from forum_server.orm import utcnow


class HitTable(Protocol):
    """A table with one row per counted event."""

    id: ClassVar[InstrumentedAttribute[int]]
    key: ClassVar[InstrumentedAttribute[str]]
    at: ClassVar[InstrumentedAttribute[datetime]]

    def __init__(self, **kwargs: Any) -> None: ...


@dataclass(frozen=True)
class Limit:
    """At most `count` events per key within `window`."""

    count: int
    window: timedelta


async def wait_seconds(
    session: AsyncSession, table: type[HitTable], keys: Sequence[str], limit: Limit
) -> int | None:
    """Seconds until every key is under its limit again, or None if none has reached it."""
    now = utcnow()
    rows = await session.execute(
        select(table.key, func.count(), func.min(table.at))
        .where(table.key.in_(keys), table.at > now - limit.window)
        .group_by(table.key)
    )
    waits = [
        int((oldest + limit.window - now).total_seconds()) + 1
        for _key, count, oldest in rows
        if count >= limit.count
    ]
    return max(max(waits), 1) if waits else None


async def add_hits(
    session: AsyncSession, table: type[HitTable], keys: Sequence[str], window: timedelta
) -> list[HitTable]:
    """Counts one event for each key, forgetting rows older than the window; returns
    the new rows (their ids once flushed)."""
    now = utcnow()
    await session.execute(delete(table).where(table.at <= now - window))
    rows = [table(key=key, at=now) for key in keys]
    session.add_all(rows)
    return rows


async def lock_keys(session: AsyncSession, keys: Sequence[str]) -> None:
    """Holds, until the transaction ends, a lock per key that other transactions counting
    the same keys wait for. Needed on PostgreSQL only; taken in a fixed order, so two
    transactions locking overlapping keys cannot deadlock."""
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite: one write transaction at a time already
    for key in sorted(set(keys)):
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key}
        )


async def take(
    session: AsyncSession, table: type[HitTable], limits: Mapping[str, Limit]
) -> tuple[int | None, list[int]]:
    """Check and count at once, in the caller's write transaction: if every key is under
    its limit, counts one event for each and returns (None, the new rows' ids);
    otherwise counts nothing and returns (seconds to wait, [])."""
    await lock_keys(session, list(limits))
    by_limit: dict[Limit, list[str]] = {}
    for key, limit in limits.items():
        by_limit.setdefault(limit, []).append(key)
    waits = [
        wait
        for limit, keys in by_limit.items()
        if (wait := await wait_seconds(session, table, keys, limit)) is not None
    ]
    if waits:
        return max(waits), []
    longest = max((limit.window for limit in by_limit), default=timedelta(0))
    rows = await add_hits(session, table, list(limits), longest)
    await session.flush()
    return None, [row.id for row in rows]


async def clear_hits(session: AsyncSession, table: type[HitTable], keys: Sequence[str]) -> None:
    await session.execute(delete(table).where(table.key.in_(keys)))


async def drop_hits(session: AsyncSession, table: type[HitTable], ids: Sequence[int]) -> None:
    """Un-counts events counted by `take` (an attempt that turned out not to count)."""
    if ids:
        await session.execute(delete(table).where(table.id.in_(ids)))


def network_of(client: str | None) -> str:
    """The network a client is counted by: an IPv4 address itself, an IPv6 address's /64
    (one subscriber's whole allocation: its addresses are free to pick), and "unknown"
    for anything else."""
    if not client:
        return "unknown"
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)
