"""Replayed and live post events carry a post as it is now: a subscriber never receives
text that the same reader could not read on the thread page at that moment."""

from __future__ import annotations

import contextlib
import re
from typing import Any

import httpx
from starlette.applications import Starlette

from forum_server.db import Database
from forum_server.rooms.models import ModerationSettings
from tests.helpers import bearer, client_for
from tests.live.wsclient import open_socket, recv, subscribe, until_pong

WORDS = {
    "edited_away": "original words edited away",
    "edited_in": "corrected words",
    "hidden": "rude words hidden later",
    "rejected": "held words then rejected",
    "approved": "held words then approved",
    "waiting": "held words still waiting",
}


async def _post(client: httpx.AsyncClient, token: str, thread_id: int, body: str) -> int:
    response = await client.post(
        f"/api/v1/threads/{thread_id}/posts", json={"body": body}, headers=bearer(token)
    )
    assert response.status_code in (201, 202), response.text  # 202: held for review
    return int(response.json()["id"])


async def _act(client: httpx.AsyncClient, token: str, path: str, **body: Any) -> None:
    response = await client.post(f"/api/v1/posts/{path}", json=body, headers=bearer(token))
    assert response.status_code == 200, response.text


async def _history(client: httpx.AsyncClient, db: Database, forum: dict[str, Any]) -> None:
    """Ana edits one post; the moderator hides another, rejects one held post and
    approves a second; a third waits for review."""
    tokens, thread_id = forum["tokens"], forum["thread_id"]
    edited = await _post(client, tokens["ana"], thread_id, WORDS["edited_away"])
    response = await client.patch(
        f"/api/v1/posts/{edited}", json={"body": WORDS["edited_in"]}, headers=bearer(tokens["ana"])
    )
    assert response.status_code == 200, response.text
    hidden = await _post(client, tokens["ana"], thread_id, WORDS["hidden"])
    await _act(client, tokens["moderator"], f"{hidden}/hide", reason="Off topic")
    async with db.write() as uow:  # from now on Ana's posts wait for review
        uow.session.add(
            ModerationSettings(
                space_id=forum["space_id"], hold_first_posts=100, hold_guest_posts=True
            )
        )
    rejected = await _post(client, tokens["ana"], thread_id, WORDS["rejected"])
    await _act(client, tokens["moderator"], f"{rejected}/reject", reason="No")
    approved = await _post(client, tokens["ana"], thread_id, WORDS["approved"])
    await _act(client, tokens["moderator"], f"{approved}/approve")
    await _post(client, tokens["ana"], thread_id, WORDS["waiting"])


def _texts(text: str) -> set[str]:
    return {name for name, words in WORDS.items() if words in text}


async def _page_shows(app: Starlette, token: str | None, thread_id: int) -> dict[int, str]:
    """Post id → html, as the viewer's thread (its API twin) shows it."""
    async with client_for(app) as reader:
        headers = bearer(token) if token else {}
        response = await reader.get(f"/api/v1/threads/{thread_id}/posts", headers=headers)
    assert response.status_code == 200
    return {post["id"]: post["html"] for post in response.json()["items"]}


async def test_a_replay_from_the_start_shows_each_reader_what_their_thread_page_shows(
    app: Starlette,
    client: httpx.AsyncClient,
    live_url: str,
    db: Database,
    forum: dict[str, Any],
) -> None:
    await _history(client, db, forum)
    tokens = forum["tokens"]
    expected = {
        "guest": {"edited_in", "approved"},
        "ben": {"edited_in", "approved"},
        "ana": {"edited_in", "approved", "waiting"},
        "moderator": {"edited_in", "approved", "waiting", "rejected"},
    }
    for viewer, seen in expected.items():
        token = tokens.get(viewer)
        page = await _page_shows(app, token, forum["thread_id"])
        async with open_socket(live_url, bearer(token) if token else {}) as ws:
            assert (await subscribe(ws, forum["session_id"], after=0))["type"] == "subscribed"
            frames = [f for f in await until_pong(ws) if f["type"].startswith("post.")]
        received = "\n".join(str(f["data"]) for f in frames)
        assert _texts(received) == seen, viewer
        # Every text a frame carries is the one this viewer's page shows for that post
        # (a moderator's page also shows the hidden text; frames carry its placeholder).
        for frame in frames:
            if "html" in frame["data"]:
                if viewer != "moderator":
                    assert frame["data"]["html"] == page[frame["data"]["id"]], (viewer, frame)
                assert frame["data"]["id"] in page
        # The hidden post reaches everyone as its placeholder only.
        assert re.search(r"hidden by a moderator", received), viewer


async def test_live_delivery_sends_a_post_as_it_is_when_it_goes_out(
    client: httpx.AsyncClient, live_url: str, hub: Any, db: Database, forum: dict[str, Any]
) -> None:
    """A post hidden before the hub dispatched its creation never goes out as written."""
    tokens = forum["tokens"]
    async with contextlib.AsyncExitStack() as stack:
        guest = await stack.enter_async_context(open_socket(live_url))
        assert (await subscribe(guest, forum["session_id"]))["type"] == "subscribed"
        async with hub._feed.lock:  # hold dispatch back until both have been committed
            hidden = await _post(client, tokens["ana"], forum["thread_id"], WORDS["hidden"])
            await _act(client, tokens["moderator"], f"{hidden}/hide", reason="Off topic")
        created, hid = await recv(guest), await recv(guest)
        assert [created["type"], hid["type"]] == ["post.created", "post.hidden"]
        for frame in (created, hid):
            assert frame["data"]["status"] == "hidden"
            assert WORDS["hidden"] not in str(frame)
