"""Tables for national focal points: the register, notifications, and each message
sent (its signed link's digest kept with it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum_server.orm import Base, UTCDateTime, utcnow


class FocalPoint(Base):
    """One person in the register: a country has several, one of them primary. The
    account is linked once its holder follows a link (or one with this address exists)."""

    __tablename__ = "focal_points"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    name: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200), default="")
    organization: Mapped[str] = mapped_column(String(200), default="")
    # One register entry per address: a notification reaches a person once.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FocalNotification(Base):
    """A message from the secretariat to all focal points or those of chosen regions,
    optionally pointing at something they can act on (`target_kind`, `target_id`)."""

    __tablename__ = "focal_notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    regions: Mapped[str] = mapped_column(String(200), default="")  # comma-separated; "" all
    target_kind: Mapped[str | None] = mapped_column(String(16), nullable=True)
    target_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    documents: Mapped[str] = mapped_column(String(400), default="")  # library document ids
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # An automatic reminder round, once, at this time (None: reminders by hand only).
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class FocalDelivery(Base):
    """One message to one focal point (the notification or a reminder of it): the
    record of who it went to and when, with the digest of its single-use link."""

    __tablename__ = "focal_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("focal_notifications.id", ondelete="CASCADE")
    )
    # None once the entry is removed from the register: its links stop working.
    focal_point_id: Mapped[int | None] = mapped_column(
        ForeignKey("focal_points.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # As sent: the record stays readable after the register changes.
    name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(254))
    country: Mapped[str] = mapped_column(String(2))
    reminder: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    used_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )

    __table_args__ = (Index("ix_focal_deliveries_notification_id_id", "notification_id", "id"),)
