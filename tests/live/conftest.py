"""Fixtures for the live hub: an app with test timings, a real uvicorn, a small forum."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import select
from starlette.applications import Starlette

from forum_server.app import create_app
from forum_server.db import Database
from forum_server.live import LiveConfig
from forum_server.orm import utcnow
from forum_server.rooms.models import Space
from forum_server.rooms.scheduler import announce_due_transitions
from forum_server.settings import Settings
from forum_server.web.server import LiveWebSocketProtocol, uvicorn_config
from tests.conftest import MakeUser
from tests.helpers import bearer, token_for

# Quick polling, and nothing periodic that would interleave with what tests expect.
TEST_TIMINGS: dict[str, Any] = {
    "poll_interval": 0.5,
    "heartbeat_interval": 600.0,
    "access_ttl": 600.0,
    "close_timeout": 5.0,
}


@pytest.fixture
def live_config(request: pytest.FixtureRequest) -> LiveConfig:
    """Override per test with `@pytest.mark.parametrize("live_config", [{...}], indirect=True)`."""
    return LiveConfig(**{**TEST_TIMINGS, **getattr(request, "param", {})})


@pytest.fixture
def broker_prefix() -> str:
    return f"test-{uuid.uuid4().hex}"


@pytest.fixture
async def app(
    settings: Settings, live_config: LiveConfig, broker_prefix: str
) -> AsyncIterator[Starlette]:
    application = create_app(settings, broker_prefix=broker_prefix, live=live_config)
    async with application.router.lifespan_context(application):
        yield application


Serve = Callable[[Starlette], Awaitable[str]]

# How uvicorn writes live frames: as `forum-server serve` does (`write_now` beside
# ASGI), or through ASGI `send` alone (as under any other server).
WS_PROTOCOLS = {"live": LiveWebSocketProtocol, "asgi": "websockets-sansio"}


@pytest.fixture
def ws_protocol(request: pytest.FixtureRequest) -> str:
    """Override with `@pytest.mark.parametrize("ws_protocol", ["live", "asgi"], indirect=True)`."""
    return getattr(request, "param", "live")


@pytest.fixture
async def serve(ws_protocol: str) -> AsyncIterator[Serve]:
    """Serve an app (its lifespan already running) with a real uvicorn on a free
    loopback port; returns the live endpoint's ws:// URL."""
    running: list[tuple[uvicorn.Server, asyncio.Task[None]]] = []

    async def start(application: Starlette) -> str:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        config = uvicorn_config(
            application,
            host="127.0.0.1",
            port=port,
            log_config=None,
            lifespan="off",
            ws=WS_PROTOCOLS[ws_protocol],
        )
        server = uvicorn.Server(config)
        task = asyncio.create_task(server.serve(sockets=[sock]))
        running.append((server, task))
        async with asyncio.timeout(10):
            while not server.started:
                if task.done():
                    task.result()
                    raise RuntimeError("uvicorn stopped before it started")
                await asyncio.sleep(0.01)
        return f"ws://127.0.0.1:{port}/api/v1/live"

    yield start
    for server, _ in running:
        server.should_exit = True
    for _, task in running:
        await asyncio.wait_for(task, 15)


@pytest.fixture
async def live_url(app: Starlette, serve: Serve) -> str:
    return await serve(app)


@pytest.fixture
def hub(app: Starlette) -> Any:
    return app.state.hub


async def space_id_of(db: Database, slug: str) -> int:
    async with db.read() as session:
        space_id = await session.scalar(select(Space.id).where(Space.slug == slug))
    assert space_id is not None
    return int(space_id)


@pytest.fixture
async def forum(
    client: httpx.AsyncClient,
    db: Database,
    make_user: MakeUser,
    make_space: Callable[..., Awaitable[str]],
    make_session: Callable[..., Awaitable[int]],
    add_member: Callable[..., Awaitable[None]],
) -> dict[str, Any]:
    """A public session with a moderator and two participants, and a members-only
    session of a workspace with two members."""
    moderator = await make_user(display_name="Moderator")
    ana, ben = await make_user(display_name="Ana"), await make_user(display_name="Ben")
    cara, dan = await make_user(display_name="Cara"), await make_user(display_name="Dan")
    public = await make_space()
    session_id = await make_session(public, moderator_ids=[moderator.id])
    workspace = await make_space(visibility="members")
    for member in (cara, dan):
        await add_member(workspace, member.id)
    members_session = await make_session(workspace)
    async with db.write() as uow:
        # Announce the openings now, so that the scheduler's events do not turn up
        # in the middle of a test.
        await announce_due_transitions(uow, utcnow())
    detail = (await client.get(f"/api/v1/sessions/{session_id}")).json()
    members_detail = (
        await client.get(
            f"/api/v1/sessions/{members_session}", headers=bearer(await token_for(client, cara))
        )
    ).json()
    tokens = {
        name: await token_for(client, user)
        for name, user in {
            "moderator": moderator,
            "ana": ana,
            "ben": ben,
            "cara": cara,
            "dan": dan,
        }.items()
    }
    return {
        "users": {"moderator": moderator, "ana": ana, "ben": ben, "cara": cara, "dan": dan},
        "tokens": tokens,
        "session_id": session_id,
        "thread_id": detail["questions"][0]["thread_id"],
        "space_id": await space_id_of(db, public),
        "workspace": workspace,
        "workspace_id": await space_id_of(db, workspace),
        "members_session_id": members_session,
        "members_thread_id": members_detail["questions"][0]["thread_id"],
    }
