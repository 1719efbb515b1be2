"""The JSON report, streamed: at least what API.md names — `session` (title, periods,
moderators), `questions` (each with its `posts`), `participation` (`posts`,
`participants`, `by_region`, `by_country`, `by_affiliation`, `by_day`),
`highlights`; the document's `report.cover`, `report.contents` and `participants`;
and `documents` (the space's library). A space's report has `space` and `sessions`,
each shaped like a session's report; each session lists the files on its
contributions as `attachments`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from forum_server.reports import outline
from forum_server.reports.model import (
    Count,
    Participant,
    Participation,
    ReportFile,
    ReportPost,
    SessionPart,
    SummaryText,
    ThreadPart,
    Transcript,
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def post_json(post: ReportPost) -> dict[str, Any]:
    return {
        "id": post.id,
        "thread_id": post.thread_id,
        "parent_id": post.parent_id,
        "depth": post.depth,
        "author": {
            "name": post.author,
            "country": post.country,
            "organization": post.organization,
            "moderator": post.is_moderator,
        },
        "in_reply_to": (
            {"id": post.parent_id, "author": post.reply_to_author}
            if post.parent_id is not None
            else None
        ),
        "created_at": _iso(post.created_at),
        "edited_at": _iso(post.edited_at),
        "body": post.body,
        "html": post.html,
        "highlighted": post.highlighted,
        "reactions": dict(post.reactions),
        "lang": post.lang,
    }


def _summary(summary: SummaryText | None) -> dict[str, Any] | None:
    if summary is None:
        return None
    return {"body": summary.body, "html": summary.html, "updated_at": _iso(summary.updated_at)}


def _counts(rows: list[Count]) -> dict[str, Any]:
    return {
        c.key: {"label": c.label, "posts": c.posts, "participants": c.participants} for c in rows
    }


def participation_json(p: Participation) -> dict[str, Any]:
    return {
        "posts": p.posts,
        "participants": p.participants,
        "by_region": _counts(p.by_region),
        "by_country": _counts(p.by_country),
        "by_affiliation": _counts(p.by_affiliation),
        "by_gender": _counts(p.by_gender),
        "by_day": _counts(p.by_day),
        "by_question": [
            {
                "session_id": q.session_id,
                "thread_id": q.thread_id,
                "number": q.number,
                "label": q.label,
                "posts": q.posts,
                "participants": q.participants,
            }
            for q in p.by_question
        ],
    }


def _session_head(part: SessionPart) -> dict[str, Any]:
    return {
        "id": part.id,
        "title": part.title,
        "description": part.description,
        "state": part.state,
        "periods": [
            {"opens_at": _iso(p.opens_at), "closes_at": _iso(p.closes_at)} for p in part.periods
        ],
        "moderators": part.moderators,
        "summary": _summary(part.summary),
        "attachments": [
            {
                "name": f.name,
                "uploader": f.uploader,
                "created_at": _iso(f.created_at),
                "url": f.url,
                "post_id": f.post_id,
            }
            for f in part.attachments
        ],
        "polls": [
            {
                "id": poll.id,
                "title": poll.title,
                "kind": poll.kind,
                "anonymous": poll.anonymous,
                "closed_at": _iso(poll.closed_at),
                "votes": poll.votes,
                "where": poll.where,
                "options": None
                if poll.options is None
                else [
                    {"label": o.label, "count": o.count, "reasons": list(o.reasons)}
                    for o in poll.options
                ],
                "outcome": poll.outcome,
            }
            for poll in part.polls
        ],
    }


def _document(file: ReportFile) -> dict[str, Any]:
    return {
        "title": file.title,
        "version": file.version,
        "name": file.name,
        "uploader": file.uploader,
        "created_at": _iso(file.created_at),
        "url": file.url,
    }


def _thread(t: Transcript, thread: ThreadPart) -> Iterator[str]:
    head = {
        "thread_id": thread.thread_id,
        "number": thread.number,
        "text" if thread.number is not None else "title": thread.text,
        "started_by": thread.started_by,
        "summary": _summary(thread.summary),
        "highlights": [p.id for p in thread.highlights],
        "post_count": thread.posts,
        "participants": thread.participants,
    }
    if thread.agenda is not None:
        head["agenda"] = {
            "planned_at": _iso(thread.agenda.planned_at),
            "started_at": _iso(thread.agenda.started_at),
            "ended_at": _iso(thread.agenda.ended_at),
        }
    yield _dumps(head)[:-1] + ',"posts":['
    for n, post in enumerate(t.posts(thread.thread_id)):
        yield ("," if n else "") + _dumps(post_json(post))
    yield "]}"


def _threads(t: Transcript, threads: list[ThreadPart]) -> Iterator[str]:
    yield "["
    for n, thread in enumerate(threads):
        if n:
            yield ","
        yield from _thread(t, thread)
    yield "]"


def _session_body(t: Transcript, part: SessionPart) -> Iterator[str]:
    yield '"questions":'
    yield from _threads(t, part.questions)
    yield ',"topics":'
    yield from _threads(t, part.topics)


def _report_head(t: Transcript) -> dict[str, Any]:
    return {
        "scope": t.scope,
        "title": t.title,
        "generated_at": _iso(t.generated_at),
        "attribution": t.attribution,
        "language": t.language,
        "post_language": t.post_language,
        "cover": {
            "site": outline.site_name(t),
            "forum": t.space.title,
            "title": t.title,
            "symbol": t.cover.symbol,
            "distribution": t.cover.distribution,
            "dates": outline.dates_line(t),
            "language": t.language,
        },
        "contents": [
            {"level": e.level, "text": e.text, "anchor": e.anchor} for e in outline.contents(t)
        ],
        "countries": t.participation.countries,
    }


def _participant(p: Participant) -> dict[str, Any]:
    return {
        "name": p.name,
        "country": p.country,
        "organization": p.organization,
        "posts": p.posts,
    }


def chunks(transcript: Transcript) -> Iterator[str]:
    """In the document's order: the cover and contents, the sessions (introduction,
    questions with their summaries, highlights and posts), then the figures and the
    list of participants (named reports only; empty otherwise)."""
    t = transcript
    yield "{" + f'"report":{_dumps(_report_head(t))}'
    yield f',"space":{_dumps({"slug": t.space.slug, "title": t.space.title})}'
    yield f',"documents":{_dumps([_document(f) for f in t.documents])}'
    if t.scope == "session":
        yield f',"session":{_dumps(_session_head(t.sessions[0]))},'
        yield from _session_body(t, t.sessions[0])
    else:
        yield ',"sessions":['
        for n, part in enumerate(t.sessions):
            yield ("," if n else "") + '{"session":' + _dumps(_session_head(part)) + ","
            yield from _session_body(t, part)
            yield "}"
        yield "]"
    yield f',"participation":{_dumps(participation_json(t.participation))}'
    yield f',"highlights":{_dumps([post_json(p) for p in t.highlights])}'
    yield f',"participants":{_dumps([_participant(p) for p in t.participants])}'
    yield "}\n"
