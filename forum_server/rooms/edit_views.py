"""What the thread page shows about editing: which posts the reader may edit now,
and, for moderators, the earlier texts of edited posts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import User
from forum_server.orm import utcnow
from forum_server.policy import SessionAccess, may_edit_post
from forum_server.rooms.models import PostVersion
from forum_server.rooms.posts_view import PostView
from forum_server.rooms.state import OPEN


def editable_by_author(
    access: SessionAccess, posts: list[PostView], state: str, edit_window: timedelta
) -> frozenset[int]:
    """The posts whose "Edit" the thread page offers: the reader's own, while the
    policy lets them (a moderator edits others' through the API with a note)."""
    me = access.actor.user_id
    if me is None or state != OPEN:
        return frozenset()
    now = utcnow()
    return frozenset(
        p.id
        for p in posts
        if p.author.id == me
        and may_edit_post(access, me, p.status, now - p.created_at, edit_window)
    )


@dataclass(frozen=True)
class VersionView:
    html: str
    replaced_at: datetime
    replaced_by: str | None
    note: str | None


async def earlier_versions(
    session: AsyncSession, access: SessionAccess, post_ids: list[int]
) -> dict[int, list[VersionView]]:
    """Each edited post's earlier texts, newest first: for moderators only."""
    if not access.can_moderate or not post_ids:
        return {}
    rows = await session.execute(
        select(PostVersion, User.display_name)
        .outerjoin(User, User.id == PostVersion.replaced_by)
        .where(PostVersion.post_id.in_(post_ids))
        .order_by(PostVersion.id.desc())
    )
    found: dict[int, list[VersionView]] = {}
    for version, name in rows:
        view = VersionView(version.html, version.replaced_at, name, version.note)
        found.setdefault(version.post_id, []).append(view)
    return found
