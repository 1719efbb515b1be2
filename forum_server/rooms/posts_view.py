"""Posts as readers see them: one shape for the API, the pages and live events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import NotRequired

from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypedDict

from forum_server.accounts.models import User
from forum_server.i18n import gettext
from forum_server.rooms.models import Post
from forum_server.rooms.state import HIDDEN


def hidden_html(reason: str | None) -> str:
    """What readers see instead of a hidden post: the placeholder and the reason, in
    the current language (live events carry the source language's: forum.js writes
    the reader's own from `status`)."""
    placeholder = escape(gettext("This contribution was hidden by a moderator."))
    html = f"<p><em>{placeholder}</em></p>"
    if not reason:
        return html
    said = escape(gettext("Reason: %(reason)s", reason=reason))
    return f'{html}<p class="moderation-reason">{said}</p>'


class AuthorJson(TypedDict):
    id: NotRequired[int]  # guests have none
    display_name: str
    country: str | None
    organization: str | None
    guest: bool


@dataclass(frozen=True)
class Author:
    id: int | None
    display_name: str
    country: str | None
    organization: str | None
    guest: bool

    def as_json(self) -> AuthorJson:
        data: AuthorJson = {
            "display_name": self.display_name,
            "country": self.country,
            "organization": self.organization,
            "guest": self.guest,
        }
        if self.id is not None:
            data["id"] = self.id
        return data


class PostJson(TypedDict):
    id: int
    thread_id: int
    parent_id: int | None
    depth: int
    author: AuthorJson
    body: str
    html: str
    status: str
    created_at: str
    edited_at: str | None
    highlighted: bool
    moderation_reason: str | None
    lang: str | None


@dataclass(frozen=True)
class PostView:
    id: int
    thread_id: int
    session_id: int
    parent_id: int | None
    depth: int
    author: Author
    body: str
    html: str
    status: str
    created_at: datetime
    edited_at: datetime | None
    highlighted: bool
    moderation_reason: str | None
    lang: str | None = None  # the language it is written in, when known

    @property
    def shown_lang(self) -> str | None:
        """The language of `html` as shown: the post's, not for a hidden placeholder."""
        return self.lang if self.body else None

    def as_json(self) -> PostJson:
        return {
            "id": self.id,
            "thread_id": self.thread_id,
            "parent_id": self.parent_id,
            "depth": self.depth,
            "author": self.author.as_json(),
            "body": self.body,
            "html": self.html,
            "status": self.status,
            "created_at": self.created_at.isoformat(),
            "edited_at": self.edited_at.isoformat() if self.edited_at else None,
            "highlighted": self.highlighted,
            "moderation_reason": self.moderation_reason,
            "lang": self.lang,
        }


def author_of(post: Post, user: User | None) -> Author:
    if user is None:
        return Author(None, post.guest_name or gettext("Guest"), None, None, guest=True)
    return Author(user.id, user.display_name, user.country, user.organization, guest=False)


def post_view(post: Post, user: User | None, *, moderator: bool = False) -> PostView:
    """The post for one reader. A hidden post's text is kept from everyone but moderators:
    readers get a placeholder with the reason."""
    body, html = post.body, post.html
    if post.status == HIDDEN and not moderator:
        body, html = "", hidden_html(post.moderation_reason)
    return PostView(
        id=post.id,
        thread_id=post.thread_id,
        session_id=post.session_id,
        parent_id=post.parent_id,
        depth=post.depth,
        author=author_of(post, user),
        body=body,
        html=html,
        status=post.status,
        created_at=post.created_at,
        edited_at=post.edited_at,
        highlighted=post.highlighted,
        moderation_reason=post.moderation_reason,
        lang=post.lang,
    )


async def load_post_view(session: AsyncSession, post: Post, *, moderator: bool = False) -> PostView:
    """post_view with the author read from the database: the one way the write paths
    (posting, moderation, live events) turn a post they changed into a view."""
    user = await session.get(User, post.author_id) if post.author_id else None
    return post_view(post, user, moderator=moderator)
