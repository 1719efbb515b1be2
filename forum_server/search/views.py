"""What a search answers: one frozen view per result, and a page of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from typing_extensions import TypedDict

from forum_server.files.kinds import BY_MEDIA_TYPE
from forum_server.search.models import (
    DOCUMENT,
    POST,
    QUESTION,
    SESSION,
    SUBMISSION,
    SUMMARY,
    TOPIC,
)
from forum_server.search.snippets import Segment, SegmentJson


class PlaceJson(TypedDict):
    slug: str
    title: str


class SessionRefJson(TypedDict):
    id: int
    title: str


class QuestionRefJson(TypedDict):
    id: int
    number: int


class TopicRefJson(TypedDict):
    id: int
    title: str


class DocumentRefJson(TypedDict):
    title: str
    file_name: str  # its current version's
    media_type: str


class SearchHitJson(TypedDict):
    kind: str  # post | topic | question | session | summary | document | submission
    id: int  # the post's, topic's (thread's), question's, session's, summary's or document's
    url: str  # the page that shows it
    status: str  # published; for moderators also pending, hidden or rejected
    space: PlaceJson
    session: SessionRefJson | None  # None for a library document
    question: QuestionRefJson | None
    topic: TopicRefJson | None
    document: DocumentRefJson | None  # a library document's title and current file
    author: str | None
    written_at: str
    snippet: list[SegmentJson]


@dataclass(frozen=True)
class DocumentRef:
    title: str
    file_name: str | None
    media_type: str | None

    @property
    def type_label(self) -> str:
        """The file's type as its usual extension says it (PDF, DOCX…): the same in
        every language."""
        kind = BY_MEDIA_TYPE.get(self.media_type or "")
        return kind.extension[1:].upper() if kind else ""

    def as_json(self) -> DocumentRefJson:
        return {
            "title": self.title,
            "file_name": self.file_name or "",
            "media_type": self.media_type or "",
        }


@dataclass(frozen=True)
class SearchHit:
    kind: str
    id: int
    status: str
    space_slug: str
    space_title: str
    session_id: int | None  # None for a library document
    session_title: str | None
    thread_id: int | None
    question_id: int | None
    question_number: int | None
    topic_title: str | None  # a participant's topic the text is in (or is the title of)
    author: str | None
    written_at: datetime
    snippet: list[Segment]
    document: DocumentRef | None = None

    @property
    def url(self) -> str:
        if self.kind == DOCUMENT:
            return f"/documents/{self.id}"
        if self.kind == SUBMISSION:
            return f"/submissions/{self.id}"
        if self.kind == POST:
            return f"/threads/{self.thread_id}#post-{self.id}"
        if self.kind in {TOPIC, QUESTION} or (self.kind == SUMMARY and self.thread_id):
            return f"/threads/{self.thread_id}"
        if self.kind == SUMMARY:
            return f"/sessions/{self.session_id}/summary"
        return f"/sessions/{self.session_id}"

    @property
    def is_session(self) -> bool:
        return self.kind == SESSION

    def as_json(self) -> SearchHitJson:
        question: QuestionRefJson | None = None
        if self.question_id is not None and self.question_number is not None:
            question = {"id": self.question_id, "number": self.question_number}
        session: SessionRefJson | None = None
        if self.session_id is not None and self.session_title is not None:
            session = {"id": self.session_id, "title": self.session_title}
        topic: TopicRefJson | None = None
        if self.topic_title is not None and self.thread_id is not None:
            topic = {"id": self.thread_id, "title": self.topic_title}
        return {
            "kind": self.kind,
            "id": self.id,
            "url": self.url,
            "status": self.status,
            "space": {"slug": self.space_slug, "title": self.space_title},
            "session": session,
            "question": question,
            "topic": topic,
            "document": self.document.as_json() if self.document else None,
            "author": self.author,
            "written_at": self.written_at.isoformat(),
            "snippet": [s.as_json() for s in self.snippet],
        }


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit]
    next: str | None  # the cursor of the next page, if there is one
