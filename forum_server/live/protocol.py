"""The live protocol's wire format: what clients may send, what we answer, close codes.

Client → server (JSON text frames of at most 4 KiB):
  {"type": "subscribe", "session_id": 7, "after": 1234, "presence": true}
      `after` and `presence` optional; with presence the connection counts as
      present in the session and receives `presence` frames
  {"type": "unsubscribe", "session_id": 7}
  {"type": "ping"}
Server → client:
  {"type": "subscribed", "session_id": 7, "last_event_id": N}  replayed events follow,
      then live ones (ids above N)
  {"type": "resync_required", "session_id": 7}  sent just before `subscribed` when
      `after` cannot be replayed exactly: reload the session over HTTP
  {"type": "unsubscribed", "session_id": 7}
  {"type": "presence", "session_id": 7, "people": [{"id": 3, "display_name": ..}],
      "count": 1, "guests": 2}  who follows the session now (at most 100 names;
      `count` says how many people are signed in), on subscribing and on changes
  {"type": "pong", "last_event_id": N}, {"type": "heartbeat", "last_event_id": N}
  {"type": "error", "error": {"code": .., "message": ..}, "session_id": 7}
      (`session_id` when the error concerns a subscription; it also announces the
      end of one the caller may no longer see)
  events: `Event.frame`, serialized once per process for every subscriber

Pure functions and values, no I/O: `parse` turns one text frame into a request or
raises `ProtocolError`; the `*_frame` functions build the server's answers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from forum_server.i18n import N_
from forum_server.live.presence import Present
from forum_server.schemas import MAX_EVENT_ID, MAX_ID

# Close codes. 1xxx are the standard ones; 4xxx ours (4000 + the nearest HTTP status).
CLOSE_NORMAL = 1000
CLOSE_POLICY = 1008  # kept sending faster than the rate limit allows
CLOSE_TOO_LARGE = 1009
CLOSE_INTERNAL = 1011
CLOSE_RESTART = 1012  # the server is going away: reconnect (with `after`)
CLOSE_TOO_SLOW = 4008  # stopped reading; reconnect with `after`
CLOSE_SIGNED_OUT = 4401  # the sign-in or token ended while connected
CLOSE_FORBIDDEN_ORIGIN = 4403  # only ever sent before accepting (the client sees HTTP 403)
CLOSE_TOO_MANY = 4429  # this account or address already holds as many connections as allowed

# A session the caller may not see is refused exactly like one that does not exist.
NOT_FOUND = ("not_found", N_("No such session."))


class ProtocolError(Exception):
    """A frame refused: `message` is the English catalogue entry, translated into the
    connection's language when the error frame is sent (`params` fill it)."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        field: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        self.params = dict(params or {})
        super().__init__(message % self.params if self.params else message)
        self.code = code
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Subscribe:
    session_id: int
    after: int | None = None
    presence: bool = False


@dataclass(frozen=True)
class Unsubscribe:
    session_id: int


@dataclass(frozen=True)
class Ping:
    pass


Request = Subscribe | Unsubscribe | Ping


def parse(text: str) -> Request:
    """One client frame as a request; raises ProtocolError for anything else."""
    try:
        body = json.loads(text)
    # Bad JSON, or nesting deep enough to exhaust the parser's stack.
    except (ValueError, RecursionError):
        raise ProtocolError("bad_frame", N_("The frame is not valid JSON.")) from None
    if not isinstance(body, dict):
        raise ProtocolError("bad_frame", N_("The frame must be a JSON object."))
    kind = body.get("type")
    if kind == "ping":
        return Ping()
    if kind == "subscribe":
        after = body.get("after")
        if after is not None and not _is_id(after, minimum=0, maximum=MAX_EVENT_ID):
            raise ProtocolError(
                "invalid", N_("after must be a non-negative integer."), field="after"
            )
        presence = body.get("presence", False)
        if not isinstance(presence, bool):
            raise ProtocolError("invalid", N_("presence must be true or false."), field="presence")
        return Subscribe(_session_id(body), after, presence)
    if kind == "unsubscribe":
        return Unsubscribe(_session_id(body))
    if not isinstance(kind, str):
        raise ProtocolError("invalid", N_("type is required."), field="type")
    raise ProtocolError(
        "unknown_type", N_("Unknown frame type; use subscribe, unsubscribe or ping.")
    )


def _session_id(body: dict[str, Any]) -> int:
    value = body.get("session_id")
    if not _is_id(value, minimum=1, maximum=MAX_ID):
        raise ProtocolError(
            "invalid", N_("session_id must be a positive integer."), field="session_id"
        )
    return value


def _is_id(value: object, *, minimum: int, maximum: int) -> TypeGuard[int]:
    # bool is an int subclass; `true` is not an id.
    return isinstance(value, int) and not isinstance(value, bool) and minimum <= value <= maximum


def _frame(body: dict[str, Any]) -> str:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def subscribed_frame(session_id: int, last_event_id: int) -> str:
    return _frame({"type": "subscribed", "session_id": session_id, "last_event_id": last_event_id})


def unsubscribed_frame(session_id: int) -> str:
    return _frame({"type": "unsubscribed", "session_id": session_id})


def resync_frame(session_id: int) -> str:
    return _frame({"type": "resync_required", "session_id": session_id})


def presence_frame(present: Present, session_id: int) -> str:
    return _frame({"type": "presence", **present.as_json(session_id)})


def heartbeat_frame(last_event_id: int) -> str:
    return _frame({"type": "heartbeat", "last_event_id": last_event_id})


def pong_frame(last_event_id: int) -> str:
    return _frame({"type": "pong", "last_event_id": last_event_id})


def error_frame(
    code: str, message: str, *, session_id: int | None = None, field: str | None = None
) -> str:
    """An error frame saying `message` (already in the reader's language)."""
    error: dict[str, Any] = {"code": code, "message": message}
    if field is not None:
        error["field"] = field
    body: dict[str, Any] = {"type": "error", "error": error}
    if session_id is not None:
        body["session_id"] = session_id
    return _frame(body)
