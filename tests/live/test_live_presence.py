"""Who is here now: presence over the live connection, in one process and (with Redis
between them) across real server processes; only those who may read a session hear
who is in it."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from websockets.asyncio.client import ClientConnection

from forum_server.db import Database
from forum_server.rooms.models import ForumSession
from tests.helpers import bearer
from tests.live.wsclient import open_socket, recv, subscribe

ROOT = Path(__file__).resolve().parents[2]
QUICK = {"presence_delay": 0.05}


async def presence_until(
    ws: ClientConnection, wanted: Callable[[dict[str, Any]], bool], patience: float = 10.0
) -> dict[str, Any]:
    """The first presence frame that satisfies `wanted` (earlier ones are skipped)."""
    async with asyncio.timeout(patience):
        while True:
            frame = await recv(ws)
            if frame["type"] == "presence" and wanted(frame):
                return frame


def names(frame: dict[str, Any]) -> list[str]:
    return [person["display_name"] for person in frame["people"]]


async def make_conference(db: Database, *session_ids: int) -> None:
    async with db.write() as uow:
        await uow.session.execute(
            update(ForumSession).where(ForumSession.id.in_(session_ids)).values(format="conference")
        )


@pytest.mark.parametrize("live_config", [QUICK], indirect=True)
async def test_the_list_follows_people_as_they_come_and_go(
    live_url: str, forum: dict[str, Any], client: httpx.AsyncClient, db: Database
) -> None:
    sid, tokens = forum["session_id"], forum["tokens"]
    await make_conference(db, sid)
    async with open_socket(live_url, bearer(tokens["ana"])) as ana:
        assert (await subscribe(ana, sid, presence=True))["type"] == "subscribed"
        first = await presence_until(ana, lambda f: True)
        assert names(first) == ["Ana"] and first["count"] == 1 and first["guests"] == 0
        async with open_socket(live_url, bearer(tokens["ben"])) as ben:
            await subscribe(ben, sid, presence=True)
            both = await presence_until(ana, lambda f: names(f) == ["Ana", "Ben"])
            assert both["session_id"] == sid
            # Ben's second tab counts him once; a guest is counted, not named.
            async with open_socket(live_url, bearer(tokens["ben"])) as ben_again:
                await subscribe(ben_again, sid, presence=True)
                async with open_socket(live_url) as guest:
                    await subscribe(guest, sid, presence=True)
                    seen = await presence_until(ana, lambda f: f["guests"] == 1)
                    assert names(seen) == ["Ana", "Ben"] and seen["count"] == 2
                    listed = (await client.get(f"/api/v1/sessions/{sid}/presence")).json()
                    assert listed["guests"] == 1 and listed["count"] == 2
                await presence_until(ana, lambda f: f["guests"] == 0 and names(f) == ["Ana", "Ben"])
            # A subscriber that did not ask for presence is not counted.
            async with open_socket(live_url, bearer(tokens["moderator"])) as quiet:
                await subscribe(quiet, sid)
        left = await presence_until(ana, lambda f: names(f) == ["Ana"])
        assert left["count"] == 1


@pytest.mark.parametrize("live_config", [QUICK], indirect=True)
async def test_presence_of_a_members_space_reaches_its_members_only(
    live_url: str, forum: dict[str, Any], client: httpx.AsyncClient, db: Database
) -> None:
    members_sid, public_sid, tokens = (
        forum["members_session_id"],
        forum["session_id"],
        forum["tokens"],
    )
    await make_conference(db, members_sid, public_sid)
    async with open_socket(live_url, bearer(tokens["cara"])) as cara:
        await subscribe(cara, members_sid, presence=True)
        await presence_until(cara, lambda f: names(f) == ["Cara"])
        async with (
            open_socket(live_url, bearer(tokens["ana"])) as ana,
            open_socket(live_url) as guest,
        ):
            for outsider in (ana, guest):
                refused = await subscribe(outsider, members_sid, presence=True)
                assert refused["type"] == "error" and refused["error"]["code"] == "not_found"
            # Following the public conference, Ana hears of that one only.
            await subscribe(ana, public_sid, presence=True)
            assert names(await presence_until(ana, lambda f: True)) == ["Ana"]
            async with open_socket(live_url, bearer(tokens["dan"])) as dan:
                await subscribe(dan, members_sid, presence=True)
                seen = await presence_until(cara, lambda f: names(f) == ["Cara", "Dan"])
                assert seen["guests"] == 0
            await presence_until(cara, lambda f: names(f) == ["Cara"])
            await ana.send('{"type": "ping"}')
            while (frame := await recv(ana))["type"] != "pong":
                assert frame.get("session_id") != members_sid, frame
        for headers in ({}, bearer(tokens["ana"])):
            response = await client.get(f"/api/v1/sessions/{members_sid}/presence", headers=headers)
            assert response.status_code == 404
            assert "Cara" not in response.text


# --- two real server processes, Redis between them ---------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """tests/conference/serve_process.py: the app under uvicorn, in a process of its own."""

    def __init__(self, env: dict[str, str], prefix: str, data_dir: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.ws = f"ws://127.0.0.1:{self.port}/api/v1/live"
        self.env = {**env, "FORUM_DATA_DIR": str(data_dir), "FORUM_BASE_URL": self.base}
        self.prefix = prefix
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.conference.serve_process",
            str(self.port),
            self.prefix,
            env=self.env,
            cwd=ROOT,
        )
        async with httpx.AsyncClient(base_url=self.base, timeout=1) as http:
            async with asyncio.timeout(30):
                while True:
                    try:
                        if (await http.get("/healthz")).status_code == 200:
                            return
                    except httpx.TransportError:
                        pass
                    assert self.proc.returncode is None, "the server stopped while starting"
                    await asyncio.sleep(0.1)

    async def stop(self, *, kill: bool = False) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill() if kill else self.proc.terminate()
            await self.proc.wait()


@pytest.fixture
async def processes(
    tmp_path: Path, database_url: str, redis_url: str, app: Any
) -> AsyncIterator[tuple[ServerProcess, ServerProcess]]:
    """Two server processes on the test's database (the in-test app made its tables)."""
    env = {
        **os.environ,
        "FORUM_DATABASE_URL": database_url,
        "FORUM_BROKER_URL": redis_url,
        "FORUM_SECRET_KEY": "test-secret-key-of-at-least-32-characters",
        "FORUM_LOG_LEVEL": "warning",
    }
    prefix = f"test-{uuid.uuid4().hex}"
    pair = (
        ServerProcess(env, prefix, tmp_path / "a"),
        ServerProcess(env, prefix, tmp_path / "b"),
    )
    try:
        await asyncio.gather(*(p.start() for p in pair))
        yield pair
    finally:
        for process in pair:
            await process.stop()


async def test_presence_crosses_processes_over_redis(
    processes: tuple[ServerProcess, ServerProcess], forum: dict[str, Any], db: Database
) -> None:
    a, b = processes
    sid, tokens = forum["session_id"], forum["tokens"]
    await make_conference(db, sid)
    async with open_socket(a.ws, bearer(tokens["ana"])) as ana:
        await subscribe(ana, sid, presence=True)
        await presence_until(ana, lambda f: names(f) == ["Ana"])
        async with open_socket(b.ws, bearer(tokens["ben"])) as ben, open_socket(b.ws) as guest:
            await subscribe(ben, sid, presence=True)
            await subscribe(guest, sid, presence=True)
            # Each hears of the other, though they are connected to different processes.
            seen = await presence_until(
                ana, lambda f: names(f) == ["Ana", "Ben"] and f["guests"] == 1
            )
            assert seen["count"] == 2
            await presence_until(ben, lambda f: names(f) == ["Ana", "Ben"])
            async with httpx.AsyncClient(base_url=a.base) as http:
                listed = (await http.get(f"/api/v1/sessions/{sid}/presence")).json()
            assert [p["display_name"] for p in listed["people"]] == ["Ana", "Ben"]
        # Ben and the guest left process B: A's list follows.
        await presence_until(ana, lambda f: names(f) == ["Ana"] and f["guests"] == 0)
        async with open_socket(b.ws, bearer(tokens["ben"])) as ben:
            await subscribe(ben, sid, presence=True)
            await presence_until(ana, lambda f: names(f) == ["Ana", "Ben"])
            # A process that dies without a word stops counting once its word expires.
            await b.stop(kill=True)
            await presence_until(ana, lambda f: names(f) == ["Ana"], patience=15)
