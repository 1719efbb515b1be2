"""Redis pub/sub between server processes.

Pub/sub is fire-and-forget, which suits notices: the events table is the truth,
so a message lost while a connection was down only delays delivery. What matters
is that listeners never see an error and learn when they may have missed
something: after every reconnect they get `Notice(0, (), resync=True)`.

One pubsub connection per broker (per process), fanned out to local listeners.
"""

from __future__ import annotations

import asyncio
import logging

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from forum_server.broker.base import Broker, Notice
from forum_server.broker.memory import (
    DEFAULT_QUEUE_SIZE,
    Fanout,
    Listener,
    MessageListener,
    Messages,
)

log = logging.getLogger(__name__)

RESYNC = Notice(0, (), resync=True)
BACKOFF_FIRST, BACKOFF_MAX = 0.1, 5.0
# Quiet this long → PING; quiet as long again → the connection is dead (a host that
# vanished without closing its sockets would otherwise keep us waiting for hours).
PING_AFTER = 10.0
CONFIRM_TIMEOUT = 5.0
# Publishing happens right after a commit, while the writer waits: fail fast.
PUBLISH_TIMEOUT = 1.0


class RedisBroker(Broker):
    def __init__(
        self, url: str, *, channel_prefix: str = "forum", queue_size: int = DEFAULT_QUEUE_SIZE
    ) -> None:
        self.url = url
        self.channel = f"{channel_prefix}:events"
        self.presence_channel = f"{channel_prefix}:presence"
        self._fanout = Fanout(queue_size)
        self._messages = Messages(queue_size)
        self._publisher: Redis | None = None
        self._subscriber: Redis | None = None
        self._task: asyncio.Task[None] | None = None
        self._healthy = False

    @property
    def healthy(self) -> bool:
        return self._healthy

    def listen(self) -> Listener:
        return self._fanout.listen()

    def listen_presence(self) -> MessageListener:
        return self._messages.listen()

    async def connect(self) -> None:
        """Subscribe; raises if Redis does not answer now (a wrong URL should be loud)."""
        if self._task is not None:
            return
        self._fanout.open()
        self._messages.open()
        # One retry survives a pooled connection left stale by a Redis restart.
        self._publisher = Redis.from_url(
            self.url,
            retry=Retry(NoBackoff(), 1),
            socket_connect_timeout=PUBLISH_TIMEOUT,
            socket_timeout=PUBLISH_TIMEOUT,
        )
        # No retries here: redis-py would otherwise reconnect and resubscribe behind
        # our back; our own loop reconnects so that it knows to send a resync.
        self._subscriber = Redis.from_url(
            self.url,
            retry=Retry(NoBackoff(), 0),
            socket_connect_timeout=CONFIRM_TIMEOUT,
            socket_timeout=CONFIRM_TIMEOUT,
            client_name=f"{self.channel}:subscriber",  # findable in CLIENT LIST
        )
        try:
            pubsub = await self._subscribe()
        except BaseException:
            await self._close_clients()
            raise
        self._healthy = True
        self._task = asyncio.create_task(self._run(pubsub), name=f"broker {self.channel}")

    async def disconnect(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.wait([task])  # unlike `await task`, keeps our own cancellation
        self._healthy = False
        self._fanout.close()
        self._messages.close()
        await self._close_clients()

    async def publish(self, notice: Notice) -> None:
        if self._publisher is None:
            raise RuntimeError("RedisBroker.publish before connect()")
        try:
            await self._publisher.publish(self.channel, notice.encode())
        except (RedisError, OSError) as exc:
            # The database has the events; other processes pick them up on their next poll.
            log.warning("could not publish event %d to Redis: %s", notice.last_event_id, exc)

    async def publish_presence(self, body: str) -> None:
        if self._publisher is None:
            raise RuntimeError("RedisBroker.publish_presence before connect()")
        try:
            await self._publisher.publish(self.presence_channel, body)
        except (RedisError, OSError) as exc:
            # Repeated periodically: the next one makes up for it.
            log.warning("could not publish presence to Redis: %s", exc)

    async def _close_clients(self) -> None:
        for client in (self._publisher, self._subscriber):
            if client is not None:
                await client.aclose()
        self._publisher = self._subscriber = None

    async def _subscribe(self) -> PubSub:
        assert self._subscriber is not None
        pubsub = self._subscriber.pubsub()
        try:
            await pubsub.subscribe(self.channel, self.presence_channel)
            # SUBSCRIBE only sends the command; wait for Redis to confirm it (once per
            # channel), so that whatever is published once we return is sure to reach us.
            for _ in range(2):
                reply = await pubsub.get_message(timeout=CONFIRM_TIMEOUT)
                if reply is None or reply["type"] != "subscribe":
                    raise ConnectionError(f"no confirmation of SUBSCRIBE {self.channel}: {reply!r}")
        except BaseException:
            await pubsub.aclose()
            raise
        return pubsub

    async def _run(self, pubsub: PubSub) -> None:
        try:
            while True:
                try:
                    await self._read(pubsub)
                except (RedisError, OSError) as exc:
                    log.warning("lost the Redis subscription to %s: %s", self.channel, exc)
                except Exception:
                    log.exception("unexpected error reading %s; reconnecting", self.channel)
                self._healthy = False
                await pubsub.aclose()
                pubsub = await self._resubscribe()
                self._healthy = True
                log.info("resubscribed to %s", self.channel)
                self._fanout.deliver(RESYNC)
        finally:
            self._healthy = False
            await pubsub.aclose()

    async def _resubscribe(self) -> PubSub:
        delay = BACKOFF_FIRST
        while True:
            await asyncio.sleep(delay)
            try:
                return await self._subscribe()
            except (RedisError, OSError) as exc:
                log.debug("Redis still unavailable (next try in %.1f s): %s", delay, exc)
            delay = min(delay * 2, BACKOFF_MAX)

    async def _read(self, pubsub: PubSub) -> None:
        """Hand on notices until the connection fails (this only ever raises)."""
        pinged = False
        while True:
            message = await pubsub.get_message(timeout=PING_AFTER)
            if message is None:
                if pinged:
                    raise ConnectionError(f"no reply to PING within {PING_AFTER} s")
                await pubsub.ping()
                pinged = True
                continue
            pinged = False
            if message["type"] == "message":
                if message["channel"] == self._presence_key:
                    self._receive_presence(message["data"])
                else:
                    self._receive(message["data"])
            elif message["type"] == "subscribe":
                # redis-py reconnected and resubscribed by itself: we may have missed some.
                self._fanout.deliver(RESYNC)

    @property
    def _presence_key(self) -> bytes:
        return self.presence_channel.encode()

    def _receive_presence(self, data: bytes) -> None:
        try:
            self._messages.deliver(data.decode())
        except UnicodeDecodeError:
            log.warning("skipping a malformed message on %s", self.presence_channel)

    def _receive(self, data: bytes) -> None:
        try:
            notice = Notice.decode(data)
        except ValueError as exc:
            log.warning("skipping a malformed message on %s: %s (%.80r)", self.channel, exc, data)
            return
        self._fanout.deliver(notice)
