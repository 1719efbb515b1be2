"""The event types a webhook may ask for, and what each delivery carries: what every
reader of the space sees (the live feed's public view), never a moderator's."""

from __future__ import annotations

import json
from typing import Any

from forum_server.events import EventRecord
from forum_server.i18n import N_
from forum_server.rooms.state import PUBLISHED

# Webhook type → (the stored event type it comes from, what it says).
TYPES: dict[str, tuple[str, str]] = {
    "session.opened": ("session.opened", N_("A session opened")),
    "session.closed": ("session.closed", N_("A session closed")),
    "session.reopened": ("session.reopened", N_("A session was re-opened")),
    "session.extended": ("session.extended", N_("A session's closing time moved")),
    "question.added": ("question.added", N_("A guiding question was added")),
    "thread.created": ("thread.created", N_("A topic was started")),
    "post.published": ("post.created", N_("A contribution was published")),
    "summary.updated": ("summary.updated", N_("A moderator's summary was written")),
    "poll.closed": ("poll.closed", N_("A poll or proposal closed, with its results")),
    # A closed session's report no longer changes by contributions: the moment a
    # portal links the final report.
    "report.ready": ("session.closed", N_("A session's report is final (the session closed)")),
    "call.opened": ("call.opened", N_("A call for submissions was opened")),
    "submission.received": ("submission.received", N_("A public submission to a call came in")),
}
TEST = "ping"
_BY_STORED: dict[str, tuple[str, ...]] = {}
for _name, (_stored, _) in TYPES.items():
    _BY_STORED[_stored] = (*_BY_STORED.get(_stored, ()), _name)


def webhook_types(record: EventRecord) -> tuple[str, ...]:
    """The webhook types an event is delivered as (none, one, or several)."""
    return _BY_STORED.get(record.type, ())


def public_data(record: EventRecord) -> dict[str, Any] | None:
    """The event's payload as every reader sees it, or None when it is not for every
    reader (a post event is only ever about a published post here)."""
    data: dict[str, Any] = json.loads(record.data)
    if record.type == "post.created" and data.get("status") != PUBLISHED:
        return None
    if record.type == "submission.received" and not data.get("public"):
        return None  # a restricted submission is for its country and the managers
    return data


def body(
    *,
    event_id: int | None,
    type: str,
    time: str,
    space: str | None,
    session_id: int | None,
    thread_id: int | None,
    data: dict[str, Any],
) -> str:
    return json.dumps(
        {
            "id": event_id,
            "type": type,
            "time": time,
            "space": space,
            "session_id": session_id,
            "thread_id": thread_id,
            "data": data,
        },
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
