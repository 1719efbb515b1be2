"""Reading notifications: every read asks the policy again. A notification is shown
(and counted) only while its session is readable to its owner and its post, if any,
is one readers see; a topic whose opening post is not shown lends it no title."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from typing_extensions import TypedDict

from forum_server.accounts.models import User
from forum_server.i18n import gettext
from forum_server.notifications.models import Notification
from forum_server.notifications.notify import REJECTED
from forum_server.policy import Actor, readable_sessions_clause, require_signed_in
from forum_server.policy.loading import threads_shown_clause
from forum_server.rooms.markdown import render_plain_text_excerpt
from forum_server.rooms.models import ForumSession, Post, Question, Thread
from forum_server.rooms.state import HIDDEN, PUBLISHED

DEFAULT_LIMIT, MAX_LIMIT = 50, 200
EXCERPT_CHARS = 160


class NotificationJson(TypedDict):
    id: int
    kind: str
    created_at: str
    read: bool
    session_id: int
    session_title: str
    thread_id: int | None
    thread_title: str | None
    post_id: int | None
    author: str | None
    excerpt: str
    link: str


@dataclass(frozen=True)
class NotificationView:
    id: int
    kind: str  # reply | mention | approved | rejected | question
    created_at: datetime
    read: bool
    session_id: int
    session_title: str
    thread_id: int | None  # None where the thread is not shown to its reader
    thread_title: str | None
    post_id: int | None
    author: str | None  # who wrote the post (replies and mentions)
    excerpt: str  # the start of the post's text, or the question's; "" if hidden
    link: str

    def as_json(self) -> NotificationJson:
        return {
            "id": self.id,
            "kind": self.kind,
            "created_at": self.created_at.isoformat(),
            "read": self.read,
            "session_id": self.session_id,
            "session_title": self.session_title,
            "thread_id": self.thread_id,
            "thread_title": self.thread_title,
            "post_id": self.post_id,
            "author": self.author,
            "excerpt": self.excerpt,
            "link": self.link,
        }


class NotificationsJson(TypedDict):
    items: list[NotificationJson]
    next: int | None
    unread: int


@dataclass(frozen=True)
class NotificationsPage:
    items: list[NotificationView]
    next: int | None  # the cursor for older ones
    unread: int

    def as_json(self) -> NotificationsJson:
        return {
            "items": [item.as_json() for item in self.items],
            "next": self.next,
            "unread": self.unread,
        }


def _shown(actor: Actor) -> ColumnElement[bool]:
    """SQL condition on Notification (outer-joined with Post): what its owner may see
    of it now."""
    readable = select(ForumSession.id).where(readable_sessions_clause(actor))
    return and_(
        Notification.session_id.in_(readable),
        or_(
            Notification.post_id.is_(None),
            Post.status.in_((PUBLISHED, HIDDEN)),
            Notification.kind == REJECTED,  # their own post, turned down: no text shown
        ),
    )


def _mine(user_id: int) -> Any:
    return (
        select(func.count())
        .select_from(Notification)
        .outerjoin(Post, Post.id == Notification.post_id)
        .where(Notification.user_id == user_id)
    )


async def unread_count(db: AsyncSession, actor: Actor) -> int:
    """Unread notifications the actor may see; 0 for anonymous callers."""
    if actor.user_id is None:
        return 0
    query = _mine(actor.user_id).where(Notification.read_at.is_(None), _shown(actor))
    return int(await db.scalar(query) or 0)


async def notifications(
    db: AsyncSession, actor: Actor, *, after: int | None = None, limit: int | None = None
) -> NotificationsPage:
    """The actor's notifications, newest first; `after` is the cursor a page gave
    (older ones follow). Unauthorized for anonymous callers."""
    user_id = require_signed_in(actor)
    limit = max(1, min(limit or DEFAULT_LIMIT, MAX_LIMIT))
    author = aliased(User)
    thread_shown = threads_shown_clause(Post.status.in_((PUBLISHED, HIDDEN)))
    query = (
        select(
            Notification,
            ForumSession.title,
            Thread.title,
            Question.number,
            Question.text,
            Post.status,
            Post.html,
            Post.guest_name,
            author.display_name,
            thread_shown,
        )
        .join(ForumSession, ForumSession.id == Notification.session_id)
        .outerjoin(Thread, Thread.id == Notification.thread_id)
        .outerjoin(Question, Question.thread_id == Notification.thread_id)
        .outerjoin(Post, Post.id == Notification.post_id)
        .outerjoin(author, author.id == Post.author_id)
        .where(Notification.user_id == user_id, _shown(actor))
        .order_by(Notification.id.desc())
        .limit(limit + 1)
    )
    if after:
        query = query.where(Notification.id < after)
    rows = list(await db.execute(query))
    items = [_view(row) for row in rows[:limit]]
    following = items[-1].id if len(rows) > limit else None
    return NotificationsPage(items, following, await unread_count(db, actor))


def _view(row: Any) -> NotificationView:
    n: Notification = row[0]
    session_title, thread_title, number, question, status, html, guest_name, author = row[1:9]
    thread_shown = row[9]
    shown = n.thread_id is not None and bool(thread_shown)
    if shown and number is not None:
        thread_title = gettext("Question %(number)s: %(text)s", number=number, text=question)
    excerpt = ""
    if n.kind == "question":
        excerpt = render_plain_text_excerpt(question or "", EXCERPT_CHARS)
    elif status == PUBLISHED and html:
        excerpt = render_plain_text_excerpt(html, EXCERPT_CHARS)
    if shown and n.post_id is not None and status != "rejected":
        link = f"/threads/{n.thread_id}#post-{n.post_id}"
    elif shown:
        link = f"/threads/{n.thread_id}"
    else:
        link = f"/sessions/{n.session_id}"
    named = author or (guest_name or gettext("Guest") if n.post_id and status else None)
    return NotificationView(
        n.id,
        n.kind,
        n.created_at,
        n.read_at is not None,
        n.session_id,
        session_title,
        n.thread_id if shown else None,
        thread_title if shown else None,
        n.post_id,
        named if n.kind in ("reply", "mention") else None,
        excerpt,
        link,
    )
