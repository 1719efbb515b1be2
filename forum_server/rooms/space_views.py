"""What the forum's reads and commands return: frozen views of spaces, sessions,
questions and threads, for the API (`as_json`) and the page templates alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from typing_extensions import TypedDict

from forum_server.rooms.models import Question, Space
from forum_server.rooms.posts_view import PostJson, PostView
from forum_server.rooms.state import Period


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class SpaceJson(TypedDict):
    id: int
    slug: str
    title: str
    description: str
    visibility: str
    guest_posting: bool
    composition: str | None


@dataclass(frozen=True)
class SpaceSummary:
    id: int
    slug: str
    title: str
    description: str
    description_html: str
    visibility: str
    guest_posting: bool
    composition: str | None
    # The page links to the transparency summary where its owners made it public.
    transparency_public: bool = False

    def as_json(self) -> SpaceJson:
        return {
            "id": self.id,
            "slug": self.slug,
            "title": self.title,
            "description": self.description,
            "visibility": self.visibility,
            "guest_posting": self.guest_posting,
            "composition": self.composition,
        }


def space_summary(space: Space) -> SpaceSummary:
    return SpaceSummary(
        space.id,
        space.slug,
        space.title,
        space.description,
        space.description_html,
        space.visibility,
        space.guest_posting,
        space.composition,
        space.transparency_public,
    )


class SessionSummaryJson(TypedDict):
    id: int
    title: str
    state: str
    opens_at: str | None
    closes_at: str | None
    post_count: int
    last_post_at: str | None


@dataclass(frozen=True)
class SessionSummary:
    id: int
    title: str
    state: str
    opens_at: datetime | None
    closes_at: datetime | None
    post_count: int
    last_post_at: datetime | None

    def as_json(self) -> SessionSummaryJson:
        return {
            "id": self.id,
            "title": self.title,
            "state": self.state,
            "opens_at": iso(self.opens_at),
            "closes_at": iso(self.closes_at),
            "post_count": self.post_count,
            "last_post_at": iso(self.last_post_at),
        }


class SpaceDetailJson(SpaceJson):
    sessions: list[SessionSummaryJson]


@dataclass(frozen=True)
class SpaceDetail:
    space: SpaceSummary
    sessions: list[SessionSummary]
    can_manage: bool
    role: str | None

    def as_json(self) -> SpaceDetailJson:
        return {**self.space.as_json(), "sessions": [s.as_json() for s in self.sessions]}


class QuestionJson(TypedDict):
    id: int
    number: int
    text: str
    thread_id: int
    planned_at: str | None
    started_at: str | None
    ended_at: str | None


@dataclass(frozen=True)
class QuestionView:
    id: int
    number: int
    text: str
    thread_id: int
    post_count: int
    session_id: int
    # A conference's agenda item: planned, first moved to, last moved on from.
    planned_at: datetime | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None

    def as_json(self) -> QuestionJson:
        return {
            "id": self.id,
            "number": self.number,
            "text": self.text,
            "thread_id": self.thread_id,
            "planned_at": iso(self.planned_at),
            "started_at": iso(self.started_at),
            "ended_at": iso(self.ended_at),
        }


def question_view(question: Question, post_count: int) -> QuestionView:
    return QuestionView(
        question.id,
        question.number,
        question.text,
        question.thread_id,
        post_count,
        question.session_id,
        question.planned_at,
        question.started_at,
        question.ended_at,
    )


class SpaceRefJson(TypedDict):
    slug: str
    title: str


class PeriodJson(TypedDict):
    opens_at: str | None
    closes_at: str | None


class ModeratorJson(TypedDict):
    id: int
    display_name: str


class SessionDetailJson(TypedDict):
    id: int
    space: SpaceRefJson
    title: str
    description: str
    state: str
    opens_at: str | None
    closes_at: str | None
    periods: list[PeriodJson]
    moderators: list[ModeratorJson]
    questions: list[QuestionJson]
    participant_topics: bool
    posting: str
    format: str
    agenda_item: int | None
    message_limit: int | None
    report_symbol: str
    report_distribution: str


@dataclass(frozen=True)
class SessionDetail:
    id: int
    space: SpaceSummary
    title: str
    description: str
    description_html: str
    state: str
    periods: list[Period]
    moderators: list[ModeratorJson]
    questions: list[QuestionView]
    participant_topics: bool
    posting: str
    can_moderate: bool
    can_post: bool
    next_change: datetime | None
    topics: list[ThreadSummary] = field(default_factory=list)
    can_start_topic: bool = False
    # For those who may change the moderators (the form names them by address).
    can_appoint_moderators: bool = False
    moderator_emails: tuple[str, ...] = ()
    can_suspend: bool = False  # suspend authors in the whole space (space moderators)
    format: str = "forum"
    # Conference: the number of the agenda item under discussion (None: no agenda
    # yet); messages per minute per participant as set (None: the default).
    agenda_item: int | None = None
    message_limit: int | None = None

    @property
    def current_question(self) -> QuestionView | None:
        return next((q for q in self.questions if q.number == self.agenda_item), None)

    report_symbol: str = ""  # the report's cover (empty: the space's)
    report_distribution: str = ""

    @property
    def opens_at(self) -> datetime | None:
        return self.periods[-1].opens_at if self.periods else None

    @property
    def closes_at(self) -> datetime | None:
        return self.periods[-1].closes_at if self.periods else None

    def as_json(self) -> SessionDetailJson:
        return {
            "id": self.id,
            "space": {"slug": self.space.slug, "title": self.space.title},
            "title": self.title,
            "description": self.description,
            "state": self.state,
            "opens_at": iso(self.opens_at),
            "closes_at": iso(self.closes_at),
            "periods": [
                {"opens_at": iso(p.opens_at), "closes_at": iso(p.closes_at)} for p in self.periods
            ],
            "moderators": self.moderators,
            "questions": [q.as_json() for q in self.questions],
            "participant_topics": self.participant_topics,
            "posting": self.posting,
            "format": self.format,
            "agenda_item": self.agenda_item,
            "message_limit": self.message_limit,
            "report_symbol": self.report_symbol,
            "report_distribution": self.report_distribution,
        }


class ThreadQuestionJson(TypedDict):
    number: int
    text: str | None


class ThreadJson(TypedDict):
    id: int
    session_id: int
    title: str
    question: ThreadQuestionJson | None
    locked: bool
    post_count: int
    last_post_at: str | None


@dataclass(frozen=True)
class ThreadSummary:
    id: int
    session_id: int
    title: str
    question_number: int | None
    question_text: str | None
    locked: bool
    post_count: int
    last_post_at: datetime | None

    def as_json(self) -> ThreadJson:
        return {
            "id": self.id,
            "session_id": self.session_id,
            "title": self.title,
            "question": (
                {"number": self.question_number, "text": self.question_text}
                if self.question_number is not None
                else None
            ),
            "locked": self.locked,
            "post_count": self.post_count,
            "last_post_at": iso(self.last_post_at),
        }


class StartedThreadJson(ThreadJson):
    first_post: PostJson


@dataclass(frozen=True)
class StartedThread:
    """A topic just started, with its first post (held for review, maybe)."""

    thread: ThreadSummary
    first_post: PostView

    def as_json(self) -> StartedThreadJson:
        return {**self.thread.as_json(), "first_post": self.first_post.as_json()}
