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
    data: dict[str, Any],
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
