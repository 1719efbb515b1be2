"""Reads for spaces, sessions, threads and posts, returning plain data.

Every function starts from the policy module's loaders, so nothing here can show
what the caller may not see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import User
from forum_server.errors import DomainError
from forum_server.orm import utcnow
from forum_server.policy import (
    Actor,
    SessionAccess,
    load_session,
    load_space,
    load_thread,
    may_suspend,
    visible_posts_clause,
    visible_spaces_clause,
    visible_threads_clause,
)
from forum_server.rooms.models import ForumSession, Post, Question, SessionPeriod, Space, Thread
from forum_server.rooms.posts_view import PostView, post_view
from forum_server.rooms.state import Period, next_boundary, session_state

MAX_PAGE = 200
DEFAULT_PAGE = 50


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class SpaceSummary:
    id: int
    slug: str
    title: str
    description: str
    description_html: str
    visibility: str
    guest_posting: bool
    composition: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "slug": self.slug,
            "title": self.title,
            "description": self.description,
            "visibility": self.visibility,
            "guest_posting": self.guest_posting,
            "composition": self.composition,
        }


def _space_summary(space: Space) -> SpaceSummary:
    return SpaceSummary(
        space.id,
        space.slug,
        space.title,
        space.description,
        space.description_html,
        space.visibility,
        space.guest_posting,
        space.composition,
    )


@dataclass(frozen=True)
class SessionSummary:
    id: int
    title: str
    state: str
    opens_at: datetime | None
    closes_at: datetime | None
    post_count: int
    last_post_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "state": self.state,
            "opens_at": _iso(self.opens_at),
            "closes_at": _iso(self.closes_at),
            "post_count": self.post_count,
            "last_post_at": _iso(self.last_post_at),
        }


@dataclass(frozen=True)
class SpaceDetail:
    space: SpaceSummary
    sessions: list[SessionSummary]
    can_manage: bool
    role: str | None

    def as_json(self) -> dict[str, Any]:
        return {**self.space.as_json(), "sessions": [s.as_json() for s in self.sessions]}


async def list_spaces(db: AsyncSession, actor: Actor) -> list[SpaceSummary]:
    rows = await db.scalars(select(Space).where(visible_spaces_clause(actor)).order_by(Space.title))
    return [_space_summary(space) for space in rows]


async def _periods(db: AsyncSession, session_ids: list[int]) -> dict[int, list[Period]]:
    periods: dict[int, list[Period]] = {sid: [] for sid in session_ids}
    if not session_ids:
        return periods
    rows = await db.execute(
        select(SessionPeriod.session_id, SessionPeriod.opens_at, SessionPeriod.closes_at)
        .where(SessionPeriod.session_id.in_(session_ids))
        .order_by(SessionPeriod.id)
    )
    for session_id, opens_at, closes_at in rows:
        periods[session_id].append(Period(opens_at, closes_at))
    return periods


async def space_detail(db: AsyncSession, actor: Actor, slug: str) -> SpaceDetail:
    space, access = await load_space(db, actor, slug)
    sessions = list(
        await db.scalars(
            select(ForumSession).where(ForumSession.space_id == space.id).order_by(ForumSession.id)
        )
    )
    ids = [s.id for s in sessions]
    periods = await _periods(db, ids)
    activity: dict[int, tuple[int, datetime | None]] = {}
    if ids:
        rows = await db.execute(
            select(Thread.session_id, func.sum(Thread.post_count), func.max(Thread.last_post_at))
            .where(Thread.session_id.in_(ids))
            .group_by(Thread.session_id)
        )
        activity = {sid: (int(count or 0), last) for sid, count, last in rows}
    now = utcnow()
    summaries = []
    for s in sessions:
        latest = periods[s.id][-1] if periods[s.id] else None
        count, last = activity.get(s.id, (0, None))
        summaries.append(
            SessionSummary(
                s.id,
                s.title,
                session_state(periods[s.id], now),
                latest.opens_at if latest else None,
                latest.closes_at if latest else None,
                count,
                last,
            )
        )
    return SpaceDetail(_space_summary(space), summaries, access.can_manage, access.role)


@dataclass(frozen=True)
class QuestionView:
    id: int
    number: int
    text: str
    thread_id: int
    post_count: int

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "text": self.text,
            "thread_id": self.thread_id,
        }


@dataclass(frozen=True)
class SessionDetail:
    id: int
    space: SpaceSummary
    title: str
    description: str
    description_html: str
    state: str
    periods: list[Period]
    moderators: list[dict[str, Any]]
    questions: list[QuestionView]
    participant_topics: bool
    posting: str
    can_moderate: bool
    can_post: bool
    next_change: datetime | None
    topics: list[ThreadSummary] = field(default_factory=list)
    can_suspend: bool = False  # suspend authors in the whole space (space moderators)

    @property
    def opens_at(self) -> datetime | None:
        return self.periods[-1].opens_at if self.periods else None

    @property
    def closes_at(self) -> datetime | None:
        return self.periods[-1].closes_at if self.periods else None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "space": {"slug": self.space.slug, "title": self.space.title},
            "title": self.title,
            "description": self.description,
            "state": self.state,
            "opens_at": _iso(self.opens_at),
            "closes_at": _iso(self.closes_at),
            "periods": [
                {"opens_at": _iso(p.opens_at), "closes_at": _iso(p.closes_at)} for p in self.periods
            ],
            "moderators": self.moderators,
            "questions": [q.as_json() for q in self.questions],
            "participant_topics": self.participant_topics,
            "posting": self.posting,
        }


@dataclass(frozen=True)
class ThreadSummary:
    id: int
    session_id: int
    title: str
    question_number: int | None
    question_text: str | None
    locked: bool
    post_count: int
    last_post_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "session_id": self.session_id,
            "title": self.title,
            "question": (
                {"number": self.question_number, "text": self.question_text}
                if self.question_number is not None
                else None
            ),
            "locked": self.locked,
            "post_count": self.post_count,
            "last_post_at": _iso(self.last_post_at),
        }


async def session_detail(db: AsyncSession, actor: Actor, session_id: int) -> SessionDetail:
    forum_session, access = await load_session(db, actor, session_id)
    space = await db.get(Space, forum_session.space_id)
    assert space is not None
    periods = (await _periods(db, [session_id]))[session_id]
    moderators = await db.execute(
        select(User.id, User.display_name)
        .where(User.id.in_(access.moderator_ids))
        .order_by(User.display_name)
    )
    threads = await list_threads_for(db, access)
    questions = [
        QuestionView(q.id, q.number, q.text, q.thread_id, t.post_count)
        for q, t in await _questions_with_threads(db, session_id)
    ]
    now = utcnow()
    state = session_state(periods, now)
    return SessionDetail(
        id=session_id,
        space=_space_summary(space),
        title=forum_session.title,
        description=forum_session.description,
        description_html=forum_session.description_html,
        state=state,
        periods=periods,
        moderators=[{"id": uid, "display_name": name} for uid, name in moderators],
        questions=questions,
        participant_topics=forum_session.participant_topics,
        posting=forum_session.posting,
        can_moderate=access.can_moderate,
        can_post=_may_post(access) and state == "open",
        next_change=next_boundary(periods, now),
        topics=[t for t in threads if t.question_number is None],
        can_suspend=may_suspend(access.space),
    )


def _may_post(access: SessionAccess) -> bool:
    try:
        access.check_may_post()
    except DomainError:
        return False
    return True


async def _questions_with_threads(
    db: AsyncSession, session_id: int
) -> list[tuple[Question, Thread]]:
    rows = await db.execute(
        select(Question, Thread)
        .join(Thread, Thread.id == Question.thread_id)
        .where(Question.session_id == session_id)
        .order_by(Question.number)
    )
    return [(q, t) for q, t in rows]


async def list_threads_for(db: AsyncSession, access: SessionAccess) -> list[ThreadSummary]:
    """Questions' threads first, by number; then topics, the most recently active first."""
    rows = await db.execute(
        select(Thread, Question.number, Question.text)
        .outerjoin(Question, Question.thread_id == Thread.id)
        .where(Thread.session_id == access.session_id, visible_threads_clause(access))
    )
    threads = [
        ThreadSummary(
            t.id, t.session_id, t.title, number, text, t.locked, t.post_count, t.last_post_at
        )
        for t, number, text in rows
    ]
    questions = sorted(
        (t for t in threads if t.question_number is not None), key=lambda t: t.question_number or 0
    )
    topics = sorted(
        (t for t in threads if t.question_number is None),
        key=lambda t: t.last_post_at or datetime.min.replace(tzinfo=UTC),
        reverse=True,
    )
    return questions + topics


async def list_threads(db: AsyncSession, actor: Actor, session_id: int) -> list[ThreadSummary]:
    _, access = await load_session(db, actor, session_id)
    return await list_threads_for(db, access)


async def list_posts(
    db: AsyncSession, actor: Actor, thread_id: int, *, after: int = 0, limit: int = DEFAULT_PAGE
) -> tuple[list[PostView], int | None]:
    """Posts in id order after the cursor; the next cursor, or None on the last page."""
    _, access = await load_thread(db, actor, thread_id)
    limit = max(1, min(limit, MAX_PAGE))
    rows = await db.execute(
        select(Post, User)
        .outerjoin(User, User.id == Post.author_id)
        .where(Post.thread_id == thread_id, Post.id > after, visible_posts_clause(access))
        .order_by(Post.id)
        .limit(limit + 1)
    )
    pairs = list(rows)
    views = [post_view(p, u, moderator=access.can_moderate) for p, u in pairs[:limit]]
    next_cursor = views[-1].id if len(pairs) > limit else None
    return views, next_cursor


@dataclass(frozen=True)
class ThreadDetail:
    thread: ThreadSummary
    session: SessionDetail
    posts: list[PostView]  # in reading order: each reply right after its parent's subtree


async def thread_detail(db: AsyncSession, actor: Actor, thread_id: int) -> ThreadDetail:
    thread, access = await load_thread(db, actor, thread_id)
    session = await session_detail(db, actor, thread.session_id)
    summary = next(t for t in await list_threads_for(db, access) if t.id == thread_id)
    rows = await db.execute(
        select(Post, User)
        .outerjoin(User, User.id == Post.author_id)
        .where(Post.thread_id == thread_id, visible_posts_clause(access))
        .order_by(Post.id)
    )
    views = [post_view(p, u, moderator=access.can_moderate) for p, u in rows]
    return ThreadDetail(summary, session, reading_order(views))


def reading_order(posts: list[PostView]) -> list[PostView]:
    """Depth-first: each post followed by its replies, oldest first. A reply whose
    parent is not shown to this reader is shown at the top level."""
    shown = {p.id for p in posts}
    children: dict[int | None, list[PostView]] = {}
    for post in posts:
        parent = post.parent_id if post.parent_id in shown else None
        children.setdefault(parent, []).append(post)
    ordered: list[PostView] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        post = stack.pop()
        ordered.append(post)
        stack.extend(reversed(children.get(post.id, [])))
    return ordered
