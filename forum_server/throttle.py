"""Sliding-window counters kept in the database, so every server process counts the same.

A counter is any table with a `key` (who is counted: "client:203.0.113.9",
"user:42"…) and an `at` time, one row per counted event. Sign-in failures and posts
use their own tables and windows; the arithmetic lives here once.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar, Protocol

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from forum_server.orm import utcnow


class HitTable(Protocol):
    """A table with one row per counted event."""

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
) -> None:
    """Counts one event for each key, forgetting rows older than the window."""
    now = utcnow()
    await session.execute(delete(table).where(table.at <= now - window))
    session.add_all(table(key=key, at=now) for key in keys)


async def clear_hits(session: AsyncSession, table: type[HitTable], keys: Sequence[str]) -> None:
    await session.execute(delete(table).where(table.key.in_(keys)))


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
