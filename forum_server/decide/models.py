"""Tables for reactions, polls and their ballots.

A vote is kept in two rows that share nothing but the poll: `poll_voters` says that
someone voted (one row a person: what keeps one vote per person, and what lets a page
show results to those who voted), `poll_ballots` what was chosen, under a key. For a
named poll the key is the voter's id and the ballot names them; for an anonymous one
the key is a keyed hash of the poll and the person (decide/ballots.py), the ballot
holds no user id and no time, and when the poll closes every key is replaced by a
random one, so from then on nothing links a person to a choice. Neither table has a
surrogate id or a timestamp that would let the order of rows pair them up.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum_server.orm import Base, UTCDateTime, utcnow


class Reaction(Base):
    """One person's reaction of one kind to one post (a second one takes it back)."""

    __tablename__ = "reactions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(
        String(16)
    )  # agree | disagree | thanks | question | important
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("post_id", "user_id", "kind"),)


class Poll(Base):
    """A poll or a proposal in a session, shown in one of its threads or on the session."""

    __tablename__ = "polls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # single | multiple | proposal
    title: Mapped[str] = mapped_column(String(300))
    details: Mapped[str] = mapped_column(Text, default="")
    # A JSON list of the options' labels; empty for a proposal (its positions are fixed).
    options: Mapped[str] = mapped_column(Text, default="[]")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    hide_results: Mapped[bool] = mapped_column(Boolean, default=False)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Anonymous ballots' keys were replaced by random ones (after closing).
    unlinked: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[str | None] = mapped_column(Text, nullable=True)
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


class PollVoter(Base):
    """That someone voted in a poll: one row a person, nothing about what."""

    __tablename__ = "poll_voters"

    poll_id: Mapped[int] = mapped_column(
        ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )


class PollBallot(Base):
    """What one voter chose: option numbers (a JSON list) or a proposal's position and
    reason. `user_id` only in a named poll; see the module's note on `voter_key`."""

    __tablename__ = "poll_ballots"

    poll_id: Mapped[int] = mapped_column(
        ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True
    )
    voter_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=True
    )
    choices: Mapped[str] = mapped_column(Text, default="[]")
    position: Mapped[str | None] = mapped_column(String(16), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_poll_ballots_user_id", "user_id"),)
