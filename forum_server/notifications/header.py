"""The counts the page header shows a signed-in person: unread notifications, and
for moderators and the secretariat the items waiting in the moderation queue."""

from __future__ import annotations

from dataclasses import dataclass

from forum_server.db import Database
from forum_server.moderation.queries import waiting_count
from forum_server.notifications.queries import unread_count
from forum_server.policy import Actor


@dataclass(frozen=True)
class HeaderCounts:
    unread: int
    waiting: int | None  # None: moderates nothing (no link to the queue)


async def header_counts(db: Database, actor: Actor) -> HeaderCounts | None:
    """None for anonymous visitors (nothing to count, no query made)."""
    if actor.user_id is None:
        return None
    async with db.read() as session:
        return HeaderCounts(await unread_count(session, actor), await waiting_count(session, actor))
