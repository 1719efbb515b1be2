"""The conference run of bench/live.py (not a test): N signed-in participants in one
conference, every one of them counted as present (subscribed with presence), messages
sent at R per second by participants in turn, through the conference's own route.

Reports delivery latency (message sent → frame received by each participant), the
server's CPU time and peak memory, the viewers' CPU, and presence: the frames sent,
and how long after the last participant arrived every page showed all N present.

    .venv/bin/python bench/live.py --only conference              # 500 at 5 messages/s
    .venv/bin/python bench/conference.py --participants 200 --rate 5 --seconds 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import sys
import time
from pathlib import Path

import httpx
import uvloop
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.accounts import accounts  # noqa: E402
from bench.live import (  # noqa: E402
    MARKER,
    PASSWORD,
    ForumServer,
    Result,
    cpu_seconds,
    peak_rss_mb,
    raise_fd_limit,
)


def setup(server: ForumServer, participants: int) -> tuple[int, list[str]]:
    """A conference, open now, and `participants` accounts with a token each."""
    client = httpx.Client(base_url=server.base, timeout=60)
    admin = client.post(
        "/api/v1/tokens", json={"email": "bench@example.org", "password": PASSWORD}
    ).json()["token"]
    headers = {"Authorization": f"Bearer {admin}"}
    client.post("/api/v1/spaces", json={"slug": "bench", "title": "Bench"}, headers=headers)
    session = client.post(
        "/api/v1/spaces/bench/sessions",
        json={
            "title": "Conference load",
            "format": "conference",
            "questions": ["Opening round", "Next steps"],
            "opens_at": "2020-01-01T00:00:00+00:00",
        },
        headers=headers,
    ).json()

    return session["id"], asyncio.run(accounts(server, participants))


async def _participants(
    url: str,
    session_id: int,
    tokens: list[str],
    total: int,
    ready,
    stop,
    out,  # type: ignore[no-untyped-def]
) -> None:
    latencies: list[float] = []
    received = presence_frames = 0
    subscribed: list[int] = []
    everyone_at: list[float] = []  # when each of this process's pages first showed all
    subscribe = {"type": "subscribe", "session_id": session_id, "presence": True}

    async def participant(token: str) -> None:
        nonlocal received, presence_frames
        headers = {"Authorization": f"Bearer {token}"}
        async with connect(
            url,
            additional_headers=headers,
            max_size=2**20,
            open_timeout=120,
            ping_interval=None,
            compression=None,
        ) as ws:
            await ws.send(json.dumps(subscribe))
            await ws.recv()  # subscribed
            subscribed.append(1)
            seen_all = False
            async for raw in ws:
                now = time.time()
                marker = raw.find(MARKER)
                if marker >= 0:
                    received += 1
                    latencies.append(now - float(raw[marker + 5 : raw.find(";", marker)]))
                elif raw.startswith('{"type":"presence"'):
                    presence_frames += 1
                    if not seen_all and json.loads(raw)["count"] >= total:
                        seen_all = True
                        everyone_at.append(now)

    tasks = []
    for i, token in enumerate(tokens):
        tasks.append(asyncio.create_task(participant(token)))
        if i % 50 == 49:
            await asyncio.sleep(0.05)
    while len(subscribed) < len(tokens):
        failed = [t for t in tasks if t.done()]
        if failed:
            raise RuntimeError(f"{len(failed)} participants failed: {failed[0].exception()!r}")
        await asyncio.sleep(0.1)
    joined_at = time.time()
    await asyncio.to_thread(ready.wait)
    cpu0 = time.process_time()
    while not stop.is_set():
        await asyncio.sleep(0.1)
    await asyncio.sleep(2.0)  # drain what is in flight
    cpu = time.process_time() - cpu0
    for task in tasks:
        task.cancel()
    out.put((received, latencies, cpu, presence_frames, joined_at, everyone_at, len(tokens)))


def participants_process(url, session_id, tokens, total, ready, stop, out) -> None:  # type: ignore[no-untyped-def]
    raise_fd_limit()
    uvloop.run(_participants(url, session_id, tokens, total, ready, stop, out))


async def send_at_rate(
    base: str, tokens: list[str], session_id: int, rate: float, seconds: float
) -> int:
    """Messages at `rate` per second, each participant in turn (within their limit)."""
    sent = 0
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        start = time.perf_counter()
        pending: set[asyncio.Task[httpx.Response]] = set()
        while time.perf_counter() - start < seconds:
            body = {"body": f"sent={time.time():.6f}; conference message {sent}"}
            headers = {"Authorization": f"Bearer {tokens[sent % len(tokens)]}"}
            task = asyncio.create_task(
                client.post(f"/api/v1/sessions/{session_id}/messages", json=body, headers=headers)
            )
            pending.add(task)
            task.add_done_callback(pending.discard)
            sent += 1
            await asyncio.sleep(max(0.0, start + sent / rate - time.perf_counter()))
        answers = await asyncio.gather(*pending, return_exceptions=True)
    refused = [a for a in answers if isinstance(a, httpx.Response) and a.status_code >= 300]
    if refused:
        print(f"  {len(refused)} messages refused, e.g. {refused[0].text}", flush=True)
    return sent


def run_conference(participants: int, rate: float, seconds: float, procs: int) -> None:
    server = ForumServer()
    server.start()
    try:
        started_setup = time.perf_counter()
        session_id, tokens = setup(server, participants)
        print(
            f"  {participants} accounts in {time.perf_counter() - started_setup:.0f} s", flush=True
        )
        assert server.proc is not None
        url = f"ws://127.0.0.1:{server.port}/api/v1/live"
        procs = max(1, min(procs, participants))
        ready, stop, out = mp.Barrier(procs + 1), mp.Event(), mp.Queue()
        shares = [tokens[i::procs] for i in range(procs)]
        workers = [
            mp.Process(
                target=participants_process,
                args=(url, session_id, share, participants, ready, stop, out),
                daemon=True,
            )
            for share in shares
        ]
        cpu_join = cpu_seconds(server.proc.pid)
        for worker in workers:
            worker.start()
        ready.wait(600)
        join_cpu = cpu_seconds(server.proc.pid) - cpu_join
        cpu0 = cpu_seconds(server.proc.pid)
        started = time.perf_counter()
        posts = asyncio.run(send_at_rate(server.base, tokens, session_id, rate, seconds))
        stop.set()
        received, latencies, viewers_cpu, frames = 0, [], 0.0, 0
        joined, everyone = 0.0, []
        for _ in workers:
            r, lat, c, f, j, e, _n = out.get(timeout=120)
            received, viewers_cpu, frames = received + r, viewers_cpu + c, frames + f
            latencies += lat
            joined, everyone = max(joined, j), everyone + e
        for worker in workers:
            worker.join(30)
            if worker.is_alive():
                worker.kill()
        elapsed = time.perf_counter() - started
        cpu = cpu_seconds(server.proc.pid) - cpu0
        result = Result(
            "conference @ rate",
            participants,
            posts,
            elapsed,
            received,
            latencies,
            cpu,
            peak_rss_mb(server.proc.pid),
            viewers_cpu,
        )
        print(result.line(), flush=True)
        settled = (max(everyone) - joined) if len(everyone) == participants else float("nan")
        print(
            f"  presence: {frames} frames while joining and talking; "
            f"{len(everyone)}/{participants} pages showed all {participants} present "
            f"(the last {settled:+.1f} s from the last arrival); "
            f"server CPU while {participants} joined: {join_cpu:.1f} s",
            flush=True,
        )
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--rate", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--viewer-procs", type=int, default=2)
    args = parser.parse_args()
    raise_fd_limit()
    run_conference(args.participants, args.rate, args.seconds, args.viewer_procs)


if __name__ == "__main__":
    main()
