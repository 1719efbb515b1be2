"""Post events as the post is now, not as it was when the event was written.

A stored `post.created` keeps the text of its moment: a post hidden since, or edited
since, would otherwise go out again with words nobody may read any more. Before an
event that carries a post's text is sent — live or replayed — its payload is rebuilt
from the post's current row, in one query per batch of events, and the policy then
decides its audience from the post's current status. The rebuilt event is the same
for every subscriber (readers' view: a hidden post is its placeholder), so its frame
is still serialized once. A post's files go with it (`attachments`), so a page shows
them as the post arrives; a hidden post's go to nobody.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import select

from forum_server.accounts.models import User
from forum_server.db import Database
from forum_server.events import Event
from forum_server.files.models import Upload
from forum_server.files.views import file_view
from forum_server.policy import post_event_still_current
from forum_server.rooms.models import Post
from forum_server.rooms.posts_view import post_view
from forum_server.rooms.state import HIDDEN

_TEXT_FIELDS = ("body", "html")


def _post_id(event: Event) -> int | None:
    """The id of the post whose text the event carries, if it carries any."""
    if not event.type.startswith("post.") or not any(k in event.data for k in _TEXT_FIELDS):
        return None
    post_id = event.data.get("id")
    return post_id if isinstance(post_id, int) and not isinstance(post_id, bool) else None


async def current(db: Database, events: list[Event]) -> list[Event | None]:
    """Each event as it may be sent now, in the same order; None for one that must go
    to nobody any more. Events that carry no post text are returned as they are."""
    ids = {post_id for event in events if (post_id := _post_id(event)) is not None}
    if not ids:
        return list(events)
    async with db.read() as session:
        rows = await session.execute(
            select(Post, User).outerjoin(User, User.id == Post.author_id).where(Post.id.in_(ids))
        )
        now: dict[int, dict[str, Any]] = {
            post.id: {**post_view(post, user).as_json(), "attachments": []} for post, user in rows
        }
        files = await session.scalars(
            select(Upload)
            .where(Upload.post_id.in_(ids), Upload.removed_at.is_(None))
            .order_by(Upload.id)
        )
        for upload in files:
            post = now.get(upload.post_id or 0)
            if post is not None and post["status"] != HIDDEN:
                post["attachments"].append(file_view(upload).as_json())
    return [_rebuilt(event, now) for event in events]


def _rebuilt(event: Event, now: Mapping[int, dict[str, Any]]) -> Event | None:
    post_id = _post_id(event)
    if post_id is None:
        return event
    data = now.get(post_id)
    if data is None:  # no such post (any more): the stored text never goes out
        return replace(event, data={k: v for k, v in event.data.items() if k not in _TEXT_FIELDS})
    stored = event.data.get("status")
    if not post_event_still_current(stored if isinstance(stored, str) else "", data["status"]):
        return None
    return replace(event, data=dict(data))
