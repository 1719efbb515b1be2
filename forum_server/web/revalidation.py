"""A guest's revalidation (`If-None-Match`) answered from memory, before the
middlewares and the route run.

The first time a page answers a guest `304 Not Modified`, the response's headers are
kept, with the tag and what the answer rests on: this process's writes that changed
a row (`Database.write_marks`, moved as each such statement runs and again when its
transaction ends, before the writer's response goes out), the live hub's position in
the events table (moved by every event, from any process) and the instant the page
says the clock alone changes it (`until`: the next deadline, the next minute the
"time left" text goes down, the next hour). The same request again (same path,
query, cookies and `Accept-Language`, no `Authorization`), with the same tag, while
none of these moved, gets the kept 304 at once. Anything else goes through the app.

The page decides whether it may be kept: it calls `allow(scope, tag, until)` only
for a guest's page it answered 304 to; a response that sets a cookie is never kept.
A change made through another server process is seen here once the hub has read its
event (the delay of live updates, normally milliseconds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from forum_server.orm import utcnow

SCOPE_KEY = "forum.revalidation"
MAX_ENTRIES = 20_000
_KEPT_OUT = {b"x-request-id", b"set-cookie", b"date", b"server"}

Marks = tuple[int, int, int]
Key = tuple[str, bytes, bytes, bytes]


@dataclass(frozen=True)
class Entry:
    tag: str
    headers: list[tuple[bytes, bytes]]
    marks: Marks
    until: datetime


def allow(scope: Scope, tag: str, until: datetime) -> None:
    """Called by a page answering a guest 304: it may be answered again from memory
    until `until`, while nothing is written and no event passes."""
    slot = scope.get(SCOPE_KEY)
    if isinstance(slot, dict):
        slot["tag"], slot["until"] = tag, until


def tag_matches(asked: str, tag: str) -> bool:
    return asked.strip() == "*" or tag in {value.strip() for value in asked.split(",")}


def _marks(scope: Scope) -> Marks | None:
    """The write count and the hub's position, or None where the app has neither."""
    state = getattr(scope.get("app"), "state", None)
    ctx, hub = getattr(state, "ctx", None), getattr(state, "hub", None)
    writes = getattr(getattr(ctx, "db", None), "write_marks", None)
    if writes is None or hub is None:
        return None
    return (*writes, hub.position)


class RevalidationCache:
    def __init__(self, app: ASGIApp, max_entries: int = MAX_ENTRIES) -> None:
        self.app = app
        self.max_entries = max_entries
        self.entries: dict[Key, Entry] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        asked = cookie = language = b""
        for name, value in scope["headers"]:
            if name == b"if-none-match":
                asked = value
            elif name == b"cookie":  # all of them, as the app reads them
                cookie += value + b"\0"
            elif name == b"accept-language":
                language += value + b"\0"
            elif name == b"authorization":
                await self.app(scope, receive, send)
                return
        if not asked:
            await self.app(scope, receive, send)
            return
        key: Key = (scope["path"], scope["query_string"], cookie, language)
        marks = _marks(scope)  # before the app reads anything: a later change moves them
        entry = self.entries.get(key)
        if (
            entry is not None
            and marks == entry.marks
            and utcnow() < entry.until
            and tag_matches(asked.decode("latin-1"), entry.tag)
        ):
            await send({"type": "http.response.start", "status": 304, "headers": entry.headers})
            await send({"type": "http.response.body", "body": b""})
            return
        if marks is None:
            await self.app(scope, receive, send)
            return
        await self._through(scope, receive, send, key, marks)

    async def _through(
        self, scope: Scope, receive: Receive, send: Send, key: Key, marks: Marks
    ) -> None:
        slot: dict[str, Any] = {}
        scope[SCOPE_KEY] = slot
        started: list[Message] = []

        async def keep_start(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.append(message)
            await send(message)

        await self.app(scope, receive, keep_start)
        if not started or started[0]["status"] != 304 or "tag" not in slot:
            return
        headers = [(bytes(n), bytes(v)) for n, v in started[0].get("headers", [])]
        if any(name.lower() == b"set-cookie" for name, _ in headers):
            return
        kept = [(name, value) for name, value in headers if name.lower() not in _KEPT_OUT]
        if len(self.entries) >= self.max_entries:
            self.entries.clear()  # a bound, not a policy: entries are cheap to make again
        self.entries[key] = Entry(slot["tag"], kept, marks, slot["until"])
