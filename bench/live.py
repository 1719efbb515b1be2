"""Live delivery benchmark (not a test).

Starts `forum-server serve` on a temporary SQLite data folder, connects N WebSocket
viewers to one session from a separate process, posts at R posts/s through the HTTP
API, and reports delivery latency (post sent → frame received), deliveries per
second, the server's CPU time and peak memory, and the viewers' own CPU time (they
share the machine: if they use most of a core, they limit both servers). In the same
run it measures a bare `websockets` broadcast server under the same load as the
baseline, then both at saturation (posting as fast as the server accepts), and prints
the ratio. Neither server negotiates permessage-deflate; both run on uvloop (uvicorn's
choice when it is installed), and so do the viewers.

    .venv/bin/python bench/live.py                      # 2,000 viewers, 10 posts/s
    .venv/bin/python bench/live.py --viewers 500 --rate 20 --seconds 10
    .venv/bin/python bench/live.py --only forum --viewer-procs 1
    .venv/bin/python bench/live.py --only conference   # 500 participants, 5 messages/s
    .venv/bin/python bench/live.py --idle 5000         # memory of 5,000 idle viewers

The conference run (bench/conference.py) puts `--viewers` signed-in participants (500
unless given) in one conference, all present, and sends `--rate` messages a second
(5 unless given) through the conference's route.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvloop
import websockets
from websockets.asyncio.client import connect
from websockets.asyncio.server import broadcast, serve

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "benchmark passphrase"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def raise_fd_limit() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int, field: str = "VmHWM") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def rss_mb(pid: int) -> float:
    return peak_rss_mb(pid, "VmRSS")


# --- viewers: separate processes, so their work does not count as the server's ------
#
# The viewers are Python too and can become the bottleneck for both servers: they are
# spread over `--viewer-procs` processes (one per core by default), each frame is only
# searched for its `sent=` marker (no JSON parsing), and their own CPU time is
# reported next to the server's so a reader can tell who ran out of CPU.

MARKER = "sent="


async def _viewers(
    url: str,
    count: int,
    subscribe: str | None,
    ready: mp.Barrier,
    stop: mp.Event,
    out: mp.Queue,
) -> None:
    latencies: list[float] = []
    received = 0
    subscribed: list[int] = []

    async def viewer() -> None:
        nonlocal received
        # compression=None: permessage-deflate is not negotiated with either server
        # (the forum disables it, see `cmd_serve`), so the baseline matches.
        async with connect(
            url, max_size=2**20, open_timeout=120, ping_interval=None, compression=None
        ) as ws:
            if subscribe:
                await ws.send(subscribe)
                await ws.recv()  # `subscribed`: only then does this viewer count as ready
            subscribed.append(1)
            async for raw in ws:
                now = time.time()
                marker = raw.find(MARKER)
                if marker >= 0:
                    received += 1
                    latencies.append(now - float(raw[marker + 5 : raw.find(";", marker)]))

    tasks = []
    for i in range(count):
        tasks.append(asyncio.create_task(viewer()))
        if i % 50 == 49:
            await asyncio.sleep(0.05)  # do not flood the accept queue
    while len(subscribed) < count:
        failed = [t for t in tasks if t.done()]
        if failed:
            raise RuntimeError(f"{len(failed)} viewers failed: {failed[0].exception()!r}")
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)  # let subscriptions settle
    await asyncio.to_thread(ready.wait)
    cpu0 = time.process_time()
    while not stop.is_set():
        await asyncio.sleep(0.1)
    await asyncio.sleep(2.0)  # drain what is in flight
    cpu = time.process_time() - cpu0
    for task in tasks:
        task.cancel()
    out.put((received, latencies, cpu))


def viewers_process(url, count, subscribe, ready, stop, out) -> None:  # type: ignore[no-untyped-def]
    raise_fd_limit()
    uvloop.run(_viewers(url, count, subscribe, ready, stop, out))


class Viewers:
    """`count` viewers spread over `procs` processes; `start` returns once all follow."""

    def __init__(self, url: str, count: int, subscribe: str | None, procs: int) -> None:
        procs = max(1, min(procs, count))
        self.ready = mp.Barrier(procs + 1)
        self.stop_event, self.out = mp.Event(), mp.Queue()
        shares = [count // procs + (i < count % procs) for i in range(procs)]
        self.procs = [
            mp.Process(
                target=viewers_process,
                args=(url, n, subscribe, self.ready, self.stop_event, self.out),
                daemon=True,
            )
            for n in shares
        ]

    def start(self) -> None:
        for proc in self.procs:
            proc.start()
        self.ready.wait(600)

    def stop(self) -> tuple[int, list[float], float]:
        """Total frames received, their latencies, and the viewers' CPU seconds."""
        self.stop_event.set()
        received, latencies, cpu = 0, [], 0.0
        for _ in self.procs:
            r, lat, c = self.out.get(timeout=120)
            received, cpu = received + r, cpu + c
            latencies += lat
        for proc in self.procs:
            proc.join(30)
            if proc.is_alive():
                proc.kill()
        return received, latencies, cpu


@dataclass
class Result:
    name: str
    viewers: int
    posts: int
    seconds: float
    deliveries: int
    latencies: list[float]
    server_cpu: float
    server_peak_mb: float
    viewers_cpu: float

    def line(self) -> str:
        lat = sorted(self.latencies) or [0.0]
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000  # noqa: E731
        expected = self.posts * self.viewers
        return (
            f"{self.name:<22} viewers={self.viewers:<5} posts={self.posts:<5} "
            f"delivered={self.deliveries}/{expected} "
            f"rate={self.deliveries / self.seconds:,.0f}/s "
            f"p50={p(0.5):.0f}ms p99={p(0.99):.0f}ms max={lat[-1] * 1000:.0f}ms "
            f"cpu={self.server_cpu:.1f}s "
            f"({self.server_cpu / max(self.deliveries, 1) * 1e6:.0f}µs/delivery) "
            f"peak={self.server_peak_mb:.0f}MB "
            f"viewers_cpu={self.viewers_cpu:.1f}s/{self.seconds:.0f}s"
        )


# --- the forum server -------------------------------------------------------------------


class ForumServer:
    def __init__(self) -> None:
        self.dir = tempfile.TemporaryDirectory(prefix="forum-bench-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "FORUM_DATA_DIR": self.dir.name,
            "FORUM_BASE_URL": self.base,
            "FORUM_LOG_LEVEL": "warning",
            # Every viewer connects from this one address.
            "FORUM_LIVE_CONNECTIONS_PER_ADDRESS": "1000000",
        }
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def data_dir(self) -> Path:
        return Path(self.dir.name)

    def cli(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "forum_server", *args],
            env=self.env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        self.cli("migrate")  # create-admin works only on an existing database
        self.cli("create-admin", "--email", "bench@example.org", "--password", PASSWORD)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "forum_server", "serve", "--port", str(self.port)],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                httpx.get(self.base + "/healthz", timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
        self.dir.cleanup()

    def setup_session(self) -> tuple[str, int, int]:
        client = httpx.Client(base_url=self.base, timeout=30)
        token = client.post(
            "/api/v1/tokens", json={"email": "bench@example.org", "password": PASSWORD}
        ).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        client.post("/api/v1/spaces", json={"slug": "bench", "title": "Bench"}, headers=headers)
        session = client.post(
            "/api/v1/spaces/bench/sessions",
            json={"title": "Load", "questions": ["Q?"], "opens_at": "2020-01-01T00:00:00+00:00"},
            headers=headers,
        ).json()
        return token, session["id"], session["questions"][0]["thread_id"]


async def post_at_rate(base: str, token: str, thread_id: int, rate: float, seconds: float) -> int:
    """Posts at `rate` per second (or as fast as accepted when rate is 0)."""
    sent = 0
    async with httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30
    ) as client:
        start = time.perf_counter()
        pending: set[asyncio.Task[httpx.Response]] = set()
        while time.perf_counter() - start < seconds:
            body = {"body": f"sent={time.time():.6f}; benchmark post {sent}"}
            task = asyncio.create_task(client.post(f"/api/v1/threads/{thread_id}/posts", json=body))
            pending.add(task)
            task.add_done_callback(pending.discard)
            sent += 1
            if rate:
                await asyncio.sleep(max(0.0, start + sent / rate - time.perf_counter()))
            else:
                while len(pending) >= 16:  # a few in flight: saturate without a backlog
                    await asyncio.sleep(0.001)
        await asyncio.gather(*pending, return_exceptions=True)
    return sent


def run_forum(viewers: int, rate: float, seconds: float, name: str, procs: int) -> Result:
    server = ForumServer()
    server.start()
    try:
        token, session_id, thread_id = server.setup_session()
        assert server.proc is not None
        ws_url = f"ws://127.0.0.1:{server.port}/api/v1/live"
        subscribe = json.dumps({"type": "subscribe", "session_id": session_id})
        crowd = Viewers(ws_url, viewers, subscribe, procs)
        crowd.start()
        cpu0 = cpu_seconds(server.proc.pid)
        started = time.perf_counter()
        posts = asyncio.run(post_at_rate(server.base, token, thread_id, rate, seconds))
        received, latencies, viewers_cpu = crowd.stop()
        elapsed = time.perf_counter() - started
        cpu = cpu_seconds(server.proc.pid) - cpu0
        peak = peak_rss_mb(server.proc.pid)
        return Result(name, viewers, posts, elapsed, received, latencies, cpu, peak, viewers_cpu)
    finally:
        server.stop()


# --- the bare baseline: websockets' own broadcast, nothing else ------------------------


def bare_server(port: int, ready: mp.Event) -> None:
    raise_fd_limit()

    async def main() -> None:
        viewers: set = set()

        async def handler(ws) -> None:  # type: ignore[no-untyped-def]
            if ws.request.path == "/post":
                async for message in ws:
                    broadcast(viewers, message)
                    await ws.send("ok")
                return
            viewers.add(ws)
            try:
                await ws.wait_closed()
            finally:
                viewers.discard(ws)

        # No permessage-deflate, like the forum server (see `cmd_serve`).
        async with serve(handler, "127.0.0.1", port, max_size=2**16, compression=None):
            ready.set()
            await asyncio.Future()

    uvloop.run(main())  # the event loop uvicorn runs the forum on


async def bare_post(port: int, rate: float, seconds: float) -> int:
    sent = 0
    async with connect(f"ws://127.0.0.1:{port}/post") as ws:
        start = time.perf_counter()
        while time.perf_counter() - start < seconds:
            # The same marker as the forum's posts, in a frame of a similar shape.
            body = {"body": f"sent={time.time():.6f}; benchmark post {sent}"}
            await ws.send(json.dumps({"type": "bare", "n": sent, "data": body}))
            await ws.recv()
            sent += 1
            if rate:
                await asyncio.sleep(max(0.0, start + sent / rate - time.perf_counter()))
    return sent


def run_bare(viewers: int, rate: float, seconds: float, name: str, procs: int) -> Result:
    port = free_port()
    server_ready = mp.Event()
    server = mp.Process(target=bare_server, args=(port, server_ready), daemon=True)
    server.start()
    server_ready.wait(10)
    try:
        crowd = Viewers(f"ws://127.0.0.1:{port}/", viewers, None, procs)
        crowd.start()
        assert server.pid is not None
        cpu0 = cpu_seconds(server.pid)
        started = time.perf_counter()
        posts = asyncio.run(bare_post(port, rate, seconds))
        received, latencies, viewers_cpu = crowd.stop()
        elapsed = time.perf_counter() - started
        cpu = cpu_seconds(server.pid) - cpu0
        peak = peak_rss_mb(server.pid)
        return Result(name, viewers, posts, elapsed, received, latencies, cpu, peak, viewers_cpu)
    finally:
        server.kill()


# --- idle viewers: what a connection costs while nothing happens ------------------------

IDLE_WAIT = 10.0  # after the last viewer subscribed: heartbeats, timers and GC settle


def idle_forum(viewers: int, procs: int) -> tuple[float, float]:
    """The forum server's RSS before any viewer, and with `viewers` idle subscribers."""
    server = ForumServer()
    server.start()
    try:
        _token, session_id, _thread_id = server.setup_session()
        assert server.proc is not None
        empty = rss_mb(server.proc.pid)
        subscribe = json.dumps({"type": "subscribe", "session_id": session_id})
        crowd = Viewers(f"ws://127.0.0.1:{server.port}/api/v1/live", viewers, subscribe, procs)
        crowd.start()
        time.sleep(IDLE_WAIT)
        held = rss_mb(server.proc.pid)
        crowd.stop()
        return empty, held
    finally:
        server.stop()


def idle_bare(viewers: int, procs: int) -> tuple[float, float]:
    port = free_port()
    server_ready = mp.Event()
    server = mp.Process(target=bare_server, args=(port, server_ready), daemon=True)
    server.start()
    server_ready.wait(10)
    try:
        assert server.pid is not None
        empty = rss_mb(server.pid)
        crowd = Viewers(f"ws://127.0.0.1:{port}/", viewers, None, procs)
        crowd.start()
        time.sleep(IDLE_WAIT)
        held = rss_mb(server.pid)
        crowd.stop()
        return empty, held
    finally:
        server.kill()


def run_idle(viewers: int, procs: int) -> None:
    """Both servers' RSS under `viewers` connected (and, for the forum, subscribed)
    viewers that receive nothing; printed with what each viewer adds."""
    results = {
        "forum_server": idle_forum(viewers, procs),
        "bare websockets": idle_bare(viewers, procs),
    }
    for name, (empty, held) in results.items():
        print(
            f"{name + ' idle':<26} viewers={viewers} rss={held:.0f}MB (empty {empty:.0f}MB, "
            f"{(held - empty) * 1024 / viewers:.1f}KB/viewer)",
            flush=True,
        )
    ratio = results["forum_server"][1] / max(results["bare websockets"][1], 1)
    print(f"idle RSS ratio forum/bare: {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--viewers", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--saturation-seconds", type=float, default=10.0)
    parser.add_argument(
        "--viewer-procs", type=int, default=2, help="processes the viewers are spread over"
    )
    parser.add_argument(
        "--only", choices=["forum", "bare", "conference"], help="measure one server only"
    )
    parser.add_argument(
        "--idle", type=int, metavar="N", help="only measure the RSS of N idle subscribed viewers"
    )
    args = parser.parse_args()
    raise_fd_limit()
    if args.idle:
        print(f"websockets {websockets.__version__}, {os.cpu_count()} cores", flush=True)
        run_idle(args.idle, args.viewer_procs)
        return
    if args.only == "conference":
        sys.path.insert(0, str(ROOT))
        from bench.conference import run_conference

        viewers = args.viewers if "--viewers" in sys.argv else 500
        rate = args.rate if "--rate" in sys.argv else 5.0
        run_conference(viewers, rate, args.seconds, args.viewer_procs)
        return
    print(f"websockets {websockets.__version__}, {os.cpu_count()} cores", flush=True)
    n, procs = args.viewers, args.viewer_procs
    runs = [
        ("forum", run_forum, args.rate, args.seconds, "forum_server @ rate"),
        ("bare", run_bare, args.rate, args.seconds, "bare websockets @ rate"),
        ("forum", run_forum, 0, args.saturation_seconds, "forum_server saturated"),
        ("bare", run_bare, 0, args.saturation_seconds, "bare websockets saturated"),
    ]
    results = []
    for kind, run, rate, seconds, name in runs:
        if args.only in (None, kind):
            results.append(run(n, rate, seconds, name, procs))
            print(results[-1].line(), flush=True)
    if args.only:
        return
    forum, bare = results[2], results[3]
    ratio = (forum.deliveries / forum.seconds) / max(bare.deliveries / bare.seconds, 1)
    print(f"saturation deliveries/s ratio forum/bare: {ratio:.2f}")


if __name__ == "__main__":
    main()
