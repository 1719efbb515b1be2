"""One live connection's state: who it is, what it follows, what waits to be sent.

The socket is reached only through the two functions the endpoint hands over, so the
hub can be tested with plain Connection objects. `offer` never waits: the hub never
waits on a client. It writes the frame at once when the socket can take it and
nothing is queued before it (`write_now`, where the server offers one); otherwise it
queues it for `pump`, the connection's sending task. The queue is bounded: a full
queue means the client has stopped reading; the connection is then marked closed
(4008) and its frames dropped.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from forum_server.i18n import current_language, gettext, using_language
from forum_server.live.config import LiveConfig
from forum_server.live.protocol import CLOSE_TOO_SLOW, error_frame
from forum_server.live.ratelimit import FrameLimiter
from forum_server.policy import Actor, SessionAccess


@dataclass(frozen=True)
class Credential:
    """What the handshake was authenticated with, kept to re-check it later."""

    kind: Literal["bearer", "cookie"]
    token: str = field(repr=False)


@dataclass(eq=False)
class Subscription:
    """One connection following one session.

    `cursor` is the last event id of this session the connection has been handed
    (or passed over as not visible): the hub never hands it an event at or below it,
    which is what makes delivery exactly-once however replay and dispatch meet.
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
        self._frames: deque[str] = deque()
        # Set by the hub when the credential may have ended (a sign-out in any
        # process): the connection re-checks it at once instead of at the next tick.
        self.recheck_now = asyncio.Event()
        self._wakeup = asyncio.Event()
        self._closing = asyncio.Event()

    def __repr__(self) -> str:
        return f"<Connection user={self.actor.user_id} subscriptions={list(self.subscriptions)}>"

    @property
    def closed(self) -> bool:
        return self.close_code is not None

    @property
    def free_slots(self) -> int:
        return self.config.queue_size - len(self._frames)

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
        # Straight out only when nothing queued (or in flight) would be overtaken.
        if not self._frames and self.write_now is not None and self.write_now(frame):
            return True
        if len(self._frames) >= self.config.queue_size:
            self.close(CLOSE_TOO_SLOW, "too slow")
            return False
        self._frames.append(frame)
        self._wakeup.set()
        return True

    async def pump(self, send: Callable[[str], Awaitable[None]]) -> None:
        """Send the queued frames in order until closed (and, if draining, emptied)."""
        frames = self._frames
        while True:
            while not frames:
                if self.close_code is not None:
                    return
                self._wakeup.clear()
                await self._wakeup.wait()
            frame = frames[0]
            if self.write_now is None or not self.write_now(frame):
                await send(frame)  # waits until the socket can take it
            # Dequeued only once sent, so that `offer` does not overtake it meanwhile.
            if frames and frames[0] is frame:
                frames.popleft()

    def close(self, code: int, reason: str = "", *, drain: bool = False) -> None:
        """Ask for the socket to be closed; the first request wins. Without `drain`,
        whatever was queued is dropped (a signed-out user gets nothing more)."""
        if self.close_code is not None:
            return
        self.close_code, self.close_reason, self.drain = code, reason, drain
        if not drain:
            self._frames.clear()
        self._wakeup.set()
        self._closing.set()

    async def wait_closed(self) -> None:
        await self._closing.wait()
