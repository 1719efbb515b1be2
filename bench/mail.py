"""Mail benchmark (not a test).

In one process, on a fresh SQLite database (or --database-url), with the server's
own background tasks (fan-out, sender) delivering to a local aiosmtpd:

1. posting latency at R posts/s in a session nobody watches, then in one that W
   people watch post by post (the posting transaction adds one job row; the fan-out
   to W recipients happens after, in the background); how many messages the
   background queued and delivered meanwhile, and the backlog left;
2. the daily digest for W readers of that session: the time to compile and queue
   every digest, then to hand them all to the relay.

    .venv/bin/python bench/mail.py                       # 2,000 watchers, 10 posts/s
    .venv/bin/python bench/mail.py --watchers 500 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import delete, func, select

from forum_server.accounts.models import User
from forum_server.db import Database
from forum_server.mail.digest import send_digests
from forum_server.mail.models import OutboxMessage, Watch
from forum_server.mail.notifications import add_jobs, run_notifications
from forum_server.mail.sender import deliver_due, run_sender
from forum_server.migrate import migrate
from forum_server.orm import utcnow
from forum_server.policy import Actor
from forum_server.rooms import posting, sessions, spaces
from forum_server.rooms.models import Question
from forum_server.rooms.schemas import PostCreate, SessionCreate, SpaceCreate
from forum_server.settings import load_settings

SECRETARIAT = Actor(user_id=None, display_name="bench", is_secretariat=True)


class Counter:
    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def make_session(db: Database, slug: str) -> tuple[int, int]:
    await spaces.create_space(
        db, SECRETARIAT, SpaceCreate.model_validate({"slug": slug, "title": slug})
    )
    now = utcnow()
    data = {
        "title": f"Session {slug}",
        "opens_at": now - timedelta(minutes=1),
        "closes_at": now + timedelta(days=5),
        "questions": ["What has worked?"],
    }
    detail = await sessions.create_session(
        db, SECRETARIAT, slug, SessionCreate.model_validate(data)
    )
    async with db.read() as session:
        thread_id = await session.scalar(
            select(Question.thread_id).where(Question.session_id == detail.id)
        )
    assert thread_id is not None
    return detail.id, thread_id


async def make_people(db: Database, count: int, prefix: str) -> list[int]:
    async with db.write() as uow:
        users = [
            User(email=f"{prefix}{n}@example.org", display_name=f"Reader {n}", password_hash=None)
            for n in range(count)
        ]
        uow.session.add_all(users)
        await uow.flush()
        return [user.id for user in users]


async def watch_all(db: Database, user_ids: list[int], session_id: int, level: str) -> None:
    async with db.write() as uow:
        await uow.session.execute(delete(Watch))
        uow.session.add_all(
            Watch(user_id=u, target_type="session", target_id=session_id, level=level)
            for u in user_ids
        )


async def outbox_counts(db: Database) -> dict[str, int]:
    async with db.read() as session:
        rows = await session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )
        return {status: n for status, n in rows}


async def post_at_rate(
    db: Database, poster: Actor, thread_id: int, rate: float, seconds: float
) -> list[float]:
    latencies: list[float] = []
    start = time.perf_counter()
    for n in range(int(rate * seconds)):
        due = start + n / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        began = time.perf_counter()
        await posting.create_post(
            db, poster, thread_id, PostCreate(body=f"Contribution {n}: " + "words " * 40)
        )
        latencies.append(time.perf_counter() - began)
    return latencies


def describe(name: str, latencies: list[float]) -> tuple[float, float]:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    print(f"{name}: {len(ordered)} posts, p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    return p50, p99


async def main(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="mail-bench-"))
    url = args.database_url or f"sqlite+aiosqlite:///{folder / 'forum.db'}"
    await migrate(url)
    relay = Counter()
    port = free_port()
    controller = Controller(relay, hostname="127.0.0.1", port=port)
    controller.start()
    settings = load_settings(
        environ={},
        data_dir=folder,
        database_url=url,
        smtp_url=f"smtp://127.0.0.1:{port}",
        secret_key="x" * 40,
    )
    db = Database(url)
    db.before_commit.append(add_jobs)
    poster_id = (await make_people(db, 1, "poster"))[0]
    poster = Actor(user_id=poster_id, display_name="Poster", is_secretariat=True)
    _, quiet_thread = await make_session(db, "quiet")
    busy_session, busy_thread = await make_session(db, "busy")
    readers = await make_people(db, args.watchers, "reader")
    await watch_all(db, readers, busy_session, "post")

    stop = asyncio.Event()
    background = [
        asyncio.create_task(run_notifications(db, stop, interval=0.2)),
        asyncio.create_task(run_sender(db, settings, stop, interval=0.2)),
    ]
    quiet = await post_at_rate(db, poster, quiet_thread, args.rate, args.seconds)
    p50_quiet, p99_quiet = describe("no watchers", quiet)
    before = relay.count
    began = time.perf_counter()
    busy = await post_at_rate(db, poster, busy_thread, args.rate, args.seconds)
    elapsed = time.perf_counter() - began
    p50_busy, p99_busy = describe(f"{args.watchers} watchers", busy)
    counts = await outbox_counts(db)
    print(
        f"ratio p50 {p50_busy / p50_quiet:.2f}, p99 {p99_busy / p99_quiet:.2f}; during "
        f"{elapsed:.0f} s: {sum(counts.values())} messages queued, "
        f"{relay.count - before} delivered ({(relay.count - before) / elapsed:.0f}/s); "
        f"outbox now {counts}"
    )
    stop.set()
    await asyncio.gather(*background)

    # The digest: the same readers, by digest, of the posts just made.
    async with db.write() as uow:
        await uow.session.execute(delete(OutboxMessage))
        await uow.session.execute(
            Watch.__table__.update().values(level="digest", created_at=utcnow() - timedelta(days=2))
        )
    at = utcnow().replace(hour=settings.digest_hour, minute=1) + timedelta(days=1)
    start = time.perf_counter()
    queued = await send_digests(db, settings, at)
    compiled = time.perf_counter() - start
    delivered_before = relay.count
    start = time.perf_counter()
    while await deliver_due(db, settings, limit=200):
        pass
    handed = time.perf_counter() - start
    print(
        f"digest: {queued} digests compiled and queued in {compiled:.1f} s, "
        f"{relay.count - delivered_before} handed to the relay in {handed:.1f} s "
        f"({(relay.count - delivered_before) / handed:.0f}/s)"
    )
    await db.dispose()
    controller.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--watchers", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=10)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--database-url", default="")
    asyncio.run(main(parser.parse_args()))
