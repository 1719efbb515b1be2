"""The broker: memory always; Redis when FORUM_TEST_REDIS_URL is set.

A Redis URL that is set but does not answer fails the run instead of skipping it.
Each Redis test uses its own channel prefix, so parallel runs never collide.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from forum_server.broker import MemoryBroker, Notice, create_broker, publish_events
from forum_server.broker import redis as redis_broker
from forum_server.broker.redis import RedisBroker
from forum_server.events import Event


async def next_notice(listener: AsyncIterator[Notice]) -> Notice:
    return await asyncio.wait_for(anext(listener), 5)


def event(id: int, session_id: int | None) -> Event:
    return Event(id, "post_created", 1, session_id, None, {}, datetime.now(UTC))


# --- Notice and create_broker ---------------------------------------------------------


@pytest.mark.parametrize(
    "notice", [Notice(7), Notice(42, (3, 9)), Notice(0, (), resync=True), Notice(2**40, (1,))]
)
def test_notice_round_trip(notice: Notice) -> None:
    encoded = notice.encode()
    assert " " not in encoded
    assert Notice.decode(encoded) == notice
    assert Notice.decode(encoded.encode()) == notice


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "not json",
        b"\xff\xfe",
        "[1, 2]",
        "[" * 100_000 + "]" * 100_000,
        "{}",
        '{"last_event_id": "7"}',
        '{"last_event_id": true}',
        '{"last_event_id": -1}',
        '{"last_event_id": 7, "session_ids": [1, "2"]}',
        '{"last_event_id": 7, "session_ids": 3}',
        '{"last_event_id": 7, "resync": "yes"}',
    ],
)
def test_notice_decode_rejects_garbage(raw: str | bytes) -> None:
    with pytest.raises(ValueError, match="not a notice"):
        Notice.decode(raw)


def test_create_broker_by_scheme() -> None:
    assert isinstance(create_broker("memory://"), MemoryBroker)
    broker = create_broker("redis://127.0.0.1:6379/0", channel_prefix="x")
    assert isinstance(broker, RedisBroker)
    assert broker.channel == "x:events"
    assert isinstance(create_broker("rediss://example.org:6380"), RedisBroker)


def test_create_broker_rejects_unknown_scheme() -> None:
    with pytest.raises(ValueError, match=r"'kafka'.*memory://, redis://, rediss://") as info:
        create_broker("kafka://user:secret@host")
    assert "secret" not in str(info.value)


# --- memory ---------------------------------------------------------------------------


async def test_memory_publish_reaches_every_listener_in_order() -> None:
    async with MemoryBroker() as broker:
        first, second = broker.listen(), broker.listen()
        notices = [Notice(1, (1,)), Notice(2), Notice(3, (1, 2))]
        for notice in notices:
            await broker.publish(notice)
        for listener in (first, second):
            assert [await next_notice(listener) for _ in notices] == notices


async def test_memory_listener_gets_only_later_notices() -> None:
    async with MemoryBroker() as broker:
        await broker.publish(Notice(1))
        listener = broker.listen()
        await broker.publish(Notice(2))
        assert await next_notice(listener) == Notice(2)


async def test_memory_slow_listener_stays_bounded_and_keeps_the_newest() -> None:
    broker = MemoryBroker(queue_size=4)
    await broker.connect()
    listener = broker.listen()
    for n in range(1, 11):
        await broker.publish(Notice(n, (n,)))
    await broker.disconnect()
    received = [notice async for notice in listener]
    assert len(received) <= 4
    assert received[-1].last_event_id == 10
    # What was dropped was folded into what was kept: no session is forgotten.
    assert {s for notice in received for s in notice.session_ids} == set(range(1, 11))


async def test_memory_disconnect_ends_iteration() -> None:
    broker = MemoryBroker()
    await broker.connect()
    listener = broker.listen()

    async def collect() -> list[Notice]:
        return [notice async for notice in listener]

    task = asyncio.create_task(collect())
    await broker.publish(Notice(1))
    await asyncio.sleep(0)
    await broker.disconnect()
    assert await asyncio.wait_for(task, 5) == [Notice(1)]
    assert not broker.healthy
    assert [n async for n in broker.listen()] == []  # a listener after disconnect ends at once


async def test_memory_closed_listener_stops_receiving() -> None:
    async with MemoryBroker() as broker:
        listener, other = broker.listen(), broker.listen()
        await listener.aclose()
        await broker.publish(Notice(1))
        assert [n async for n in listener] == []
        assert await next_notice(other) == Notice(1)


async def test_publish_events_announces_max_id_and_sessions() -> None:
    async with MemoryBroker() as broker:
        listener = broker.listen()
        await publish_events(broker, [])  # nothing committed: nothing sent
        await publish_events(broker, [event(5, 2), event(7, None), event(6, 2), event(4, 1)])
        assert await next_notice(listener) == Notice(7, (1, 2))


# --- Redis ----------------------------------------------------------------------------


MakeBroker = Callable[..., Awaitable[RedisBroker]]


@pytest.fixture
async def make_broker(redis_url: str) -> AsyncIterator[MakeBroker]:
    prefix = f"test-{uuid.uuid4().hex}"
    brokers: list[RedisBroker] = []

    async def make(url: str = redis_url) -> RedisBroker:
        broker = RedisBroker(url, channel_prefix=prefix)
        await broker.connect()
        brokers.append(broker)
        return broker

    yield make
    for broker in brokers:
        await broker.disconnect()


@pytest.fixture
async def raw_redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


async def test_redis_brokers_deliver_each_others_notices(make_broker: MakeBroker) -> None:
    one, two = await make_broker(), await make_broker()  # as two processes would
    on_one, on_two = one.listen(), two.listen()
    await one.publish(Notice(1, (4,)))
    await two.publish(Notice(2, (5,)))
    for listener in (on_one, on_two):
        assert await next_notice(listener) == Notice(1, (4,))
        assert await next_notice(listener) == Notice(2, (5,))
    assert one.healthy and two.healthy


async def test_redis_skips_malformed_messages(
    make_broker: MakeBroker, raw_redis: Redis, caplog: pytest.LogCaptureFixture
) -> None:
    broker = await make_broker()
    listener = broker.listen()
    await raw_redis.publish(broker.channel, "not json")
    await raw_redis.publish(broker.channel, b"\xff")
    await raw_redis.publish(broker.channel, '{"last_event_id": "x"}')
    await broker.publish(Notice(3, (1,)))
    assert await next_notice(listener) == Notice(3, (1,))
    assert caplog.text.count("malformed message") == 3


async def test_redis_listener_survives_a_killed_connection(
    make_broker: MakeBroker, raw_redis: Redis
) -> None:
    broker = await make_broker()
    listener = broker.listen()
    # Kill by id, only our own subscriber: other runs may share this Redis.
    name = f"{broker.channel}:subscriber"
    ids = [c["id"] for c in await raw_redis.client_list(_type="pubsub") if c["name"] == name]
    assert len(ids) == 1
    await raw_redis.execute_command("CLIENT", "KILL", "ID", ids[0])

    assert await next_notice(listener) == Notice(0, (), resync=True)
    assert broker.healthy
    await broker.publish(Notice(8, (2,)))
    assert await next_notice(listener) == Notice(8, (2,))


class Proxy:
    """A TCP relay to Redis that can be taken down and brought back, like a restart."""

    def __init__(self, target: str) -> None:
        parts = urlsplit(target)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 6379
        self.listen_port = 0
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        self.frozen = False

    def url(self, target: str) -> str:
        return urlunsplit(urlsplit(target)._replace(netloc=f"127.0.0.1:{self.listen_port}"))

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", self.listen_port)
        self.listen_port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in list(self.writers):
            writer.close()
        await self.server.wait_closed()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(self.host, self.port)
        self.writers |= {writer, up_writer}
        try:
            await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        finally:
            for w in (writer, up_writer):
                self.writers.discard(w)
                w.close()
                with contextlib.suppress(OSError):
                    await w.wait_closed()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError):
            while data := await reader.read(65536):
                if not self.frozen:  # frozen: a black hole, like a host that vanished
                    writer.write(data)
                    await writer.drain()
        writer.close()


async def test_redis_restart_delays_but_loses_nothing(
    make_broker: MakeBroker, redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    proxy = Proxy(redis_url)
    await proxy.start()
    broker = await make_broker(proxy.url(redis_url))
    listener = broker.listen()
    await broker.publish(Notice(1))
    assert await next_notice(listener) == Notice(1)

    await proxy.stop()  # Redis "goes away"
    await asyncio.wait_for(_until(lambda: not broker.healthy), 5)
    await broker.publish(Notice(2))  # logs, does not raise: the database has it
    assert "could not publish event 2" in caplog.text

    await proxy.start()  # and comes back on the same address
    assert await next_notice(listener) == Notice(0, (), resync=True)
    await broker.publish(Notice(3))
    assert await next_notice(listener) == Notice(3)
    await broker.disconnect()
    await proxy.stop()


async def test_redis_detects_a_silently_dead_connection(
    make_broker: MakeBroker, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(redis_broker, "PING_AFTER", 0.2)
    monkeypatch.setattr(redis_broker, "CONFIRM_TIMEOUT", 0.5)
    proxy = Proxy(redis_url)
    await proxy.start()
    broker = await make_broker(proxy.url(redis_url))
    listener = broker.listen()

    proxy.frozen = True  # no error, no EOF: only the unanswered PING tells
    await asyncio.wait_for(_until(lambda: not broker.healthy), 5)
    proxy.frozen = False
    assert await next_notice(listener) == Notice(0, (), resync=True)
    await broker.publish(Notice(4))
    assert await next_notice(listener) == Notice(4)
    await broker.disconnect()
    await proxy.stop()


async def test_redis_connect_fails_when_redis_is_unreachable(redis_url: str) -> None:
    proxy = Proxy(redis_url)
    await proxy.start()
    await proxy.stop()  # a port nothing listens on any more
    broker = RedisBroker(proxy.url(redis_url), channel_prefix=f"test-{uuid.uuid4().hex}")
    with pytest.raises(RedisConnectionError):
        await broker.connect()
    assert not broker.healthy


async def _until(condition: Callable[[], bool]) -> None:
    # `healthy` is a plain property with nothing to await on, so poll it.
    while not condition():  # noqa: ASYNC110
        await asyncio.sleep(0.01)
