"""Searching, with the policy's clause inside the query.

A page is two statements. The first finds the ids: the engine's match, the policy's
findable_documents_clause and the filters in its WHERE, ordered, limited, positioned
by the cursor — nothing the reader may not find is counted, ordered or paged over.
The second reads those rows for display (with the same clause again, so a text hidden
in between is not shown) and the engine's marks for the snippet.

Newest first is the default order: SQLite's FTS5 walks its index in that order and
stops at the page's end. By relevance (bm25 on SQLite, ts_rank on PostgreSQL) every
match is ranked first.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from functools import reduce
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    SQLColumnExpression,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from forum_server.accounts.models import User
from forum_server.errors import Invalid
from forum_server.files.models import Document, DocumentVersion, Upload
from forum_server.policy import Actor, findable_documents_clause
from forum_server.rooms.models import ForumSession, Question, Space, Thread
from forum_server.schemas import MAX_ID
from forum_server.search import engine
from forum_server.search.models import DOCUMENT, SearchDocument
from forum_server.search.query import (
    DOCUMENTS,
    Filters,
    Query,
    Term,
    fts5_match,
    parse,
    tsquery_term,
)
from forum_server.search.snippets import START, STOP, matched_ranges, snippet
from forum_server.search.views import DocumentRef, SearchHit, SearchPage

NEWEST, RELEVANCE = "newest", "relevance"
ORDERS = (NEWEST, RELEVANCE)
DEFAULT_LIMIT, MAX_LIMIT = 20, 50

D = SearchDocument
_FTS = table(engine.FTS_TABLE, column("rowid", Integer), column("rank", Float))
_VECTOR: ColumnElement[Any] = literal_column(f"search_documents.{engine.VECTOR_COLUMN}")


class _Sqlite:
    """FTS5: the MATCH joins the index's table to its rows."""

    def __init__(self, query: Query) -> None:
        self.match = fts5_match(query) if query.groups else None
        self.key: SQLColumnExpression[int] = _FTS.c.rowid if self.match else D.id
        self.rank: ColumnElement[float] = _FTS.c.rank  # bm25: lower is better

    def select(self, *columns: Any) -> Select[Any]:
        if self.match is None:
            return select(*columns).select_from(D)
        return (
            select(*columns)
            .select_from(_FTS)
            .join(D, D.id == _FTS.c.rowid)
            .where(literal_column(engine.FTS_TABLE).op("MATCH")(self.match))
        )

    def marked(self) -> ColumnElement[str | None]:
        if self.match is None:
            return literal_column("NULL")
        return func.highlight(literal_column(engine.FTS_TABLE), 0, START, STOP)


class _Postgres:
    """A tsvector per text, made with its language's configuration. Each term of the
    query is asked in every configuration at once (its English, French, Spanish and
    Russian stems and the word itself, any of which may match): one condition the GIN
    index answers whole, whatever the texts' languages."""

    def __init__(self, query: Query) -> None:
        self.query = query if query.groups else None
        self.key: SQLColumnExpression[int] = D.id
        self.rank = -func.ts_rank(_VECTOR, self._tsquery()) if self.query else D.id

    @staticmethod
    def _term(term: Term) -> ColumnElement[Any]:
        text = tsquery_term(term)
        asked = [
            func.to_tsquery(literal_column(f"'{config}'::regconfig"), text)
            for config in engine.pg_configurations_for(" ".join(term.words))
        ]
        return reduce(func.tsquery_or, asked)

    def _tsquery(self) -> ColumnElement[Any]:
        assert self.query is not None
        groups = [reduce(func.tsquery_or, map(self._term, g)) for g in self.query.groups]
        excluded = [func.tsquery_not(self._term(term)) for term in self.query.excluded]
        return reduce(func.tsquery_and, [*groups, *excluded])

    def select(self, *columns: Any) -> Select[Any]:
        found = select(*columns).select_from(D)
        if self.query is None:
            return found
        return found.where(_VECTOR.op("@@")(self._tsquery()))

    def marked(self) -> ColumnElement[str | None]:
        if self.query is None:
            return literal_column("NULL")
        config: ColumnElement[Any] = literal_column(engine.pg_config_sql("search_documents.lang"))
        options = f"HighlightAll=true, StartSel={START}, StopSel={STOP}"
        return func.ts_headline(config, D.terms, self._tsquery(), options)


def _filter_clauses(filters: Filters) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if (place := filters.space_or_session) is not None:
        in_space = select(ForumSession.id).join(Space, Space.id == ForumSession.space_id)
        clause: ColumnElement[bool] = or_(
            D.session_id.in_(in_space.where(Space.slug == place)),
            D.space_id.in_(select(Space.id).where(Space.slug == place)),  # its library
        )
        if place.isascii() and place.isdigit() and 0 < int(place) <= MAX_ID:
            clause = or_(clause, D.session_id == int(place))
        where.append(clause)
    if filters.author is not None:
        pattern = "%" + _like_escaped(filters.author) + "%"
        named = select(User.id).where(User.display_name.ilike(pattern, escape="\\"))
        where.append(or_(D.author_id.in_(named), D.guest_name.ilike(pattern, escape="\\")))
    if filters.question is not None:
        threads = select(Question.thread_id).where(Question.number == filters.question)
        where.append(D.thread_id.in_(threads))
    if filters.type is not None:
        where.append(D.kind == DOCUMENT if filters.type == DOCUMENTS else D.kind != DOCUMENT)
    if filters.lang is not None:
        where.append(D.lang == filters.lang)
    if filters.after is not None:
        where.append(D.written_at >= filters.after)
    if filters.before is not None:
        where.append(D.written_at < filters.before)
    return where


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --- cursors ------------------------------------------------------------------------


def _encode(order: str, position: list[Any]) -> str:
    raw = json.dumps([order, *position], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str | None, order: str) -> list[Any] | None:
    """The position a cursor of this order holds; Invalid for anything else."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)
    except (binascii.Error, ValueError, RecursionError):
        value = None
    size = 2 if order == NEWEST else 3
    if (
        not isinstance(value, list)
        or len(value) != size
        or value[0] != order
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value[1:])
        or not isinstance(value[-1], int)
        or not 0 < value[-1] <= MAX_ID
    ):
        raise Invalid("cursor: not one given by this search.", field="cursor")
    return value[1:]


# --- the search ---------------------------------------------------------------------


async def search(
    db: AsyncSession,
    actor: Actor,
    q: str,
    fields: Mapping[str, str] | None = None,
    *,
    order: str = NEWEST,
    cursor: str | None = None,
    limit: int | None = None,
) -> tuple[Query, SearchPage]:
    """A page of what the actor may find for `q` (the search language) and the filters
    given as `fields`. Invalid for a query or filter that cannot be one, an unknown
    order or a cursor this search did not give."""
    query = parse(q, dict(fields or {}))
    if order not in ORDERS:
        raise Invalid("order: newest or relevance.", field="order")
    if query.empty:
        return query, SearchPage([], None)
    if not query.groups:
        order = NEWEST  # nothing to rank by
    limit = min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    position = _decode(cursor, order)
    found = _Sqlite(query) if db.get_bind().dialect.name == "sqlite" else _Postgres(query)
    findable = findable_documents_clause(actor)  # one clause, in both statements
    where = [findable, *_filter_clauses(query.filters)]
    if order == NEWEST:
        ids = found.select(found.key).where(*where).order_by(found.key.desc())
        if position is not None:
            ids = ids.where(found.key < position[0])
    else:
        ids = found.select(found.key, found.rank).where(*where)
        ids = ids.order_by(found.rank, found.key.desc())
        if position is not None:
            rank, key = position
            ids = ids.where((found.rank > rank) | ((found.rank == rank) & (found.key < key)))
    rows = (await db.execute(ids.limit(limit + 1))).all()
    more, rows = len(rows) > limit, rows[:limit]
    hits = await _hits(db, findable, found, [row[0] for row in rows])
    following = None
    if more:
        last = rows[-1]
        following = _encode(order, [last[0]] if order == NEWEST else [last[1], last[0]])
    return query, SearchPage(hits, following)


# Aliases: the policy's clause has subqueries of these tables of its own, which must not
# be taken for (correlated with) the ones joined here for display.
_SESSION, _SPACE, _QUESTION, _THREAD, _USER, _DOCUMENT = (
    aliased(ForumSession),
    aliased(Space),
    aliased(Question),
    aliased(Thread),
    aliased(User),
    aliased(Document),
)


def _current_file(column: Any) -> ColumnElement[Any]:
    """A column of a library document's current file (its newest version's)."""
    version, upload = aliased(DocumentVersion), aliased(Upload)
    return (
        select(column(upload))
        .join(version, version.upload_id == upload.id)
        .where(version.document_id == _DOCUMENT.id)
        .order_by(version.number.desc())
        .limit(1)
        .scalar_subquery()
    )


async def _hits(
    db: AsyncSession, findable: ColumnElement[bool], found: _Sqlite | _Postgres, ids: list[int]
) -> list[SearchHit]:
    """The rows of these ids, for display, if the clause still lets the reader find them."""
    if not ids:
        return []
    fs, space, question, thread, user, document = (
        _SESSION,
        _SPACE,
        _QUESTION,
        _THREAD,
        _USER,
        _DOCUMENT,
    )
    statement = (
        found.select(
            D.id,
            D.kind,
            D.ref_id,
            D.status,
            D.session_id,
            D.thread_id,
            D.guest_name,
            D.written_at,
            D.text,
            fs.title,
            space.slug,
            space.title,
            question.id,
            question.number,
            thread.title,
            user.display_name,
            found.marked(),
            document.title,
            _current_file(lambda upload: upload.name),
            _current_file(lambda upload: upload.media_type),
        )
        .outerjoin(fs, fs.id == D.session_id)
        # A session's space, or a library document's.
        .join(space, space.id == func.coalesce(fs.space_id, D.space_id))
        .outerjoin(question, question.thread_id == D.thread_id)
        .outerjoin(thread, thread.id == D.thread_id)
        .outerjoin(user, user.id == D.author_id)
        .outerjoin(document, (D.kind == DOCUMENT) & (document.id == D.ref_id))
        .where(found.key.in_(ids), findable)
    )
    by_id: dict[int, SearchHit] = {}
    for row in (await db.execute(statement)).all():
        (doc_id, kind, ref_id, status, session_id, thread_id, guest, written_at, text) = row[:9]
        session_title, slug, space_title, q_id, q_number, thread_title, name, marked = row[9:17]
        document_title, file_name, media_type = row[17:]
        by_id[doc_id] = SearchHit(
            kind=kind,
            id=ref_id,
            status=status,
            space_slug=slug,
            space_title=space_title,
            session_id=session_id,
            session_title=session_title,
            thread_id=thread_id,
            question_id=q_id,
            question_number=q_number,
            topic_title=thread_title if q_id is None else None,
            author=name or guest,
            written_at=written_at,
            snippet=snippet(text, matched_ranges(text, marked)),
            document=DocumentRef(document_title, file_name, media_type)
            if document_title is not None
            else None,
        )
    return [by_id[i] for i in ids if i in by_id]
