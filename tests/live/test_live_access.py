"""Who gets what over the live endpoint: handshakes, refusals, pending posts, removal,
sign-out. Nothing of a members-only space may leak through a frame."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import httpx
import pytest
from sqlalchemy import delete
from starlette.applications import Starlette
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, InvalidStatus

from forum_server.db import Database
from forum_server.rooms.models import Membership
from tests.helpers import BASE_URL, bearer, client_for, csrf_from, sign_in
from tests.live.wsclient import TIMEOUT, emit, open_socket, recv, subscribe, until_pong


async def login_cookie(app: Starlette, user: Any) -> tuple[httpx.AsyncClient, str]:
    browser = client_for(app)
    await sign_in(browser, user)
    cookie = browser.cookies.get("forum_session")
    assert cookie
    return browser, cookie


async def refused_status(url: str, headers: dict[str, str]) -> int:
    with pytest.raises(InvalidStatus) as caught:
        async with open_socket(url, headers):
            pass
    return caught.value.response.status_code


async def test_cookie_handshakes_need_our_own_origin(
    app: Starlette, live_url: str, forum: dict[str, Any]
) -> None:
    browser, cookie = await login_cookie(app, forum["users"]["cara"])
    jar = {"Cookie": f"forum_session={cookie}"}
    assert await refused_status(live_url, {**jar, "Origin": "https://evil.example"}) == 403
    assert await refused_status(live_url, {**jar, "Origin": "null"}) == 403
    assert await refused_status(live_url, jar) == 403  # browsers always send one
    async with open_socket(live_url, {**jar, "Origin": BASE_URL}) as ws:
        # Signed in as Cara: her workspace's session is hers to follow.
        assert (await subscribe(ws, forum["members_session_id"]))["type"] == "subscribed"
    await browser.aclose()


async def test_bearer_handshakes_need_no_origin_and_a_bad_token_is_refused(
    live_url: str, forum: dict[str, Any]
) -> None:
    async with open_socket(live_url, bearer(forum["tokens"]["dan"])) as ws:
        assert (await subscribe(ws, forum["members_session_id"]))["type"] == "subscribed"
    assert await refused_status(live_url, bearer("fst_not-a-token")) == 401


async def test_a_session_one_may_not_see_is_refused_like_a_missing_one(
    live_url: str, forum: dict[str, Any]
) -> None:
    hidden, missing = forum["members_session_id"], 999_999
    for headers in ({}, bearer(forum["tokens"]["ben"])):
        async with open_socket(live_url, headers) as ws:
            refused = await subscribe(ws, hidden, after=0)
            absent = await subscribe(ws, missing, after=0)
        assert refused.pop("session_id") == hidden and absent.pop("session_id") == missing
        assert (
            refused
            == absent
            == {
                "type": "error",
                "error": {"code": "not_found", "message": "No such session."},
            }
        )


async def viewers(
    stack: contextlib.AsyncExitStack, live_url: str, forum: dict[str, Any]
) -> dict[str, ClientConnection]:
    """Ana (an author), the moderator, Ben and a guest, all following the session."""
    tokens = forum["tokens"]
    sockets = {
        name: await stack.enter_async_context(open_socket(live_url, headers))
        for name, headers in {
            "ana": bearer(tokens["ana"]),
            "moderator": bearer(tokens["moderator"]),
            "ben": bearer(tokens["ben"]),
            "guest": {},
        }.items()
    }
    for ws in sockets.values():
        assert (await subscribe(ws, forum["session_id"]))["type"] == "subscribed"
    return sockets


async def test_pending_posts_reach_only_their_author_and_moderators(
    live_url: str, db: Database, forum: dict[str, Any]
) -> None:
    sid, ana = forum["session_id"], forum["users"]["ana"]
    async with contextlib.AsyncExitStack() as stack:
        sockets = await viewers(stack, live_url, forum)
        where = {"space_id": forum["space_id"], "session_id": sid, "thread_id": forum["thread_id"]}
        pending = {"id": 1, "status": "pending", "author": {"id": ana.id}, "html": "<p>canary</p>"}
        await emit(db, "post.created", pending, **where)
        rejected = {**pending, "status": "rejected"}
        await emit(db, "post.edited", rejected, **where)
        assert (await recv(sockets["moderator"]))["data"]["status"] == "pending"
        assert (await recv(sockets["moderator"]))["data"]["status"] == "rejected"
        assert (await recv(sockets["ana"]))["data"]["status"] == "pending"
        # The moderator has had both: anything for the others would be queued already.
        assert await until_pong(sockets["ana"]) == []  # not the rejected one
        assert await until_pong(sockets["ben"]) == []
        assert await until_pong(sockets["guest"]) == []


async def test_moderation_events_reach_moderators_and_a_rejection_its_author(
    live_url: str, db: Database, forum: dict[str, Any]
) -> None:
    sid, ana = forum["session_id"], forum["users"]["ana"]
    async with contextlib.AsyncExitStack() as stack:
        sockets = await viewers(stack, live_url, forum)
        where = {"space_id": forum["space_id"], "session_id": sid, "thread_id": forum["thread_id"]}
        await emit(db, "flag.resolved", {"flag_id": 3, "post_id": 1}, **where)
        await emit(db, "post.rejected", {"id": 1, "author": {"id": ana.id}}, **where)
        await emit(db, "something.new", {"secret": "canary"}, **where)  # private by default
        await emit(db, "thread.locked", {"id": forum["thread_id"]}, **where)
        moderator_saw = [(await recv(sockets["moderator"]))["type"] for _ in range(4)]
        assert moderator_saw == ["flag.resolved", "post.rejected", "something.new", "thread.locked"]
        assert [f["type"] for f in await until_pong(sockets["ana"])] == [
            "post.rejected",
            "thread.locked",
        ]
        for reader in ("ben", "guest"):
            assert [f["type"] for f in await until_pong(sockets[reader])] == ["thread.locked"]


async def test_a_member_removed_while_subscribed_gets_nothing_more(
    client: httpx.AsyncClient, live_url: str, db: Database, forum: dict[str, Any]
) -> None:
    sid, tokens, cara = forum["members_session_id"], forum["tokens"], forum["users"]["cara"]

    async def dan_posts(body: str) -> int:
        response = await client.post(
            f"/api/v1/threads/{forum['members_thread_id']}/posts",
            json={"body": body},
            headers=bearer(tokens["dan"]),
        )
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    async with (
        open_socket(live_url, bearer(tokens["cara"])) as removed,
        open_socket(live_url, bearer(tokens["dan"])) as member,
    ):
        for ws in (removed, member):
            assert (await subscribe(ws, sid))["type"] == "subscribed"
        first = await dan_posts("Before the change.")
        for ws in (removed, member):
            assert (await recv(ws))["data"]["id"] == first
        async with db.write() as uow:
            await uow.session.execute(
                delete(Membership).where(
                    Membership.space_id == forum["workspace_id"], Membership.user_id == cara.id
                )
            )
            uow.emit("membership.removed", {"user_id": cara.id}, space_id=forum["workspace_id"])
        assert await recv(removed) == {
            "type": "error",
            "session_id": sid,
            "error": {"code": "not_found", "message": "No such session."},
        }
        second = await dan_posts("Canary: after the change.")
        assert (await recv(member))["data"]["id"] == second
        assert await until_pong(removed) == []
        # Coming back, or asking for a replay, finds nothing either.
        assert (await subscribe(removed, sid, after=0))["error"]["code"] == "not_found"


async def close_code(ws: Any) -> int | None:
    with contextlib.suppress(ConnectionClosed):
        while True:
            await asyncio.wait_for(ws.recv(), TIMEOUT)
    code: int | None = ws.close_code
    return code


@pytest.mark.parametrize("live_config", [{"access_ttl": 0.2}], indirect=True)
async def test_signing_out_ends_open_sockets(
    app: Starlette, client: httpx.AsyncClient, live_url: str, forum: dict[str, Any]
) -> None:
    token = forum["tokens"]["ben"]
    async with open_socket(live_url, bearer(token)) as ws:
        assert (await subscribe(ws, forum["session_id"]))["type"] == "subscribed"
        response = await client.delete("/api/v1/tokens/current", headers=bearer(token))
        assert response.status_code == 204
        assert await close_code(ws) == 4401

    browser, cookie = await login_cookie(app, forum["users"]["ana"])
    headers = {"Cookie": f"forum_session={cookie}", "Origin": BASE_URL}
    async with open_socket(live_url, headers) as ws:
        assert (await subscribe(ws, forum["session_id"]))["type"] == "subscribed"
        csrf = await csrf_from(browser, "/")
        response = await browser.post("/logout", data={"csrf_token": csrf})
        assert response.status_code in (302, 303)
        assert await close_code(ws) == 4401
    await browser.aclose()
