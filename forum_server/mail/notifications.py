"""From events to messages. The unit of work's hook adds one job row for each event
that may concern someone by mail, in the transaction that emits it (posting pays
for one insert, whatever the number of watchers); a background task expands each
job into per-recipient messages, deciding who may read what through the policy."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import timedelta
from functools import partial
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from forum_server.accounts.models import User
from forum_server.db import Database, UnitOfWork
from forum_server.events import EventRecord
from forum_server.mail.models import (
    ClosingReminder,
    MailCursor,
    MailJob,
    ModerationItem,
    OutboxMessage,
    Watch,
)
from forum_server.mail.outbox import Outgoing, queue
from forum_server.moderation.models import Flag
from forum_server.orm import utcnow
from forum_server.periodic import repeat
from forum_server.policy import session_moderators_query, session_readers
from forum_server.rooms.models import ForumSession, Membership, Post, SessionPeriod, Space

SESSION_EVENTS = {
    "session.opened": "opened",
    "session.closed": "closed",
    "session.reopened": "reopened",
    "session.extended": "extended",
}
MAIL_EVENTS = frozenset({*SESSION_EVENTS, "question.added", "post.created", "post.held"})
MODERATION_EVERY = timedelta(minutes=15)
CLOSING_NOTICE = timedelta(hours=24)
CHUNK = 100  # recipients per fan-out transaction
YIELD_RATIO = 1.0  # the background fan-out holds the writer at most about half the time


async def add_jobs(uow: UnitOfWork) -> None:
    """The unit of work's before-commit hook: a job for each event mail cares about."""
    events = [r for r in uow.pending_events if r.type in MAIL_EVENTS]
    reopened = {r.session_id for r in events if r.type == "session.reopened"}
    # Re-opening also emits session.opened: one message says it.
    events = [r for r in events if not (r.type == "session.opened" and r.session_id in reopened)]
    if not events:
        return
    await uow.flush()  # the events' ids
    uow.session.add_all(MailJob(event_id=r.id) for r in events)


# --- expanding jobs ---------------------------------------------------------------------


async def expand_jobs(
    db: Database, *, yield_ratio: float = 0.0, stop: asyncio.Event | None = None
) -> int:
    """Turns waiting jobs into messages, a chunk of recipients per transaction (short
    transactions: posting never waits long behind a fan-out to thousands). A chunk's
    messages and the job's progress commit together, so every recipient is queued
    exactly once even if the process dies. After each chunk it leaves the database
    alone for `yield_ratio` times as long as the chunk took, so that on SQLite's
    single writer people's own writes keep their turn. Returns the chunks done, early
    once `stop` is set (what is left waits in its job)."""
    done, took = 0, 0.0
    while stop is None or not stop.is_set():
        await asyncio.sleep(took * yield_ratio)
        began = time.perf_counter()
        async with db.write() as uow:
            query = select(MailJob).order_by(MailJob.id).limit(1)
            if uow.dialect == "postgresql":
                query = query.with_for_update(skip_locked=True)
            job = await uow.session.scalar(query)
            if job is None:
                return done
            event = await uow.session.get(EventRecord, job.event_id)
            after = await _expand(uow, event, job.done_through) if event else None
            if after is None:
                await uow.session.delete(job)
            else:
                job.done_through = after
        done += 1
        took = time.perf_counter() - began
    return done


async def _expand(uow: UnitOfWork, event: EventRecord, after: int) -> int | None:
    """Queues the next chunk of the event's messages (recipients with ids above
    `after`); returns where to resume, or None when every recipient is done."""
    data = json.loads(event.data)
    if event.session_id is None:
        return None
    if event.type in SESSION_EVENTS:
        return await notify_session(
            uow,
            event.session_id,
            f"session-{event.session_id}.e{event.id}",
            {"event": SESSION_EVENTS[event.type], "closes_at": data.get("closes_at")},
            after=after,
        )
    if event.type == "question.added":
        key, context = f"question-{data['id']}", {"question_id": data["id"]}
        return await notify_session(uow, event.session_id, key, context, "question", after=after)
    if event.type == "post.created":
        return await _notify_post(uow, event.session_id, data, after)
    if event.type == "post.held":
        await _hold_for_moderators(uow, event.session_id, data["id"], "held")
    return None


async def _space_of(uow: UnitOfWork, session_id: int) -> Space | None:
    forum_session = await uow.session.get(ForumSession, session_id)
    return await uow.session.get(Space, forum_session.space_id) if forum_session else None


async def _choices(uow: UnitOfWork, target_type: str, target_id: int) -> dict[int, str]:
    rows = await uow.session.execute(
        select(Watch.user_id, Watch.level).where(
            Watch.target_type == target_type, Watch.target_id == target_id
        )
    )
    return dict(rows.all())


async def _members(uow: UnitOfWork, space_id: int) -> set[int]:
    return set(
        await uow.session.scalars(select(Membership.user_id).where(Membership.space_id == space_id))
    )


async def _emails(uow: UnitOfWork, user_ids: set[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    ids = sorted(user_ids)
    for start in range(0, len(ids), 1000):
        rows = await uow.session.execute(
            select(User.id, User.email).where(User.id.in_(ids[start : start + 1000]))
        )
        found.update(rows.all())
    return found


async def notify_session(
    uow: UnitOfWork,
    session_id: int,
    key: str,
    context: dict[str, Any],
    kind: str = "session",
    *,
    after: int = 0,
) -> int | None:
    """A notice about a session to its watchers (any level but none) and to the
    members of its space who did not turn it off, who may all see it now. One chunk
    of recipients; returns where to resume (None: done)."""
    wanted = await session_followers(uow, session_id)
    return await _queue_for(uow, session_id, wanted, kind, key, context, after=after)


async def session_followers(uow: UnitOfWork, session_id: int) -> set[int]:
    """Who follows a session's notices: its watchers (any level but none) and the
    members of its space who did not turn it off. Not yet checked against the policy."""
    space = await _space_of(uow, session_id)
    if space is None:
        return set()
    choices = await _choices(uow, "session", session_id)
    wanted = {u for u, level in choices.items() if level != "none"}
    wanted |= {u for u in await _members(uow, space.id) if choices.get(u) != "none"}
    return wanted


async def _queue_for(
    uow: UnitOfWork,
    session_id: int,
    user_ids: set[int],
    kind: str,
    key: str,
    context: dict[str, Any],
    reasons: dict[int, dict[str, Any]] | None = None,
    *,
    after: int = 0,
) -> int | None:
    """Queues the message for the next CHUNK of `user_ids` above `after` who may see
    the session now; returns the last id looked at if more remain, else None."""
    pending = sorted(u for u in user_ids if u > after)
    chunk = pending[:CHUNK]
    readers = await session_readers(uow.session, session_id, chunk)
    emails = await _emails(uow, set(readers))
    await queue(
        uow,
        (
            Outgoing(
                kind,
                emails[u],
                {**context, **(reasons or {}).get(u, {})},
                user_id=u,
                session_id=session_id,
                message_key=f"{key}.u{u}",
            )
            for u in sorted(readers)
            if u in emails
        ),
    )
    return chunk[-1] if len(pending) > CHUNK else None


async def _notify_post(
    uow: UnitOfWork, session_id: int, data: dict[str, Any], after: int
) -> int | None:
    """A published post: to those who follow it post by post, and a reply to the
    author of the post it answers (unless they turned the thread or session off)."""
    post = await uow.session.get(Post, data["id"])
    space = await _space_of(uow, session_id)
    if post is None or space is None:
        return None
    by_session = await _choices(uow, "session", session_id)
    by_thread = await _choices(uow, "thread", post.thread_id)
    default = await _members(uow, space.id) if space.visibility == "members" else set()
    wanted: dict[int, dict[str, Any]] = {}
    for user_id in {*by_session, *by_thread, *default}:
        level = by_thread.get(user_id) or by_session.get(user_id)
        if (level or ("post" if user_id in default else None)) == "post":
            wanted[user_id] = {"via": "thread" if user_id in by_thread else "session"}
    if post.parent_id is not None:
        parent_author = await uow.session.scalar(
            select(Post.author_id).where(Post.id == post.parent_id)
        )
        level = by_thread.get(parent_author or 0) or by_session.get(parent_author or 0)
        if parent_author is not None and level in (None, "post"):
            wanted[parent_author] = {"reason": "reply"}
    wanted.pop(post.author_id or 0, None)  # nobody is mailed their own words
    key, context = f"post-{post.id}", {"post_id": post.id}
    return await _queue_for(uow, session_id, set(wanted), "post", key, context, wanted, after=after)


async def _hold_for_moderators(uow: UnitOfWork, session_id: int, post_id: int, kind: str) -> None:
    space = await _space_of(uow, session_id)
    if space is None:
        return
    moderators = set(
        await uow.session.scalars(session_moderators_query(space.id, space.visibility, session_id))
    )
    off = await _choices(uow, "moderation", 0)
    uow.session.add_all(
        ModerationItem(user_id=u, kind=kind, post_id=post_id, session_id=session_id)
        for u in sorted(moderators)
        if off.get(u) != "none"
    )


# --- moderators' batches and closing reminders -------------------------------------------


async def _collect_new_flags(uow: UnitOfWork) -> None:
    """Flags raised since the last pass, for their posts' moderators. (Flags emit no
    event: nobody but moderators is to know of them, so they are read from their
    table, past a cursor.)"""
    # Made once by whichever pass comes first, then locked: two passes at once (two
    # processes, or a pass and a test) take turns instead of both inserting it.
    insert = pg_insert if uow.dialect == "postgresql" else sqlite_insert
    await uow.session.execute(
        insert(MailCursor).values(name="flags", value=0).on_conflict_do_nothing()
    )
    cursor = await uow.session.scalar(
        select(MailCursor).where(MailCursor.name == "flags").with_for_update()
    )
    assert cursor is not None
    rows = list(
        await uow.session.execute(
            select(Flag.id, Flag.post_id, Flag.status, Post.session_id)
            .join(Post, Post.id == Flag.post_id)
            .where(Flag.id > (cursor.value or 0))
            .order_by(Flag.id)
        )
    )
    for _flag_id, post_id, status, session_id in rows:
        if status == "open":
            await _hold_for_moderators(uow, session_id, post_id, "flag")
    if rows:
        cursor.value = rows[-1][0]


async def send_moderation_batches(db: Database) -> int:
    """One message per moderator with what waits, at most every fifteen minutes."""
    now = utcnow()
    queued = 0
    async with db.write() as uow:
        await _collect_new_flags(uow)
        await uow.flush()
        waiting = list(await uow.session.scalars(select(ModerationItem.user_id).distinct()))
        for user_id in waiting:
            recent = await uow.session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(
                    OutboxMessage.user_id == user_id,
                    OutboxMessage.kind == "moderation",
                    OutboxMessage.created_at > now - MODERATION_EVERY,
                )
            )
            if recent:
                continue
            items = list(
                await uow.session.scalars(
                    select(ModerationItem)
                    .where(ModerationItem.user_id == user_id)
                    .order_by(ModerationItem.id)
                )
            )
            email = (await _emails(uow, {user_id})).get(user_id)
            if email is not None:
                context = {
                    "items": [
                        {"kind": i.kind, "post_id": i.post_id, "session_id": i.session_id}
                        for i in items
                    ]
                }
                # Item ids may be reused once deleted (SQLite): the time makes it unique.
                key = f"moderation-{now:%Y%m%dT%H%M%S}-{items[-1].id}.u{user_id}"
                queued += await queue(
                    uow, [Outgoing("moderation", email, context, user_id=user_id, message_key=key)]
                )
            await uow.session.execute(
                delete(ModerationItem).where(ModerationItem.id.in_([i.id for i in items]))
            )
    return queued


async def send_closing_reminders(db: Database) -> int:
    """The "closes in 24 hours" notice, once per period, for periods open now;
    returns how many periods were reminded of."""
    now = utcnow()
    reminded = 0
    async with db.write() as uow:
        done = select(ClosingReminder.period_id)
        periods = list(
            await uow.session.scalars(
                select(SessionPeriod).where(
                    SessionPeriod.opens_at <= now,
                    SessionPeriod.closes_at > now,
                    SessionPeriod.closes_at <= now + CLOSING_NOTICE,
                    SessionPeriod.id.not_in(done),
                )
            )
        )
        for period in periods:
            uow.session.add(ClosingReminder(period_id=period.id))
            assert period.closes_at is not None  # selected for it
            key = f"session-{period.session_id}.closing{period.id}"
            context = {"event": "closing", "closes_at": period.closes_at.isoformat()}
            after: int | None = 0
            while after is not None:  # few periods a day: every chunk in this transaction
                after = await notify_session(uow, period.session_id, key, context, after=after)
            reminded += 1
    return reminded


async def run_notifications(db: Database, stop: asyncio.Event, *, interval: float = 1.0) -> None:
    """Expands jobs every second; batches and reminders every minute."""

    async def pass_() -> None:
        await expand_jobs(db, yield_ratio=YIELD_RATIO, stop=stop)

    async def slow() -> None:
        await send_moderation_batches(db)
        await send_closing_reminders(db)

    await asyncio.gather(
        repeat(pass_, stop, every=interval, what="mail fan-out pass"),
        repeat(partial(slow), stop, every=60, what="mail batches and reminders"),
    )
