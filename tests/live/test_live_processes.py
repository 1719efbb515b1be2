"""Real server processes on one PostgreSQL database and one Redis: a post made through
one process reaches a socket connected to another, and a sign-out through one ends
the sockets of that sign-in on the other at once (not at the periodic re-check, an
hour away here). `serve --workers 2` runs two such processes behind one port.
Runs when FORUM_TEST_POSTGRES_URL and FORUM_TEST_REDIS_URL are set."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import _truncate_postgres
from tests.helpers import bearer, csrf_from, sign_in
from tests.live.test_live_access import close_code
from tests.live.wsclient import open_socket, recv, subscribe, until_pong

SECRET = "test-secret-key-of-at-least-32-characters"
LISTENING = re.compile(r"forum_server listening on (http://127\.0\.0\.1:\d+)/")

Start = Callable[..., Awaitable[str]]


@pytest.fixture
def database_url(postgres_url: str) -> str:
    asyncio.run(_truncate_postgres(postgres_url))
    return postgres_url


@pytest.fixture
async def start_server(tmp_path: Path, database_url: str, redis_url: str) -> AsyncIterator[Start]:
    """`forum-server serve --port 0 [args]` as an OS process; returns its address."""
    processes: list[asyncio.subprocess.Process] = []
    folders: list[Path] = []

    async def start(*args: str) -> str:
        folder = tmp_path / f"server-{len(folders)}"
        folders.append(folder)
        folder.mkdir()
        clean = {k: v for k, v in os.environ.items() if not k.startswith("FORUM_")}
        env = {
            **clean,
            "FORUM_DATABASE_URL": database_url,
            "FORUM_BROKER_URL": redis_url,
            "FORUM_SECRET_KEY": SECRET,
            "FORUM_LOG_LEVEL": "warning",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "forum_server", "serve", "--port", "0", *args,
            cwd=folder, env=env, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        processes.append(process)
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 60)).decode()
        found = LISTENING.match(line)
        assert found, f"the server said {line!r}"
        return found.group(1)

    yield start
    for process in processes:
        if process.returncode is None:
            process.terminate()
    for process in processes:
        # uvicorn ends by raising the signal again once it has shut down gracefully.
        assert await asyncio.wait_for(process.wait(), 30) in (0, -signal.SIGTERM)


def live_url(address: str) -> str:
    return address.replace("http://", "ws://") + "/api/v1/live"


async def post(address: str, thread_id: int, token: str, body: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=address) as http:
        answer = await http.post(
            f"/api/v1/threads/{thread_id}/posts", json={"body": body}, headers=bearer(token)
        )
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


async def test_a_post_and_a_sign_out_cross_between_two_processes(
    start_server: Start, forum: dict[str, Any]
) -> None:
    a, b = await asyncio.gather(start_server(), start_server())
    cara = forum["users"]["cara"]
    async with httpx.AsyncClient(base_url=a) as browser:
        await sign_in(browser, cara)
        cookie = browser.cookies.get("forum_session")
        assert cookie
        on_b = {"Cookie": f"forum_session={cookie}", "Origin": b}
        async with (
            open_socket(live_url(b), bearer(forum["tokens"]["ben"])) as ben,
            open_socket(live_url(b), on_b) as cara_cookie,
            open_socket(live_url(b), bearer(forum["tokens"]["cara"])) as cara_token,
        ):
            assert (await subscribe(ben, forum["session_id"]))["type"] == "subscribed"
            for ws in (cara_cookie, cara_token):
                subscribed = await subscribe(ws, forum["members_session_id"])
                assert subscribed["type"] == "subscribed"
            made = await post(a, forum["thread_id"], forum["tokens"]["ana"], "Made on A.")
            event = await recv(ben)
            assert event["type"] == "post.created" and event["data"]["id"] == made["id"]

            # Signing out through A ends the sockets of that sign-in on B, and only those.
            token = await csrf_from(browser, "/")
            signed_out = await browser.post("/logout", data={"csrf_token": token})
            assert signed_out.status_code == 303
            assert await close_code(cara_cookie) == 4401
            assert await until_pong(cara_token) == []  # her API token still holds
            assert await until_pong(ben) == []


async def test_serve_with_two_workers_delivers_across_them(
    start_server: Start, forum: dict[str, Any]
) -> None:
    address = await start_server("--workers", "2")
    url, token = live_url(address), bearer(forum["tokens"]["ben"])
    # Enough sockets that the kernel hands some to each worker; all must get the post.
    sockets = [open_socket(url, token) for _ in range(8)]
    opened = [await ws.__aenter__() for ws in sockets]
    try:
        for ws in opened:
            assert (await subscribe(ws, forum["session_id"]))["type"] == "subscribed"
        made = await post(address, forum["thread_id"], forum["tokens"]["ana"], "To all.")
        for ws in opened:
            event = await recv(ws)
            assert event["type"] == "post.created" and event["data"]["id"] == made["id"]
    finally:
        for ws in sockets:
            await ws.__aexit__(None, None, None)


async def test_workers_need_postgresql_and_redis(tmp_path: Path) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FORUM_")}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "forum_server", "serve", "--port", "0", "--workers", "2",
        cwd=tmp_path, env=clean, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2 and not out
    said = err.decode()
    assert "--workers 2 needs a PostgreSQL database" in said
    assert "the Redis broker" in said and "Traceback" not in said
