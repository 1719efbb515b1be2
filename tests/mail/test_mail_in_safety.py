"""A message acknowledged is handled exactly once: stored before the 250, it survives
a receiver killed the moment after; workers racing over the inbox (in one process or
several, on SQLite or PostgreSQL) never handle a message twice; a worker that died
holding a claim leaves it to another, and cannot act on it when it wakes."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from forum_server.db import Database
from forum_server.mail import inbox, inbox_worker
from forum_server.mail.models import InboxMessage, OutboxMessage
from forum_server.mail.notifications import add_jobs
from forum_server.mail.replies import handle
from forum_server.orm import utcnow
from forum_server.rooms.models import Post
from forum_server.settings import Settings
from tests.mail.conftest import new_mail
from tests.mail.test_mail_in_answers import reply_address

COUNT = 20


@pytest.fixture
async def thread(db, make_user, make_space, make_session, question_threads) -> dict[str, Any]:
    slug = await make_space()
    session_id = await make_session(slug)
    [thread_id, _] = await question_threads(session_id)
    writer = await make_user(email="w@example.org")
    return {"thread_id": thread_id, "writer": writer}


async def _stored(
    db: Database, settings: Settings, thread: dict[str, Any], count: int
) -> list[int]:
    """Messages the receiver stored (and acknowledged) before it was killed."""
    to = await reply_address(db, settings, thread["writer"].id, "thread", thread["thread_id"])
    received = [
        inbox.Received(to, "w@example.org", new_mail(to, "Re: Q1", f"Reply {n}.").as_bytes())
        for n in range(count)
    ]
    return await inbox.store(db, received)


def _process(url: str) -> Database:
    """Another server process's view of the database."""
    database = Database(url)
    database.before_commit.append(add_jobs)
    return database


async def _posts(db: Database) -> list[str]:
    async with db.read() as session:
        return list(await session.scalars(select(Post.body).where(Post.body.like("Reply %"))))


async def test_a_stored_message_becomes_one_post_when_workers_start_twice_at_once(
    app, db, settings: Settings, thread
):
    [stored] = await _stored(db, settings, thread, 1)
    first, second = _process(settings.database_url), _process(settings.database_url)
    try:
        done = await asyncio.gather(
            inbox_worker.process_waiting(first, settings, worker="first"),
            inbox_worker.process_waiting(second, settings, worker="second"),
        )
        assert sorted(done) == [0, 1]
        assert await inbox_worker.process_waiting(first, settings) == 0  # and once more
    finally:
        await first.dispose()
        await second.dispose()
    assert await _posts(db) == ["Reply 0."]
    async with db.read() as session:
        row = await session.get(InboxMessage, stored)
    assert row is not None and (row.status, row.outcome) == ("done", "posted")


async def test_a_worker_that_died_holding_a_claim_leaves_it_to_another(
    app, db, settings: Settings, thread
):
    await _stored(db, settings, thread, 1)
    [dead] = await inbox.claim(db, "dead")  # claimed, then the process was killed
    assert await inbox_worker.process_waiting(db, settings) == 0  # its lease still runs
    async with db.write() as uow:
        await uow.session.execute(
            update(InboxMessage).values(claimed_until=utcnow() - timedelta(seconds=1))
        )
    assert await inbox_worker.process_waiting(db, settings) == 1
    with pytest.raises(inbox.LostClaim):  # the first worker wakes up: it may not act
        await handle(db, settings, dead)
    assert await _posts(db) == ["Reply 0."]


async def test_racing_workers_handle_each_message_once(
    app, db, settings: Settings, thread, monkeypatch: pytest.MonkeyPatch
):
    """On PostgreSQL (FORUM_TEST_POSTGRES_URL) the claims select FOR UPDATE SKIP
    LOCKED: two workers never take the same message, let alone handle it twice."""
    await _stored(db, settings, thread, COUNT)
    handled: Counter[int] = Counter()

    async def counting(db: Database, settings: Settings, item: inbox.Claimed) -> str:
        handled[item.id] += 1
        return await handle(db, settings, item)

    monkeypatch.setattr(inbox_worker, "handle", counting)
    processes = [_process(settings.database_url) for _ in range(3)]
    try:
        done = await asyncio.gather(
            *(
                inbox_worker.process_waiting(p, settings, worker=f"w{i}", limit=3)
                for i, p in enumerate(processes)
            )
        )
    finally:
        for p in processes:
            await p.dispose()
    assert sum(done) == COUNT
    assert set(handled.values()) == {1} and len(handled) == COUNT
    assert sorted(await _posts(db)) == sorted(f"Reply {n}." for n in range(COUNT))
    async with db.read() as session:
        outcomes = list(await session.scalars(select(InboxMessage.outcome)))
        answers = await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "answer")
        )
    assert outcomes == ["posted"] * COUNT and answers == 0


async def test_a_message_that_keeps_failing_is_retried_then_answered_and_set_aside(
    app, db, settings: Settings, thread, monkeypatch: pytest.MonkeyPatch
):
    [stored] = await _stored(db, settings, thread, 1)

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug in the posting path")

    monkeypatch.setattr("forum_server.rooms.posting.create_post", broken)
    for attempt in range(1, inbox.MAX_ATTEMPTS + 1):
        settled = await inbox_worker.process_waiting(db, settings)
        async with db.read() as session:
            row = await session.get(InboxMessage, stored)
        assert row is not None
        if attempt < inbox.MAX_ATTEMPTS:  # kept back a while, then tried again
            assert settled == 0 and row.status == "working" and row.claimed_until > utcnow()
            async with db.write() as uow:
                await uow.session.execute(
                    update(InboxMessage).values(claimed_until=utcnow() - timedelta(seconds=1))
                )
    assert settled == 1 and (row.status, row.outcome) == ("done", "failed")
    assert row.raw and "a bug in the posting path" in (row.note or "")  # kept for a look
    async with db.read() as session:
        [answer] = list(await session.scalars(select(OutboxMessage)))
    assert answer.kind == "answer" and answer.to_addr == "w@example.org"
    assert await _posts(db) == []
