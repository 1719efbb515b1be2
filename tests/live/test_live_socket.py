"""The live endpoint over real sockets: delivery, replay, limits, heartbeats, shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from forum_server.db import Database
from forum_server.live import Hub
from tests.helpers import bearer
from tests.live.test_live_hub import session_event_ids
from tests.live.wsclient import (
    TIMEOUT,
    emit,
    open_socket,
    recv,
    send,
    subscribe,
    until_pong,
)


async def post(client: httpx.AsyncClient, forum: dict[str, Any], who: str, body: str) -> Any:
    response = await client.post(
        f"/api/v1/threads/{forum['thread_id']}/posts",
        json={"body": body},
        headers=bearer(forum["tokens"][who]),
    )
    assert response.status_code == 201, response.text
    return response.json()


async def close_code(ws: ClientConnection) -> int | None:
    """Read until the server closes; the code it closed with."""
    with contextlib.suppress(ConnectionClosed):
        while True:
            await asyncio.wait_for(ws.recv(), TIMEOUT)
    return ws.close_code


@pytest.mark.parametrize("ws_protocol", ["live", "asgi"], indirect=True)
async def test_a_post_reaches_fifty_subscribers_as_the_same_frame(
    live_url: str, client: httpx.AsyncClient, forum: dict[str, Any]
) -> None:
    async with contextlib.AsyncExitStack() as stack:
        sockets = [await stack.enter_async_context(open_socket(live_url)) for _ in range(50)]
        answers = await asyncio.gather(*(subscribe(ws, forum["session_id"]) for ws in sockets))
        assert {a["type"] for a in answers} == {"subscribed"}
        created = await post(client, forum, "ana", "Forty inspectors were trained.")
        received = await asyncio.gather(*(asyncio.wait_for(ws.recv(), TIMEOUT) for ws in sockets))
    assert len(set(received)) == 1
    event = json.loads(received[0])
    assert event["type"] == "post.created" and event["session_id"] == forum["session_id"]
    assert event["data"]["id"] == created["id"] and event["data"]["html"] == created["html"]
    assert event["thread_id"] == forum["thread_id"]
    assert {"id", "thread_id", "parent_id", "author", "html", "status", "created_at"} <= set(
        event["data"]
    )


@pytest.mark.parametrize("ws_protocol", ["live", "asgi"], indirect=True)
async def test_resuming_with_after_replays_exactly_once_in_order_while_posts_flow(
    live_url: str, db: Database, forum: dict[str, Any]
) -> None:
    where = {
        "space_id": forum["space_id"],
        "session_id": forum["session_id"],
        "thread_id": forum["thread_id"],
    }
    for n in range(20):
        await emit(db, "post.created", {"n": n, "status": "published"}, **where)
    after = (await session_event_ids(db, forum["session_id"]))[-13]

    async def keep_posting() -> None:
        for n in range(20, 60):
            await emit(db, "post.created", {"n": n, "status": "published"}, **where)
            await asyncio.sleep(0)

    writer = asyncio.create_task(keep_posting())
    async with open_socket(live_url) as ws:
        await send(ws, type="subscribe", session_id=forum["session_id"], after=after)
        await writer
        expected = await session_event_ids(db, forum["session_id"], after)
        frames = []
        while not frames or frames[-1].get("id") != expected[-1]:
            frames.append(await recv(ws))
    assert frames[0]["type"] == "subscribed"
    assert [f["id"] for f in frames[1:]] == expected
    assert len(expected) >= 12 + 40  # (the scheduler may announce the opening too)


@pytest.mark.parametrize(
    ("ws_protocol", "direct"), [("live", True), ("asgi", False)], indirect=["ws_protocol"]
)
async def test_frames_skip_the_send_task_where_the_server_offers_it(
    live_url: str, hub: Hub, forum: dict[str, Any], direct: bool
) -> None:
    async with open_socket(live_url) as ws:
        await subscribe(ws, forum["session_id"])
        [connection] = hub.connections
        assert (connection.write_now is not None) is direct


@pytest.mark.parametrize("live_config", [{"heartbeat_interval": 0.2}], indirect=True)
async def test_heartbeats_carry_the_position(live_url: str, hub: Hub) -> None:
    async with open_socket(live_url) as ws:
        beat = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
    assert beat == {"type": "heartbeat", "last_event_id": hub.position}


async def test_ping_unsubscribe_and_double_subscribe(
    live_url: str, client: httpx.AsyncClient, forum: dict[str, Any]
) -> None:
    sid = forum["session_id"]
    async with open_socket(live_url) as ws, open_socket(live_url) as witness:
        await send(ws, type="ping")
        assert (await recv(ws))["type"] == "pong"
        assert (await subscribe(ws, sid))["type"] == "subscribed"
        assert (await subscribe(witness, sid))["type"] == "subscribed"
        again = await subscribe(ws, sid)
        assert again["type"] == "error" and again["error"]["code"] == "already_subscribed"
        await send(ws, type="unsubscribe", session_id=sid)
        assert await recv(ws) == {"type": "unsubscribed", "session_id": sid}
        created = await post(client, forum, "ana", "Nobody is listening here.")
        # Once the witness has it, the hub has dispatched it to every subscriber.
        assert (await recv(witness))["data"]["id"] == created["id"]
        await emit_nothing_else(ws)


async def emit_nothing_else(ws: ClientConnection) -> None:
    assert await until_pong(ws) == []


@pytest.mark.parametrize("live_config", [{"max_subscriptions": 2}], indirect=True)
async def test_subscriptions_per_connection_are_limited(
    live_url: str, forum: dict[str, Any], make_space: Any, make_session: Any
) -> None:
    other = await make_session(await make_space())
    async with open_socket(live_url) as ws:
        assert (await subscribe(ws, forum["session_id"]))["type"] == "subscribed"
        missing = await subscribe(ws, 999_998)  # refused: does not count
        assert missing["error"]["code"] == "not_found"
        assert (await subscribe(ws, other))["type"] == "subscribed"
        refused = await subscribe(ws, 999_999)
        assert refused["error"]["code"] == "too_many_subscriptions"


async def test_shutdown_tells_clients_to_reconnect(
    live_url: str, hub: Hub, forum: dict[str, Any]
) -> None:
    async with open_socket(live_url) as ws:
        await subscribe(ws, forum["session_id"])
        await hub.stop()
        assert await close_code(ws) == 1012
    assert hub.connections == frozenset()


async def test_malformed_and_oversized_frames(
    live_url: str, client: httpx.AsyncClient, forum: dict[str, Any]
) -> None:
    async with open_socket(live_url) as bystander, open_socket(live_url) as ws:
        await subscribe(bystander, forum["session_id"])
        for text, code in [
            ("{not json", "bad_frame"),
            ("[1]", "bad_frame"),
            ("[" * 2000 + "]" * 2000, "bad_frame"),
            ('{"type":"dance"}', "unknown_type"),
            ('{"type":"subscribe"}', "invalid"),
            ('{"type":"subscribe","session_id":1,"after":-1}', "invalid"),
        ]:
            await ws.send(text)
            assert (await recv(ws))["error"]["code"] == code
        await ws.send(b"\x00\x01")
        assert (await recv(ws))["error"]["code"] == "bad_frame"
        await ws.send(json.dumps({"type": "ping", "pad": "x" * 5000}))
        assert (await recv(ws))["error"]["code"] == "too_large"
        assert await close_code(ws) == 1009
        # The others are unaffected.
        await post(client, forum, "ana", "Still here.")
        assert (await recv(bystander))["type"] == "post.created"

    async with open_socket(live_url) as ws:
        await ws.send("x" * 70_000)  # beyond the server's 64 KiB message limit
        assert await close_code(ws) == 1009


async def test_a_flood_of_frames_is_refused_then_closed(live_url: str) -> None:
    async with open_socket(live_url) as ws:
        for _ in range(150):
            await send(ws, type="ping")
        answers = []
        with contextlib.suppress(ConnectionClosed):
            while True:
                answers.append(json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT)))
        assert ws.close_code == 1008
    kinds = [a["type"] if a["type"] != "error" else a["error"]["code"] for a in answers]
    assert kinds.count("pong") >= 40 and "rate_limited" in kinds


@pytest.mark.parametrize("ws_protocol", ["live", "asgi"], indirect=True)
@pytest.mark.parametrize("live_config", [{"queue_size": 16}], indirect=True)
async def test_a_client_that_stops_reading_is_dropped_and_others_go_on(
    live_url: str, db: Database, hub: Hub, client: httpx.AsyncClient, forum: dict[str, Any]
) -> None:
    where = {
        "space_id": forum["space_id"],
        "session_id": forum["session_id"],
        "thread_id": forum["thread_id"],
    }
    # A small receive buffer, a client that buffers one message, and no compression
    # (the padding would shrink to nothing): the server notices it is not reading
    # after a few hundred KB rather than many MB.
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.setblocking(False)
    host, port = live_url.removeprefix("ws://").split("/")[0].split(":")
    await asyncio.get_running_loop().sock_connect(raw, (host, int(port)))
    async with (
        connect(live_url, sock=raw, max_queue=1, compression=None, open_timeout=TIMEOUT) as slow,
        open_socket(live_url) as fast,
    ):
        await subscribe(slow, forum["session_id"])
        await subscribe(fast, forum["session_id"])
        big = "x" * 40_000
        ids = []
        # In step with the fast reader: once it has an event, the hub has offered that
        # event to every subscriber, so only the slow one falls behind.
        for n in range(400):
            await emit(db, "post.created", {"n": n, "status": "published", "html": big}, **where)
            ids.append((await recv(fast))["id"])
            if len(hub.connections) == 1:
                break
        assert len(hub.connections) == 1
        last = await post(client, forum, "ben", "After the slow one left.")
        assert (await recv(fast))["data"]["id"] == last["id"]
        assert ids == sorted(set(ids))
        # Once it reads again, it learns why it was dropped.
        assert await close_code(slow) == 4008


async def test_error_frames_speak_the_readers_language(
    live_url: str, forum: dict[str, Any]
) -> None:
    async with (
        open_socket(live_url, {"Accept-Language": "fr"}) as french,
        open_socket(live_url, {"Accept-Language": "ar", "Cookie": "forum_lang=ar"}) as arabic,
    ):
        await french.send('{"type":"dance"}')
        assert (await recv(french))["error"] == {
            "code": "unknown_type",
            "message": "Type de trame inconnu\u00a0; utilisez subscribe, unsubscribe ou ping.",
        }
        assert (await subscribe(french, 999_999))["error"] == {
            "code": "not_found",
            "message": "Session introuvable.",
        }
        await arabic.send('{"type":"subscribe","session_id":0}')
        assert (await recv(arabic))["error"] == {
            "code": "invalid",
            "message": "يجب أن تكون قيمة session_id عددًا صحيحًا موجبًا.",
            "field": "session_id",
        }


def direct_writer(hub: Hub) -> list[Any]:
    """The protocols behind the hub's connections (their `write_now` is theirs)."""
    return [connection.write_now.__self__ for connection in hub.connections]  # type: ignore[union-attr]


async def test_a_frame_written_straight_out_leaves_by_the_end_of_the_step(
    live_url: str, hub: Hub, forum: dict[str, Any]
) -> None:
    # Nothing else happens on the socket (no heartbeat, no ping for 20 s, no client
    # frame): the frame goes out without waiting for other traffic.
    async with open_socket(live_url) as ws:
        await subscribe(ws, forum["session_id"])
        [protocol] = direct_writer(hub)
        assert protocol.write_text_now('{"type": "one"}')
        assert protocol.write_text_now('{"type": "two"}')
        assert json.loads(await asyncio.wait_for(ws.recv(), 1.0)) == {"type": "one"}
        assert json.loads(await asyncio.wait_for(ws.recv(), 1.0)) == {"type": "two"}
        await asyncio.sleep(0.2)  # a later step, nothing buffered any more
        assert protocol.write_text_now('{"type": "three"}')
        assert json.loads(await asyncio.wait_for(ws.recv(), 1.0)) == {"type": "three"}


async def test_a_socket_that_fails_to_write_keeps_no_other_frame_back(
    live_url: str, hub: Hub, forum: dict[str, Any]
) -> None:
    async with open_socket(live_url) as broken, open_socket(live_url) as healthy:
        await subscribe(broken, forum["session_id"])
        await subscribe(healthy, forum["session_id"])
        protocols = {p.client[1]: p for p in direct_writer(hub)}
        failing = protocols[broken.local_address[1]]
        working = protocols[healthy.local_address[1]]

        def fail(data: bytes) -> None:
            raise OSError("the socket failed")

        failing.raw.write = fail
        # In one step: both wait for the step's end, the failing one first.
        assert failing.write_text_now('{"type": "lost"}')
        assert working.write_text_now('{"type": "first"}')
        assert json.loads(await asyncio.wait_for(healthy.recv(), 1.0)) == {"type": "first"}
        assert working.write_text_now('{"type": "second"}')
        assert json.loads(await asyncio.wait_for(healthy.recv(), 1.0)) == {"type": "second"}
