"""Reads for moderation, returning plain data: running summaries, the review queue,
the spaces a moderator looks after.

Every function starts from the policy module, so nothing here shows what the caller
may not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import User
from forum_server.errors import Forbidden, NotFound
from forum_server.moderation.models import Flag, Summary, SummaryVersion
from forum_server.policy import (
    MODERATOR,
    OWNER,
    Actor,
    load_session,
    load_space,
    load_thread,
    moderated_sessions_clause,
    require_caller,
)
from forum_server.rooms.models import ForumSession, Membership, Post, Question, Space, Thread
from forum_server.rooms.posts_view import PostView, post_view

QUEUE_LIMIT = 200

# --- running summaries ------------------------------------------------------------


@dataclass(frozen=True)
class SummaryView:
    """A running summary as everyone who may see its session reads it."""

    session_id: int
    question_id: int | None  # None: the summary of the whole session
    question_number: int | None
    thread_id: int | None  # the question's thread
    body: str  # Markdown source
    html: str  # rendered once, when written
    updated_at: datetime
    updated_by: str | None  # display name of whoever wrote the current text

    def as_json(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "question_id": self.question_id,
            "question_number": self.question_number,
            "thread_id": self.thread_id,
            "body": self.body,
            "html": self.html,
            "updated_at": self.updated_at.isoformat(),
            "updated_by": self.updated_by,
        }


@dataclass(frozen=True)
class SummaryVersionView:
    id: int
    body: str
    written_at: datetime
    written_by: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "body": self.body,
            "written_at": self.written_at.isoformat(),
            "written_by": self.written_by,
        }


@dataclass(frozen=True)
class SessionSummaries:
    """A session's running summaries: `session` is the summary of the whole session
    (None until one is written); `questions` maps a guiding question's id to its
    summary, for the questions that have one."""

    session: SummaryView | None
    questions: dict[int, SummaryView]

    def by_number(self) -> list[SummaryView]:
        """The questions' summaries in question order."""
        return sorted(self.questions.values(), key=lambda s: s.question_number or 0)


def summary_view(summary: Summary, question: Question | None, writer: str | None) -> SummaryView:
    return SummaryView(
        session_id=summary.session_id,
        question_id=summary.question_id,
        question_number=question.number if question else None,
        thread_id=question.thread_id if question else None,
        body=summary.body,
        html=summary.html,
        updated_at=summary.updated_at,
        updated_by=writer,
    )


def _summaries_query() -> Any:
    return (
        select(Summary, Question, User.display_name)
        .outerjoin(Question, Question.id == Summary.question_id)
        .outerjoin(User, User.id == Summary.updated_by)
    )


async def summaries_for_session(
    db: AsyncSession, actor: Actor, session_id: int
) -> SessionSummaries:
    """Every running summary of a session, for anyone who may see the session (the
    summary report uses this). Raises NotFound like the session's other reads."""
    await load_session(db, actor, session_id)
    rows = await db.execute(_summaries_query().where(Summary.session_id == session_id))
    session_summary = None
    questions: dict[int, SummaryView] = {}
    for summary, question, writer in rows:
        view = summary_view(summary, question, writer)
        if summary.question_id is None:
            session_summary = view
        else:
            questions[summary.question_id] = view
    return SessionSummaries(session_summary, questions)


async def summary_for_thread(db: AsyncSession, actor: Actor, thread_id: int) -> SummaryView | None:
    """The running summary shown at the top of a guiding question's thread, if any."""
    await load_thread(db, actor, thread_id)
    row = (await db.execute(_summaries_query().where(Question.thread_id == thread_id))).first()
    return summary_view(row[0], row[1], row[2]) if row else None


@dataclass(frozen=True)
class SummaryDetail:
    summary: SummaryView | None
    versions: list[SummaryVersionView] | None  # newest first; for moderators only
    can_edit: bool

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"summary": self.summary.as_json() if self.summary else None}
        if self.versions is not None:
            data["versions"] = [v.as_json() for v in self.versions]
        return data


async def summary_detail(
    db: AsyncSession, actor: Actor, *, session_id: int | None = None, question_id: int | None = None
) -> SummaryDetail:
    """A session's (session_id) or a question's (question_id) summary; with its history
    for the session's moderators."""
    question = None
    if question_id is not None:
        question = await db.get(Question, question_id)
        if question is None:
            raise NotFound("No such question.")
        session_id = question.session_id
    assert session_id is not None
    try:
        _, access = await load_session(db, actor, session_id)
    except NotFound:
        raise NotFound("No such question." if question else "No such session.") from None
    where = (
        Summary.question_id == question_id
        if question_id is not None
        else (Summary.session_id == session_id) & Summary.question_id.is_(None)
    )
    row = (await db.execute(_summaries_query().where(where))).first()
    view = summary_view(row[0], row[1], row[2]) if row else None
    versions = None
    if access.can_moderate:
        versions = []
        if row is not None:
            found = await db.execute(
                select(SummaryVersion, User.display_name)
                .outerjoin(User, User.id == SummaryVersion.written_by)
                .where(SummaryVersion.summary_id == row[0].id)
                .order_by(SummaryVersion.id.desc())
            )
            versions = [SummaryVersionView(v.id, v.body, v.written_at, name) for v, name in found]
    return SummaryDetail(view, versions, access.can_moderate)


# --- the review queue ---------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a queued post is, for showing it with its context."""

    space_slug: str
    space_title: str
    session_id: int
    session_title: str
    thread_id: int
    thread_title: str

    def as_json(self) -> dict[str, Any]:
        return {
            "space": {"slug": self.space_slug, "title": self.space_title},
            "session": {"id": self.session_id, "title": self.session_title},
            "thread": {"id": self.thread_id, "title": self.thread_title},
        }


@dataclass(frozen=True)
class QueuedPost:
    post: PostView  # as moderators see it (guests' e-mail addresses are never included)
    place: Place

    def as_json(self) -> dict[str, Any]:
        return {**self.post.as_json(), **self.place.as_json()}


@dataclass(frozen=True)
class OpenFlag:
    id: int
    reason: str
    flagged_by: str
    created_at: datetime
    post: PostView
    place: Place

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "reason": self.reason,
            "flagged_by": self.flagged_by,
            "created_at": self.created_at.isoformat(),
            "post": self.post.as_json(),
            **self.place.as_json(),
        }


@dataclass(frozen=True)
class SpaceRef:
    id: int
    slug: str
    title: str


@dataclass(frozen=True)
class Queue:
    pending: list[QueuedPost]  # oldest first
    flags: list[OpenFlag]  # oldest first
    spaces: list[SpaceRef]  # the spaces the viewer moderates (in part or whole)

    def as_json(self) -> dict[str, Any]:
        return {
            "pending": [p.as_json() for p in self.pending],
            "flags": [f.as_json() for f in self.flags],
        }


def _place(columns: Any) -> Place:
    slug, space_title, session_id, session_title, thread_id, thread_title = columns
    return Place(slug, space_title, session_id, session_title, thread_id, thread_title)


async def moderated_spaces(db: AsyncSession, actor: Actor) -> list[SpaceRef]:
    """The spaces whose content (or part of it) the actor moderates."""
    query = select(Space.id, Space.slug, Space.title).order_by(Space.title)
    if not actor.is_secretariat:
        require_caller(actor)
        roles = select(Membership.space_id).where(
            Membership.user_id == actor.user_id, Membership.role.in_((OWNER, MODERATOR))
        )
        sessions = select(ForumSession.space_id).where(moderated_sessions_clause(actor))
        query = query.where(or_(Space.id.in_(roles), Space.id.in_(sessions)))
    return [SpaceRef(*row) for row in await db.execute(query)]


async def moderation_queue(
    db: AsyncSession, actor: Actor, space_slug: str | None = None, *, limit: int = QUEUE_LIMIT
) -> Queue:
    """Posts awaiting review and open flags in the sessions the actor moderates (of one
    space, when `space_slug` is given). Unauthorized for anonymous callers, Forbidden
    for people who moderate nothing there, NotFound for a space they may not see."""
    require_caller(actor)
    spaces = await moderated_spaces(db, actor)
    if not spaces and not actor.is_secretariat:
        raise Forbidden("Only moderators have a moderation queue.")
    scope = moderated_sessions_clause(actor)
    if space_slug is not None:
        space, _ = await load_space(db, actor, space_slug)
        if space.id not in {s.id for s in spaces}:
            raise Forbidden("You do not moderate this space.")
        scope = scope & (ForumSession.space_id == space.id)
    place_columns = (Space.slug, Space.title, ForumSession.id, ForumSession.title, Thread.id)
    pending_rows = await db.execute(
        select(Post, User, *place_columns, Thread.title)
        .join(Thread, Thread.id == Post.thread_id)
        .join(ForumSession, ForumSession.id == Post.session_id)
        .join(Space, Space.id == ForumSession.space_id)
        .outerjoin(User, User.id == Post.author_id)
        .where(Post.status == "pending", scope)
        .order_by(Post.id)
        .limit(limit)
    )
    pending = [
        QueuedPost(post_view(row[0], row[1], moderator=True), _place(row[2:]))
        for row in pending_rows
    ]
    flagger = User.__table__.alias("flagger")
    flag_rows = await db.execute(
        select(Flag, flagger.c.display_name, Post, User, *place_columns, Thread.title)
        .join(Post, Post.id == Flag.post_id)
        .join(flagger, flagger.c.id == Flag.user_id)
        .join(Thread, Thread.id == Post.thread_id)
        .join(ForumSession, ForumSession.id == Post.session_id)
        .join(Space, Space.id == ForumSession.space_id)
        .outerjoin(User, User.id == Post.author_id)
        .where(Flag.status == "open", scope)
        .order_by(Flag.id)
        .limit(limit)
    )
    flags = [
        OpenFlag(
            row[0].id,
            row[0].reason,
            row[1],
            row[0].created_at,
            post_view(row[2], row[3], moderator=True),
            _place(row[4:]),
        )
        for row in flag_rows
    ]
    return Queue(pending, flags, spaces)
