"""Tables for mail: the outbox, fan-out jobs, watches, the bookkeeping of reminders,
moderators' batches and digests, and the inbox of replies received by mail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum_server.events import EventId
from forum_server.orm import Base, UTCDateTime, utcnow


class OutboxMessage(Base):
    """One message to one address. Queued in the transaction that causes it; what it
    says is composed when it is sent (from `kind` and `context`), after the policy
    has checked again that the recipient may read it."""

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stable across retries and processes: a relay or client that sees it twice
    # knows it is one message; unique, so a job expanded twice queues it once.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    to_addr: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True
    )
    session_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    context: Mapped[str] = mapped_column(Text, default="{}")
    # queued | sending | sent | failed (permanently) | dropped (no longer readable)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(32), nullable=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (Index("ix_mail_outbox_status_next_attempt_at", "status", "next_attempt_at"),)


class MailJob(Base):
    """An event that may concern people by mail, written with the event; expanded
    into per-recipient messages in the background and then deleted."""

    __tablename__ = "mail_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(EventId)
    # Recipients are taken in user id order, a chunk per transaction: those up to
    # this id have their messages queued.
    done_through: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Watch(Base):
    """What someone chose to follow, and how: `post` (every post), `digest` (daily) or
    `none` (nothing, overriding the defaults). Targets: a session, a thread (a guiding
    question's or a topic), or `moderation` (id 0: the moderators' batches)."""

    __tablename__ = "mail_watches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("user_id", "target_type", "target_id"),
        Index("ix_mail_watches_target_type_target_id", "target_type", "target_id"),
    )


class ClosingReminder(Base):
    """A period whose "closes in 24 hours" notice was queued (once, whoever races)."""

    __tablename__ = "mail_closing_reminders"

    period_id: Mapped[int] = mapped_column(
        ForeignKey("session_periods.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ModerationItem(Base):
    """A held post or a new flag waiting to be told to one moderator in a batch."""

    __tablename__ = "mail_moderation_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # held | flag
    post_id: Mapped[int] = mapped_column(Integer)
    session_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_mail_moderation_items_user_id_id", "user_id", "id"),)


class DigestCursor(Base):
    """The newest post a person's daily digest has covered."""

    __tablename__ = "mail_digest_cursors"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    last_post_id: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MailCursor(Base):
    """How far a background pass has read a table (e.g. flags already told)."""

    __tablename__ = "mail_cursors"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class InboxMessage(Base):
    """A message received for one reply address, stored before the receiver answers
    250: what happens to it (a post, or an answer saying why not) is decided by the
    inbox worker, which claims it for a while (a lease), like the outbox's sender."""

    __tablename__ = "mail_inbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))  # the reply+ address
    mail_from: Mapped[str] = mapped_column(String(254), default="")  # "" for bounces
    # The message as received; emptied once it is done (its words are then a post).
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    # new | working | done
    status: Mapped[str] = mapped_column(String(16), default="new")
    # posted | held | answered | ignored | dropped (set once done)
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    post_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(32), nullable=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (Index("ix_mail_inbox_status_id", "status", "id"),)
