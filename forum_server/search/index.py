"""Keeping the index in step: every command that changes searchable text, or who may
find it, calls one of these in its own write transaction, after its change. A post
created, edited, held, approved, rejected, hidden or restored; a topic started; a
guiding question added or reworded; a session created or its title or description
changed; a summary written; files attached to a post; a library document added, given
a new version or removed (and any command that edits or restores one: index_document
reads it whole). The row is written whole each time (the engines' own index follows by
trigger or generated column), so a caller need not say what changed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from forum_server.calls.models import Call, Submission, SubmissionFile
from forum_server.db import UnitOfWork
from forum_server.files.models import Document, DocumentVersion, Upload
from forum_server.rooms.models import ForumSession, Post, Question, Thread
from forum_server.search import documents
from forum_server.search.documents import Values
from forum_server.search.models import DOCUMENT, SUBMISSION, SearchDocument
from forum_server.summaries import Summary

_KEY = ("kind", "ref_id")
_COLUMNS = [c.name for c in SearchDocument.__table__.columns if c.name != "id"]
_UPSERTS: dict[str, Any] = {}


def _upsert(dialect: str) -> Any:
    """INSERT … ON CONFLICT (kind, ref_id) DO UPDATE, built once per dialect: posting
    runs it every time, and building the statement cost more than running it."""
    if dialect not in _UPSERTS:
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        table: Any = SearchDocument.__table__  # Core, not ORM-enabled: less to do per call
        statement = insert(table).values({name: bindparam(name) for name in _COLUMNS})
        _UPSERTS[dialect] = statement.on_conflict_do_update(
            index_elements=list(_KEY),
            set_={name: statement.excluded[name] for name in _COLUMNS if name not in _KEY},
        )
    return _UPSERTS[dialect]


async def _put(uow: UnitOfWork, values: Values) -> None:
    await uow.session.execute(_upsert(uow.dialect), values)


async def _attachment_names(uow: UnitOfWork, post_id: int) -> list[str]:
    names = await uow.session.scalars(
        select(Upload.name)
        .where(Upload.post_id == post_id, Upload.removed_at.is_(None))
        .order_by(Upload.id)
    )
    return list(names)


async def index_post(uow: UnitOfWork, post: Post, *, new: bool = False) -> None:
    """A post with the names of its files; `new`: a post being written, which has none
    yet (its files join it after, and index it again: index_post_files)."""
    await uow.flush()  # a new post's id and time
    names = [] if new else await _attachment_names(uow, post.id)
    await _put(
        uow,
        documents.post(
            post.id,
            post.session_id,
            post.thread_id,
            post.author_id,
            post.guest_name,
            post.lang,
            post.status,
            post.created_at,
            post.body,
            names,
        ),
    )


async def index_post_files(uow: UnitOfWork, post_id: int) -> None:
    """After files joined a post."""
    post = await uow.session.get(Post, post_id)
    if post is not None:
        await index_post(uow, post)


async def index_topic(uow: UnitOfWork, thread: Thread) -> None:
    """A participant's topic (its title); a guiding question's thread is found by its
    question instead."""
    await uow.flush()
    await _put(
        uow,
        documents.topic(
            thread.id, thread.session_id, thread.author_id, thread.created_at, thread.title
        ),
    )


async def index_question(uow: UnitOfWork, question: Question) -> None:
    await uow.flush()
    await _put(
        uow,
        documents.question(
            question.id,
            question.session_id,
            question.thread_id,
            question.created_at,
            question.text,
        ),
    )


async def index_session(uow: UnitOfWork, forum_session: ForumSession) -> None:
    await uow.flush()
    await _put(
        uow,
        documents.session(
            forum_session.id,
            forum_session.created_by,
            forum_session.created_at,
            forum_session.title,
            forum_session.description,
        ),
    )


async def index_summary(uow: UnitOfWork, summary: Summary, question: Question | None) -> None:
    await uow.flush()
    await _put(
        uow,
        documents.summary(
            summary.id,
            summary.session_id,
            question.thread_id if question else None,
            summary.updated_by,
            summary.updated_at,
            summary.body,
        ),
    )


async def index_document(uow: UnitOfWork, document_id: int) -> None:
    """A library document as it is now: its current version's file, or no row at all
    once it is removed (nobody finds a removed document)."""
    await uow.flush()
    document = await uow.session.get(Document, document_id)
    if document is None or document.removed_at is not None:
        await uow.session.execute(
            delete(SearchDocument).where(
                SearchDocument.kind == DOCUMENT, SearchDocument.ref_id == document_id
            )
        )
        return
    current = (
        await uow.session.execute(
            select(Upload.name, Upload.extracted_text)
            .join(DocumentVersion, DocumentVersion.upload_id == Upload.id)
            .where(DocumentVersion.document_id == document_id)
            .order_by(DocumentVersion.number.desc())
            .limit(1)
        )
    ).first()
    name, text = current if current is not None else ("", None)
    await _put(
        uow,
        documents.document(
            document.id,
            document.space_id,
            document.created_by,
            document.language,
            document.updated_at,
            document.title,
            document.description,
            name,
            text,
        ),
    )


async def index_submission(uow: UnitOfWork, submission_id: int) -> None:
    """A submission to a call as it is now: a public one with its call's title and its
    documents' names; no row for a restricted one (nobody finds it by searching)."""
    await uow.flush()
    submission = await uow.session.get(Submission, submission_id)
    call = await uow.session.get(Call, submission.call_id) if submission else None
    if submission is None or call is None or not submission.public:
        await uow.session.execute(
            delete(SearchDocument).where(
                SearchDocument.kind == SUBMISSION, SearchDocument.ref_id == submission_id
            )
        )
        return
    names = await uow.session.scalars(
        select(Upload.name)
        .join(SubmissionFile, SubmissionFile.upload_id == Upload.id)
        .where(SubmissionFile.submission_id == submission_id, Upload.removed_at.is_(None))
        .order_by(Upload.id)
    )
    await _put(
        uow,
        documents.submission(
            submission.id,
            call.space_id,
            None,  # a country's or organization's, not a person's
            submission.updated_at,
            call.title,
            submission.text,
            list(names),
        ),
    )
