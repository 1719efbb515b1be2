"""One live connection's state: who it is, what it follows, what waits to be sent.

The socket is reached only through the functions the endpoint hands over, so the
hub can be tested with plain Connection objects. `offer` never waits: the hub never
waits on a client. It writes the frame at once when the socket can take it and
nothing is queued before it (`write_now`, where the server offers one); otherwise it
queues it for a sender: a task started only while something is queued (`send`), or
`pump`. The queue is bounded: a full queue means the client has stopped reading; the
connection is then marked closed (4008) and its frames dropped.

An idle connection is kept small (thousands are open at once): no task, no queue and
no asyncio primitives until they are needed, and `__slots__`.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from forum_server.i18n import current_language, gettext, using_language
from forum_server.live.config import LiveConfig
from forum_server.live.protocol import CLOSE_NORMAL, CLOSE_TOO_SLOW, error_frame
from forum_server.live.ratelimit import FrameLimiter
from forum_server.policy import Actor, SessionAccess


@dataclass(frozen=True)
class Credential:
    """What the handshake was authenticated with, kept to re-check it later."""

    kind: Literal["bearer", "cookie"]
    token: str = field(repr=False)


@dataclass(eq=False, slots=True)
class Subscription:
    """One connection following one session.

    `cursor` is the last event id of this session the connection has been handed
    (or passed over as not visible) when it subscribed: the hub never hands it an
    event at or below it, which is what makes delivery exactly-once however replay and
    dispatch meet. (Once the hub dispatched past it, every later event is newer: the
    hub stops moving it.)
    `access` is the cached answer of the policy module, refreshed by the hub.
    """

    connection: Connection
    session_id: int
    access: SessionAccess
    cursor: int
    # Counted as present (the actor it joined as), for a conference page.
    present: Actor | None = None

    @property
    def space_id(self) -> int:
        return self.access.space.space_id


class Connection:
    __slots__ = (
        "_closing",
        "_frames",
        "_sender",
        "_waiter",
        "actor",
        "close_code",
        "close_reason",
        "config",
        "credential",
        "drain",
        "language",
        "limiter",
        "network",
        "on_close",
        "on_recheck",
        "send",
        "send_failed",
        "subscriptions",
        "write_now",
    )

    def __init__(
        self,
        actor: Actor,
        credential: Credential | None = None,
        config: LiveConfig | None = None,
        network: str = "unknown",
        language: str | None = None,
    ) -> None:
        self.actor = actor
        # Error messages are in the language of the request that opened the socket, even
        # when they are sent from the hub's own tasks.
        self.language = language or current_language.get()
        self.credential = credential
        # Where it comes from (an IPv4 address or an IPv6 /64), for the per-client cap.
        self.network = network
        self.config = config or LiveConfig()
        self.subscriptions: dict[int, Subscription] = {}
        self.limiter = FrameLimiter(self.config.rate, self.config.burst)
        self.close_code: int | None = None
        self.close_reason = ""
        self.drain = False  # whether queued frames still go out before the close
        # Writes a frame at once if the socket can take it; False if it must wait.
        self.write_now: Callable[[str], bool] | None = None
        # Sends one frame, waiting until the socket takes it: with it, queued frames go
        # out through a task that lives only while something is queued.
        self.send: Callable[[str], Awaitable[None]] | None = None
        self.send_failed = False  # `send` raised: the client is gone
        # Called once, when the connection is asked to close.
        self.on_close: Callable[[], None] | None = None
        # Called when the credential may have ended (a sign-out in any process): the
        # connection re-checks it at once instead of at its next turn.
        self.on_recheck: Callable[[], None] | None = None
        self._frames: deque[str] | None = None  # created when a frame must wait
        self._sender: asyncio.Task[None] | None = None
        self._waiter: asyncio.Future[None] | None = None  # `pump` waiting for frames
        self._closing: asyncio.Future[None] | None = None  # `wait_closed` waiting

    def __repr__(self) -> str:
        return f"<Connection user={self.actor.user_id} subscriptions={list(self.subscriptions)}>"

    @property
    def closed(self) -> bool:
        return self.close_code is not None

    @property
    def free_slots(self) -> int:
        return self.config.queue_size - (len(self._frames) if self._frames else 0)

    def request_recheck(self) -> None:
        """The credential may have ended: re-check it now (where something re-checks)."""
        if self.on_recheck is not None and self.close_code is None:
            self.on_recheck()

    def offer_error(
        self,
        code: str,
        message: str,
        *,
        session_id: int | None = None,
        field: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> bool:
        """Offer an error frame; `message` is a catalogue entry, said in the connection's
        language (`params` fill its placeholders)."""
        with using_language(self.language):
            text = gettext(message, **(params or {}))
        return self.offer(error_frame(code, text, session_id=session_id, field=field))

    def offer(self, frame: str) -> bool:
        """Send or queue a frame without waiting; False (and the connection closed) if
        the queue is full."""
        if self.close_code is not None:
            return False
        frames = self._frames
        # Straight out only when nothing queued (or in flight) would be overtaken.
        if not frames:
            if self.write_now is not None and self.write_now(frame):
                return True
            if frames is None:
                frames = self._frames = deque()
        elif len(frames) >= self.config.queue_size:
            self.close(CLOSE_TOO_SLOW, "too slow")
            return False
        frames.append(frame)
        _wake(self._waiter)
        if self.send is not None and self._sender is None:
            self._sender = asyncio.get_running_loop().create_task(self._send_queued())
        return True

    async def pump(self, send: Callable[[str], Awaitable[None]]) -> None:
        """Send the queued frames in order until closed (and, if draining, emptied)."""
        while True:
            while not self._frames:
                if self.close_code is not None:
                    return
                self._waiter = asyncio.get_running_loop().create_future()
                try:
                    await self._waiter
                finally:
                    self._waiter = None
            await self._send_all(send)

    async def _send_all(self, send: Callable[[str], Awaitable[None]]) -> None:
        frames = self._frames
        while frames:
            frame = frames[0]
            if self.write_now is None or not self.write_now(frame):
                await send(frame)  # waits until the socket can take it
            # Dequeued only once sent, so that `offer` does not overtake it meanwhile.
            if frames and frames[0] is frame:
                frames.popleft()

    async def _send_queued(self) -> None:
        """The sender task: what is queued, through `send`; it ends once all went out."""
        assert self.send is not None
        try:
            await self._send_all(self.send)
        except Exception:
            self.send_failed = True
            self.close(CLOSE_NORMAL)
        finally:
            self._sender = None
            if not self._frames:
                self._frames = None  # an idle connection keeps no queue

    def start_sending(self, send: Callable[[str], Awaitable[None]]) -> None:
        """From now on, frames that cannot go out at once are sent through `send`."""
        self.send = send
        if self._frames and self._sender is None:
            self._sender = asyncio.get_running_loop().create_task(self._send_queued())

    async def wait_sent(self, within: float) -> None:
        """Wait (at most `within` seconds) for the sender task to send what is queued."""
        if self._sender is not None:
            await asyncio.wait([self._sender], timeout=within)

    def stop_sending(self) -> None:
        if self._sender is not None:
            self._sender.cancel()

    def close(self, code: int, reason: str = "", *, drain: bool = False) -> None:
        """Ask for the socket to be closed; the first request wins. Without `drain`,
        whatever was queued is dropped (a signed-out user gets nothing more)."""
        if self.close_code is not None:
            return
        self.close_code, self.close_reason, self.drain = code, reason, drain
        if not drain and self._frames:
            self._frames.clear()
        _wake(self._waiter)
        _wake(self._closing)
        if self.on_close is not None:
            self.on_close()

    async def wait_closed(self) -> None:
        if self.close_code is None:
            if self._closing is None or self._closing.done():
                self._closing = asyncio.get_running_loop().create_future()
            await asyncio.shield(self._closing)


def _wake(future: asyncio.Future[None] | None) -> None:
    if future is not None and not future.done():
        future.set_result(None)
