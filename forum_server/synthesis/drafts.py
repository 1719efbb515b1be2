"""Draft syntheses of a session, per guiding question and for the whole session, for
its moderators: made from published posts only (never held, hidden or rejected ones),
each excerpt citing its post's number in its thread and its author as the space's
report attribution allows. Nothing is stored: a draft is read afresh each time, and
becomes part of a summary only when a moderator accepts it (their summary's history
keeps every version)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypedDict

from forum_server.accounts.models import User
from forum_server.consent.choice import choices_of
from forum_server.i18n import gettext
from forum_server.policy import Actor, load_session
from forum_server.reports.posts import Attributor
from forum_server.rooms.models import Post, Question, Space, Thread
from forum_server.rooms.state import PUBLISHED
from forum_server.search.text import plain_text
from forum_server.synthesis.extract import Contribution, Excerpt, pick

PER_QUESTION = 5
PER_SESSION = 8


class ExcerptJson(TypedDict):
    post_id: int
    thread_id: int
    number: int
    author: str
    text: str
    url: str


class DraftJson(TypedDict):
    question_id: int | None
    question_number: int | None
    status: str
    body: str
    excerpts: list[ExcerptJson]


class SynthesisJson(TypedDict):
    session_id: int
    drafts: list[DraftJson]


@dataclass(frozen=True)
class CitedExcerpt:
    excerpt: Excerpt
    author: str

    @property
    def url(self) -> str:
        return f"/threads/{self.excerpt.thread_id}#post-{self.excerpt.post_id}"

    def as_json(self) -> ExcerptJson:
        e = self.excerpt
        return {
            "post_id": e.post_id,
            "thread_id": e.thread_id,
            "number": e.number,
            "author": self.author,
            "text": e.sentence,
            "url": self.url,
        }


@dataclass(frozen=True)
class Draft:
    """A draft for a guiding question (question_id set) or the whole session."""

    question_id: int | None
    question_number: int | None
    excerpts: tuple[CitedExcerpt, ...]

    @property
    def body(self) -> str:
        """The draft as Markdown, ready to edit and accept."""
        return "\n".join(
            gettext(
                "- “%(text)s” — %(author)s, [#%(number)s](%(url)s)",
                text=c.excerpt.sentence,
                author=c.author,
                number=c.excerpt.number,
                url=c.url,
            )
            for c in self.excerpts
        )

    def as_json(self) -> DraftJson:
        return {
            "question_id": self.question_id,
            "question_number": self.question_number,
            "status": "draft",
            "body": self.body,
            "excerpts": [c.as_json() for c in self.excerpts],
        }


@dataclass(frozen=True)
class SessionSynthesis:
    session_id: int
    session: Draft
    questions: tuple[Draft, ...]

    def as_json(self) -> SynthesisJson:
        return {
            "session_id": self.session_id,
            "drafts": [self.session.as_json(), *(q.as_json() for q in self.questions)],
        }


async def session_synthesis(db: AsyncSession, actor: Actor, session_id: int) -> SessionSynthesis:
    """The session's drafts; its moderators and the secretariat only (NotFound for
    whoever may not see the session, Forbidden for its other readers)."""
    forum_session, access = await load_session(db, actor, session_id)
    access.require_moderator()
    attribution = await db.scalar(
        select(Space.report_attribution).where(Space.id == forum_session.space_id)
    )
    # Each person's own choice too: a citation is never more identifying than either.
    attributor = Attributor(
        attribution or "named", {session_id: access.moderator_ids}, await choices_of(db)
    )
    rows = await _published(db, session_id)
    labels = {
        row.post_id: attributor.label(session_id, row.author_id, row.name, row.guest, row.country)
        for row in rows
    }
    questions = (
        await db.execute(
            select(Question.id, Question.number, Question.thread_id)
            .where(Question.session_id == session_id)
            .order_by(Question.number)
        )
    ).all()

    def draft(question_id: int | None, number: int | None, chosen: Sequence[_Row]) -> Draft:
        limit = PER_SESSION if question_id is None else PER_QUESTION
        excerpts = pick([row.contribution for row in chosen], limit)
        cited = tuple(CitedExcerpt(e, labels[e.post_id]) for e in excerpts)
        return Draft(question_id, number, cited)

    return SessionSynthesis(
        session_id=session_id,
        session=draft(None, None, rows),
        questions=tuple(
            draft(qid, number, [r for r in rows if r.contribution.thread_id == thread_id])
            for qid, number, thread_id in questions
        ),
    )


@dataclass(frozen=True)
class _Row:
    post_id: int
    author_id: int | None
    name: str | None
    guest: str | None
    country: str | None
    contribution: Contribution


async def _published(db: AsyncSession, session_id: int) -> list[_Row]:
    number = (
        func.row_number()
        .over(partition_by=Post.thread_id, order_by=(Post.created_at, Post.id))
        .label("number")
    )
    published = (
        select(
            Post.id,
            Post.thread_id,
            Post.author_id,
            Post.guest_name,
            Post.body,
            number,
        )
        .join(Thread, Thread.id == Post.thread_id)
        .where(Post.session_id == session_id, Post.status == PUBLISHED)
        .subquery()
    )
    rows = await db.execute(
        select(published, User.display_name, User.country, User.region)
        .outerjoin(User, User.id == published.c.author_id)
        .order_by(published.c.id)
    )
    return [
        _Row(
            post_id=r.id,
            author_id=r.author_id,
            name=r.display_name,
            guest=r.guest_name,
            country=r.country,
            contribution=Contribution(
                post_id=r.id,
                thread_id=r.thread_id,
                number=r.number,
                author_key=str(r.author_id) if r.author_id else f"guest:{r.guest_name}",
                region=r.region,
                text=plain_text(r.body),
            ),
        )
        for r in rows
    ]
