"""Anonymous posting flood benchmark (not a test).

Starts `forum-server serve` on a temporary SQLite data folder and measures `GET
/healthz` latency twice in the same run: alone (the baseline), then while N anonymous
clients keep sending maximum-size bodies — 20,000 characters of the costliest
Markdown we know (`![` repeated, about 0.4 s of CPU to render) — to every posting
route:

- posts and topics in a forum that takes no guests (refused with 401),
- an edit of someone's post (401),
- guest posts in an open forum, each from another IPv6 /64 (the server trusts
  `X-Forwarded-For` here, so every request looks like a new network and passes the
  per-network limit): these are admitted, so they are rendered, one at a time in the
  guests' lane, until the review queue is full (then 429 before rendering).

It prints the latencies, their ratio to the baseline, and what the flood was answered.

    .venv/bin/python bench/anonymous_posting.py                 # 8 clients, 15 s each
    .venv/bin/python bench/anonymous_posting.py --clients 16 --seconds 30
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import random
import time
from pathlib import Path

import httpx
from live import PASSWORD, ForumServer, cpu_seconds

HEAVY = "![" * 10_000  # 20,000 characters, the most a post may have


def setup(server: ForumServer) -> dict[str, int]:
    """A forum without guests (with a topic-taking session and a post) and an open forum."""
    client = httpx.Client(base_url=server.base, timeout=30)
    token = client.post(
        "/api/v1/tokens", json={"email": "bench@example.org", "password": PASSWORD}
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    ids: dict[str, int] = {}
    for slug, guests in (("closed", False), ("open", True)):
        space = {"slug": slug, "title": slug.title(), "guest_posting": guests}
        client.post("/api/v1/spaces", json=space, headers=headers).raise_for_status()
        session = client.post(
            f"/api/v1/spaces/{slug}/sessions",
            json={
                "title": "Load",
                "questions": ["Q?"],
                "opens_at": "2020-01-01T00:00:00+00:00",
                "participant_topics": True,
            },
            headers=headers,
        )
        session.raise_for_status()
        ids[f"{slug}_session"] = session.json()["id"]
        ids[f"{slug}_thread"] = session.json()["questions"][0]["thread_id"]
    mine = client.post(
        f"/api/v1/threads/{ids['closed_thread']}/posts", json={"body": "Mine."}, headers=headers
    )
    mine.raise_for_status()
    ids["post"] = mine.json()["id"]
    return ids


def tree_cpu(pid: int) -> float:
    """CPU seconds of the server process and its children (the Markdown workers)."""
    total = cpu_seconds(pid)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                total += cpu_seconds(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
    return total


def random_network() -> str:
    return f"2001:db8:{random.getrandbits(16):x}:{random.getrandbits(16):x}::1"


async def flood(
    base: str, ids: dict[str, int], stop: asyncio.Event, seen: collections.Counter[str]
) -> None:
    """One anonymous client sending heavy bodies to each posting route in turn."""
    requests = [
        ("POST", f"/api/v1/threads/{ids['closed_thread']}/posts", {"body": HEAVY}, False),
        (
            "POST",
            f"/api/v1/sessions/{ids['closed_session']}/threads",
            {"title": "Flood", "body": HEAVY},
            False,
        ),
        ("PATCH", f"/api/v1/posts/{ids['post']}", {"body": HEAVY}, False),
        (
            "POST",
            f"/api/v1/threads/{ids['open_thread']}/posts",
            {"body": HEAVY, "guest_name": "Flood"},
            True,
        ),
    ]
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        n = 0
        while not stop.is_set():
            method, path, body, as_guest = requests[n % len(requests)]
            n += 1
            headers = {"X-Forwarded-For": random_network()} if as_guest else {}
            try:
                response = await client.request(method, path, json=body, headers=headers)
                seen[f"{method} {path.split('/')[3]} → {response.status_code}"] += 1
            except httpx.HTTPError as exc:
                seen[type(exc).__name__] += 1


async def healthz(base: str, seconds: float) -> list[float]:
    """Sequential /healthz requests for `seconds`; their latencies in ms."""
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            start = time.perf_counter()
            (await client.get("/healthz")).raise_for_status()
            latencies.append((time.perf_counter() - start) * 1000)
            await asyncio.sleep(0.01)
    return latencies


def summary(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {"n": len(ordered), "p50": at(0.5), "p95": at(0.95), "p99": at(0.99), "max": ordered[-1]}


async def measure(base: str, ids: dict[str, int], clients: int, seconds: float, pid: int) -> None:
    baseline = summary(await healthz(base, seconds))
    stop, seen = asyncio.Event(), collections.Counter[str]()
    cpu0 = tree_cpu(pid)
    attackers = [asyncio.create_task(flood(base, ids, stop, seen)) for _ in range(clients)]
    await asyncio.sleep(1.0)  # let the flood build up
    loaded = summary(await healthz(base, seconds))
    stop.set()
    await asyncio.gather(*attackers)
    cpu = tree_cpu(pid) - cpu0
    print(f"/healthz alone:                 {_line(baseline)}")
    print(f"/healthz, {clients} anonymous clients: {_line(loaded)}")
    print(
        f"ratio under flood: p50 ×{loaded['p50'] / baseline['p50']:.1f}, "
        f"p99 ×{loaded['p99'] / baseline['p99']:.1f}; "
        f"server CPU (with its Markdown workers) {cpu:.1f} s in {seconds + 1:.0f} s"
    )
    print("flood answered:")
    for what, count in sorted(seen.items()):
        print(f"  {what}: {count}")


def _line(s: dict[str, float]) -> str:
    return (
        f"n={s['n']:<5.0f} p50={s['p50']:.1f} ms  p95={s['p95']:.1f} ms  "
        f"p99={s['p99']:.1f} ms  max={s['max']:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args()
    server = ForumServer()
    server.env["FORUM_TRUST_PROXY_HEADERS"] = "true"
    server.start()
    try:
        ids = setup(server)
        assert server.proc is not None
        asyncio.run(measure(server.base, ids, args.clients, args.seconds, server.proc.pid))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
