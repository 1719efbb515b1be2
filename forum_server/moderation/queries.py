"""Reads for moderation, returning plain data: the review queue and the spaces a
moderator looks after (running summaries are read in forum_server.summaries).

Every function starts from the policy module, so nothing here shows what the caller
may not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypedDict

from forum_server.accounts.models import User
from forum_server.errors import Forbidden
from forum_server.moderation.models import Flag
from forum_server.policy import (
    Actor,
    check_may_have_moderation_queue,
    load_post,
    load_space,
    load_thread,
    may_read_hidden_text,
    moderated_sessions_clause,
    moderated_spaces_clause,
    require_caller,
    require_signed_in,
)
from forum_server.rooms.models import ForumSession, Post, Space, Thread
from forum_server.rooms.posts_view import PostJson, PostView, load_post_view, post_view
from forum_server.rooms.queries import session_detail
from forum_server.rooms.space_views import SessionDetail

QUEUE_LIMIT = 200

# --- the review queue ---------------------------------------------------------------


class NamedJson(TypedDict):
    slug: str
    title: str


class IdTitleJson(TypedDict):
    id: int
    title: str


class PlaceJson(TypedDict):
    space: NamedJson
    session: IdTitleJson
    thread: IdTitleJson


@dataclass(frozen=True)
class Place:
    """Where a queued post is, for showing it with its context."""

    space_slug: str
    space_title: str
    session_id: int
    session_title: str
    thread_id: int
    thread_title: str

    def as_json(self) -> PlaceJson:
        return {
            "space": {"slug": self.space_slug, "title": self.space_title},
            "session": {"id": self.session_id, "title": self.session_title},
            "thread": {"id": self.thread_id, "title": self.thread_title},
        }


class QueuedPostJson(PostJson, PlaceJson):
    pass


@dataclass(frozen=True)
class QueuedPost:
    post: PostView  # as moderators see it (guests' e-mail addresses are never included)
    place: Place

    def as_json(self) -> QueuedPostJson:
        return {**self.post.as_json(), **self.place.as_json()}


class OpenFlagJson(PlaceJson):
    id: int
    reason: str
    flagged_by: str
    created_at: str
    post: PostJson


@dataclass(frozen=True)
class OpenFlag:
    id: int
    reason: str
    flagged_by: str
    created_at: datetime
    post: PostView
    place: Place

    def as_json(self) -> OpenFlagJson:
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
    space_wide: bool  # moderated as a whole (its audit log, suspensions), not one session


class QueueJson(TypedDict):
    pending: list[QueuedPostJson]
    flags: list[OpenFlagJson]


@dataclass(frozen=True)
class Queue:
    pending: list[QueuedPost]  # oldest first
    flags: list[OpenFlag]  # oldest first
    spaces: list[SpaceRef]  # the spaces the viewer moderates (in part or whole)

    def as_json(self) -> QueueJson:
        return {
            "pending": [p.as_json() for p in self.pending],
            "flags": [f.as_json() for f in self.flags],
        }


def _place(columns: Any) -> Place:
    slug, space_title, session_id, session_title, thread_id, thread_title = columns
    return Place(slug, space_title, session_id, session_title, thread_id, thread_title)


async def moderated_spaces(db: AsyncSession, actor: Actor) -> list[SpaceRef]:
    """The spaces whose content (or part of it) the actor moderates."""
    require_caller(actor)
    whole = moderated_spaces_clause(actor, whole=True)
    query = (
        select(Space.id, Space.slug, Space.title, whole)
        .where(moderated_spaces_clause(actor))
        .order_by(Space.title)
    )
    return [
        SpaceRef(id, slug, title, bool(wide)) for id, slug, title, wide in await db.execute(query)
    ]


async def moderation_queue(
    db: AsyncSession, actor: Actor, space_slug: str | None = None, *, limit: int = QUEUE_LIMIT
) -> Queue:
    """Posts awaiting review and open flags in the sessions the actor moderates (of one
    space, when `space_slug` is given). Unauthorized for anonymous callers, Forbidden
    for people who moderate nothing there, NotFound for a space they may not see."""
    require_caller(actor)
    spaces = await moderated_spaces(db, actor)
    check_may_have_moderation_queue(actor, bool(spaces))
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


async def waiting_count(db: AsyncSession, actor: Actor) -> int | None:
    """How many items wait in the actor's moderation queue (held posts and open flags
    in the sessions they moderate); None for people who moderate nothing."""
    if actor.user_id is None:
        return None
    moderates = await db.scalar(select(Space.id).where(moderated_spaces_clause(actor)).limit(1))
    if moderates is None:
        return None
    scope = Post.session_id.in_(select(ForumSession.id).where(moderated_sessions_clause(actor)))
    held = select(func.count()).select_from(Post).where(Post.status == "pending", scope)
    flagged = (
        select(func.count())
        .select_from(Flag)
        .join(Post, Post.id == Flag.post_id)
        .where(Flag.status == "open", scope)
    )
    return int(await db.scalar(held) or 0) + int(await db.scalar(flagged) or 0)


# --- one post, for a confirmation page ------------------------------------------------


@dataclass(frozen=True)
class PostToConfirm:
    """A post a confirmation page is about, as the caller sees it, with its session."""

    post: PostView
    session: SessionDetail


async def post_to_confirm(
    db: AsyncSession, actor: Actor, post_id: int, *, moderating: bool
) -> PostToConfirm:
    """The post (404 where the caller may not see it); when `moderating`, only for the
    moderators of its session (403 for others who see it), else for anyone signed in."""
    require_caller(actor)
    post, access = await load_post(db, actor, post_id)
    if moderating:
        access.require_moderator()
    else:
        require_signed_in(actor)
    view = await load_post_view(db, post, moderator=may_read_hidden_text(access))
    return PostToConfirm(view, await session_detail(db, actor, post.session_id))


async def thread_to_confirm(db: AsyncSession, actor: Actor, thread_id: int) -> SessionDetail:
    """The session of a thread its moderators are about to lock (404 where the caller
    may not see it, 403 for others who see it)."""
    require_caller(actor)
    thread, access = await load_thread(db, actor, thread_id)
    access.require_moderator()
    return await session_detail(db, actor, thread.session_id)
