"""Posting throughput benchmark (not a test).

Starts `forum-server serve` (one process) on a fresh data folder, with a session open
now, and `--posters` accounts with an API token each. Every poster sends posts one
after the other to `POST /api/v1/threads/{id}/posts` (about 350 to 700 characters of
Markdown each, with a client_id, as the site's own forms send) for `--seconds`; the
posters run in a process of their own, on uvloop, and their CPU time is printed too
(they share the machine with the server). The space's own posting limit is raised
to its maximum (`account_post_limit` 10,000 posts per 10 minutes per account, through
`PUT /api/v1/spaces/{slug}/moderation`) so that no poster reaches it during the run;
every other rule applies as it does to any participant.

In the same run the baseline: the same rows (the HTML rendered beforehand), inserted
by as many concurrent tasks, one INSERT and one commit per post, into a table with
the forum's `posts` columns, indexes and unique constraint (no foreign keys): on
SQLite through one aiosqlite connection (in WAL mode, synchronous=NORMAL, as the
forum), a lock around each INSERT + COMMIT; on PostgreSQL through an asyncpg pool of
as many connections as posters. Prints posts/s, p50/p99/max latency and the ratio.

    .venv/bin/python bench/posting.py                          # SQLite, 50 posters, 10 s
    .venv/bin/python bench/posting.py --posters 10 --seconds 5
    .venv/bin/python bench/posting.py --postgres postgresql+asyncpg://postgres@127.0.0.1/db

With `--postgres` the forum gets a database of its own, created beside the one named
(and dropped at the end); the URL must be allowed to create databases.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import sqlite3
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import uvloop
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
from accounts import accounts  # bench/accounts.py, beside this file
from live import PASSWORD, ForumServer, cpu_seconds
from pages import post_text
from workers import PostgresServer


class PostgresForum(PostgresServer):
    """The forum in one process on a database of its own, named after the one given
    (created for the run, dropped after it); no Redis: one process needs none."""

    def __init__(self, postgres: str) -> None:
        super().__init__(postgres, "", 1)
        given = make_url(postgres).database or "postgres"
        self.database = f"{given}_bench_{uuid.uuid4().hex[:6]}"
        url = make_url(postgres).set(database=self.database)
        self.env["FORUM_DATABASE_URL"] = url.render_as_string(hide_password=False)
        del self.env["FORUM_BROKER_URL"]


POST_LIMIT = 10_000  # the most a space's moderators may set (posts per 10 minutes)


@dataclass
class Figure:
    name: str
    posts: int
    seconds: float
    latencies: list[float]
    errors: dict[str, int]
    cpu: float = 0.0  # the server process's CPU seconds (forum only)
    posters_cpu: float = 0.0

    @property
    def rate(self) -> float:
        return self.posts / self.seconds

    def line(self) -> str:
        lat = sorted(self.latencies) or [0.0]
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000  # noqa: E731
        shown = (
            f"{self.name:<28} {self.rate:8.1f} posts/s  ({self.posts} in {self.seconds:.1f} s)"
            f"  p50 {p(0.5):6.1f} ms  p99 {p(0.99):6.1f} ms  max {lat[-1] * 1000:6.1f} ms"
        )
        if self.cpu:
            shown += (
                f"  server CPU {self.cpu:.1f} s ({self.cpu / max(self.posts, 1) * 1e3:.2f} ms/post)"
            )
        if self.posters_cpu:
            shown += f"  posters CPU {self.posters_cpu:.1f} s"
        if self.errors:
            shown += f"  errors {self.errors}"
        return shown


# --- the posters: a process of their own ---------------------------------------------


async def _post_for(
    base: str, tokens: list[str], thread_id: int, seconds: float
) -> tuple[int, list[float], dict[str, int], float, float]:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    stop_at = time.perf_counter() + seconds

    async def poster(n: int, token: str) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as client:
            sent = 0
            while time.perf_counter() < stop_at:
                body = {
                    "body": post_text(n * 1000 + sent),
                    "lang": "en",
                    "client_id": uuid.uuid4().hex,
                }
                started = time.perf_counter()
                answer = await client.post(f"/api/v1/threads/{thread_id}/posts", json=body)
                if answer.status_code == 201:
                    latencies.append(time.perf_counter() - started)
                else:
                    key = f"{answer.status_code} {answer.json().get('code', '')}"
                    errors[key] = errors.get(key, 0) + 1
                sent += 1

    started = time.perf_counter()
    cpu0 = time.process_time()
    await asyncio.gather(*(poster(n, token) for n, token in enumerate(tokens)))
    elapsed = time.perf_counter() - started
    return len(latencies), latencies, errors, elapsed, time.process_time() - cpu0


def _posters_process(base: str, tokens: list[str], thread_id: int, seconds: float, out) -> None:  # type: ignore[no-untyped-def]
    out.put(uvloop.run(_post_for(base, tokens, thread_id, seconds)))


def run_posters(base: str, tokens: list[str], thread_id: int, seconds: float) -> Figure:
    out: mp.Queue = mp.Queue()
    proc = mp.Process(target=_posters_process, args=(base, tokens, thread_id, seconds, out))
    proc.start()
    posts, latencies, errors, elapsed, cpu = out.get(timeout=seconds + 120)
    proc.join(30)
    return Figure("forum", posts, elapsed, latencies, errors, posters_cpu=cpu)


# --- the forum ---------------------------------------------------------------------------


def prepare(server: ForumServer, posters: int) -> tuple[list[str], int]:
    """A session open now (its first question's thread), the space's posting limit at
    its maximum, and the posters' tokens."""
    _admin, _session_id, thread_id = server.setup_session()
    with httpx.Client(base_url=server.base, timeout=30) as client:
        admin = client.post(
            "/api/v1/tokens", json={"email": "bench@example.org", "password": PASSWORD}
        ).json()["token"]
        client.put(
            "/api/v1/spaces/bench/moderation",
            json={"account_post_limit": POST_LIMIT},
            headers={"Authorization": f"Bearer {admin}"},
        ).raise_for_status()
    tokens = asyncio.run(accounts(server, posters, name="poster"))
    # Warm up (not measured): the Markdown renderers start with the first post.
    with httpx.Client(base_url=server.base, timeout=60) as client:
        for token in tokens[:2]:
            client.post(
                f"/api/v1/threads/{thread_id}/posts",
                json={"body": "Warming up."},
                headers={"Authorization": f"Bearer {token}"},
            ).raise_for_status()
    return tokens, thread_id


def run_forum(server: ForumServer, posters: int, seconds: float) -> Figure:
    tokens, thread_id = prepare(server, posters)
    assert server.proc is not None
    cpu0 = cpu_seconds(server.proc.pid)
    figure = run_posters(server.base, tokens, thread_id, seconds)
    figure.cpu = cpu_seconds(server.proc.pid) - cpu0
    return figure


# --- the baseline --------------------------------------------------------------------------


def texts() -> list[tuple[str, str]]:
    """The posts' texts, each with its HTML rendered beforehand."""
    from markdown_it import MarkdownIt

    md = MarkdownIt()
    return [(post_text(n), md.render(post_text(n))) for n in range(64)]


async def timed_inserts(
    insert: Callable[[int, str, str], Awaitable[None]], posters: int, seconds: float
) -> tuple[int, list[float], float]:
    latencies: list[float] = []
    pool = texts()
    stop_at = time.perf_counter() + seconds

    async def poster(n: int) -> None:
        i = n
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            await insert(n + 1, *pool[i % len(pool)])
            latencies.append(time.perf_counter() - started)
            i += posters

    started = time.perf_counter()
    await asyncio.gather(*(poster(n) for n in range(posters)))
    return len(latencies), latencies, time.perf_counter() - started


COLUMNS = (
    "thread_id, session_id, depth, author_id, body, html, status, highlighted, client_id,"
    " created_at, lang, author_country"
)


async def sqlite_baseline(forum_db: Path, folder: Path, posters: int, seconds: float) -> Figure:
    import aiosqlite

    with sqlite3.connect(forum_db) as source:
        ddl = [
            sql
            for (sql,) in source.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name = 'posts' AND sql IS NOT NULL"
            )
        ]
    path = folder / "baseline.db"
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=OFF"):
            await conn.execute(f"PRAGMA {pragma}")
        for sql in ddl:
            await conn.execute(sql)
        lock = asyncio.Lock()
        values = "(1, 1, 0, ?, ?, ?, 'published', 0, ?, ?, 'en', 'KE')"
        statement = f"INSERT INTO posts ({COLUMNS}) VALUES {values}"

        async def insert(author: int, body: str, html: str) -> None:
            row = (author, body, html, uuid.uuid4().hex, datetime.now(UTC).isoformat())
            async with lock:  # one transaction at a time on the one connection
                await conn.execute("BEGIN IMMEDIATE")
                await conn.execute(statement, row)
                await conn.execute("COMMIT")

        posts, latencies, elapsed = await timed_inserts(insert, posters, seconds)
    return Figure("raw aiosqlite, 1 commit/post", posts, elapsed, latencies, {})


async def postgres_baseline(url: str, posters: int, seconds: float) -> Figure:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.execute("DROP TABLE IF EXISTS bench_posts")
        await conn.execute("CREATE TABLE bench_posts (LIKE posts INCLUDING ALL)")
    finally:
        await conn.close()
    statement = (
        f"INSERT INTO bench_posts ({COLUMNS})"
        " VALUES (1, 1, 0, $1, $2, $3, 'published', false, $4, $5, 'en', 'KE')"
    )
    async with asyncpg.create_pool(url, min_size=posters, max_size=posters) as pool:

        async def insert(author: int, body: str, html: str) -> None:
            await pool.execute(statement, author, body, html, uuid.uuid4().hex, datetime.now(UTC))

        posts, latencies, elapsed = await timed_inserts(insert, posters, seconds)
    return Figure("raw asyncpg pool, 1 commit/post", posts, elapsed, latencies, {})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posters", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--postgres", help="PostgreSQL URL (postgresql+asyncpg://…)")
    parser.add_argument("--only", choices=("forum", "baseline"))
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}", flush=True)
    server = PostgresForum(args.postgres) if args.postgres else ForumServer()
    server.start()
    figures = []
    try:
        if args.only != "baseline":
            figures.append(run_forum(server, args.posters, args.seconds))
            print(figures[-1].line(), flush=True)
        assert server.proc is not None
        server.proc.terminate()  # the baseline runs alone
        server.proc.wait(10)
        server.proc = None
        if args.only != "forum":
            if args.postgres:
                url = server.env["FORUM_DATABASE_URL"].replace("+asyncpg", "")
                baseline = asyncio.run(postgres_baseline(url, args.posters, args.seconds))
            else:
                baseline = asyncio.run(
                    sqlite_baseline(
                        server.data_dir / "forum.db", server.data_dir, args.posters, args.seconds
                    )
                )
            figures.append(baseline)
            print(baseline.line(), flush=True)
    finally:
        server.stop()
    if len(figures) == 2:
        print(f"ratio forum / baseline: {figures[0].rate / figures[1].rate:.3f}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
