"""Two browsers watch a thread while the server is killed (SIGKILL) and started again:
both catch up with what was posted meanwhile, with no gap and nothing twice.

The server here is a real `forum-server serve` process on its own SQLite file, not the
in-process one the other browser tests share, so that it can be killed.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import pytest_asyncio

from forum_server.accounts.credentials import actor_for_api_token
from forum_server.db import Database
from forum_server.rooms.posting import create_post
from forum_server.rooms.schemas import PostCreate
from tests.e2e.harness import DESKTOP, ROOT, free_socket

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

ADMIN = {"email": "restart-admin@example.org", "password": "a restart passphrase"}


class ServerProcess:
    """`forum-server serve` on a data folder and a fixed port, to kill and start again."""

    def __init__(self, data_dir: Path) -> None:
        with free_socket() as sock:
            self.port = sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "FORUM_DATA_DIR": str(data_dir),
            "FORUM_BASE_URL": self.base_url,
            "FORUM_LOG_LEVEL": "warning",
        }
        self.database_url = f"sqlite+aiosqlite:///{data_dir / 'forum.db'}"
        self.proc: asyncio.subprocess.Process | None = None

    async def command(self, *args: str) -> None:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "forum_server",
            *args,
            env=self.env,
            cwd=ROOT,
            stdout=asyncio.subprocess.DEVNULL,
        )
        assert await process.wait() == 0, f"forum-server {args[0]} failed"

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "forum_server",
            "serve",
            "--port",
            str(self.port),
            env=self.env,
            cwd=ROOT,
            stdout=asyncio.subprocess.DEVNULL,
        )
        async with httpx.AsyncClient(base_url=self.base_url, timeout=1) as http:
            async with asyncio.timeout(30):
                while True:
                    try:
                        if (await http.get("/healthz")).status_code == 200:
                            return
                    except httpx.TransportError:
                        pass
                    assert self.proc.returncode is None, "the server stopped while starting"
                    await asyncio.sleep(0.1)

    async def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()  # SIGKILL: no goodbye to the browsers, nothing flushed
        await self.proc.wait()


@pytest_asyncio.fixture(loop_scope="session")
async def server(
    browser_ready: None, tmp_path: Path, sqlite_template: Path
) -> AsyncIterator[ServerProcess]:
    await asyncio.to_thread(shutil.copy, sqlite_template, tmp_path / "forum.db")
    server = ServerProcess(tmp_path)
    await server.command("create-admin", *_flags(ADMIN))
    await server.start()
    try:
        yield server
    finally:
        if server.proc is not None and server.proc.returncode is None:
            server.proc.terminate()
            await server.proc.wait()


def _flags(values: dict[str, str]) -> list[str]:
    return [part for name, value in values.items() for part in (f"--{name}", value)]


@dataclass
class Watcher:
    """A guest's page, and the live frames it has received."""

    page: Page
    received: list[dict[str, Any]] = field(default_factory=list)
    subscribed: asyncio.Event = field(default_factory=asyncio.Event)

    def on_frame(self, payload: str | bytes) -> None:
        frame = json.loads(payload)
        self.received.append(frame)
        if frame["type"] == "subscribed":
            self.subscribed.set()

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [frame for frame in self.received if frame["type"] == kind]


async def watch(browser: Browser, url: str) -> Watcher:
    context = await browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(10_000)
    watcher = Watcher(await context.new_page())
    watcher.page.on("websocket", lambda ws: ws.on("framereceived", watcher.on_frame))
    await watcher.page.goto(url)
    # Gone if the page were ever reloaded.
    await watcher.page.evaluate("() => { window.notReloaded = true; }")
    async with asyncio.timeout(10):
        await watcher.subscribed.wait()
    return watcher


async def test_both_browsers_catch_up_after_the_server_is_killed(
    server: ServerProcess, browser: Browser
) -> None:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
        token = (await http.post("/api/v1/tokens", json=ADMIN)).json()["token"]
        http.headers["Authorization"] = f"Bearer {token}"
        space = {"slug": "restart", "title": "Restart", "visibility": "public"}
        assert (await http.post("/api/v1/spaces", json=space)).status_code == 201
        session = (
            await http.post(
                "/api/v1/spaces/restart/sessions",
                json={
                    "title": "Open forum",
                    "questions": ["Which needs come first?"],
                    "opens_at": "2020-01-01T00:00:00+00:00",
                },
            )
        ).json()
        thread_id = session["questions"][0]["thread_id"]

        async def post(body: str) -> int:
            response = await http.post(f"/api/v1/threads/{thread_id}/posts", json={"body": body})
            assert response.status_code == 201, response.text
            return int(response.json()["id"])

        first = await post("Before anyone watched.")
        watchers = [await watch(browser, f"{server.base_url}/threads/{thread_id}") for _ in "ab"]
        try:
            live = await post("Seen live before the crash.")
            await server.kill()
            # Written while the server is down, as another process sharing the file would.
            database = Database(server.database_url)
            try:
                actor = await actor_for_api_token(database, token)
                assert actor is not None
                meanwhile = [
                    (await create_post(database, actor, thread_id, PostCreate(body=text))).post.id
                    for text in ("Posted while it was down.", "And another one.")
                ]
            finally:
                await database.dispose()
            await server.start()
            after = await post("After the restart.")
            expected = [first, live, *meanwhile, after]
            for watcher in watchers:
                page = watcher.page
                await page.locator(f"article#post-{after}").wait_for(timeout=30_000)
                shown = await page.locator("article.post").evaluate_all(
                    "els => els.map(e => Number(e.id.replace('post-', '')))"
                )
                assert shown == expected, "every post once, in order"
                assert await page.evaluate("() => window.notReloaded === true")
                delivered = [frame["data"]["id"] for frame in watcher.of_type("post.created")]
                assert delivered == expected[1:], "no gap and no duplicate on the wire"
                # One subscription before the crash, one after it (resumed with `after`).
                assert len(watcher.of_type("subscribed")) == 2
        finally:
            for watcher in watchers:
                await watcher.page.context.close()
