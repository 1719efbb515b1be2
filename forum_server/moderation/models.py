"""Tables for keeping order: flags (the audit log is forum_server.audit's, running
summaries forum_server.summaries').

Suspensions, holding rules and posting counters are read where posts are admitted
and live beside that write path (`rooms/models.py`); re-exported here for
moderation's own commands."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
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
