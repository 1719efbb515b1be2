"""What a conference page shows: its latest messages in time order, each with the
agenda item it belongs to and, for a reply, a short quote of the message it answers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypedDict

from forum_server.accounts.models import User
from forum_server.policy import Actor, SessionAccess, load_session, visible_posts_clause
from forum_server.rooms.conference import require_conference
from forum_server.rooms.models import Post, Question
from forum_server.rooms.posts_view import PostJson, PostView, post_view
from forum_server.rooms.queries import session_detail
from forum_server.rooms.space_views import SessionDetail, SessionDetailJson
from forum_server.rooms.state import PUBLISHED
from forum_server.search.text import plain_text

# Messages on one page: enough for an hour's conversation, small on a slow line.
PAGE = 150
QUOTE_CHARS = 140


class QuoteJson(TypedDict):
    post_id: int
    author: str
    text: str


@dataclass(frozen=True)
class Quote:
    post_id: int
    author: str
    text: str  # plain text, shortened

    def as_json(self) -> QuoteJson:
        return {"post_id": self.post_id, "author": self.author, "text": self.text}


class MessageJson(TypedDict):
    post: PostJson
    item: int
    quote: QuoteJson | None


@dataclass(frozen=True)
class Message:
    post: PostView
    item: int  # the agenda item's number
    quote: Quote | None  # None for a reply to a message this reader may not see

    def as_json(self) -> MessageJson:
        return {
            "post": self.post.as_json(),
            "item": self.item,
            "quote": self.quote.as_json() if self.quote else None,
        }


class ConferenceJson(TypedDict):
    session: SessionDetailJson
    messages: list[MessageJson]
    earlier: int | None


@dataclass(frozen=True)
class ConferenceView:
    session: SessionDetail
    messages: list[Message]  # oldest first
    earlier: int | None  # the cursor for the messages before these, if there are any

    def as_json(self) -> ConferenceJson:
        return {
            "session": self.session.as_json(),
            "messages": [m.as_json() for m in self.messages],
            "earlier": self.earlier,
        }


async def check_may_see_conference(db: AsyncSession, actor: Actor, session_id: int) -> None:
    """Raises NotFound unless the actor may read this conference (so may see who is
    here), Conflict not_a_conference for another session."""
    forum_session, _ = await load_session(db, actor, session_id)
    require_conference(forum_session)


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


async def conference_view(
    db: AsyncSession, actor: Actor, session_id: int, *, before: int | None = None
) -> ConferenceView:
    """The session and its newest messages (those before `before`, when given), as
    the reader may see them. Raises NotFound, Conflict not_a_conference."""
    forum_session, access = await load_session(db, actor, session_id)
    require_conference(forum_session)
    detail = await session_detail(db, actor, session_id)
    query = (
        select(Post, User, Question.number)
        .join(Question, Question.thread_id == Post.thread_id)
        .outerjoin(User, User.id == Post.author_id)
        .where(Post.session_id == session_id, visible_posts_clause(access))
        .order_by(Post.id.desc())
        .limit(PAGE + 1)
    )
    if before is not None:
        query = query.where(Post.id < before)
    rows = list(await db.execute(query))
    shown = rows[:PAGE]
    shown.reverse()
    views = [(post_view(p, u, moderator=access.can_moderate), n) for p, u, n in shown]
    quotes = await _quotes(db, access, {v.parent_id for v, _ in views if v.parent_id})
    messages = [
        Message(view, number, quotes.get(view.parent_id) if view.parent_id else None)
        for view, number in views
    ]
    earlier = messages[0].post.id if len(rows) > PAGE else None
    return ConferenceView(detail, messages, earlier)


async def _quotes(db: AsyncSession, access: SessionAccess, ids: set[int]) -> dict[int, Quote]:
    """Quotes of the replied-to messages the reader may see (published ones only:
    a hidden message is not quoted, even to moderators)."""
    if not ids:
        return {}
    rows = await db.execute(
        select(Post, User)
        .outerjoin(User, User.id == Post.author_id)
        .where(Post.id.in_(ids), Post.status == PUBLISHED, visible_posts_clause(access))
    )
    return {
        post.id: Quote(
            post.id, post_view(post, user).author.display_name, shorten(plain_text(post.body))
        )
        for post, user in rows
    }
