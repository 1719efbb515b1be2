"""Slows password guessing: failed sign-ins counted per client address and per account."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from forum_server.accounts.models import LoginFailure
from forum_server.db import Database
from forum_server.errors import RateLimited
from forum_server.throttle import Limit, add_hits, clear_hits, wait_seconds

WINDOW = timedelta(minutes=15)


async def check_not_throttled(db: Database, keys: Sequence[str], *, limit: int) -> None:
    """Raises RateLimited once any key has `limit` failures within the window."""
    async with db.read() as session:
        wait = await wait_seconds(session, LoginFailure, keys, Limit(limit, WINDOW))
    if wait is not None:
        raise RateLimited("Too many failed sign-ins; try again later.", retry_after=wait)


async def record_failure(db: Database, keys: Sequence[str]) -> None:
    async with db.write() as uow:
        await add_hits(uow.session, LoginFailure, keys, WINDOW)


async def clear_failures(db: Database, keys: Sequence[str]) -> None:
    async with db.write() as uow:
        await clear_hits(uow.session, LoginFailure, keys)
