"""File upload and download benchmark (not a test).

Starts `forum-server serve` on a temporary SQLite data folder, then, while a watcher
holds a live WebSocket on a session and a poster adds a contribution every 200 ms,
uploads a 20 MB document to the space's library (streamed from the client, never
whole in its memory) and downloads it back. It prints the upload and download times,
the server's resident memory before and its peak after (VmHWM of the server process),
and the live delivery latency the watcher saw meanwhile (post sent → event received).

    .venv/bin/python bench/files.py            # 20 MB
    .venv/bin/python bench/files.py --mb 10
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from live import ForumServer
from websockets.asyncio.client import connect


def rss_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


async def multipart(size: int, boundary: str) -> AsyncIterator[bytes]:
    head = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in (("title", "Big report"), ("language", "en"))
    )
    yield (
        head + f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode()
    yield b"%PDF-1.7\n"
    left = size - 9
    while left > 0:
        n = min(left, 256 * 1024)
        yield os.urandom(n)
        left -= n
    yield f"\r\n--{boundary}--\r\n".encode()


async def watch(base: str, session_id: int, sent: dict[int, float], seen: list[float]) -> None:
    async with connect(base.replace("http", "ws") + "/api/v1/live") as ws:
        await ws.send(json.dumps({"type": "subscribe", "session_id": session_id}))
        async for raw in ws:
            event = json.loads(raw)
            if event.get("type") == "post.created" and event["data"]["id"] in sent:
                seen.append(time.perf_counter() - sent[event["data"]["id"]])


async def post_meanwhile(
    client: httpx.AsyncClient, thread_id: int, sent: dict[int, float], stop: asyncio.Event
) -> None:
    n = 0
    while not stop.is_set():
        started = time.perf_counter()
        answer = await client.post(f"/api/v1/threads/{thread_id}/posts", json={"body": f"p{n}"})
        sent[answer.json()["id"]] = started
        n += 1
        await asyncio.sleep(0.2)


async def run(server: ForumServer, size: int) -> None:
    token, session_id, thread_id = server.setup_session()
    assert server.proc is not None
    pid = server.proc.pid
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=server.base, headers=headers, timeout=120) as client:
        sent: dict[int, float] = {}
        seen: list[float] = []
        watcher = asyncio.create_task(watch(server.base, session_id, sent, seen))
        await asyncio.sleep(0.5)
        before, peak_before = rss_mb(pid, "VmRSS"), rss_mb(pid, "VmHWM")
        stop = asyncio.Event()
        poster = asyncio.create_task(post_meanwhile(client, thread_id, sent, stop))
        await asyncio.sleep(1)
        boundary = "benchboundary"
        length = sum([len(c) async for c in multipart(size, boundary)])  # same sizes
        started = time.perf_counter()
        created = await client.post(
            "/api/v1/spaces/bench/library",
            content=multipart(size, boundary),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(length),
            },
        )
        upload_s = time.perf_counter() - started
        created.raise_for_status()
        url = created.json()["versions"][0]["file"]["url"]
        started = time.perf_counter()
        received = 0
        async with client.stream("GET", url) as response:
            async for chunk in response.aiter_bytes():
                received += len(chunk)
        download_s = time.perf_counter() - started
        await asyncio.sleep(1)
        stop.set()
        await poster
        await asyncio.sleep(0.5)
        watcher.cancel()
        peak, after = rss_mb(pid, "VmHWM"), rss_mb(pid, "VmRSS")
    mb = size / 1_048_576
    print(f"file: {mb:.0f} MB; upload {upload_s:.2f} s, download {download_s:.2f} s ({received} B)")
    print(
        f"server memory: {before:.0f} MB resident before (peak so far {peak_before:.0f} MB), "
        f"peak after {peak:.0f} MB (+{peak - max(before, peak_before):.0f} MB), "
        f"resident after {after:.0f} MB"
    )
    if seen:
        ms = sorted(x * 1000 for x in seen)
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
        print(
            f"live delivery while transferring: {len(ms)} posts, median "
            f"{statistics.median(ms):.0f} ms, p99 {p99:.0f} ms, max {ms[-1]:.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=20 - 0.1)
    args = parser.parse_args()
    server = ForumServer()
    server.start()
    try:
        asyncio.run(run(server, int(args.mb * 1_048_576)))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
