"""Compiling a report: everything goes through the policy module's loaders and the
download rule, then the small parts are read at once and the proceedings are left
to stream (see `posts.py`).

Raise NotFound / Unauthorized / Forbidden as the loaders and
`policy.check_may_download_report` decide, Invalid for an unknown attribution or
language and Forbidden for one that would identify contributors more than the space
allows.

A report is written in one of the six languages (its headings, labels, figures'
names and dates); the contributions stay as they were written, each marked with its
own language.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.consent.choice import choices_of
from forum_server.db import Database
from forum_server.errors import Invalid
from forum_server.i18n import CODES, SOURCE_LANGUAGE, using_language
from forum_server.orm import utcnow
from forum_server.policy import (
    Actor,
    check_may_choose_attribution,
    check_may_download_report,
    load_session,
    load_space,
    visible_sessions_clause,
)
from forum_server.reports import transcript_parts as loading
from forum_server.reports.model import (
    ATTRIBUTIONS,
    AgendaTimes,
    Cover,
    SessionPart,
    SpaceInfo,
    ThreadCount,
    ThreadPart,
    Transcript,
)
from forum_server.reports.polls import report_polls
from forum_server.reports.posts import Attributor, PostSource
from forum_server.reports.stats import participant_list, participation
from forum_server.rooms.models import (
    ForumSession,
    SessionModerator,
    Space,
)
from forum_server.rooms.state import CONFERENCE, session_state
from forum_server.summaries import summaries_for_session

Progress = Callable[[int], None]


def check_attribution(value: str | None, setting: str) -> str:
    """The attribution a download asked for (the space's setting when it asked for none).
    Invalid for an unknown one; Forbidden for one more identifying than the setting."""
    if value is None or value == "":
        return setting
    if value not in ATTRIBUTIONS:
        raise Invalid(
            "attribution must be one of %(choices)s.",
            params={"choices": ", ".join(ATTRIBUTIONS)},
            field="attribution",
        )
    check_may_choose_attribution(setting, value)
    return value


def check_language(value: str | None, *, field: str = "lang") -> str | None:
    """One of the six language codes, or None when none was asked for; Invalid else."""
    if value is None or value == "":
        return None
    if value not in CODES:
        raise Invalid(
            "%(field)s must be one of %(choices)s.",
            params={"field": field, "choices": ", ".join(CODES)},
            field=field,
        )
    return value


@dataclass(frozen=True)
class Languages:
    """A report's language, and the language of the contributions it keeps (None: all)."""

    report: str = SOURCE_LANGUAGE
    posts: str | None = None
    site_name: str = ""  # the site's name in the report's language: its author


async def compile_session_report(
    db: Database,
    actor: Actor,
    session_id: int,
    *,
    attribution: str | None = None,
    progress: Progress | None = None,
    languages: Languages = Languages(),
    site_url: str = "",
) -> Transcript:
    """The report of one session, for an actor allowed to download it. `site_url` is
    put before the links to files, so they work from the downloaded report."""
    async with db.read() as session:
        forum_session, access = await load_session(session, actor, session_id)
        space = await session.get(Space, forum_session.space_id)
        assert space is not None
        check_may_download_report(access, space.members_may_download_reports)
        mode = check_attribution(attribution, space.report_attribution)
        moderators = {session_id: access.moderator_ids}
        # Labels and names are made here, in the report's language.
        with using_language(languages.report):
            return await _compile(
                db,
                session,
                actor,
                "session",
                space,
                [forum_session],
                moderators,
                mode,
                progress,
                languages,
                site_url,
                Cover(
                    languages.site_name,
                    forum_session.report_symbol or space.report_symbol,
                    forum_session.report_distribution or space.report_distribution,
                ),
            )


async def compile_space_report(
    db: Database,
    actor: Actor,
    slug: str,
    *,
    attribution: str | None = None,
    progress: Progress | None = None,
    languages: Languages = Languages(),
    site_url: str = "",
) -> Transcript:
    """The report of every session of a space, for an actor allowed to download it."""
    async with db.read() as session:
        space, access = await load_space(session, actor, slug)
        check_may_download_report(access, space.members_may_download_reports)
        mode = check_attribution(attribution, space.report_attribution)
        sessions = list(
            await session.scalars(
                select(ForumSession)
                .where(ForumSession.space_id == space.id, visible_sessions_clause(access))
                .order_by(ForumSession.id)
            )
        )
        moderators: dict[int, frozenset[int]] = {s.id: frozenset() for s in sessions}
        rows = await session.execute(
            select(SessionModerator.session_id, SessionModerator.user_id).where(
                SessionModerator.session_id.in_(list(moderators))
            )
        )
        for session_id, user_id in rows:
            moderators[session_id] = moderators[session_id] | {user_id}
        # Labels and names are made here, in the report's language.
        with using_language(languages.report):
            return await _compile(
                db,
                session,
                actor,
                "space",
                space,
                sessions,
                moderators,
                mode,
                progress,
                languages,
                site_url,
                Cover(languages.site_name, space.report_symbol, space.report_distribution),
            )


async def _compile(
    db: Database,
    session: AsyncSession,
    actor: Actor,
    scope: str,
    space: Space,
    sessions: Sequence[ForumSession],
    moderators: dict[int, frozenset[int]],
    mode: str,
    progress: Progress | None,
    languages: Languages,
    site_url: str,
    cover: Cover,
) -> Transcript:
    # Each person's own choice, read now: a report compiled after a change uses it.
    attributor = Attributor(mode, moderators, await choices_of(session))
    loop = asyncio.get_running_loop()
    source = PostSource(
        db, attributor, loop, progress, language=languages.report, post_language=languages.posts
    )
    session_ids = [s.id for s in sessions]
    titles = {s.id: s.title for s in sessions}
    threads = await loading.threads(session, session_ids, source.clause)
    labels = {
        row.thread.id: ThreadCount(
            row.thread.session_id,
            row.thread.id,
            row.number,
            loading.thread_label(row.number, row.text)
            if scope == "session"
            else f"{titles[row.thread.session_id]} · {loading.thread_label(row.number, row.text)}",
            0,
            0,
        )
        for row in threads
    }
    figures = await participation(session, session_ids, labels, source.clause)
    counts = {c.thread_id: c for c in figures.by_question}
    highlights = await loading.highlights(session, source, session_ids)
    periods = await loading.periods(session, session_ids)
    names = await loading.names(session, {uid for ids in moderators.values() for uid in ids})
    now = utcnow()
    parts = []
    for forum_session in sessions:
        summaries = await summaries_for_session(session, actor, forum_session.id)
        questions: list[ThreadPart] = []
        topics: list[ThreadPart] = []
        for row in threads:
            thread = row.thread
            if thread.session_id != forum_session.id:
                continue
            count = counts[thread.id]
            summary = summaries.questions.get(row.question_id) if row.question_id else None
            part = ThreadPart(
                thread_id=thread.id,
                session_id=thread.session_id,
                number=row.number,
                text=row.text,
                started_by=(
                    None
                    if row.number is not None
                    else attributor.label(
                        thread.session_id, row.author_id, row.author_name, None, row.author_country
                    )
                ),
                summary=loading.summary_text(summary),
                highlights=highlights.get(thread.id, []),
                posts=count.posts,
                participants=count.participants,
                agenda=(
                    AgendaTimes(row.planned_at, row.started_at, row.ended_at)
                    if forum_session.format == CONFERENCE and row.number is not None
                    else None
                ),
            )
            (questions if row.number is not None else topics).append(part)
        parts.append(
            SessionPart(
                id=forum_session.id,
                title=forum_session.title,
                description=forum_session.description,
                description_html=forum_session.description_html,
                state=session_state(periods[forum_session.id], now),
                periods=periods[forum_session.id],
                moderators=sorted(names[uid] for uid in moderators[forum_session.id]),
                summary=loading.summary_text(summaries.session),
                questions=questions,
                topics=topics,
                attachments=await loading.attachments(
                    session, attributor, forum_session.id, source, site_url
                ),
                polls=await report_polls(
                    session,
                    attributor,
                    forum_session.id,
                    {t.thread_id: t.heading for t in (*questions, *topics)},
                ),
            )
        )
    return Transcript(
        scope="session" if scope == "session" else "space",
        space=SpaceInfo(space.slug, space.title, space.visibility),
        sessions=parts,
        participation=figures,
        attribution=mode,
        generated_at=now,
        source=source,
        language=languages.report,
        post_language=languages.posts,
        documents=await loading.documents(session, actor, space, attributor, site_url),
        cover=cover,
        participants=(
            await participant_list(session, session_ids, source.clause, attributor)
            if mode == "named"
            else []
        ),
    )
