"""Search benchmark (not a test).

Builds a forum of 100,000 posts in the six languages (synthetic text: each language's
words drawn with Zipf-like frequencies, so that some words are in a third of the posts
and others in a handful; Arabic partly with vowel marks, Chinese without spaces),
spread over a public forum and a members-only workspace, bulk-inserted, then indexed
by the same rebuild as `forum-server reindex`. Then it measures:

- search latency, through the same query function the page and the API call (both
  statements, snippets included), for typical one- and two-word queries, as a guest
  and as a member of the workspace (whose access clause has more to check): p50/p95;
- posting latency through `rooms.posting.create_post`, with the index kept and with
  the index upkeep switched off, alternating post by post in the same run: the ratio is
  what the index adds to posting.

    .venv/bin/python bench/search.py                           # SQLite, 100,000 posts
    .venv/bin/python bench/search.py --postgres                # and PostgreSQL, from
                                                               # FORUM_TEST_POSTGRES_URL
    .venv/bin/python bench/search.py --posts 20000 --postgres-url postgresql+asyncpg://…

On PostgreSQL, the database named in the URL gets `_bench` appended; it is dropped and
created again.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.search_corpus import LANGS, Corpus  # noqa: E402

PUBLIC_SESSIONS, WORKSPACE_SESSIONS = 6, 2


@dataclass
class Built:
    url: str
    member_id: int
    poster_id: int
    thread_id: int  # a public question's thread, for the posting measure
    corpus: Corpus


def _fill(conn: Any, posts: int, people: int, corpus: Corpus, rng: random.Random) -> Built:
    from sqlalchemy import insert

    from forum_server.accounts.models import User
    from forum_server.rooms.models import (
        ForumSession,
        Membership,
        Post,
        Question,
        SessionPeriod,
        Space,
        Thread,
    )

    opens = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    users = [
        dict(email=f"p{i}@example.org", display_name=f"Participant {i}", country="KE")
        for i in range(people)
    ]
    conn.execute(insert(User), users)
    conn.execute(
        insert(Space),
        [
            dict(slug="bench", title="Public forum", visibility="public"),
            dict(slug="bench-ws", title="Workspace", visibility="members"),
        ],
    )
    conn.execute(insert(Membership), [dict(space_id=2, user_id=1, role="member")])
    threads: list[tuple[int, int]] = []  # (session, thread) of each question
    for n in range(PUBLIC_SESSIONS + WORKSPACE_SESSIONS):
        space_id = 1 if n < PUBLIC_SESSIONS else 2
        session_id = conn.execute(
            insert(ForumSession)
            .values(space_id=space_id, title=f"Session {n + 1}: {corpus.sentence(rng, 'en', 5)}")
            .returning(ForumSession.id)
        ).scalar_one()
        conn.execute(
            insert(SessionPeriod),
            [dict(session_id=session_id, opens_at=opens, closes_at=opens + timedelta(days=365))],
        )
        for number in range(1, 4):
            thread_id = conn.execute(
                insert(Thread)
                .values(session_id=session_id, title=f"Question {number}")
                .returning(Thread.id)
            ).scalar_one()
            conn.execute(
                insert(Question),
                [
                    dict(
                        session_id=session_id,
                        number=number,
                        text=corpus.sentence(rng, rng.choice(LANGS), 20),
                        thread_id=thread_id,
                    )
                ],
            )
            threads.append((session_id, thread_id))
    batch = []
    for i in range(posts):
        # A fifth of the posts in the workspace.
        public = rng.random() < 0.8
        pool = threads[: PUBLIC_SESSIONS * 3] if public else threads[PUBLIC_SESSIONS * 3 :]
        session_id, thread_id = rng.choice(pool)
        lang = LANGS[i % len(LANGS)]
        body = corpus.body(rng, lang)
        roll = rng.random()
        batch.append(
            dict(
                thread_id=thread_id,
                session_id=session_id,
                author_id=1 + rng.randrange(people),
                body=body,
                html="".join(f"<p>{escape(p)}</p>" for p in body.split("\n\n")),
                lang=lang,
                status="hidden" if roll < 0.01 else "pending" if roll < 0.015 else "published",
                created_at=opens + timedelta(seconds=i * 60 * 86400 // posts),
            )
        )
        if len(batch) == 5_000:
            conn.execute(insert(Post), batch)
            batch.clear()
    if batch:
        conn.execute(insert(Post), batch)
    return Built("", member_id=1, poster_id=2, thread_id=threads[0][1], corpus=corpus)


async def build(url: str, posts: int, people: int) -> Built:
    from sqlalchemy.ext.asyncio import create_async_engine
    from sqlalchemy.pool import NullPool

    from forum_server.migrate import migrate
    from forum_server.search.rebuild import reindex

    await migrate(url)
    rng = random.Random(11)
    corpus = Corpus(random.Random(3))
    engine = create_async_engine(url, poolclass=NullPool)
    started = time.perf_counter()
    try:
        async with engine.begin() as conn:
            built = await conn.run_sync(_fill, posts, people, corpus, rng)
    finally:
        await engine.dispose()
    print(f"  inserted {posts:,} posts in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    count = await reindex(url)
    print(f"  indexed {count:,} texts (reindex) in {time.perf_counter() - started:.1f} s")
    built.url = url
    return built


def _percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return p50 * 1000, p95 * 1000, ordered[-1] * 1000


async def measure_queries(built: Built, rounds: int) -> dict[str, tuple[float, float, float]]:
    from forum_server.db import Database
    from forum_server.policy import Actor
    from forum_server.search import queries

    db = Database(built.url)
    actors = {"guest": Actor(), "member": Actor(user_id=built.member_id, display_name="m")}
    kinds: dict[str, list[str]] = built.corpus.queries(random.Random(5))
    results: dict[str, tuple[float, float, float]] = {}
    try:
        for kind, qs in kinds.items():
            for order in ("newest", "relevance"):
                samples: list[float] = []
                hits = 0
                for round_ in range(rounds + 1):
                    for q in qs:
                        for actor in actors.values():
                            started = time.perf_counter()
                            async with db.read() as session:
                                _, page = await queries.search(session, actor, q, order=order)
                            elapsed = time.perf_counter() - started
                            if round_:  # the first round warms the caches
                                samples.append(elapsed)
                                hits += len(page.hits)
                results[f"{kind}, {order}"] = _percentiles(samples)
                print(
                    f"  {kind + ', ' + order:<34} p50 {results[f'{kind}, {order}'][0]:6.1f} ms"
                    f"  p95 {results[f'{kind}, {order}'][1]:6.1f} ms"
                    f"  max {results[f'{kind}, {order}'][2]:6.1f} ms"
                    f"  ({len(samples)} searches, {hits / max(1, len(samples)):.1f} hits each)"
                )
    finally:
        await db.dispose()
    return results


async def measure_posting(built: Built, posts: int) -> None:
    """Posting latency with the index kept and without, alternating post by post (so a
    change in the machine's load falls on both alike): wall time, and the CPU time of
    this process (its threads included, the database's among them for SQLite), which
    other programs running beside it disturb less."""
    import forum_server.rooms.posting as posting_module
    from forum_server.db import Database
    from forum_server.policy import Actor
    from forum_server.rooms.schemas import PostCreate

    kept = posting_module.index_post
    upkeep: list[float] = []

    async def timed(*args: Any) -> None:
        started = time.process_time()
        await kept(*args)
        upkeep.append(time.process_time() - started)

    async def skipped(*_args: Any) -> None:
        return None

    db = Database(built.url)
    poster = Actor(user_id=built.poster_id, display_name="p", is_secretariat=True)
    rng = random.Random(9)
    wall: dict[bool, list[float]] = {True: [], False: []}
    cpu: dict[bool, list[float]] = {True: [], False: []}
    try:
        for n in range(2 * posts + 40):
            indexed = n % 2 == 1
            posting_module.index_post = timed if indexed else skipped  # type: ignore[assignment]
            body = built.corpus.body(rng, rng.choice(LANGS))
            started, started_cpu = time.perf_counter(), time.process_time()
            await posting_module.create_post(db, poster, built.thread_id, PostCreate(body=body))
            if n >= 40:  # the first ones warm up (render workers, caches)
                wall[indexed].append(time.perf_counter() - started)
                cpu[indexed].append(time.process_time() - started_cpu)
    finally:
        posting_module.index_post = kept
        await db.dispose()

    def line(label: str, samples: dict[bool, list[float]]) -> str:
        on, off = statistics.median(samples[True]), statistics.median(samples[False])
        mean_on, mean_off = statistics.mean(samples[True]), statistics.mean(samples[False])
        return (
            f"  posting, {label}: median {on * 1000:.2f} ms with the index, {off * 1000:.2f} "
            f"without (ratio {on / off:.3f}); mean {mean_on * 1000:.2f} / {mean_off * 1000:.2f}"
            f" (ratio {mean_on / mean_off:.3f})"
        )

    print(line("wall time", wall))
    print(line("CPU time", cpu))
    print(
        f"  the upkeep's own CPU time (plain text, folding, the row and its index entry): "
        f"{statistics.mean(upkeep) * 1000:.2f} ms a post ({len(wall[True])} posts each way)"
    )


async def _postgres_database(url: str) -> str:
    from sqlalchemy import make_url, text
    from sqlalchemy.ext.asyncio import create_async_engine
    from sqlalchemy.pool import NullPool

    parsed = make_url(url)
    target = parsed.set(database=f"{parsed.database}_bench")
    admin = create_async_engine(
        parsed.set(database="postgres"), poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}"'))
            await conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        await admin.dispose()
    return target.render_as_string(hide_password=False)


async def run(label: str, url: str, args: argparse.Namespace) -> None:
    print(f"\n== {label}")
    if args.reuse:  # a database this benchmark built before (its seeds make the same)
        built = Built(url, member_id=1, poster_id=2, thread_id=1, corpus=Corpus(random.Random(3)))
    else:
        built = await build(url, args.posts, args.people)
    if url.startswith("sqlite"):
        size = os.path.getsize(url.split("///", 1)[1])  # noqa: ASYNC240 (a benchmark)
        print(f"  database file: {size / 1e6:.0f} MB")
    if args.rounds:
        await measure_queries(built, args.rounds)
    if args.posting:
        await measure_posting(built, args.posting)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=5, help="times each query is asked")
    parser.add_argument("--posting", type=int, default=300, help="posts each way")
    parser.add_argument("--postgres", action="store_true", help="also FORUM_TEST_POSTGRES_URL")
    parser.add_argument("--postgres-url", default="")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--reuse", metavar="SQLITE_FILE", help="measure a file built by an earlier run"
    )
    args = parser.parse_args()
    pg_url = args.postgres_url or (
        os.environ.get("FORUM_TEST_POSTGRES_URL", "") if args.postgres else ""
    )
    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.1f}")

    async def everything() -> None:
        if args.reuse:
            await run("SQLite", f"sqlite+aiosqlite:///{args.reuse}", args)
        elif not args.no_sqlite:
            with tempfile.TemporaryDirectory(prefix="forum-search-bench-") as tmp:
                await run("SQLite", f"sqlite+aiosqlite:///{tmp}/bench.db", args)
        if pg_url:
            await run("PostgreSQL", await _postgres_database(pg_url), args)

    asyncio.run(everything())
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
