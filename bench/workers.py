"""One server process against two (not a test).

Starts `forum-server serve --workers N` on a fresh PostgreSQL database with Redis
between the processes, connects `--viewers` WebSocket viewers to one session through
the one port (the kernel spreads them over the processes), posts through the same
port at `--rate` posts/s and then as fast as the server accepts, and reports delivery
latency, deliveries per second and the server's CPU time (every process of it) for
N = 1 and N = 2, then the ratio. The viewers, PostgreSQL and Redis share the machine:
their CPU is part of what limits the figures.

    .venv/bin/python bench/workers.py --postgres postgresql+asyncpg://postgres@127.0.0.1/postgres \
        --redis redis://127.0.0.1:6379/0
    .venv/bin/python bench/workers.py ... --viewers 500 --rate 20 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
from live import (  # bench/live.py, beside this file
    PASSWORD,
    ROOT,
    ForumServer,
    Result,
    Viewers,
    cpu_seconds,
    post_at_rate,
    raise_fd_limit,
)


def family(pid: int) -> list[int]:
    """The process and all its descendants (the workers and their Markdown renderers)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            todo += [int(child) for child in task.read_text().split()]
    return found


def family_cpu(pid: int) -> dict[int, float]:
    cpu = {}
    for member in family(pid):
        with contextlib.suppress(OSError):  # ended meanwhile
            cpu[member] = cpu_seconds(member)
    return cpu


class PostgresServer(ForumServer):
    """The forum on a database of its own, with Redis between its processes."""

    def __init__(self, postgres: str, redis: str, workers: int) -> None:
        super().__init__()
        self.admin_url = make_url(postgres).set(drivername="postgresql")
        self.database = f"forum_bench_{uuid.uuid4().hex[:8]}"
        url = make_url(postgres).set(database=self.database)
        self.env["FORUM_DATABASE_URL"] = url.render_as_string(hide_password=False)
        self.env["FORUM_BROKER_URL"] = redis
        self.workers = workers

    async def _admin(self, statement: str) -> None:
        conn = await asyncpg.connect(self.admin_url.render_as_string(hide_password=False))
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    def start(self) -> None:
        asyncio.run(self._admin(f'CREATE DATABASE "{self.database}"'))
        self.cli("migrate")
        self.cli("create-admin", "--email", "bench@example.org", "--password", PASSWORD)
        serve = ["serve", "--port", str(self.port), "--workers", str(self.workers)]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "forum_server", *serve],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode()  # said once every worker accepts
        if "listening" not in line:
            raise RuntimeError(f"the server did not start: {line!r}")

    def stop(self) -> None:
        super().stop()
        asyncio.run(self._admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'))


async def warm_up(base: str, token: str, thread_id: int, posts: int = 12) -> None:
    """A few posts, each over a connection of its own so that every worker gets some:
    a worker starts its Markdown renderers with its first post, which is not measured."""

    async def one(n: int) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            await client.post(
                f"/api/v1/threads/{thread_id}/posts",
                json={"body": f"warming up {n}"},
                headers={"Authorization": f"Bearer {token}"},
            )

    await asyncio.gather(*(one(n) for n in range(posts)))


def run(args: argparse.Namespace, workers: int, rate: float, seconds: float) -> Result:
    server = PostgresServer(args.postgres, args.redis, workers)
    server.start()
    try:
        token, session_id, thread_id = server.setup_session()
        assert server.proc is not None
        asyncio.run(warm_up(server.base, token, thread_id))
        ws_url = f"ws://127.0.0.1:{server.port}/api/v1/live"
        subscribe = json.dumps({"type": "subscribe", "session_id": session_id})
        crowd = Viewers(ws_url, args.viewers, subscribe, args.viewer_procs)
        crowd.start()
        cpu0 = family_cpu(server.proc.pid)
        started = time.perf_counter()
        posts = asyncio.run(post_at_rate(server.base, token, thread_id, rate, seconds))
        received, latencies, viewers_cpu = crowd.stop()
        elapsed = time.perf_counter() - started
        cpu1 = family_cpu(server.proc.pid)
        cpu = sum(cpu1.values()) - sum(cpu0.get(pid, 0.0) for pid in cpu1)
        label = f"{workers} process{'es' if workers > 1 else ''} {rate or 'max'}"
        return Result(label, args.viewers, posts, elapsed, received, latencies, cpu, 0, viewers_cpu)
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", required=True, help="a PostgreSQL URL allowed to create DBs")
    parser.add_argument("--redis", required=True)
    parser.add_argument("--viewers", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--saturation-seconds", type=float, default=10.0)
    parser.add_argument("--viewer-procs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    raise_fd_limit()
    results: dict[int, list[Result]] = {}
    for workers in (1, 2):
        results[workers] = [
            run(args, workers, args.rate, args.seconds),
            run(args, workers, 0, args.saturation_seconds),
        ]
        for result in results[workers]:
            print(result.line(), flush=True)
    one, two = (results[n][1] for n in (1, 2))
    ratio = (two.deliveries / two.seconds) / max(one.deliveries / one.seconds, 1)
    posts = (two.posts / two.seconds) / max(one.posts / one.seconds, 1)
    print(f"two processes / one at saturation: deliveries x{ratio:.2f}, posts x{posts:.2f}")


if __name__ == "__main__":
    main()
