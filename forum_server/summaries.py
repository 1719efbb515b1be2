"""Running summaries: their tables and how they are read.

Moderators sum up each guiding question's discussion (and the whole session) as it
goes; every text written is kept as a version. Thread pages show a question's
summary and reports carry them all, so the reads live here, beside the tables, on
neutral ground: forum pages and reports need not import moderation (which writes
them, see moderation/summaries.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NotRequired

from sqlalchemy import ForeignKey, Integer, Text, UniqueConstraint, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from typing_extensions import TypedDict

from forum_server.accounts.models import User
from forum_server.errors import NotFound
from forum_server.i18n import N_
from forum_server.orm import Base, UTCDateTime, utcnow
from forum_server.policy import Actor, load_session, load_thread
from forum_server.rooms.models import Question


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


class SummaryJson(TypedDict):
    session_id: int
    question_id: int | None
    question_number: int | None
    thread_id: int | None
    body: str
    html: str
    updated_at: str
    updated_by: str | None


@dataclass(frozen=True)
class SummaryView:
    """A running summary as everyone who may see its session reads it."""

    session_id: int
    question_id: int | None  # None: the summary of the whole session
    question_number: int | None
    thread_id: int | None  # the question's thread
    body: str  # Markdown source
    html: str  # rendered once, when written
    updated_at: datetime
    updated_by: str | None  # display name of whoever wrote the current text

    def as_json(self) -> SummaryJson:
        return {
            "session_id": self.session_id,
            "question_id": self.question_id,
            "question_number": self.question_number,
            "thread_id": self.thread_id,
            "body": self.body,
            "html": self.html,
            "updated_at": self.updated_at.isoformat(),
            "updated_by": self.updated_by,
        }


class SummaryVersionJson(TypedDict):
    id: int
    body: str
    written_at: str
    written_by: str | None


@dataclass(frozen=True)
class SummaryVersionView:
    id: int
    body: str
    written_at: datetime
    written_by: str | None

    def as_json(self) -> SummaryVersionJson:
        return {
            "id": self.id,
            "body": self.body,
            "written_at": self.written_at.isoformat(),
            "written_by": self.written_by,
        }


@dataclass(frozen=True)
class SessionSummaries:
    """A session's running summaries: `session` is the summary of the whole session
    (None until one is written); `questions` maps a guiding question's id to its
    summary, for the questions that have one."""

    session: SummaryView | None
    questions: dict[int, SummaryView]

    def by_number(self) -> list[SummaryView]:
        """The questions' summaries in question order."""
        return sorted(self.questions.values(), key=lambda s: s.question_number or 0)


def summary_view(summary: Summary, question: Question | None, writer: str | None) -> SummaryView:
    return SummaryView(
        session_id=summary.session_id,
        question_id=summary.question_id,
        question_number=question.number if question else None,
        thread_id=question.thread_id if question else None,
        body=summary.body,
        html=summary.html,
        updated_at=summary.updated_at,
        updated_by=writer,
    )


def _summaries_query() -> Any:
    return (
        select(Summary, Question, User.display_name)
        .outerjoin(Question, Question.id == Summary.question_id)
        .outerjoin(User, User.id == Summary.updated_by)
    )


async def summaries_for_session(
    db: AsyncSession, actor: Actor, session_id: int
) -> SessionSummaries:
    """Every running summary of a session, for anyone who may see the session (the
    summary report uses this). Raises NotFound like the session's other reads."""
    await load_session(db, actor, session_id)
    rows = await db.execute(_summaries_query().where(Summary.session_id == session_id))
    session_summary = None
    questions: dict[int, SummaryView] = {}
    for summary, question, writer in rows:
        view = summary_view(summary, question, writer)
        if summary.question_id is None:
            session_summary = view
        else:
            questions[summary.question_id] = view
    return SessionSummaries(session_summary, questions)


async def summary_for_thread(db: AsyncSession, actor: Actor, thread_id: int) -> SummaryView | None:
    """The running summary shown at the top of a guiding question's thread, if any."""
    await load_thread(db, actor, thread_id)
    row = (await db.execute(_summaries_query().where(Question.thread_id == thread_id))).first()
    return summary_view(row[0], row[1], row[2]) if row else None


class SummaryDetailJson(TypedDict):
    summary: SummaryJson | None
    versions: NotRequired[list[SummaryVersionJson]]  # for moderators only


@dataclass(frozen=True)
class SummaryDetail:
    summary: SummaryView | None
    versions: list[SummaryVersionView] | None  # newest first; for moderators only
    can_edit: bool

    def as_json(self) -> SummaryDetailJson:
        data: SummaryDetailJson = {"summary": self.summary.as_json() if self.summary else None}
        if self.versions is not None:
            data["versions"] = [v.as_json() for v in self.versions]
        return data


async def summary_detail(
    db: AsyncSession, actor: Actor, *, session_id: int | None = None, question_id: int | None = None
) -> SummaryDetail:
    """A session's (session_id) or a question's (question_id) summary; with its history
    for the session's moderators."""
    question = None
    if question_id is not None:
        question = await db.get(Question, question_id)
        if question is None:
            raise NotFound("No such question.")
        session_id = question.session_id
    assert session_id is not None
    try:
        _, access = await load_session(db, actor, session_id)
    except NotFound:
        raise NotFound(N_("No such question.") if question else N_("No such session.")) from None
    where = (
        Summary.question_id == question_id
        if question_id is not None
        else (Summary.session_id == session_id) & Summary.question_id.is_(None)
    )
    row = (await db.execute(_summaries_query().where(where))).first()
    view = summary_view(row[0], row[1], row[2]) if row else None
    versions = None
    if access.can_moderate:
        versions = []
        if row is not None:
            found = await db.execute(
                select(SummaryVersion, User.display_name)
                .outerjoin(User, User.id == SummaryVersion.written_by)
                .where(SummaryVersion.summary_id == row[0].id)
                .order_by(SummaryVersion.id.desc())
            )
            versions = [SummaryVersionView(v.id, v.body, v.written_at, name) for v, name in found]
    return SummaryDetail(view, versions, access.can_moderate)
