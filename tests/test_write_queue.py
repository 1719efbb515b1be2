"""Group commit (forum_server.write_queue): units queued together share a transaction,
yet each caller gets its own result or error, in its own context, once committed."""

from __future__ import annotations

import asyncio
from contextvars import ContextVar

import pytest
from sqlalchemy import text

from forum_server.db import Database, UnitOfWork

pytestmark = pytest.mark.usefixtures("app")

LABEL: ContextVar[str] = ContextVar("label", default="none")


async def _count(db: Database) -> int:
    async with db.read() as session:
        return int(
            await session.scalar(text("SELECT count(*) FROM mail_cursors WHERE name LIKE 'q%'"))
            or 0
        )


async def test_units_queued_together_each_get_their_result_or_error(db: Database) -> None:
    before = await _count(db)

    def unit(n: int, *, fail: bool = False, wait: bool = False):  # type: ignore[no-untyped-def]
        async def run(uow: UnitOfWork) -> tuple[int, str]:
            await uow.session.execute(
                text("INSERT INTO mail_cursors (name, value) VALUES (:n, 0)"), {"n": f"q{n}"}
            )
            if wait:  # a unit that really gives the event loop away
                await asyncio.sleep(0.01)
            if fail:
                raise ValueError(f"unit {n}")
            return n, LABEL.get()

        return run

    async def call(n: int, **options: bool) -> tuple[int, str]:
        LABEL.set(f"caller {n}")
        return await db.run(unit(n, **options))

    results = await asyncio.gather(
        call(1), call(2, fail=True), call(3, wait=True), call(4), return_exceptions=True
    )
    assert results[0] == (1, "caller 1")
    assert isinstance(results[1], ValueError)
    assert results[2] == (3, "caller 3")
    assert results[3] == (4, "caller 4")
    # The failed unit's row was rolled back with its savepoint; the others committed.
    assert await _count(db) == before + 3
    assert LABEL.get() == "none"
