"""The daily digest: at FORUM_DIGEST_HOUR (UTC), each person who follows something
at the `digest` level is sent the posts published since their last digest, grouped
by session and question, when there are any. What it lists is checked again by the
policy when it is sent (content.py)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import func, or_, select

from forum_server.db import Database, UnitOfWork
from forum_server.mail.models import DigestCursor, Watch
from forum_server.mail.notifications import _emails
from forum_server.mail.outbox import Outgoing, queue
from forum_server.orm import utcnow
from forum_server.periodic import repeat
from forum_server.rooms.models import Post
from forum_server.settings import Settings

MAX_POSTS = 200  # a digest lists at most this many (the newest), with a link for the rest
BATCH = 200  # people per transaction


def due_moment(now: datetime, hour: int) -> datetime:
    """The latest digest time at or before `now`."""
    moment = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return moment if moment <= now else moment - timedelta(days=1)


async def send_digests(db: Database, settings: Settings, now: datetime | None = None) -> int:
    """Queues the digests due at the latest digest hour that were not queued yet."""
    now = now or utcnow()
    moment = due_moment(now, settings.digest_hour)
    async with db.read() as session:
        done = select(DigestCursor.user_id).where(DigestCursor.sent_at >= moment)
        people = list(
            await session.scalars(
                select(Watch.user_id)
                .where(Watch.level == "digest", Watch.user_id.not_in(done))
                .distinct()
                .order_by(Watch.user_id)
            )
        )
    queued = 0
    for start in range(0, len(people), BATCH):
        async with db.write() as uow:
            emails = await _emails(uow, set(people[start : start + BATCH]))
            newest = await uow.session.scalar(select(func.max(Post.id))) or 0
            for user_id in people[start : start + BATCH]:
                queued += await _one(uow, user_id, emails.get(user_id), moment, newest)
    return queued


async def _one(
    uow: UnitOfWork, user_id: int, email: str | None, moment: datetime, newest: int
) -> int:
    cursor = await uow.session.get(DigestCursor, user_id)
    if cursor is not None and cursor.sent_at >= moment:
        return 0  # another process did it meanwhile
    started = await uow.session.scalar(
        select(func.min(Watch.created_at)).where(Watch.user_id == user_id, Watch.level == "digest")
    )
    if cursor is None and (started is None or started > moment):
        return 0  # a new reader: their first digest comes at the next digest hour
    since = cursor.last_post_id if cursor is not None else None
    post_ids = await _new_posts(uow, user_id, since, started or moment, newest)
    if cursor is None:
        uow.session.add(DigestCursor(user_id=user_id, last_post_id=newest, sent_at=utcnow()))
    else:
        cursor.last_post_id, cursor.sent_at = newest, utcnow()
    if not post_ids or email is None:
        return 0  # nothing new: no message
    key = f"digest-{moment:%Y%m%d}.u{user_id}"
    return await queue(
        uow, [Outgoing("digest", email, {"post_ids": post_ids}, user_id=user_id, message_key=key)]
    )


async def _new_posts(
    uow: UnitOfWork, user_id: int, since: int | None, started: datetime, newest: int
) -> list[int]:
    """Published posts after the cursor (for a first digest: since the person chose
    the digest) in what they follow by digest, except threads they set otherwise."""
    watches = list(
        await uow.session.execute(
            select(Watch.target_type, Watch.target_id, Watch.level).where(
                Watch.user_id == user_id, Watch.target_type.in_(("session", "thread"))
            )
        )
    )
    sessions = [i for t, i, level in watches if t == "session" and level == "digest"]
    threads = [i for t, i, level in watches if t == "thread" and level == "digest"]
    elsewhere = [i for t, i, level in watches if t == "thread" and level != "digest"]
    query = select(Post.id).where(
        Post.status == "published",
        Post.id <= newest,
        or_(Post.session_id.in_(sessions), Post.thread_id.in_(threads)),
        Post.thread_id.not_in(elsewhere),
        Post.author_id.is_distinct_from(user_id),
    )
    if since is not None:
        query = query.where(Post.id > since)
    else:
        query = query.where(Post.created_at >= started)
    ids = list(await uow.session.scalars(query.order_by(Post.id.desc()).limit(MAX_POSTS)))
    return sorted(ids)


async def run_digests(
    db: Database, settings: Settings, stop: asyncio.Event, *, interval: float = 60
) -> None:
    await repeat(partial(send_digests, db, settings), stop, every=interval, what="daily digests")
