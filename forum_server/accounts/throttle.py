"""Slows password guessing: failed sign-ins counted per client address and per account."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import delete, func, select

from forum_server.accounts.models import LoginFailure
from forum_server.db import Database
from forum_server.errors import RateLimited
from forum_server.orm import utcnow

WINDOW = timedelta(minutes=15)


async def check_not_throttled(db: Database, keys: Sequence[str], *, limit: int) -> None:
    """Raises RateLimited once any key has `limit` failures within the window."""
    since = utcnow() - WINDOW
    async with db.read() as session:
        rows = await session.execute(
            select(LoginFailure.key, func.count(), func.min(LoginFailure.at))
            .where(LoginFailure.key.in_(keys), LoginFailure.at > since)
            .group_by(LoginFailure.key)
        )
        for _key, count, oldest in rows:
            if count >= limit:
                wait = int((oldest + WINDOW - utcnow()).total_seconds()) + 1
                raise RateLimited(
                    "Too many failed sign-ins; try again later.", retry_after=max(wait, 1)
                )


async def record_failure(db: Database, keys: Sequence[str]) -> None:
    now = utcnow()
    async with db.write() as uow:
        await uow.session.execute(delete(LoginFailure).where(LoginFailure.at <= now - WINDOW))
        uow.session.add_all(LoginFailure(key=key, at=now) for key in keys)


async def clear_failures(db: Database, keys: Sequence[str]) -> None:
    async with db.write() as uow:
        await uow.session.execute(delete(LoginFailure).where(LoginFailure.key.in_(keys)))
