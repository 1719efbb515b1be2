"""One client cannot hold every socket: live connections are capped per account and
per address, and refused with close code 4429."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from forum_server.settings import Settings
from tests.helpers import bearer, make_settings
from tests.live.test_live_access import close_code
from tests.live.wsclient import open_socket, subscribe


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(
        tmp_path, database_url, live_connections_per_account=2, live_connections_per_address=3
    )


async def test_connections_are_capped_per_account_and_per_address(
    app: Starlette, live_url: str, forum: dict[str, Any]
) -> None:
    ana, sid = bearer(forum["tokens"]["ana"]), forum["session_id"]
    async with contextlib.AsyncExitStack() as stack:
        first = await stack.enter_async_context(open_socket(live_url, ana))
        await stack.enter_async_context(open_socket(live_url, ana))
        assert (await subscribe(first, sid))["type"] == "subscribed"
        async with open_socket(live_url, ana) as third:
            assert await close_code(third) == 4429
        # Ben is another account, but from the same address: its third connection.
        ben = await stack.enter_async_context(open_socket(live_url, bearer(forum["tokens"]["ben"])))
        assert (await subscribe(ben, sid))["type"] == "subscribed"
        async with open_socket(live_url) as guest:
            assert await close_code(guest) == 4429
        await first.close()
        await first.wait_closed()
        # A place came free: a guest from that address gets in.
        for _ in range(50):
            if len(app.state.hub.connections) < 3:
                break
            await asyncio.sleep(0.02)
        guest = await stack.enter_async_context(open_socket(live_url))
        assert (await subscribe(guest, sid))["type"] == "subscribed"
