"""The audit log's table and its one writer: every moderation, membership and
settings action records who did what, when and why, inside its own transaction.

Neutral ground: rooms, reports and moderation all write here, so none of them has to
import another to leave a trace. The log is append-only; nothing updates or deletes
an entry.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum_server.db import UnitOfWork
from forum_server.orm import Base, UTCDateTime, utcnow
from forum_server.policy import Actor


class AuditEntry(Base):
    """Append-only record of every moderation and membership action."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    actor_name: Mapped[str] = mapped_column(String(80))
    space_id: Mapped[int | None] = mapped_column(
        ForeignKey("spaces.id", ondelete="CASCADE"), nullable=True
    )
    action: Mapped[str] = mapped_column(String(64))  # e.g. post.hidden, member.removed
    target_type: Mapped[str] = mapped_column(String(32))  # post, thread, user, member, session
    target_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    details: Mapped[str] = mapped_column(Text, default="{}")  # JSON

    __table_args__ = (Index("ix_audit_log_space_id_id", "space_id", "id"),)


def record(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    *,
    space_id: int | None,
    target_type: str,
    target_id: int | None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    uow.session.add(
        AuditEntry(
            actor_id=actor.user_id,
            actor_name=actor.display_name or "system",
            space_id=space_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            reason=reason,
            details=json.dumps(details or {}, ensure_ascii=False, default=str),
        )
    )
