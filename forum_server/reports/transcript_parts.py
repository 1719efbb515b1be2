"""The small parts of a report, each read at once for every session it covers: its
threads in order, highlights, periods, names, files and library documents (the
proceedings themselves stream; see `posts.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import User
from forum_server.files.models import Upload
from forum_server.files.queries import MAX_LIMIT, library
from forum_server.i18n import gettext
from forum_server.policy import (
    Actor,
    threads_shown_clause,
)
from forum_server.reports.model import (
    ReportFile,
    ReportPost,
    SummaryText,
)
from forum_server.reports.posts import Attributor, PostSource
from forum_server.rooms.models import (
    Post,
    Question,
    SessionPeriod,
    Space,
    Thread,
)
from forum_server.rooms.state import Period


def thread_label(number: int | None, text: str) -> str:
    short = text if len(text) <= 80 else text[:79].rstrip() + "…"
    if number is None:
        return gettext("Topic: %(title)s", title=short)
    return gettext("Q%(number)s. %(text)s", number=number, text=short)


def summary_text(summary: object | None) -> SummaryText | None:
    if summary is None:
        return None
    body, html, updated = (getattr(summary, k) for k in ("body", "html", "updated_at"))
    return SummaryText(body, html, updated)


@dataclass(frozen=True)
class ThreadRow:
    thread: Thread
    number: int | None  # None for a participant's topic
    question_text: str | None
    question_id: int | None
    author_id: int | None
    author_name: str | None
    author_country: str | None
    planned_at: datetime | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None

    @property
    def text(self) -> str:
        return self.question_text if self.question_text is not None else self.thread.title


async def threads(
    session: AsyncSession, session_ids: list[int], shown: ColumnElement[bool]
) -> list[ThreadRow]:
    """The threads of these sessions a report may name (every question's; topics with a
    post it shows): questions by number, then topics oldest first."""
    rows = await session.execute(
        select(
            Thread,
            Question.number,
            Question.text,
            Question.id,
            Thread.author_id,
            User.display_name,
            User.country,
            Question.planned_at,
            Question.started_at,
            Question.ended_at,
        )
        .outerjoin(Question, Question.thread_id == Thread.id)
        .outerjoin(User, User.id == Thread.author_id)
        .where(Thread.session_id.in_(session_ids), threads_shown_clause(shown))
    )
    found = [
        ThreadRow(*row[:7], planned_at=row[7], started_at=row[8], ended_at=row[9]) for row in rows
    ]
    found.sort(key=lambda r: (r.thread.session_id, r.number is None, r.number or 0, r.thread.id))
    return found


async def highlights(
    session: AsyncSession, source: PostSource, session_ids: list[int]
) -> dict[int, list[ReportPost]]:
    ids = list(
        await session.scalars(
            select(Post.id)
            .where(Post.session_id.in_(session_ids), Post.highlighted, source.clause)
            .order_by(Post.id)
        )
    )
    by_thread: dict[int, list[ReportPost]] = {}
    for start in range(0, len(ids), 1_000):
        chunk = ids[start : start + 1_000]
        for post in await source.fetch(chunk, [0] * len(chunk)):
            by_thread.setdefault(post.thread_id, []).append(post)
    return by_thread


async def periods(session: AsyncSession, session_ids: list[int]) -> dict[int, list[Period]]:
    periods: dict[int, list[Period]] = {sid: [] for sid in session_ids}
    rows = await session.execute(
        select(SessionPeriod.session_id, SessionPeriod.opens_at, SessionPeriod.closes_at)
        .where(SessionPeriod.session_id.in_(session_ids))
        .order_by(SessionPeriod.id)
    )
    for session_id, opens_at, closes_at in rows:
        periods[session_id].append(Period(opens_at, closes_at))
    return periods


async def names(session: AsyncSession, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = await session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids)))
    return {user_id: name for user_id, name in rows}


async def attachments(
    session: AsyncSession,
    attributor: Attributor,
    session_id: int,
    source: PostSource,
    site_url: str,
) -> list[ReportFile]:
    """Files on the contributions the report shows (published; in its language when it
    keeps one language's), attributed as the contributions are."""
    rows = await session.scalars(
        select(Upload)
        .join(Post, Post.id == Upload.post_id)
        .where(Post.session_id == session_id, source.clause, Upload.removed_at.is_(None))
        .order_by(Upload.id)
    )
    return [
        ReportFile(
            upload.name,
            attributor.label(session_id, upload.uploader_id, upload.uploader_name, None, None),
            upload.created_at,
            f"{site_url}/files/{upload.id}",
            post_id=upload.post_id,
        )
        for upload in rows
    ]


async def documents(
    session: AsyncSession, actor: Actor, space: Space, attributor: Attributor, site_url: str
) -> list[ReportFile]:
    """The space's library as the reader may read it (the policy's listing), each
    document with its current version, by title."""
    found: list[ReportFile] = []
    offset: int | None = 0
    while offset is not None:
        page = await library(session, actor, space.slug, limit=MAX_LIMIT, offset=offset)
        for document in page.documents:
            number, file = document.versions[0]
            # "The moderator" where the uploader moderates one of the report's sessions.
            moderated = (s for s, ids in attributor.moderators.items() if file.uploader_id in ids)
            at = next(moderated, 0)
            uploader = attributor.label(at, file.uploader_id, file.uploader, None, None)
            url = f"{site_url}{file.url}"
            found.append(
                ReportFile(
                    file.name, uploader, file.created_at, url, title=document.title, version=number
                )
            )
        offset = page.next
    return found
