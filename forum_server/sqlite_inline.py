"""SQLite statements run on the event loop's own thread, where they cannot wait.

aiosqlite runs every call on a connection (opening a cursor, executing, fetching,
closing it) in a thread of its own and hands each result back to the event loop: four
trips between threads per statement, each waking both and passing the interpreter
lock. For the few dozen point lookups and small writes of a post, those trips cost
far more than SQLite's own work (20 ms a post, most of it handing over).

A connection switched `inline` runs its statements with sqlite3 directly, on the
calling thread. That is safe only where a statement never waits for a lock and is
short, since the event loop waits for it:

- inside a write transaction, once BEGIN IMMEDIATE holds the write lock (that BEGIN,
  which may wait for another process, and the COMMIT, which may checkpoint the WAL,
  still go through the driver's thread);
- for reads in WAL mode, which never wait for writers. A read transaction's BEGIN
  and its end run inline always: neither waits nor does any work worth a thread.

Callers choose it (`Database.read(inline=True)`, `Database.write(inline=True)`) for
work made of short statements only, never for reports, exports or searches.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.ext.asyncio import AsyncSession


class InlineCursor(sqlite3.Cursor):
    """sqlite3's cursor, with what SQLAlchemy's asyncio layer asks of an adapted one."""

    server_side = False

    async def _async_soft_close(self) -> None:
        """Nothing to do: the rows were fetched on this thread already."""


class InlineConnection(AsyncAdapt_aiosqlite_connection):
    """aiosqlite's adapted connection, whose cursors are sqlite3's own while `inline`."""

    __slots__ = ("inline", "reader")

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self.inline = False
        self.reader = False  # a connection for reads only: see begin_read

    @property
    def sqlite(self) -> sqlite3.Connection:
        connection: sqlite3.Connection = self._connection._conn
        return connection

    def begin_read(self) -> None:
        """A read transaction's BEGIN (deferred: it takes no lock, so never waits)."""
        self.sqlite.execute("BEGIN")

    def rollback(self) -> None:
        if self.inline or self.reader:
            # Ending a read (or a write not committed) releases locks and never waits.
            self.sqlite.rollback()
            return
        super().rollback()

    def cursor(self, server_side: bool = False) -> Any:
        if self.inline and not server_side:
            # aiosqlite's worker thread is idle: SQLAlchemy awaits every call on a
            # connection before the next, so the two threads never use it at once.
            return self.sqlite.cursor(InlineCursor)
        return super().cursor(server_side)


class InlineDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The aiosqlite DBAPI adapter, handing out InlineConnections."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *args: Any, **kwargs: Any) -> InlineConnection:
        # Used from the event loop's thread while inline, not only aiosqlite's.
        kwargs["check_same_thread"] = False
        adapted = super().connect(*args, **kwargs)
        return InlineConnection(self, adapted._connection)


@asynccontextmanager
async def inline_statements(session: AsyncSession) -> AsyncIterator[None]:
    """The session's statements run inline until the block ends; its transaction is
    begun first (through the driver's thread). Nothing changes on PostgreSQL."""
    connection = await session.connection()
    raw = (await connection.get_raw_connection()).dbapi_connection
    if not isinstance(raw, InlineConnection):
        yield
        return
    raw.inline = True
    try:
        yield
    finally:
        raw.inline = False
