"""Rebuilding the whole index from the forum's tables: what the migration does for the
texts written before search existed, and `forum-server reindex` any time after.

One transaction: readers see the old index until the new one is committed. Texts are
added oldest first, so that a document's position follows when it was written (the
order of "newest first"). The tables are read through their column names only, so
this keeps working for the migration after the models grow; and only the tables and
index columns the schema has at that migration (the library's came later).

The words of library documents are those read from their files at upload
(uploads.extracted_text); `forum-server reindex` first reads them for documents that
have none yet (uploaded before search read files), outside the transaction.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from typing import Any

from sqlalchemy import (
    Boolean,
    Integer,
    String,
    Text,
    column,
    delete,
    func,
    insert,
    inspect,
    select,
    table,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from forum_server.files.extract import READABLE, extract_text
from forum_server.files.kinds import BY_MEDIA_TYPE
from forum_server.files.storage import LocalFileStore
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


_documents = table(
    "documents",
    column("id", Integer),
    column("space_id", Integer),
    column("title", String),
    column("description", Text),
    column("language", String),
    column("created_by", Integer),
    column("updated_at", UTCDateTime),
    column("removed_at", UTCDateTime),
)
_versions = table(
    "document_versions",
    column("document_id", Integer),
    column("number", Integer),
    column("upload_id", Integer),
)
_uploads = table(
    "uploads",
    column("id", Integer),
    column("name", String),
    column("sha256", String),
    column("media_type", String),
    column("post_id", Integer),
    column("removed_at", UTCDateTime),
    column("extracted_text", Text),
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


_calls = table("calls", column("id", Integer), column("space_id", Integer), column("title", String))
_submissions = table(
    "call_submissions",
    column("id", Integer),
    column("call_id", Integer),
    column("text", Text),
    column("public", Boolean),
    column("updated_at", UTCDateTime),
)
_submission_files = table(
    "call_submission_files", column("submission_id", Integer), column("upload_id", Integer)
)


def _public_submissions(connection: Connection) -> Iterator[Any]:
    """Public submissions to calls, each with its call's space and title."""
    s, c = _submissions.c, _calls.c
    query = (
        select(_submissions, c.space_id, c.title.label("call_title"))
        .join(_calls, c.id == s.call_id)
        .where(s.public.is_(True))
    )
    return _pages(connection, query, s.updated_at, s.id)


def _submission_builder(connection: Connection) -> Any:
    def build(r: Any) -> Values:
        u, f = _uploads.c, _submission_files.c
        names = connection.execute(
            select(u.name)
            .join(_submission_files, f.upload_id == u.id)
            .where(f.submission_id == r.id, u.removed_at.is_(None))
            .order_by(u.id)
        ).scalars()
        return documents.submission(
            r.id, r.space_id, None, r.updated_at, r.call_title, r.text, list(names)
        )

    return build


def _all_documents(connection: Connection, library: bool, calls: bool = False) -> Iterator[Values]:
    """Every text; with the library's documents and posts' files where `library`, and
    the public submissions to calls where `calls`."""
    p, t, q, s, m = _posts.c, _threads.c, _questions.c, _sessions.c, _summaries.c
    question_threads = select(_questions.c.thread_id)
    sources = [
        (
            _with_attachments(connection, _pages(connection, select(_posts), p.created_at, p.id))
            if library
            else ((row, ()) for row in _pages(connection, select(_posts), p.created_at, p.id)),
            lambda pair: documents.post(
                pair[0].id,
                pair[0].session_id,
                pair[0].thread_id,
                pair[0].author_id,
                pair[0].guest_name,
                pair[0].lang,
                pair[0].status,
                pair[0].created_at,
                pair[0].body,
                pair[1],
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
    if library:
        sources.append((_library_documents(connection), _document))
    if calls:
        sources.append((_public_submissions(connection), _submission_builder(connection)))
    streams = [_paired(rows, build) for rows, build in sources]
    # Oldest first across the kinds, each kind read in its own order.
    merged = heapq.merge(*streams, key=lambda pair: _when(pair[0]))
    for row, build in merged:
        yield build(row)


def _with_attachments(
    connection: Connection, posts: Iterator[Any]
) -> Iterator[tuple[Any, list[str]]]:
    """Each post with the names of its files, read a batch of posts at a time."""
    batch: list[Any] = []
    for row in posts:
        batch.append(row)
        if len(batch) >= BATCH:
            yield from _named(connection, batch)
            batch = []
    yield from _named(connection, batch)


def _named(connection: Connection, posts: list[Any]) -> Iterator[tuple[Any, list[str]]]:
    if not posts:
        return
    u = _uploads.c
    names: dict[int, list[str]] = {}
    rows = connection.execute(
        select(u.post_id, u.name)
        .where(u.post_id.in_([row.id for row in posts]), u.removed_at.is_(None))
        .order_by(u.id)
    )
    for post_id, name in rows:
        names.setdefault(post_id, []).append(name)
    for row in posts:
        yield row, names.get(row.id, [])


def _library_documents(connection: Connection) -> Iterator[Any]:
    """Documents not removed, each with its current file's name and words."""
    d, v, u = _documents.c, _versions.c, _uploads.c
    current = (
        select(v.document_id, func.max(v.number).label("number")).group_by(v.document_id).subquery()
    )
    query = (
        select(_documents, u.name.label("file_name"), u.extracted_text)
        .join(current, current.c.document_id == d.id)
        .join(_versions, (v.document_id == d.id) & (v.number == current.c.number))
        .join(_uploads, u.id == v.upload_id)
        .where(d.removed_at.is_(None))
    )
    return _pages(connection, query, d.updated_at, d.id)


def _document(r: Any) -> Values:
    return documents.document(
        r.id,
        r.space_id,
        r.created_by,
        r.language,
        r.updated_at,
        r.title,
        r.description,
        r.file_name,
        r.extracted_text,
    )


def _paired(rows: Iterator[Any], build: Any) -> Iterator[tuple[Any, Any]]:
    for row in rows:
        yield row, build


def _when(row: Any) -> Any:
    if isinstance(row, tuple) and not hasattr(row, "_mapping"):
        row = row[0]  # a post with its files' names
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
    # The index's columns at this migration: the library's texts once it has space_id.
    columns = {c["name"] for c in inspect(connection).get_columns("search_documents")}
    library = "space_id" in columns
    calls = inspect(connection).has_table("call_submissions")
    count = 0
    batch: list[Values] = []
    for values in _all_documents(connection, library, calls):
        batch.append({name: value for name, value in values.items() if name in columns})
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


async def reindex(database_url: str, store: LocalFileStore | None = None) -> int:
    """`forum-server reindex`: reads the words of library documents whose current file
    was never read (given the file store), then rebuilds the index of the database at
    this URL."""
    from sqlalchemy.ext.asyncio import create_async_engine
    from sqlalchemy.pool import NullPool

    database = create_async_engine(database_url, poolclass=NullPool)
    try:
        if store is not None:
            await _read_unread_files(database, store)
        async with database.begin() as connection:
            if connection.dialect.name == "sqlite":
                await connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            return await connection.run_sync(rebuild)
    finally:
        await database.dispose()


async def _read_unread_files(database: AsyncEngine, store: LocalFileStore) -> int:
    """Each unread file of a library document read, and its words stored, one short
    transaction each: no transaction waits on a file being read."""
    u, v = _uploads.c, _versions.c
    unread = (
        select(u.id, _uploads.c.sha256, _uploads.c.media_type)
        .join(_versions, v.upload_id == u.id)
        .where(
            u.extracted_text.is_(None),
            u.removed_at.is_(None),
            _uploads.c.media_type.in_(READABLE),
        )
        .order_by(u.id)
    )
    async with database.connect() as connection:
        files = (await connection.execute(unread)).all()
    done = 0
    for upload_id, sha256, media_type in files:
        path = store.path(sha256)
        if not path.exists():
            continue
        text = await extract_text(path, BY_MEDIA_TYPE[media_type])
        async with database.begin() as connection:
            await connection.execute(
                update(_uploads).where(u.id == upload_id).values(extracted_text=text)
            )
        done += 1
    return done
