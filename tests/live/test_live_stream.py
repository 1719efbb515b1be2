"""GET /api/v1/live/events: live delivery as Server-Sent Events, against a real
uvicorn. The same hub, replay and visibility as the WebSocket: a post arrives,
`Last-Event-ID` resumes once and in order, a members' session shows nothing to
others (nor to a member removed while following), and a sign-out ends the stream."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from forum_server.live.stream import sse_message
from tests.conftest import MakeUser
from tests.helpers import BASE_URL, bearer, csrf_from, token_for
from tests.live.test_live_access import login_cookie

TIMEOUT = 5.0
CANARY = "Canary of the workspace: never outside it."


@dataclass
class Message:
    event: str
    data: dict[str, Any]
    id: str | None = None


class Stream:
    """An SSE reader over an httpx streaming response."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.lines = response.aiter_lines()
        self.comments = 0

    async def next(self) -> Message:
        """The next message (comments counted, the `retry:` line skipped)."""
        fields: dict[str, str] = {}
        while True:
            line = await asyncio.wait_for(anext(self.lines), TIMEOUT)
            if line == "":
                if "data" in fields:
                    event = fields.get("event", "message")
                    return Message(event, json.loads(fields["data"]), fields.get("id"))
                continue
            if line.startswith(":"):
                self.comments += 1
                continue
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")

    async def posts_until(self, post_id: int) -> list[Message]:
        """The post events up to the creation of this post (included)."""
        found: list[Message] = []
        while not found or found[-1].data["data"]["id"] != post_id:
            message = await self.next()
            assert message.event == "message" and "id" in message.data, message
            assert message.id == str(message.data["id"])  # the SSE id is the event's
            if message.data["type"].startswith("post."):
                found.append(message)
        return found

    async def rest(self) -> list[Message]:
        """Every message until the server ends the stream."""
        found: list[Message] = []
        with_end = True
        while with_end:
            try:
                found.append(await self.next())
            except StopAsyncIteration:
                with_end = False
        return found


@pytest.fixture
async def base(live_url: str) -> str:
    return live_url.replace("ws://", "http://").removesuffix("/api/v1/live")


@asynccontextmanager
async def open_stream(
    base: str, session_id: int, headers: dict[str, str] | None = None, **query: Any
) -> AsyncIterator[Stream]:
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT) as http:
        params = {"session_id": session_id, **query}
        async with http.stream(
            "GET", "/api/v1/live/events", params=params, headers=headers or {}
        ) as response:
            assert response.status_code == 200, await response.aread()
            assert response.headers["content-type"].startswith("text/event-stream")
            yield Stream(response)


async def post(client: httpx.AsyncClient, thread_id: int, token: str, body: str) -> int:
    response = await client.post(
        f"/api/v1/threads/{thread_id}/posts", json={"body": body}, headers=bearer(token)
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_frames_become_sse_messages() -> None:
    event = '{"id":42,"type":"post.created","session_id":1,"thread_id":2,"data":{}}'
    assert sse_message(event) == f"id: 42\ndata: {event}\n\n".encode()
    assert sse_message('{"type":"heartbeat","last_event_id":3}') == b": heartbeat\n\n"
    error = '{"type":"error","error":{"code":"not_found","message":"No such session."}}'
    assert sse_message(error).startswith(b"event: refused\ndata: ")


async def test_a_post_arrives_and_a_resume_misses_nothing_and_repeats_nothing(
    client: httpx.AsyncClient, base: str, forum: dict[str, Any]
) -> None:
    sid, thread, ana = forum["session_id"], forum["thread_id"], forum["tokens"]["ana"]
    ben = bearer(forum["tokens"]["ben"])
    async with open_stream(base, sid, ben) as stream:
        assert (await stream.next()).data["type"] == "subscribed"
        first = await post(client, thread, ana, "First, live.")
        (message,) = await stream.posts_until(first)
        assert message.data["type"] == "post.created"
    # Away while two more are posted; back with the last id seen.
    missed = [await post(client, thread, ana, f"Missed {n}.") for n in (1, 2)]
    resume = {**ben, "Last-Event-ID": str(message.id)}
    async with open_stream(base, sid, resume, after=0) as stream:  # the header wins
        assert (await stream.next()).data["type"] == "subscribed"
        replayed = await stream.posts_until(missed[-1])
        assert [int(m.data["data"]["id"]) for m in replayed] == missed
        live = await post(client, thread, ana, "Live again.")
        (message,) = await stream.posts_until(live)
        assert message.data["data"]["id"] == live


@pytest.mark.parametrize("live_config", [{"heartbeat_interval": 0.2}], indirect=True)
async def test_heartbeats_are_comments(base: str, forum: dict[str, Any]) -> None:
    async with open_stream(base, forum["session_id"]) as stream:  # a guest
        assert (await stream.next()).data["type"] == "subscribed"
        beats = 0
        while beats < 2:
            line = await asyncio.wait_for(anext(stream.lines), TIMEOUT)
            beats += line == ": heartbeat"


async def test_a_members_session_shows_nothing_to_others(
    client: httpx.AsyncClient, base: str, forum: dict[str, Any], make_user: MakeUser
) -> None:
    sid, tokens = forum["members_session_id"], forum["tokens"]
    for outsider in ({}, bearer(tokens["ana"])):  # a guest, someone signed in
        async with open_stream(base, sid, outsider, after=0) as stream:
            messages = await stream.rest()
        assert [m.event for m in messages] == ["refused", "close"]
        assert messages[0].data["error"]["code"] == "not_found"
        assert messages[1].data["code"] == 4404

    secretariat = bearer(await token_for(client, await make_user(is_secretariat=True)))
    cara = forum["users"]["cara"]
    async with (
        open_stream(base, sid, bearer(tokens["cara"])) as removed,
        open_stream(base, sid, bearer(tokens["dan"])) as member,
    ):
        for stream in (removed, member):
            assert (await stream.next()).data["type"] == "subscribed"
        gone = await client.delete(
            f"/api/v1/spaces/{forum['workspace']}/members/{cara.id}", headers=secretariat
        )
        assert gone.status_code in (200, 204), gone.text
        canary = await post(client, forum["members_thread_id"], tokens["dan"], CANARY)
        (seen,) = await member.posts_until(canary)
        assert CANARY in json.dumps(seen.data)
        after_removal = await removed.rest()
    assert CANARY not in json.dumps([m.data for m in after_removal])
    assert [m.event for m in after_removal][-2:] == ["refused", "close"]


async def test_signing_out_ends_the_stream(
    app: Starlette, base: str, forum: dict[str, Any]
) -> None:
    browser, cookie = await login_cookie(app, forum["users"]["ana"])
    jar = {"Cookie": f"forum_session={cookie}"}
    async with open_stream(base, forum["session_id"], jar) as stream:
        assert (await stream.next()).data["type"] == "subscribed"
        csrf = await csrf_from(browser, "/")
        assert (await browser.post("/logout", data={"csrf_token": csrf})).status_code == 303
        (ending,) = await stream.rest()
    assert ending.event == "close" and ending.data["code"] == 4401
    await browser.aclose()


async def test_a_foreign_origin_and_bad_input_are_refused(
    client: httpx.AsyncClient, forum: dict[str, Any]
) -> None:
    path = "/api/v1/live/events"
    foreign = await client.get(
        path, params={"session_id": forum["session_id"]}, headers={"Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403 and foreign.json()["error"]["code"] == "forbidden_origin"
    for params, field in (({}, "session_id"), ({"session_id": "x"}, "session_id")):
        refused = await client.get(path, params=params)
        assert refused.status_code == 422 and refused.json()["error"]["field"] == field
    bad_cursor = await client.get(
        path, params={"session_id": 1}, headers={"Last-Event-ID": "-1", "Origin": BASE_URL}
    )
    assert bad_cursor.json()["error"]["field"] == "Last-Event-ID"
