"""Reads for spaces, sessions, threads and posts, returning plain data.

Every function starts from the policy module's loaders, so nothing here can show
what the caller may not see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import User
from forum_server.orm import utcnow
from forum_server.policy import (
    Actor,
    SessionAccess,
    check_may_manage_space,
    load_question,
    load_session,
    load_space,
    load_thread,
    may_appoint_moderators,
    may_read_hidden_text,
    may_start_topic,
    may_suspend,
    require_caller,
    visible_posts_clause,
    visible_sessions_clause,
    visible_spaces_clause,
    visible_threads_clause,
)
from forum_server.rooms.edit_views import VersionView, earlier_versions, editable_by_author
from forum_server.rooms.models import ForumSession, Post, Question, SessionPeriod, Space, Thread
from forum_server.rooms.posts_view import PostView, post_view
from forum_server.rooms.space_views import (
    QuestionView,
    SessionDetail,
    SessionSummary,
    SpaceDetail,
    SpaceSummary,
    ThreadSummary,
    question_view,
    space_summary,
)
from forum_server.rooms.state import HIDDEN, OPEN, PUBLISHED, Period, next_boundary, session_state

MAX_PAGE = 200
DEFAULT_PAGE = 50


async def list_spaces(db: AsyncSession, actor: Actor) -> list[SpaceSummary]:
    rows = await db.scalars(select(Space).where(visible_spaces_clause(actor)).order_by(Space.title))
    return [space_summary(space) for space in rows]


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


session_periods = _periods  # each session's periods, oldest first


async def space_detail(db: AsyncSession, actor: Actor, slug: str) -> SpaceDetail:
    space, access = await load_space(db, actor, slug)
    sessions = list(
        await db.scalars(
            select(ForumSession)
            .where(ForumSession.space_id == space.id, visible_sessions_clause(access))
            .order_by(ForumSession.id)
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
    return SpaceDetail(space_summary(space), summaries, access.can_manage, access.role)


async def space_to_manage(db: AsyncSession, actor: Actor, slug: str) -> SpaceSummary:
    """The space, for those who may manage it (the form that creates a session)."""
    require_caller(actor)
    space, access = await load_space(db, actor, slug)
    check_may_manage_space(access)
    return space_summary(space)


async def session_detail(db: AsyncSession, actor: Actor, session_id: int) -> SessionDetail:
    forum_session, access = await load_session(db, actor, session_id)
    space = await db.get(Space, forum_session.space_id)
    assert space is not None
    periods = (await _periods(db, [session_id]))[session_id]
    moderators = list(
        await db.execute(
            select(User.id, User.display_name, User.email)
            .where(User.id.in_(access.moderator_ids))
            .order_by(User.display_name)
        )
    )
    may_appoint = may_appoint_moderators(access.space)
    threads = await list_threads_for(db, access)
    questions = [
        question_view(q, t.post_count) for q, t in await _questions_with_threads(db, session_id)
    ]
    now = utcnow()
    state = session_state(periods, now)
    return SessionDetail(
        id=session_id,
        space=space_summary(space),
        title=forum_session.title,
        description=forum_session.description,
        description_html=forum_session.description_html,
        state=state,
        periods=periods,
        moderators=[{"id": uid, "display_name": name} for uid, name, _ in moderators],
        questions=questions,
        participant_topics=forum_session.participant_topics,
        posting=forum_session.posting,
        can_moderate=access.can_moderate,
        can_post=access.may_post and state == OPEN,
        next_change=next_boundary(periods, now),
        topics=[t for t in threads if t.question_number is None],
        can_start_topic=may_start_topic(access, forum_session.participant_topics) and state == OPEN,
        can_appoint_moderators=may_appoint,
        moderator_emails=tuple(email for _, _, email in moderators) if may_appoint else (),
        can_suspend=may_suspend(access.space),
        format=forum_session.format,
        agenda_item=forum_session.agenda_item,
        message_limit=forum_session.message_limit,
        report_symbol=forum_session.report_symbol,
        report_distribution=forum_session.report_distribution,
    )


async def question_detail(db: AsyncSession, actor: Actor, question_id: int) -> QuestionView:
    question, _ = await load_question(db, actor, question_id)
    post_count = await db.scalar(select(Thread.post_count).where(Thread.id == question.thread_id))
    return question_view(question, post_count or 0)


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


def _written_in(lang: str | None) -> ColumnElement[bool]:
    """Posts written in `lang` (all posts when None)."""
    return Post.lang == lang if lang is not None else true()


async def list_posts(
    db: AsyncSession,
    actor: Actor,
    thread_id: int,
    *,
    after: int = 0,
    limit: int = DEFAULT_PAGE,
    lang: str | None = None,
) -> tuple[list[PostView], int | None]:
    """Posts in id order after the cursor (only those written in `lang`, when given);
    the next cursor, or None on the last page."""
    _, access = await load_thread(db, actor, thread_id)
    limit = max(1, min(limit, MAX_PAGE))
    rows = await db.execute(
        select(Post, User)
        .outerjoin(User, User.id == Post.author_id)
        .where(
            Post.thread_id == thread_id,
            Post.id > after,
            visible_posts_clause(access),
            _written_in(lang),
        )
        .order_by(Post.id)
        .limit(limit + 1)
    )
    pairs = list(rows)
    views = [post_view(p, u, moderator=may_read_hidden_text(access)) for p, u in pairs[:limit]]
    next_cursor = views[-1].id if len(pairs) > limit else None
    return views, next_cursor


@dataclass(frozen=True)
class ThreadDetail:
    thread: ThreadSummary
    session: SessionDetail
    posts: list[PostView]  # in reading order: each reply right after its parent's subtree
    editable: frozenset[int] = frozenset()  # the reader's own posts they may edit now
    versions: dict[int, list[VersionView]] = field(default_factory=dict)  # moderators only
    numbers: dict[int, int] = field(default_factory=dict)  # post id -> its number, from 1


async def thread_detail(
    db: AsyncSession,
    actor: Actor,
    thread_id: int,
    *,
    lang: str | None = None,
    edit_window: timedelta = timedelta(0),
) -> ThreadDetail:
    """The thread with its posts (only those written in `lang`, when given), which of
    them the reader may edit, and for moderators the earlier texts of edited ones."""
    thread, access = await load_thread(db, actor, thread_id)
    session = await session_detail(db, actor, thread.session_id)
    summary = next(t for t in await list_threads_for(db, access) if t.id == thread_id)
    rows = await db.execute(
        select(Post, User)
        .outerjoin(User, User.id == Post.author_id)
        .where(Post.thread_id == thread_id, visible_posts_clause(access), _written_in(lang))
        .order_by(Post.id)
    )
    views = [post_view(p, u, moderator=may_read_hidden_text(access)) for p, u in rows]
    editable = editable_by_author(access, views, session.state, edit_window)
    edited = [v.id for v in views if v.edited_at is not None]
    versions = await earlier_versions(db, access, edited)
    numbers = await post_numbers(db, thread_id)
    return ThreadDetail(summary, session, reading_order(views), editable, versions, numbers)


async def post_numbers(db: AsyncSession, thread_id: int) -> dict[int, int]:
    """Each post's number in its thread: its place among the posts every reader sees
    (published and hidden), so "#12" means the same post to everyone, whatever the
    language filter; held and rejected posts have none."""
    ids = await db.scalars(
        select(Post.id)
        .where(Post.thread_id == thread_id, Post.status.in_((PUBLISHED, HIDDEN)))
        .order_by(Post.id)
    )
    return {post_id: number for number, post_id in enumerate(ids, 1)}


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
