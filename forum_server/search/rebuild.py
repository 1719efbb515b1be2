"""Rebuilding the whole index from the forum's tables: what the migration does for the
texts written before search existed, and `forum-server reindex` any time after.

One transaction: readers see the old index until the new one is committed. Texts are
added oldest first, so that a document's position follows when it was written (the
order of "newest first"). The tables are read through their column names only, so
this keeps working for the migration after the models grow.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Integer, String, Text, column, delete, insert, select, table
from sqlalchemy.engine import Connection

from forum_server.orm import UTCDateTime
from forum_server.search import documents, engine
from forum_server.search.documents import Values
from forum_server.search.models import SearchDocument

BATCH = 2000

_posts = table(
    "posts",
    column("id", Integer),
    column("session_id", Integer),
    column("thread_id", Integer),
    column("author_id", Integer),
    column("guest_name", String),
    column("lang", String),
    column("status", String),
    column("created_at", UTCDateTime),
    column("body", Text),
)
_threads = table(
    "threads",
    column("id", Integer),
    column("session_id", Integer),
    column("author_id", Integer),
    column("created_at", UTCDateTime),
    column("title", String),
)
_questions = table(
    "questions",
    column("id", Integer),
    column("session_id", Integer),
    column("thread_id", Integer),
    column("created_at", UTCDateTime),
    column("text", Text),
)
_sessions = table(
    "sessions",
    column("id", Integer),
    column("created_by", Integer),
    column("created_at", UTCDateTime),
    column("title", String),
    column("description", Text),
)
_summaries = table(
    "summaries",
    column("id", Integer),
    column("session_id", Integer),
    column("question_id", Integer),
    column("updated_by", Integer),
    column("updated_at", UTCDateTime),
    column("body", Text),
)


def _pages(connection: Connection, query: Any, when: Any, key: Any) -> Iterator[Any]:
    """Rows of `query` in (when, key) order, a batch at a time (keyset pagination)."""
    after: tuple[Any, Any] | None = None
    while True:
        page = query.order_by(when, key).limit(BATCH)
        if after is not None:
            page = page.where((when > after[0]) | ((when == after[0]) & (key > after[1])))
        rows = connection.execute(page).all()
        yield from rows
        if len(rows) < BATCH:
            return
        after = (getattr(rows[-1], when.name), getattr(rows[-1], key.name))


def _all_documents(connection: Connection) -> Iterator[Values]:
    p, t, q, s, m = _posts.c, _threads.c, _questions.c, _sessions.c, _summaries.c
    question_threads = select(_questions.c.thread_id)
    sources = [
        (
            _pages(connection, select(_posts), p.created_at, p.id),
            lambda r: documents.post(
                r.id,
                r.session_id,
                r.thread_id,
                r.author_id,
                r.guest_name,
                r.lang,
                r.status,
                r.created_at,
                r.body,
            ),
        ),
        (
            _pages(
                connection,
                select(_threads).where(t.id.not_in(question_threads)),
                t.created_at,
                t.id,
            ),
            lambda r: documents.topic(r.id, r.session_id, r.author_id, r.created_at, r.title),
        ),
        (
            _pages(connection, select(_questions), q.created_at, q.id),
            lambda r: documents.question(r.id, r.session_id, r.thread_id, r.created_at, r.text),
        ),
        (
            _pages(connection, select(_sessions), s.created_at, s.id),
            lambda r: documents.session(r.id, r.created_by, r.created_at, r.title, r.description),
        ),
        (
            _pages(
                connection,
                select(_summaries, q.thread_id.label("question_thread_id")).outerjoin(
                    _questions, q.id == m.question_id
                ),
                m.updated_at,
                m.id,
            ),
            lambda r: documents.summary(
                r.id, r.session_id, r.question_thread_id, r.updated_by, r.updated_at, r.body
            ),
        ),
    ]
    streams = [_paired(rows, build) for rows, build in sources]
    # Oldest first across the kinds, each kind read in its own order.
    merged = heapq.merge(*streams, key=lambda pair: _when(pair[0]))
    for row, build in merged:
        yield build(row)


def _paired(rows: Iterator[Any], build: Any) -> Iterator[tuple[Any, Any]]:
    for row in rows:
        yield row, build


def _when(row: Any) -> Any:
    mapping = row._mapping
    return mapping["updated_at"] if "updated_at" in mapping else mapping["created_at"]


def rebuild(connection: Connection) -> int:
    """Replaces every document with one made from the forum's tables now; returns how
    many there are. Runs in the caller's transaction."""
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # One bulk 'rebuild' of the FTS index instead of a trigger's work per row.
        engine.drop_sqlite_triggers(connection)
    connection.execute(delete(SearchDocument))
    count = 0
    batch: list[Values] = []
    for values in _all_documents(connection):
        batch.append(values)
        if len(batch) >= BATCH:
            connection.execute(insert(SearchDocument), batch)
            count, batch = count + len(batch), []
    if batch:
        connection.execute(insert(SearchDocument), batch)
        count += len(batch)
    if sqlite:
        connection.exec_driver_sql(
            f"INSERT INTO {engine.FTS_TABLE}({engine.FTS_TABLE}) VALUES ('rebuild')"
        )
        engine.create_sqlite_triggers(connection)
    else:
        # Fresh statistics, so the planner knows how common each word is now; the GIN
        # index's pending entries merged, so the first searches need not read them all.
        connection.exec_driver_sql("ANALYZE search_documents")
        connection.exec_driver_sql(f"SELECT gin_clean_pending_list('{engine.VECTOR_INDEX}')")
    return count


async def reindex(database_url: str) -> int:
    """`forum-server reindex`: rebuilds the index of the database at this URL."""
    from sqlalchemy.ext.asyncio import create_async_engine
    from sqlalchemy.pool import NullPool

    database = create_async_engine(database_url, poolclass=NullPool)
    try:
        async with database.begin() as connection:
            if connection.dialect.name == "sqlite":
                await connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            return await connection.run_sync(rebuild)
    finally:
        await database.dispose()
