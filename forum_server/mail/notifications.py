"""From events to messages. The unit of work's hook adds one job row for each event
that may concern someone by mail, in the transaction that emits it (posting pays
for one insert, whatever the number of watchers); a background task expands each
job into per-recipient messages, deciding who may read what through the policy."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from functools import partial
from typing import Any

from sqlalchemy import delete, func, select

from forum_server.accounts.models import User
from forum_server.db import Database, UnitOfWork
from forum_server.events import EventRecord
from forum_server.mail.models import ClosingReminder, MailJob, ModerationItem, OutboxMessage, Watch
from forum_server.mail.outbox import Outgoing, queue
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
MAIL_EVENTS = frozenset(
    {*SESSION_EVENTS, "question.added", "post.created", "post.held", "flag.created"}
)
MODERATION_EVERY = timedelta(minutes=15)
CLOSING_NOTICE = timedelta(hours=24)


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


async def expand_jobs(db: Database, *, limit: int = 20) -> int:
    """Turns waiting jobs into messages: each job's messages and its deletion commit
    together, so a job is expanded exactly once even if the process dies."""
    done = 0
    while True:
        async with db.write() as uow:
            query = select(MailJob).order_by(MailJob.id).limit(limit)
            if uow.dialect == "postgresql":
                query = query.with_for_update(skip_locked=True)
            jobs = list(await uow.session.scalars(query))
            for job in jobs:
                event = await uow.session.get(EventRecord, job.event_id)
                if event is not None:
                    await _expand(uow, event)
                await uow.session.delete(job)
            done += len(jobs)
        if len(jobs) < limit:
            return done


async def _expand(uow: UnitOfWork, event: EventRecord) -> None:
    data = json.loads(event.data)
    if event.session_id is None:
        return
    if event.type in SESSION_EVENTS:
        await notify_session(
            uow,
            event.session_id,
            f"session-{event.session_id}.e{event.id}",
            {"event": SESSION_EVENTS[event.type], "closes_at": data.get("closes_at")},
        )
    elif event.type == "question.added":
        await notify_session(
            uow, event.session_id, f"question-{data['id']}", {"question_id": data["id"]}, "question"
        )
    elif event.type == "post.created":
        await _notify_post(uow, event.session_id, data)
    elif event.type == "post.held":
        await _hold_for_moderators(uow, event.session_id, data["id"], "held")
    elif event.type == "flag.created":
        await _hold_for_moderators(uow, event.session_id, data["post_id"], "flag")


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
    uow: UnitOfWork, session_id: int, key: str, context: dict[str, Any], kind: str = "session"
) -> int:
    """A notice about a session to its watchers (any level but none) and to the
    members of its space who did not turn it off, who may all see it now."""
    space = await _space_of(uow, session_id)
    if space is None:
        return 0
    choices = await _choices(uow, "session", session_id)
    wanted = {u for u, level in choices.items() if level != "none"}
    wanted |= {u for u in await _members(uow, space.id) if choices.get(u) != "none"}
    return await _queue_for(uow, session_id, wanted, kind, key, context)


async def _queue_for(
    uow: UnitOfWork,
    session_id: int,
    user_ids: set[int],
    kind: str,
    key: str,
    context: dict[str, Any],
    reasons: dict[int, dict[str, Any]] | None = None,
) -> int:
    readers = await session_readers(uow.session, session_id, user_ids)
    emails = await _emails(uow, set(readers))
    return await queue(
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


async def _notify_post(uow: UnitOfWork, session_id: int, data: dict[str, Any]) -> int:
    """A published post: to those who follow it post by post, and a reply to the
    author of the post it answers (unless they turned the thread or session off)."""
    post = await uow.session.get(Post, data["id"])
    space = await _space_of(uow, session_id)
    if post is None or space is None:
        return 0
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
    return await _queue_for(
        uow, session_id, set(wanted), "post", f"post-{post.id}", {"post_id": post.id}, wanted
    )


async def _hold_for_moderators(uow: UnitOfWork, session_id: int, post_id: int, kind: str) -> None:
    space = await _space_of(uow, session_id)
    if space is None:
        return
    moderators = set(await uow.session.scalars(session_moderators_query(space.id, session_id)))
    off = await _choices(uow, "moderation", 0)
    uow.session.add_all(
        ModerationItem(user_id=u, kind=kind, post_id=post_id, session_id=session_id)
        for u in sorted(moderators)
        if off.get(u) != "none"
    )


# --- moderators' batches and closing reminders -------------------------------------------


async def send_moderation_batches(db: Database) -> int:
    """One message per moderator with what waits, at most every fifteen minutes."""
    now = utcnow()
    queued = 0
    async with db.write() as uow:
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
    """ "Closes in 24 hours", once per period, for periods open now."""
    now = utcnow()
    queued = 0
    async with db.write() as uow:
        reminded = select(ClosingReminder.period_id)
        periods = list(
            await uow.session.scalars(
                select(SessionPeriod).where(
                    SessionPeriod.opens_at <= now,
                    SessionPeriod.closes_at > now,
                    SessionPeriod.closes_at <= now + CLOSING_NOTICE,
                    SessionPeriod.id.not_in(reminded),
                )
            )
        )
        for period in periods:
            uow.session.add(ClosingReminder(period_id=period.id))
            assert period.closes_at is not None  # selected for it
            queued += await notify_session(
                uow,
                period.session_id,
                f"session-{period.session_id}.closing{period.id}",
                {"event": "closing", "closes_at": period.closes_at.isoformat()},
            )
    return queued


async def run_notifications(db: Database, stop: asyncio.Event, *, interval: float = 1.0) -> None:
    """Expands jobs every second; batches and reminders every minute."""

    async def pass_() -> None:
        await expand_jobs(db)

    async def slow() -> None:
        await send_moderation_batches(db)
        await send_closing_reminders(db)

    await asyncio.gather(
        repeat(pass_, stop, every=interval, what="mail fan-out pass"),
        repeat(partial(slow), stop, every=60, what="mail batches and reminders"),
    )
