"""Tables of calls for submissions: the calls, who submits for which country or
organization, the submissions (one per call and submitter), their documents, and the
reminders already sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum_server.orm import Base, UTCDateTime, utcnow

# Whom a call is addressed to, and what a designated submitter speaks for.
PARTY, OTHER_GOVERNMENT, ORGANIZATION = "party", "other_government", "organization"
ADDRESSEES: tuple[str, ...] = (PARTY, OTHER_GOVERNMENT, ORGANIZATION)


class Call(Base):
    """A call for submissions in a space. `addressed_to` is kept as ",party,organization,"."""

    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    text_html: Mapped[str] = mapped_column(Text, default="")
    addressed_to: Mapped[str] = mapped_column(String(100))
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    # Days before the deadline at which those who have not submitted are reminded, ",7,1,".
    reminder_days: Mapped[str] = mapped_column(String(100), default="")
    # The compilation's cover: document symbol and distribution line.
    symbol: Mapped[str] = mapped_column(String(100), default="")
    distribution: Mapped[str] = mapped_column(String(100), default="")
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CallSubmitter(Base):
    """A person designated to submit for one country (a Party or another government) or
    one organization in a space's calls; one designation per person per space."""

    __tablename__ = "call_submitters"

    space_id: Mapped[int] = mapped_column(
        ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # party | other_government | organization
    # "BR" for a government, the organization's name for an organization.
    submitter: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_call_submitters_space_submitter", "space_id", "submitter"),)


class Submission(Base):
    """The one submission of a country or organization to a call. The unique constraint
    is what makes two submitters of one country racing to submit end with one row."""

    __tablename__ = "call_submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    submitter: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    text_html: Mapped[str] = mapped_column(Text, default="")
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    # Where the secretariat placed it in the compilation (None: after the placed ones).
    position: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("call_id", "submitter", name="uq_call_submissions_call_id_submitter"),
    )


class SubmissionFile(Base):
    """A document of a submission: an upload served only through the call's policy."""

    __tablename__ = "call_submission_files"

    submission_id: Mapped[int] = mapped_column(
        ForeignKey("call_submissions.id", ondelete="CASCADE"), primary_key=True
    )
    upload_id: Mapped[int] = mapped_column(
        ForeignKey("uploads.id", ondelete="CASCADE"), primary_key=True
    )


class CallReminder(Base):
    """A reminder sent `days` before a call's deadline: recorded so it goes out once."""

    __tablename__ = "call_reminders"

    call_id: Mapped[int] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True
    )
    days: Mapped[int] = mapped_column(Integer, primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
