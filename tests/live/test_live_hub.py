"""The hub without sockets: connections are plain Connection objects whose queues we read."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, func, select

from forum_server.db import Database
from forum_server.events import Event, EventRecord
from forum_server.live import Hub
from forum_server.live.connection import Connection
from forum_server.live.retention import event_id_range, prune_events, run_pruning
from forum_server.orm import utcnow
from forum_server.policy import Actor
from forum_server.rooms.models import Membership
from tests.live.wsclient import emit


def actor_of_user(user: Any) -> Actor:
    return Actor(user_id=user.id, display_name=user.display_name)


Attach = Callable[..., Connection]


@pytest.fixture
def attached(hub: Hub) -> Iterator[Attach]:
    """Connections attached to the hub, as an endpoint would; detached afterwards."""
    connections: list[Connection] = []

    def attach(actor: Actor | None = None) -> Connection:
        connection = Connection(actor or Actor(), config=hub.config)
        hub.attach(connection)
        connections.append(connection)
        return connection

    yield attach
    for connection in connections:
        hub.detach(connection)


async def sent(connection: Connection) -> list[str]:
    """Everything queued on the connection so far, sent by its own pump."""
    out: list[str] = []

    async def send(frame: str) -> None:
        out.append(frame)

    pump = asyncio.create_task(connection.pump(send))
    await asyncio.sleep(0)  # one step: `send` never waits, so the pump empties the queue
    assert connection.free_slots == connection.config.queue_size
    pump.cancel()
    return out


async def frames(connection: Connection) -> list[dict[str, Any]]:
    return [json.loads(frame) for frame in await sent(connection)]


async def post_events(db: Database, forum: dict[str, Any], count: int, **data: Any) -> None:
    for n in range(count):
        await emit(
            db,
            "post.created",
            {"id": n, "status": "published", "html": f"<p>{n}</p>", **data},
            space_id=forum["space_id"],
            session_id=forum["session_id"],
            thread_id=forum["thread_id"],
        )


async def session_event_ids(db: Database, session_id: int, after: int = 0) -> list[int]:
    async with db.read() as session:
        rows = await session.scalars(
            select(EventRecord.id)
            .where(EventRecord.session_id == session_id, EventRecord.id > after)
            .order_by(EventRecord.id)
        )
        return list(rows)


async def test_each_event_is_serialized_once_for_all_subscribers(
    attached: Attach, hub: Hub, db: Database, forum: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    serialized: list[int] = []
    original = Event.frame.fget
    assert original is not None

    def counting(event: Event) -> str:
        serialized.append(event.id)
        return original(event)

    monkeypatch.setattr(Event, "frame", property(counting))
    first, second = attached(), attached()
    for connection in (first, second):
        await hub.subscribe(connection, forum["session_id"], None)
        assert (await frames(connection))[0]["type"] == "subscribed"
    await post_events(db, forum, 1)
    await hub.catch_up()
    [sent_first], [sent_second] = await sent(first), await sent(second)
    assert sent_first is sent_second  # the very same string object
    assert len(serialized) == 1
    # A replay of a recent event reuses it too.
    late = attached()
    await hub.subscribe(late, forum["session_id"], hub.position - 1)
    replayed = await frames(late)
    assert replayed[1]["id"] == hub.position
    assert len(serialized) == 1


async def test_replay_and_live_dispatch_meet_exactly_once(
    attached: Attach, hub: Hub, db: Database, forum: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Events committed and dispatched while a subscription's replay is being read
    are neither lost nor sent twice."""
    await post_events(db, forum, 5)
    await hub.catch_up()
    after = (await session_event_ids(db, forum["session_id"]))[-5 + 1]  # skip the first 2
    read_session = hub._read_session
    calls = 0

    async def interleaving(*args: Any) -> Any:
        nonlocal calls
        calls += 1
        result = await read_session(*args)
        if calls == 1:  # between the unlocked replay read and the locked one
            await post_events(db, forum, 3)
            await hub.catch_up()
        return result

    monkeypatch.setattr(hub, "_read_session", interleaving)
    connection = attached()
    await hub.subscribe(connection, forum["session_id"], after)
    await post_events(db, forum, 2)
    await hub.catch_up()
    got = await frames(connection)
    assert got[0]["type"] == "subscribed" and calls == 2
    assert [f["id"] for f in got[1:]] == await session_event_ids(db, forum["session_id"], after)
    assert len(got) == 1 + 3 + 3 + 2


async def test_a_subscription_without_after_starts_at_the_position(
    attached: Attach, hub: Hub, db: Database, forum: dict[str, Any]
) -> None:
    await post_events(db, forum, 2)
    await hub.catch_up()
    connection = attached()
    await hub.subscribe(connection, forum["session_id"], None)
    assert await frames(connection) == [
        {"type": "subscribed", "session_id": forum["session_id"], "last_event_id": hub.position}
    ]


@pytest.mark.parametrize("live_config", [{"replay_limit": 3}], indirect=True)
async def test_too_much_to_replay_asks_for_a_resync_and_follows_on(
    attached: Attach, hub: Hub, db: Database, forum: dict[str, Any]
) -> None:
    await post_events(db, forum, 4)
    await hub.catch_up()
    connection = attached()
    await hub.subscribe(connection, forum["session_id"], 0)
    position = hub.position
    assert await frames(connection) == [
        {"type": "resync_required", "session_id": forum["session_id"]},
        {"type": "subscribed", "session_id": forum["session_id"], "last_event_id": position},
    ]
    await post_events(db, forum, 1)
    await hub.catch_up()
    assert [f["id"] for f in await frames(connection)] == [position + 1]


async def test_pruned_history_asks_for_a_resync(
    attached: Attach, hub: Hub, db: Database, forum: dict[str, Any]
) -> None:
    await post_events(db, forum, 6)
    await hub.catch_up()
    ids = await session_event_ids(db, forum["session_id"])
    async with db.write() as uow:  # everything but the last two posts is a month old
        old = utcnow().replace(year=2000)
        for record in await uow.session.scalars(select(EventRecord)):
            if record.id < ids[-2]:
                record.created_at = old
    assert await prune_events(db, keep_days=7) > 0
    stale, fresh = attached(), attached()
    await hub.subscribe(stale, forum["session_id"], ids[-4])
    assert [f["type"] for f in await frames(stale)] == ["resync_required", "subscribed"]
    await hub.subscribe(fresh, forum["session_id"], ids[-3])  # event ids[-2] is the oldest kept
    assert [f.get("id") for f in await frames(fresh)] == [None, ids[-2], ids[-1]]


async def test_a_page_of_a_session_whose_events_were_pruned_resumes_without_a_resync(
    attached: Attach,
    hub: Hub,
    db: Database,
    client: httpx.AsyncClient,
    forum: dict[str, Any],
) -> None:
    await post_events(db, forum, 3)
    async with db.write() as uow:  # the session's events are old; another session's is new
        for record in await uow.session.scalars(select(EventRecord)):
            record.created_at = utcnow().replace(year=2000)
        uow.emit("question.added", {}, session_id=forum["members_session_id"])
    assert await prune_events(db, keep_days=7) > 0
    assert await session_event_ids(db, forum["session_id"]) == []
    await hub.catch_up()
    for path in (f"/sessions/{forum['session_id']}", f"/threads/{forum['thread_id']}"):
        page = await client.get(path)
        after = int(re.search(r'data-live-after="(\d+)"', page.text)[1])  # type: ignore[index]
        assert after == hub.position == (await event_id_range(db))[1]  # the log's position
    viewer = attached()
    await hub.subscribe(viewer, forum["session_id"], after)
    assert [f["type"] for f in await frames(viewer)] == ["subscribed"]


async def test_prune_events_keeps_recent_ones_and_always_the_newest(
    db: Database, forum: dict[str, Any]
) -> None:
    async with db.write() as uow:
        await uow.session.execute(delete(EventRecord))
    await post_events(db, forum, 4)
    assert await prune_events(db, keep_days=1) == 0
    later = utcnow().replace(year=utcnow().year + 1)
    assert await prune_events(db, keep_days=1, now=later) == 3  # not the newest
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(EventRecord)) == 1
    with pytest.raises(ValueError):
        await prune_events(db, keep_days=-1)


async def test_the_event_log_is_pruned_in_the_background_until_stopped(
    db: Database, forum: dict[str, Any]
) -> None:
    await post_events(db, forum, 3)
    async with db.write() as uow:
        for record in await uow.session.scalars(select(EventRecord)):
            record.created_at = utcnow().replace(year=2000)

    async def stored() -> int:
        async with db.read() as session:
            return int(await session.scalar(select(func.count()).select_from(EventRecord)) or 0)

    stop = asyncio.Event()
    pruning = asyncio.create_task(run_pruning(db, stop, keep_days=7, interval=0.05))
    for _ in range(100):
        if await stored() == 1:  # all but the newest
            break
        await asyncio.sleep(0.05)
    assert await stored() == 1
    stop.set()
    await asyncio.wait_for(pruning, 1)


@pytest.mark.parametrize("live_config", [{"gap_timeout": 0.3}], indirect=True)
async def test_a_missing_id_holds_later_events_back_until_it_commits_or_times_out(
    attached: Attach, hub: Hub, db: Database, forum: dict[str, Any]
) -> None:
    """On PostgreSQL a higher id can commit before a lower one: the hub waits for the
    lower one (briefly), rather than skipping it for good."""
    connection = attached()
    await hub.subscribe(connection, forum["session_id"], None)
    await frames(connection)
    start = hub.position

    async def insert(event_id: int) -> None:
        async with db.write() as uow:
            uow.session.add(
                EventRecord(
                    id=event_id,
                    type="post.created",
                    session_id=forum["session_id"],
                    space_id=forum["space_id"],
                    data='{"status":"published"}',
                    created_at=utcnow(),
                )
            )

    await insert(start + 2)
    await hub.catch_up()
    assert await frames(connection) == [] and hub.position == start
    await insert(start + 1)  # the slower transaction commits
    await hub.catch_up()
    assert [f["id"] for f in await frames(connection)] == [start + 1, start + 2]
    await insert(start + 4)  # start + 3 was burned by a rollback and never comes
    await hub.catch_up()
    assert await frames(connection) == []
    await asyncio.sleep(0.35)
    await hub.catch_up()
    assert [f["id"] for f in await frames(connection)] == [start + 4]


async def test_a_membership_event_refreshes_access_before_later_events(
    attached: Attach, hub: Hub, db: Database, forum: dict[str, Any]
) -> None:
    cara, dan = forum["users"]["cara"], forum["users"]["dan"]
    sid = forum["members_session_id"]
    removed, kept = attached(actor_of_user(cara)), attached(actor_of_user(dan))
    for connection in (removed, kept):
        await hub.subscribe(connection, sid, None)
        assert (await frames(connection))[0]["type"] == "subscribed"
    where = {"space_id": forum["workspace_id"], "session_id": sid}
    async with db.write() as uow:
        await uow.session.execute(
            delete(Membership).where(
                Membership.space_id == forum["workspace_id"], Membership.user_id == cara.id
            )
        )
        uow.emit("membership.removed", {"user_id": cara.id}, space_id=forum["workspace_id"])
        # In the same batch, right after: must not reach her.
        uow.emit("question.added", {"text": "secret"}, **where)
    await hub.catch_up()
    assert await frames(removed) == [
        {
            "type": "error",
            "session_id": sid,
            "error": {"code": "not_found", "message": "No such session."},
        }
    ]
    assert [f["type"] for f in await frames(kept)] == ["question.added"]
    assert removed.subscriptions == {}
    # The backstop refresh has nothing of hers left to bring back.
    await hub.refresh(removed)
    await emit(db, "question.added", {"text": "more"}, **where)
    await hub.catch_up()
    assert await frames(removed) == []
