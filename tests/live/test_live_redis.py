"""Two server processes, one database, Redis between them: a post made through one
reaches a socket connected to the other. Runs when FORUM_TEST_REDIS_URL is set;
set but unreachable fails the run instead of skipping it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from forum_server.app import create_app
from forum_server.live import LiveConfig
from forum_server.settings import Settings
from tests.helpers import bearer, make_settings
from tests.live.conftest import TEST_TIMINGS, Serve
from tests.live.wsclient import open_socket, recv, subscribe

# Polling once a minute: whatever arrives within the test's timeouts came through Redis.
ONLY_REDIS = {"poll_interval": 60.0}


@pytest.fixture
def settings(tmp_path: Path, database_url: str, redis_url: str) -> Settings:
    return make_settings(tmp_path / "a", database_url, broker_url=redis_url)


@pytest.fixture
def live_config() -> LiveConfig:
    return LiveConfig(**{**TEST_TIMINGS, **ONLY_REDIS})


@pytest.fixture
async def other_process(
    tmp_path: Path, database_url: str, redis_url: str, broker_prefix: str
) -> AsyncIterator[Starlette]:
    """A second app on the same database and Redis channel, as another process would be."""
    settings = make_settings(tmp_path / "b", database_url, broker_url=redis_url)
    other = create_app(
        settings, broker_prefix=broker_prefix, live=LiveConfig(**{**TEST_TIMINGS, **ONLY_REDIS})
    )
    async with other.router.lifespan_context(other):
        yield other


async def test_a_post_through_one_process_reaches_a_socket_on_the_other(
    app: Starlette,
    other_process: Starlette,
    serve: Serve,
    client: httpx.AsyncClient,
    forum: dict[str, Any],
) -> None:
    assert app.state.hub.broker.healthy and other_process.state.hub.broker.healthy
    url_b = await serve(other_process)
    async with open_socket(url_b, bearer(forum["tokens"]["ben"])) as ws:
        assert (await subscribe(ws, forum["session_id"]))["type"] == "subscribed"
        response = await client.post(  # through app A
            f"/api/v1/threads/{forum['thread_id']}/posts",
            json={"body": "Made on A, read on B."},
            headers=bearer(forum["tokens"]["ana"]),
        )
        assert response.status_code == 201
        event = await recv(ws)
    assert event["type"] == "post.created" and event["data"]["id"] == response.json()["id"]
