"""Events: durable records of what happened, the unit of live delivery.

An event is written in the same transaction as the change it describes and
published (its id, through the broker) only after that transaction commits. The
table is the source of truth: a client or process that missed a message reads
what it missed from here, in id order.

This module knows nothing of the domain: it stores a type, the place the event
belongs to (space, session, thread) and a JSON payload.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, Text, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from forum_server.orm import Base, UTCDateTime, utcnow

# SQLite only autoincrements a plain INTEGER primary key; PostgreSQL gets a BIGINT.
EventId = BigInteger().with_variant(Integer(), "sqlite")


class EventRecord(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(EventId, primary_key=True, autoincrement=True)
    type: Mapped[str] = mapped_column(String(64))
    space_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    session_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    thread_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    data: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_events_session_id_id", "session_id", "id"),)


@dataclass(frozen=True)
class Event:
    """An event as readers see it; `frame` is its wire form, built once."""

    id: int
    type: str
    space_id: int | None
    session_id: int | None
    thread_id: int | None
    data: dict[str, Any]
    created_at: datetime

    @property
    def frame(self) -> str:
        return json.dumps(
            {
                "id": self.id,
                "type": self.type,
                "session_id": self.session_id,
                "thread_id": self.thread_id,
                "data": self.data,
            },
            separators=(",", ":"),
            ensure_ascii=False,
        )

    @classmethod
    def from_record(cls, record: EventRecord) -> Event:
        return cls(
            id=record.id,
            type=record.type,
            space_id=record.space_id,
            session_id=record.session_id,
            thread_id=record.thread_id,
            data=json.loads(record.data),
            created_at=record.created_at,
        )


def new_event_record(
    type: str,
    data: Mapping[str, Any],
    *,
    space_id: int | None = None,
    session_id: int | None = None,
    thread_id: int | None = None,
) -> EventRecord:
    return EventRecord(
        type=type,
        space_id=space_id,
        session_id=session_id,
        thread_id=thread_id,
        data=json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=str),
        created_at=utcnow(),
    )


async def events_after(
    db: AsyncSession, after: int, *, session_id: int | None = None, limit: int = 500
) -> list[Event]:
    """Events with ids above `after`, oldest first (optionally for one session)."""
    query = select(EventRecord).where(EventRecord.id > after).order_by(EventRecord.id).limit(limit)
    if session_id is not None:
        query = query.where(EventRecord.session_id == session_id)
    rows = (await db.scalars(query)).all()
    return [Event.from_record(row) for row in rows]


# --- the registry of event types ---------------------------------------------------
#
# Every type the server writes, with its payload's fields and who may be sent it live.
# policy.may_receive_event decides from `audience`; docs/api.md lists the same table;
# tests/test_event_registry.py keeps code, registry and documentation in step. A type
# not registered here is sent to moderators only (fail closed).

EVERY_VIEWER = "every viewer"  # everyone who may see the session
MODERATORS = "moderators"  # the session's moderators
POST_BY_POST = "post by post"  # whoever may see that post now (policy.may_see_post)
LOG_ONLY = "log only"  # about a space, not a session: kept, never sent to subscribers

POST_FIELDS = (
    "id",
    "thread_id",
    "parent_id",
    "depth",
    "author",
    "body",
    "html",
    "status",
    "created_at",
    "edited_at",
    "highlighted",
    "moderation_reason",
    "lang",
)
_PERIOD = ("session_id", "opens_at", "closes_at")
_QUESTION = ("id", "number", "text", "thread_id", "planned_at", "started_at", "ended_at")
_POLL = ("id", "session_id", "thread_id")


@dataclass(frozen=True)
class EventType:
    name: str
    audience: str  # EVERY_VIEWER, MODERATORS, POST_BY_POST or LOG_ONLY
    fields: tuple[str, ...]  # the payload's top-level field names
    says: str  # what happened, for the documentation
    # Receivers' access to the space must be looked up again before any later event
    # of the space is sent (`data.user_id` narrows it to one person).
    changes_access: bool = False


EVENT_TYPES: dict[str, EventType] = {
    t.name: t
    for t in (
        EventType("post.created", POST_BY_POST, POST_FIELDS, "a post was published"),
        EventType("post.held", POST_BY_POST, POST_FIELDS, "a post waits for review"),
        EventType("post.edited", POST_BY_POST, POST_FIELDS, "a post has a new text"),
        EventType("post.hidden", POST_BY_POST, POST_FIELDS, "a post was hidden (placeholder)"),
        EventType("post.restored", POST_BY_POST, POST_FIELDS, "a hidden post is shown again"),
        EventType(
            "post.rejected",
            POST_BY_POST,
            ("id", "thread_id", "status", "author"),
            "a held post was turned down (to its author and moderators, no text)",
        ),
        EventType("post.highlighted", POST_BY_POST, POST_FIELDS, "marked for the summary report"),
        EventType("post.unhighlighted", POST_BY_POST, POST_FIELDS, "unmarked"),
        EventType(
            "thread.created", EVERY_VIEWER, ("id", "title", "session_id"), "a topic was started"
        ),
        EventType("thread.locked", EVERY_VIEWER, ("id", "thread_id", "locked"), "no more posts"),
        EventType("thread.unlocked", EVERY_VIEWER, ("id", "thread_id", "locked"), "posts again"),
        EventType("question.added", EVERY_VIEWER, _QUESTION, "a guiding question was added"),
        EventType("question.edited", EVERY_VIEWER, _QUESTION, "a question's wording changed"),
        EventType(
            "agenda.moved",
            EVERY_VIEWER,
            ("session_id", "number", "question_id", "thread_id", "text", "at", "previous"),
            "a conference moved to another agenda item",
        ),
        EventType("session.created", EVERY_VIEWER, ("session_id", "title"), "a new session"),
        EventType(
            "session.updated",
            EVERY_VIEWER,
            ("session_id", "title"),
            "title, settings, times, a scheduled re-opening or moderators changed",
            # Who moderates the session may have changed: access is looked up again.
            changes_access=True,
        ),
        EventType("session.opened", EVERY_VIEWER, _PERIOD, "a period began"),
        EventType("session.closed", EVERY_VIEWER, _PERIOD, "a period ended"),
        EventType("session.reopened", EVERY_VIEWER, _PERIOD, "a new period after a close"),
        EventType("session.extended", EVERY_VIEWER, _PERIOD, "the closing time moved"),
        EventType(
            "summary.updated",
            EVERY_VIEWER,
            (
                "session_id",
                "question_id",
                "question_number",
                "thread_id",
                "body",
                "html",
                "updated_at",
                "updated_by",
            ),
            "a running summary was written",
        ),
        EventType(
            "reaction.changed",
            EVERY_VIEWER,
            ("post_id", "thread_id", "counts"),
            "a post's reactions changed (counts only, never who)",
        ),
        EventType("poll.created", EVERY_VIEWER, _POLL, "a poll or proposal was started"),
        EventType("poll.voted", EVERY_VIEWER, _POLL, "someone voted (ids only: pages fetch it)"),
        EventType("poll.closed", EVERY_VIEWER, _POLL, "a poll closed"),
        EventType("poll.outcome", EVERY_VIEWER, _POLL, "a closed poll's outcome was written"),
        EventType(
            "flag.resolved", MODERATORS, ("flag_id", "post_id", "status"), "a flag was dismissed"
        ),
        EventType(
            "space.holding_changed",
            LOG_ONLY,
            (
                "space",
                "guest_posting",
                "hold_guest_posts",
                "hold_first_posts",
                "account_post_limit",
                "guest_post_limit",
                "post_limit_minutes",
            ),
            "what the space holds for review, or its posting limits, changed",
        ),
        EventType(
            "user.suspended",
            LOG_ONLY,
            ("user_id", "suspension_id", "until", "scope"),
            "someone may not post in the space (or anywhere)",
        ),
        EventType(
            "user.suspension_lifted",
            LOG_ONLY,
            ("suspension_id", "user_id"),
            "a suspension was lifted",
        ),
        EventType(
            "user.deactivated",
            LOG_ONLY,
            ("user_id",),
            "an account was deactivated (every process ends its live connections)",
        ),
        EventType(
            "user.signed_out",
            LOG_ONLY,
            ("user_id",),
            "someone signed out, revoked an API token or changed their password (every "
            "process ends the live connections that came with it)",
        ),
        EventType(
            "user.sign_in_reset",
            LOG_ONLY,
            ("user_id",),
            "the secretariat ended an account's sign-ins (every process ends its live connections)",
        ),
        EventType(
            "membership.changed",
            LOG_ONLY,
            ("user_id", "role", "designation", "before"),
            "someone joined the space or changed role",
            changes_access=True,
        ),
        EventType(
            "call.opened",
            LOG_ONLY,
            ("call_id", "title", "deadline", "addressed_to"),
            "a call for submissions was opened in the space",
        ),
        EventType(
            "submission.received",
            LOG_ONLY,
            ("call_id", "submission_id", "kind", "submitter", "public"),
            "a country or organization submitted to a call (never its text)",
        ),
        EventType(
            "membership.removed",
            LOG_ONLY,
            ("user_id",),
            "someone left the space",
            changes_access=True,
        ),
    )
}

ACCESS_EVENTS = frozenset(t.name for t in EVENT_TYPES.values() if t.changes_access)


def audience_of(type: str) -> str:
    """Who may be sent an event of this type; MODERATORS for an unregistered one."""
    registered = EVENT_TYPES.get(type)
    return registered.audience if registered is not None else MODERATORS
