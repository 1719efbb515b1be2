"""Engines, sessions and the unit of work.

SQLite has one writer: concurrent writer connections to one file collapse to a
few dozen commits per second. So every write goes through a dedicated engine
with a single connection (callers queue for it), and each write transaction
starts with BEGIN IMMEDIATE so that a second process sharing the file waits for
the lock up front instead of failing halfway. Reads use their own pool beside it.
PostgreSQL needs none of this and gets ordinary pools.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from forum_server.errors import Unavailable
from forum_server.events import Event, EventRecord, new_event_record
from forum_server.sqlite_inline import InlineDBAPI, inline_statements
from forum_server.write_queue import WriteQueue

T = TypeVar("T")

log = logging.getLogger(__name__)

PublishHook = Callable[[Sequence[Event]], Awaitable[None]]
CommitHook = Callable[["UnitOfWork"], Awaitable[None]]
CommittedHook = Callable[["UnitOfWork", Sequence[Event]], None]

SQLITE_PRAGMAS = (
    # busy_timeout first: switching to WAL needs a lock another connection may hold.
    "busy_timeout=5000",
    "journal_mode=WAL",
    "foreign_keys=ON",
    # WAL + NORMAL keeps every committed post through a process crash; see docs/operations.md.
    "synchronous=NORMAL",
)


def _sqlite_engine(url: str, *, writer: bool) -> AsyncEngine:
    # The aiosqlite driver, whose connections may run statements inline (sqlite_inline).
    options: dict[str, Any] = {"connect_args": {"timeout": 5}, "module": InlineDBAPI()}
    if writer:
        options.update(pool_size=1, max_overflow=0, pool_timeout=30)
    engine = create_async_engine(url, **options)

    @event.listens_for(engine.sync_engine, "connect")
    def _configure(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from the driver so BEGIN is ours to choose.
        dbapi_conn.isolation_level = None
        dbapi_conn.reader = not writer
        cursor = dbapi_conn.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(conn: Any) -> None:
        if writer:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.connection.dbapi_connection.begin_read()

    return engine


class UnitOfWork:
    """One write transaction: the session, plus the events it will publish on commit."""

    def __init__(self, session: AsyncSession, dialect: str) -> None:
        self.session = session
        self.dialect = dialect
        self._events: list[EventRecord] = []
        # Accounts whose sign-ins, tokens or standing this write changes: whoever
        # remembers who a credential stands for forgets them once it commits.
        self.accounts_changed: set[int] = set()
        # Rows this write loaded and uses again (the session's identity map holds them
        # weakly): kept until it ends, so later steps and the commit hooks find them
        # there instead of reading them again.
        self._kept: list[object] = []
        session.info["uow"] = self

    def keep(self, *rows: object) -> None:
        """Holds `rows` for the rest of this write (see _kept)."""
        self._kept.extend(rows)

    def emit(
        self,
        type: str,
        data: Mapping[str, Any],  # a view's JSON (a TypedDict)
        *,
        space_id: int | None = None,
        session_id: int | None = None,
        thread_id: int | None = None,
    ) -> None:
        record = new_event_record(
            type, data, space_id=space_id, session_id=session_id, thread_id=thread_id
        )
        self.session.add(record)
        self._events.append(record)

    async def flush(self) -> None:
        await self.session.flush()

    @property
    def pending_events(self) -> list[EventRecord]:
        return list(self._events)


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine = _sqlite_engine(url, writer=False)
            self.write_engine = _sqlite_engine(url, writer=True)
        else:
            self.engine = create_async_engine(
                url, pool_size=10, max_overflow=10, pool_pre_ping=True
            )
            self.write_engine = self.engine
        self._reader = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=False)
        self._writer = async_sessionmaker(self.write_engine, expire_on_commit=False)
        self.publish: PublishHook | None = None
        # Write transactions ended in this process that changed a row; moved before
        # the writer goes on, so a page kept in memory (web/revalidation.py) knows it
        # may be stale. Background jobs that find nothing to do leave it be.
        self.generation = 0
        self._changes = 0  # statements that changed rows, counted as they run
        event.listen(self.write_engine.sync_engine, "after_cursor_execute", self._count_change)
        # Run at the end of every write transaction, inside it (e.g. queueing mail
        # for the events it emitted): what they add commits with the change or not at all.
        self.before_commit: list[CommitHook] = []
        # Run after every commit, before the write returns (e.g. forgetting the sign-ins
        # it ended): nothing this process does next can see what was there before.
        self.after_commit: list[CommittedHook] = []
        # SQLite only: PostgreSQL writers run side by side (posts in one session wait for
        # its row lock), and a queue there measured slower (each statement a round trip).
        self._queue = (
            WriteQueue(self._queued_transaction, self._queued_unit) if self.is_sqlite else None
        )

    def _inline(self, session: AsyncSession, wanted: bool) -> AbstractAsyncContextManager[None]:
        return inline_statements(session) if wanted and self.is_sqlite else nullcontext()

    @asynccontextmanager
    async def read(self, *, inline: bool = False) -> AsyncIterator[AsyncSession]:
        """A session for reads; nothing it does is committed. `inline`: its statements
        run on the event loop's thread (SQLite; short lookups only, see sqlite_inline)."""
        async with self._reader() as session:
            # Access worked out once per transaction (policy/loading.py, READ_MEMO).
            session.info["policy_read_memo"] = {}
            try:
                async with self._inline(session, inline):
                    yield session
            except OperationalError as exc:
                _raise_if_busy(exc)
                raise

    @asynccontextmanager
    async def write(self, *, inline: bool = False) -> AsyncIterator[UnitOfWork]:
        """A write transaction: commits on success, rolls back on any error, then publishes.
        `inline`: its statements between BEGIN and COMMIT run on the event loop's thread
        (SQLite; for transactions of short statements only, see sqlite_inline)."""
        changes = self._changes
        try:
            async with self._writer() as session, session.begin():
                uow = UnitOfWork(session, self.write_engine.dialect.name)
                async with self._inline(session, inline):
                    yield uow
                    for hook in self.before_commit:
                        await hook(uow)
                    await session.flush()
                events = [Event.from_record(record) for record in uow.pending_events]
        except OperationalError as exc:
            _raise_if_busy(exc)
            raise
        finally:
            if self._changes != changes:
                self.generation += 1
        self._committed([uow], events)
        await self._publish(events)

    async def run(self, unit: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """`unit` in a write transaction; its result once that is committed. On SQLite
        it is queued with other callers' units and committed with them (write_queue),
        its statements inline: for short units only. PostgreSQL: a transaction of its own."""
        if self._queue is None:
            async with self.write() as uow:
                return await unit(uow)
        units: list[UnitOfWork] = []

        async def keeping_its_unit(uow: UnitOfWork) -> T:
            units.append(uow)
            return await unit(uow)

        result, events = await self._queue.run(keeping_its_unit)
        self.generation += 1  # committed: pages read before it may be stale
        self._committed(units, events)
        await self._publish(events)
        return result

    def _committed(self, units: list[UnitOfWork], events: list[Event]) -> None:
        for uow in units:
            for committed in self.after_commit:
                committed(uow, events)

    @asynccontextmanager
    async def _queued_transaction(self) -> AsyncIterator[AsyncSession]:
        try:
            async with (
                self._writer() as session,
                session.begin(),
                inline_statements(session),
            ):
                yield session
        except OperationalError as exc:
            _raise_if_busy(exc)
            raise

    async def _queued_unit(
        self, session: AsyncSession, unit: Callable[[UnitOfWork], Awaitable[T]]
    ) -> tuple[T, list[Event]]:
        uow = UnitOfWork(session, self.write_engine.dialect.name)
        try:
            async with session.begin_nested():
                result = await unit(uow)
                for hook in self.before_commit:
                    await hook(uow)
                await session.flush()
        except OperationalError as exc:
            _raise_if_busy(exc)
            raise
        return result, [Event.from_record(record) for record in uow.pending_events]

    async def _publish(self, events: list[Event]) -> None:
        if events and self.publish is not None:
            # After the commit, outside the transaction: the database already has the
            # events, so a failed publish only delays delivery until the next poll.
            try:
                await self.publish(events)
            except Exception:
                log.exception("publishing %d events failed", len(events))

    @property
    def write_marks(self) -> tuple[int, int]:
        """Moved by every write here: at each changing statement and at each end of a
        write transaction that changed something."""
        return self.generation, self._changes

    def _count_change(
        self, _conn: Any, cursor: Any, statement: str, *_args: Any, **_kwargs: Any
    ) -> None:
        if statement.lstrip()[:6].upper() in _CHANGING and cursor.rowcount != 0:
            self._changes += 1

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.write_engine is not self.engine:
            await self.write_engine.dispose()


_CHANGING = {"INSERT", "UPDATE", "DELETE", "REPLAC"}


def _raise_if_busy(exc: OperationalError) -> None:
    """A lock held past busy_timeout becomes a clean 503, never a traceback."""
    text = str(exc.orig if exc.orig is not None else exc).lower()
    if "locked" in text or "busy" in text:
        raise Unavailable("The database is busy; try again shortly.", retry_after=2) from exc
