"""What a search answers: one frozen view per result, and a page of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from typing_extensions import TypedDict

from forum_server.search.models import POST, QUESTION, SESSION, SUMMARY, TOPIC
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


class SearchHitJson(TypedDict):
    kind: str  # post | topic | question | session | summary
    id: int  # the post's, topic's (thread's), question's, session's or summary's id
    url: str  # the page that shows it
    status: str  # published; for moderators also pending, hidden or rejected
    space: PlaceJson
    session: SessionRefJson
    question: QuestionRefJson | None
    topic: TopicRefJson | None
    author: str | None
    written_at: str
    snippet: list[SegmentJson]


@dataclass(frozen=True)
class SearchHit:
    kind: str
    id: int
    status: str
    space_slug: str
    space_title: str
    session_id: int
    session_title: str
    thread_id: int | None
    question_id: int | None
    question_number: int | None
    topic_title: str | None  # a participant's topic the text is in (or is the title of)
    author: str | None
    written_at: datetime
    snippet: list[Segment]

    @property
    def url(self) -> str:
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
        topic: TopicRefJson | None = None
        if self.topic_title is not None and self.thread_id is not None:
            topic = {"id": self.thread_id, "title": self.topic_title}
        return {
            "kind": self.kind,
            "id": self.id,
            "url": self.url,
            "status": self.status,
            "space": {"slug": self.space_slug, "title": self.space_title},
            "session": {"id": self.session_id, "title": self.session_title},
            "question": question,
            "topic": topic,
            "author": self.author,
            "written_at": self.written_at.isoformat(),
            "snippet": [s.as_json() for s in self.snippet],
        }


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit]
    next: str | None  # the cursor of the next page, if there is one
