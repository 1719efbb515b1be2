"""Tables for keeping order: flags, running summaries, the audit log.

Suspensions, holding rules and posting counters are read where posts are admitted
and live beside that write path (`rooms/models.py`); re-exported here for
moderation's own commands."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum_server.orm import Base, UTCDateTime, utcnow
from forum_server.rooms.models import ModerationSettings as ModerationSettings
from forum_server.rooms.models import PostingHit as PostingHit
from forum_server.rooms.models import Suspension as Suspension


class Flag(Base):
    """A participant's report that a post needs a moderator's eyes."""

    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # open | dismissed | actioned
    status: Mapped[str] = mapped_column(String(16), default="open")
    resolved_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (UniqueConstraint("post_id", "user_id"),)


class Summary(Base):
    """A moderator's running summary of a guiding question's thread (question_id set)
    or of the whole session (question_id None). Earlier texts live in SummaryVersion."""

    __tablename__ = "summaries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), nullable=True
    )
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )

    __table_args__ = (UniqueConstraint("session_id", "question_id"),)


class SummaryVersion(Base):
    __tablename__ = "summary_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    summary_id: Mapped[int] = mapped_column(
        ForeignKey("summaries.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)
    written_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


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
