"""Validated input for spaces, sessions, questions, threads and posts."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal, TypeVar

from pydantic import Field, ValidationInfo, field_validator, model_validator

from forum_server.i18n import N_
from forum_server.rooms.markdown import MAX_SOURCE_CHARS
from forum_server.schemas import Id, Input, Problem, Timestamp, TooLong, aware_utc
from forum_server.text import clean_line

_RESERVED_SLUGS = {"new"}  # /spaces/new is the page that creates spaces
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
MAX_DESCRIPTION_CHARS = 20_000
MAX_QUESTION_CHARS = 2_000
# The language a contribution is written in: one of the six (i18n.CODES, which a test
# holds this to).
PostLanguage = Literal["ar", "zh", "en", "fr", "ru", "es"]


def _title(value: str) -> str:
    return clean_line(value, max_length=200)


def _optional_title(value: str | None) -> str | None:
    return _title(value) if value is not None else None


MAX_COVER_LINE_CHARS = 100


def cover_line(value: str | None) -> str | None:
    """A report cover's document symbol or distribution line: one short line, or
    empty for none (None where the field may be left out: unchanged)."""
    if value is None:
        return None
    return clean_line(value, max_length=MAX_COVER_LINE_CHARS) if value.strip() else ""


def _nonblank(value: str) -> str:
    if not value.strip():
        raise ValueError(N_("must not be empty"))
    return value


def _question(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError(N_("must not be empty"))
    if len(value) > MAX_QUESTION_CHARS:
        raise TooLong(MAX_QUESTION_CHARS)
    return value


class SpaceCreate(Input):
    slug: str
    title: str
    description: str = Field(default="", max_length=MAX_DESCRIPTION_CHARS)
    visibility: Literal["public", "members"] = "public"
    guest_posting: bool = False
    composition: Literal["liaison_group"] | None = None
    report_symbol: str = ""
    report_distribution: str = ""

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _SLUG.match(value):
            raise ValueError(
                N_("use 1-64 lower-case letters, digits and hyphens, e.g. 'online-forum'")
            )
        if value in _RESERVED_SLUGS:
            raise Problem(N_("'%(slug)s' is reserved; choose another slug"), slug=value)
        return value

    _title = field_validator("title")(_title)
    _cover = field_validator("report_symbol", "report_distribution")(cover_line)


SessionFormat = Literal["forum", "conference"]
# Messages per minute per participant in a conference (rooms/conference.py).
MessageLimit = Annotated[int, Field(ge=1, le=600)]


class QuestionCreate(Input):
    """A guiding question; in a conference, an agenda item with its planned time."""

    text: str
    planned_at: Timestamp | None = None

    _text = field_validator("text")(_question)
    _times = field_validator("planned_at")(aware_utc)


class SpaceUpdate(Input):
    """A space's title and description; a field left out keeps its value."""

    title: str | None = None
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_CHARS)

    _title = field_validator("title")(_optional_title)

    @model_validator(mode="after")
    def _something(self) -> SpaceUpdate:
        if self.title is None and self.description is None:
            raise ValueError(N_("Nothing to change: give at least one field."))
        return self


class SessionCreate(Input):
    title: str
    description: str = Field(default="", max_length=MAX_DESCRIPTION_CHARS)
    opens_at: Timestamp | None = None
    closes_at: Timestamp | None = None
    moderator_ids: list[Id] = Field(default_factory=list, max_length=50)
    # Each a text, or (for an agenda) {"text": ..., "planned_at": ...}.
    questions: list[str | QuestionCreate] = Field(default_factory=list, max_length=50)
    participant_topics: bool = False
    posting: Literal["signed_in", "members"] = "signed_in"
    format: SessionFormat = "forum"
    message_limit: MessageLimit | None = None
    report_symbol: str = ""
    report_distribution: str = ""

    _title = field_validator("title")(_title)
    _times = field_validator("opens_at", "closes_at")(aware_utc)
    _cover = field_validator("report_symbol", "report_distribution")(cover_line)

    @field_validator("questions")
    @classmethod
    def _questions(cls, value: list[str | QuestionCreate]) -> list[str | QuestionCreate]:
        return [_question(item) if isinstance(item, str) else item for item in value]

    def agenda(self) -> list[QuestionCreate]:
        """The questions, each with its planned time (None where not given)."""
        return [
            QuestionCreate(text=item) if isinstance(item, str) else item for item in self.questions
        ]

    @field_validator("closes_at")
    @classmethod
    def _period(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        opens_at = info.data.get("opens_at")
        if value is not None and opens_at is None:
            raise ValueError(N_("a closing time needs an opening time"))
        if value is not None and opens_at is not None and value <= opens_at:
            raise ValueError(N_("the closing time must be after the opening time"))
        return value


class SessionModerators(Input):
    """Who moderates a session: the whole list, replacing the one before."""

    moderator_ids: list[Id] = Field(max_length=50)


class SessionUpdate(Input):
    title: str | None = None
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_CHARS)
    # A draft's or scheduled session's opening (scheduling or moving it).
    opens_at: Timestamp | None = None
    closes_at: Timestamp | None = None
    participant_topics: bool | None = None
    posting: Literal["signed_in", "members"] | None = None
    format: SessionFormat | None = None
    message_limit: MessageLimit | None = None  # null: back to the default
    # The report's cover; empty to use the space's.
    report_symbol: str | None = None
    report_distribution: str | None = None

    _title = field_validator("title")(_optional_title)
    _times = field_validator("opens_at", "closes_at")(aware_utc)
    _cover = field_validator("report_symbol", "report_distribution")(cover_line)

    @field_validator(
        "title",
        "description",
        "opens_at",
        "participant_topics",
        "posting",
        "format",
        "report_symbol",
        "report_distribution",
        mode="before",
    )
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Leave a field out to keep it; null would silently change nothing.
        if value is None:
            raise ValueError(N_("may not be null (leave the field out to keep it)"))
        return value

    @model_validator(mode="after")
    def _something(self) -> SessionUpdate:
        if not self.model_fields_set:
            raise ValueError(N_("Nothing to change: give at least one field."))
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValueError(N_("the closing time must be after the opening time"))
        return self


class Reopen(Input):
    """A new period after a close: from `opens_at` (now when left out; a later time
    schedules the re-opening) until `closes_at` (open-ended when left out)."""

    opens_at: Timestamp | None = None
    closes_at: Timestamp | None = None

    _times = field_validator("opens_at", "closes_at")(aware_utc)

    @field_validator("closes_at")
    @classmethod
    def _period(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        opens_at = info.data.get("opens_at")
        if value is not None and opens_at is not None and value <= opens_at:
            raise ValueError(N_("the closing time must be after the opening time"))
        return value


class AgendaMove(Input):
    """Which agenda item the conference discusses now (a guiding question's number)."""

    number: int = Field(ge=1, le=1000)


class ThreadCreate(Input):
    title: str
    body: str = Field(max_length=MAX_SOURCE_CHARS)
    client_id: str | None = Field(default=None, min_length=1, max_length=64)
    lang: PostLanguage | None = None  # of the opening post
    accept_terms: Id | None = None  # as for a post

    _title = field_validator("title")(_title)
    _body = field_validator("body")(_nonblank)


class PostCreate(Input):
    body: str = Field(max_length=MAX_SOURCE_CHARS)
    parent_id: Id | None = None
    client_id: str | None = Field(default=None, min_length=1, max_length=64)
    guest_name: str | None = None
    guest_email: str | None = Field(default=None, max_length=254)
    lang: PostLanguage | None = None  # None: not known (routes default to the reader's)
    # Files uploaded before to /threads/{id}/attachments, joining this post.
    attachment_ids: list[Id] = Field(default_factory=list, max_length=10)
    # The version of the space's participation terms accepted with this post (needed
    # once per version, where the space has terms and they were not accepted before).
    accept_terms: Id | None = None

    _body = field_validator("body")(_nonblank)


class PostEdit(Input):
    body: str = Field(max_length=MAX_SOURCE_CHARS)
    note: str | None = Field(default=None, max_length=500)
    lang: PostLanguage | None = None  # None: the post keeps its language

    _body = field_validator("body")(_nonblank)


class PreviewInput(Input):
    body: str = Field(max_length=MAX_SOURCE_CHARS)
    # The thread it is written for: its participants' mentions are shown as links.
    thread_id: Id | None = None

    _body = field_validator("body")(_nonblank)


Written = TypeVar("Written", PostCreate, ThreadCreate)


def written_in(data: Written, default: str) -> Written:
    """`data` with its language: the one it names, else `default` (the writer's)."""
    return data if data.lang else data.model_copy(update={"lang": default})
