"""The broker interface: tells every server process which event ids now exist.

What travels is a position, never content: the events table is the truth, and a
process that hears "events up to N exist" reads what it missed from the database.
So a lost or dropped notice only delays delivery (the hub also polls), and any
later notice makes up for it.

Beside positions, presence: who follows which conference in each process, a small
message repeated periodically, so a lost one is made up by the next.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self, TypeGuard

from forum_server.events import Event


@dataclass(frozen=True)
class Notice:
    """Events up to `last_event_id` exist, for these sessions (may be empty).

    `resync` is never published: a broker hands it to its local listeners when it
    may have missed notices (after a reconnect), meaning "re-read from the database".
    """

    last_event_id: int
    session_ids: tuple[int, ...] = ()
    resync: bool = False

    def encode(self) -> str:
        body: dict[str, Any] = {
            "last_event_id": self.last_event_id,
            "session_ids": self.session_ids,
        }
        if self.resync:
            body["resync"] = True
        return json.dumps(body, separators=(",", ":"))

    @classmethod
    def decode(cls, raw: str | bytes) -> Notice:
        """Parse `encode()`'s output; anything else raises ValueError."""
        try:
            body = json.loads(raw)
        # Bad JSON or UTF-8, a wrong type, or nesting deep enough to exhaust the stack.
        except (ValueError, TypeError, RecursionError) as exc:
            raise ValueError(f"not a notice: {exc}") from None
        if not isinstance(body, dict):
            raise ValueError("not a notice: expected a JSON object")
        last, sessions, resync = (
            body.get("last_event_id"),
            body.get("session_ids", []),
            body.get("resync", False),
        )
        if not _is_int(last) or last < 0:
            raise ValueError("not a notice: last_event_id must be a non-negative integer")
        if not isinstance(sessions, list) or not all(_is_int(s) for s in sessions):
            raise ValueError("not a notice: session_ids must be a list of integers")
        if not isinstance(resync, bool):
            raise ValueError("not a notice: resync must be a boolean")
        return cls(last, tuple(sessions), resync)


def _is_int(value: object) -> TypeGuard[int]:
    # bool is an int subclass; `true` is not an event id.
    return isinstance(value, int) and not isinstance(value, bool)


class Broker(ABC):
    """Carries notices between processes; each process's hub listens to its own broker."""

    @abstractmethod
    async def connect(self) -> None: ...

    @abstractmethod
    async def disconnect(self) -> None:
        """Stop; every listener's iteration ends."""

    @abstractmethod
    async def publish(self, notice: Notice) -> None:
        """Send to every listener of every process; never raises for a transport failure."""

    @abstractmethod
    def listen(self) -> AsyncIterator[Notice]:
        """Every notice published after this call, in order, until disconnect.

        A listener that falls behind keeps only its newest notices, folded so that no
        session id or resync is lost. Call `aclose()` on it when done (or drop it).
        """

    @abstractmethod
    async def publish_presence(self, body: str) -> None:
        """Send a presence message (who follows which session in one process) to every
        process, this one included; lost messages are made up by the next."""

    @abstractmethod
    def listen_presence(self) -> AsyncIterator[str]:
        """Every presence message published after this call, until disconnect; a
        listener that falls behind loses the oldest (each is repeated periodically)."""

    @property
    @abstractmethod
    def healthy(self) -> bool:
        """Whether notices from other processes can currently arrive."""

    async def __aenter__(self) -> Self:
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.disconnect()


def notice_for(events: Sequence[Event]) -> Notice:
    """The notice announcing these committed events."""
    sessions = {event.session_id for event in events if event.session_id is not None}
    return Notice(max(event.id for event in events), tuple(sorted(sessions)))


async def publish_events(broker: Broker, events: Sequence[Event]) -> None:
    """`Database.publish`, once bound: `db.publish = functools.partial(publish_events, broker)`."""
    if events:
        await broker.publish(notice_for(events))
