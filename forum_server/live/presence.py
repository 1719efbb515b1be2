"""Who is here now: the people following a conference over a live connection, in
this process and, through the broker, in every other.

A subscription that asks for presence counts as one person present while it lasts:
a signed-in reader by name (once, however many tabs), a guest in a count. Each
process keeps its own followers per session and publishes them, after a short delay
that gathers arrivals together and again periodically; it keeps the latest word of
every other process until that expires (a process that vanished stops counting).
A change to the whole reaches the hub, which sends it to the session's subscribers
that asked for presence: only those the policy let subscribe, so a members space's
presence never leaves its members.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from typing_extensions import TypedDict

from forum_server.broker import Broker
from forum_server.live.config import LiveConfig
from forum_server.policy import Actor

log = logging.getLogger(__name__)

# Names listed in a frame; beyond them the count says how many more.
MAX_NAMES = 100

Person = tuple[int, str]  # (user id, display name)


class PersonJson(TypedDict):
    id: int
    display_name: str


class PresenceJson(TypedDict):
    session_id: int
    people: list[PersonJson]  # at most MAX_NAMES, by name
    count: int  # people signed in, listed or not
    guests: int


@dataclass(frozen=True)
class Present:
    """Who follows a session now: people by name (sorted), guests counted."""

    people: tuple[Person, ...]
    guests: int

    def as_json(self, session_id: int = 0) -> PresenceJson:
        return {
            "session_id": session_id,
            "people": [{"id": uid, "display_name": name} for uid, name in self.people[:MAX_NAMES]],
            "count": len(self.people),
            "guests": self.guests,
        }


NOBODY = Present((), 0)


@dataclass
class _Remote:
    people: dict[int, str]
    guests: int
    expires: float


class Presence:
    def __init__(
        self, broker: Broker, config: LiveConfig, changed: Callable[[int, Present], None]
    ) -> None:
        self.broker = broker
        self.config = config
        self.process = uuid.uuid4().hex
        self._changed = changed
        # session → how many of this process's subscriptions each person holds
        self._local: dict[int, Counter[Person]] = {}
        self._local_guests: Counter[int] = Counter()
        self._remote: dict[int, dict[str, _Remote]] = {}
        self._shown: dict[int, Present] = {}
        self._dirty: set[int] = set()
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    # --- this process's followers ----------------------------------------------------

    def join(self, session_id: int, actor: Actor) -> None:
        if actor.user_id is None:
            self._local_guests[session_id] += 1
        else:
            person = (actor.user_id, actor.display_name or "")
            self._local.setdefault(session_id, Counter())[person] += 1
        self._touch(session_id)

    def leave(self, session_id: int, actor: Actor) -> None:
        if actor.user_id is None:
            self._local_guests[session_id] -= 1
            if self._local_guests[session_id] <= 0:
                del self._local_guests[session_id]
        else:
            people = self._local.get(session_id)
            person = (actor.user_id, actor.display_name or "")
            if people is not None:
                people[person] -= 1
                if people[person] <= 0:
                    del people[person]
                if not people:
                    del self._local[session_id]
        self._touch(session_id)

    def _touch(self, session_id: int) -> None:
        self._dirty.add(session_id)
        self._wake.set()

    # --- the whole -----------------------------------------------------------------

    def now(self, session_id: int) -> Present:
        """Everyone following the session, in every process that has spoken lately."""
        people: dict[int, str] = {uid: name for uid, name in self._local.get(session_id, ())}
        guests = self._local_guests.get(session_id, 0)
        clock = time.monotonic()
        for remote in self._remote.get(session_id, {}).values():
            if remote.expires > clock:
                people.update(remote.people)
                guests += remote.guests
        ordered = tuple(sorted(people.items(), key=lambda p: (p[1].casefold(), p[0])))
        return Present(ordered, guests)

    def _announce(self, session_id: int) -> None:
        """Tell the hub when the whole changed since it last heard."""
        present = self.now(session_id)
        if self._shown.get(session_id, NOBODY) != present:
            if present == NOBODY:
                self._shown.pop(session_id, None)
            else:
                self._shown[session_id] = present
            self._changed(session_id, present)

    # --- between processes ------------------------------------------------------------

    def _message(self, session_id: int) -> str:
        people: Counter[Person] = self._local.get(session_id, Counter())
        return json.dumps(
            {
                "process": self.process,
                "session_id": session_id,
                "people": [[uid, name] for uid, name in people],
                "guests": self._local_guests.get(session_id, 0),
            },
            separators=(",", ":"),
            ensure_ascii=False,
        )

    def _receive(self, raw: str) -> None:
        try:
            body = json.loads(raw)
            process, session_id = body["process"], body["session_id"]
            people = {int(uid): str(name) for uid, name in body["people"]}
            guests = int(body["guests"])
        except (ValueError, TypeError, KeyError, RecursionError):
            log.warning("skipping a malformed presence message (%.80r)", raw)
            return
        if process == self.process or not isinstance(session_id, int):
            return
        sessions = self._remote.setdefault(session_id, {})
        if people or guests:
            expires = time.monotonic() + self.config.presence_expiry
            sessions[str(process)] = _Remote(people, guests, expires)
        else:
            sessions.pop(str(process), None)
            if not sessions:
                del self._remote[session_id]
        self._announce(session_id)

    async def start(self) -> None:
        listener = self.broker.listen_presence()
        self._tasks = [
            asyncio.create_task(self._listen(listener), name="presence listener"),
            asyncio.create_task(self._publish(), name="presence publisher"),
        ]

    async def stop(self) -> None:
        """Say this process holds nobody any more, and stop."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        sessions = set(self._local) | set(self._local_guests)
        self._local.clear()
        self._local_guests.clear()
        for session_id in sessions:
            with contextlib.suppress(Exception):
                await self.broker.publish_presence(self._message(session_id))

    async def _listen(self, listener: Any) -> None:
        async for raw in listener:
            self._receive(raw)

    async def _publish(self) -> None:
        """Changed sessions go out after `presence_delay`; all of this process's again
        every `presence_repeat`; expired words of other processes are dropped."""
        next_repeat = time.monotonic() + self.config.presence_repeat
        while True:
            timeout = max(0.0, next_repeat - time.monotonic())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)
            if self._wake.is_set():
                await asyncio.sleep(self.config.presence_delay)  # gather what comes along
                self._wake.clear()
            dirty, self._dirty = self._dirty, set()
            if time.monotonic() >= next_repeat:
                next_repeat = time.monotonic() + self.config.presence_repeat
                dirty |= set(self._local) | set(self._local_guests)
                dirty |= self._expire()
            for session_id in sorted(dirty):
                self._announce(session_id)
                try:
                    await self.broker.publish_presence(self._message(session_id))
                except Exception:
                    log.warning("could not publish presence", exc_info=True)

    def _expire(self) -> set[int]:
        clock, expired = time.monotonic(), set()
        for session_id, processes in list(self._remote.items()):
            for process, remote in list(processes.items()):
                if remote.expires <= clock:
                    del processes[process]
                    expired.add(session_id)
            if not processes:
                del self._remote[session_id]
        return expired
