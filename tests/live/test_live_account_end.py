"""Deactivating an account, resetting its sign-in or suspending it on the whole site
closes its live connections at once (not at the next periodic re-check: here that is
ten minutes)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from forum_server.db import Database
from forum_server.moderation.models import Suspension
from forum_server.orm import utcnow
from tests.conftest import MakeUser
from tests.helpers import BASE_URL, bearer, token_for
from tests.live.test_live_access import close_code, login_cookie
from tests.live.wsclient import open_socket, subscribe, until_pong


async def test_deactivation_closes_the_users_sockets_and_no_others(
    app: Starlette,
    client: httpx.AsyncClient,
    live_url: str,
    forum: dict[str, Any],
    make_user: MakeUser,
) -> None:
    secretariat = bearer(await token_for(client, await make_user(is_secretariat=True)))
    ben = forum["users"]["ben"]
    browser, cookie = await login_cookie(app, ben)
    cookie_headers = {"Cookie": f"forum_session={cookie}", "Origin": BASE_URL}
    async with (
        open_socket(live_url, bearer(forum["tokens"]["ben"])) as by_token,
        open_socket(live_url, cookie_headers) as by_cookie,
        open_socket(live_url, bearer(forum["tokens"]["ana"])) as other,
    ):
        for ws in (by_token, by_cookie, other):
            assert (await subscribe(ws, forum["session_id"]))["type"] == "subscribed"
        answer = await client.post(f"/api/v1/users/{ben.id}/deactivate", headers=secretariat)
        assert answer.status_code == 200
        assert await close_code(by_token) == 4401
        assert await close_code(by_cookie) == 4401
        assert await until_pong(other) == []  # still connected
    await browser.aclose()
    # Coming back is refused before any data.
    refused = await client.get("/api/v1/me", headers=bearer(forum["tokens"]["ben"]))
    assert refused.status_code == 401


async def test_a_site_wide_suspension_closes_the_users_sockets(
    client: httpx.AsyncClient, live_url: str, forum: dict[str, Any], make_user: MakeUser
) -> None:
    secretariat = bearer(await token_for(client, await make_user(is_secretariat=True)))
    async with open_socket(live_url, bearer(forum["tokens"]["dan"])) as ws:
        assert (await subscribe(ws, forum["session_id"]))["type"] == "subscribed"
        body = {"user_id": forum["users"]["dan"].id, "reason": "Harassment"}
        answer = await client.post("/api/v1/suspensions", json=body, headers=secretariat)
        assert answer.status_code == 201
        assert await close_code(ws) == 4401


@pytest.mark.parametrize("live_config", [{"access_ttl": 0.2}], indirect=True)
async def test_the_periodic_recheck_also_ends_a_suspended_users_socket(
    db: Database, live_url: str, forum: dict[str, Any]
) -> None:
    """The backstop: a suspension whose event this process never saw (written behind its
    back here) still ends the socket at the next re-check of its token."""
    async with open_socket(live_url, bearer(forum["tokens"]["dan"])) as ws:
        assert (await subscribe(ws, forum["session_id"]))["type"] == "subscribed"
        async with db.write() as uow:
            uow.session.add(
                Suspension(user_id=forum["users"]["dan"].id, reason="Spam", created_at=utcnow())
            )
        assert await close_code(ws) == 4401


async def test_a_reset_sign_in_closes_the_users_sockets(
    client: httpx.AsyncClient, live_url: str, forum: dict[str, Any], make_user: MakeUser
) -> None:
    secretariat = bearer(await token_for(client, await make_user(is_secretariat=True)))
    async with (
        open_socket(live_url, bearer(forum["tokens"]["dan"])) as ws,
        open_socket(live_url, bearer(forum["tokens"]["ana"])) as other,
    ):
        for socket in (ws, other):
            assert (await subscribe(socket, forum["session_id"]))["type"] == "subscribed"
        user_id = forum["users"]["dan"].id
        answer = await client.post(f"/api/v1/users/{user_id}/reset-sign-in", headers=secretariat)
        assert answer.status_code == 200
        assert await close_code(ws) == 4401
        assert await until_pong(other) == []  # still connected
