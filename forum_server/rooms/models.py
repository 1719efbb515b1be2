"""Tables for spaces, their members, sessions, guiding questions, threads and posts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from forum_server.orm import Base, UTCDateTime, utcnow
from forum_server.rooms.state import PUBLIC, PUBLISHED


class Space(Base):
    """A forum or a workspace: the top-level place."""

    __tablename__ = "spaces"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(16), default=PUBLIC)  # PUBLIC | MEMBERS
    guest_posting: Mapped[bool] = mapped_column(Boolean, default=False)
    composition: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    # Reports: how contributions are attributed (named | country | none), chosen by the
    # secretariat; and whether members of a members space may download them.
    report_attribution: Mapped[str] = mapped_column(
        String(16), default="named", server_default="named"
    )
    members_may_download_reports: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # The report's cover: its document symbol ("CBD/CP/LG-CB/10/INF/2") and
    # distribution line ("General distribution"); a session's own override these.
    report_symbol: Mapped[str] = mapped_column(String(100), default="", server_default="")
    report_distribution: Mapped[str] = mapped_column(String(100), default="", server_default="")
    # Whether the transparency summary of moderation is for all who may read the space
    # (else for its moderators only); chosen by its owners and the secretariat.
    transparency_public: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )


class Membership(Base):
    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="member")  # owner | moderator | member
    designation: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("space_id", "user_id"),)


class ForumSession(Base):
    """A time-boxed discussion in a space. Its state is derived from its periods and
    the clock, never stored, so it cannot go stale."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    participant_topics: Mapped[bool] = mapped_column(Boolean, default=False)
    posting: Mapped[str] = mapped_column(String(16), default="signed_in")  # signed_in | members
    # forum (threads over days) | conference (a live conversation over hours, by agenda).
    format: Mapped[str] = mapped_column(String(16), default="forum", server_default="forum")
    # Conference: the agenda item (guiding question number) under discussion now;
    # None before the moderator starts the agenda (the first item is then current).
    agenda_item: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Conference: messages per minute per participant; None: the default (rooms/conference.py).
    message_limit: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The report's cover, where they differ from the space's (empty: the space's).
    report_symbol: Mapped[str] = mapped_column(String(100), default="", server_default="")
    report_distribution: Mapped[str] = mapped_column(String(100), default="", server_default="")
    # How many people the moderators expect to take part; below it the participation
    # page suggests extending the session. None: no expectation set.
    expected_participants: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


class SessionPeriod(Base):
    """One period a session is open. Re-opening adds a period; none is ever lost."""

    __tablename__ = "session_periods"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Set once the opening / closing has been announced as an event: the scheduler's
    # conditional update on these lets several processes race without duplicates.
    open_announced: Mapped[bool] = mapped_column(Boolean, default=False)
    close_announced: Mapped[bool] = mapped_column(Boolean, default=False)


class SessionModerator(Base):
    __tablename__ = "session_moderators"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Thread(Base):
    __tablename__ = "threads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    post_count: Mapped[int] = mapped_column(Integer, default=0)
    last_post_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Question(Base):
    """A numbered guiding question; its discussion is its own thread."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A conference's agenda: when the item is planned to start, and when the moderator
    # first moved to it and last moved on from it.
    planned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (UniqueConstraint("session_id", "number"),)


class Post(Base):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL"), nullable=True
    )
    depth: Mapped[int] = mapped_column(Integer, default=0)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    guest_name: Mapped[str | None] = mapped_column(String(80), nullable=True)
    guest_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    # The network a guest posted from (throttle.network_of), for the share of
    # the review queue each network may fill; never shown.
    guest_network: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # The version of the space's participation terms a guest accepted on the form.
    guest_terms_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    # The language the post is written in (one of the six); None for posts from before.
    lang: Mapped[str | None] = mapped_column(String(8), nullable=True)
    # published | pending | rejected | hidden
    status: Mapped[str] = mapped_column(String(16), default=PUBLISHED)
    moderation_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    highlighted: Mapped[bool] = mapped_column(Boolean, default=False)
    client_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The author's profile as it was when the post was written: participation figures
    # count these, so a later change of profile does not rewrite a past report.
    author_country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    author_region: Mapped[str | None] = mapped_column(String(16), nullable=True)
    author_affiliation: Mapped[str | None] = mapped_column(String(32), nullable=True)
    author_gender: Mapped[str | None] = mapped_column(String(32), nullable=True)

    __table_args__ = (
        Index("ix_posts_thread_id_id", "thread_id", "id"),
        Index("ix_posts_session_id_status", "session_id", "status"),
        # A retry with the same client id finds the original instead of duplicating it.
        UniqueConstraint("author_id", "client_id"),
    )


class PostVersion(Base):
    """An earlier text of an edited post, kept for moderators."""

    __tablename__ = "post_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    replaced_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class Invitation(Base):
    """An owner's invitation to join a space. The link carries a random token; we keep
    only its hash. Single use (accepted_at), expiring, revocable."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(16), default="member")
    designation: Mapped[str | None] = mapped_column(String(32), nullable=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    accepted_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


# --- admission: who may contribute right now (rooms/admission.py) ---------------------


class Suspension(Base):
    """A user may not post in a space (or anywhere, when space_id is None) until `until`."""

    __tablename__ = "suspensions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    space_id: Mapped[int | None] = mapped_column(
        ForeignKey("spaces.id", ondelete="CASCADE"), nullable=True
    )
    reason: Mapped[str] = mapped_column(Text)
    until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    lifted_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


class ModerationSettings(Base):
    """How a space's moderators hold contributions for review before they are published.
    A space without a row uses the defaults: guests held, accounts not held."""

    __tablename__ = "moderation_settings"

    space_id: Mapped[int] = mapped_column(
        ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True
    )
    # Hold each account's first N contributions in the space (0: hold none).
    hold_first_posts: Mapped[int] = mapped_column(Integer, default=0)
    hold_guest_posts: Mapped[bool] = mapped_column(Boolean, default=True)
    # Posts per 10 minutes per account and per guest network; None: the defaults
    # (rooms/admission.py).
    account_post_limit: Mapped[int | None] = mapped_column(Integer, nullable=True)
    guest_post_limit: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


class PostingHit(Base):
    """One contribution, counted per guest address and per account for rate limits.
    Kept in the database so every server process counts the same."""

    __tablename__ = "posting_hits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_posting_hits_key_at", "key", "at"),)


class PreviewHit(Base):
    """One preview rendered, counted per account (and per network for guests) for its
    rate limit: a preview costs the rendering workers what a post does."""

    __tablename__ = "preview_hits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_preview_hits_key_at", "key", "at"),)
