"""The Markdown report, streamed. Titles, names and questions are escaped; post and
summary bodies keep their Markdown source, each inside a block quote (see
`textual.md_block`). Replies are nested block quotes, marked "in reply to"."""

from __future__ import annotations

from collections.abc import Iterator

from forum_server.reports.model import (
    ATTRIBUTION_LABELS,
    Count,
    Participation,
    ReportPost,
    SessionPart,
    ThreadPart,
    Transcript,
)
from forum_server.reports.textual import md_block, md_inline, period_text, when

MAX_QUOTE_DEPTH = 4  # deeper replies are still marked "in reply to", not indented further


def chunks(transcript: Transcript) -> Iterator[str]:
    t = transcript
    yield f"# {md_inline(t.title)}\n\n"
    if t.scope == "session":
        yield f"Forum: {md_inline(t.space.title)}\n\n"
    yield f"Report compiled {when(t.generated_at)}. "
    yield f"Attribution: {ATTRIBUTION_LABELS[t.attribution]}.\n\n"
    yield from _participation(t.participation)
    if t.highlights:
        yield "## Highlighted contributions\n\n"
        for post in t.highlights:
            yield _post(post, quote_depth=0)
    for part in t.sessions:
        yield from _session(t, part, level=2)


def _session(t: Transcript, part: SessionPart, level: int) -> Iterator[str]:
    h = "#" * level
    if t.scope == "space":
        yield f"{h} Session: {md_inline(part.title)}\n\n"
    else:
        yield f"{h} Session\n\n"
    for i, period in enumerate(part.periods):
        yield f"- Period {i + 1}: {period_text(period, i == 0)}\n"
    if not part.periods:
        yield "- Not scheduled\n"
    names = ", ".join(md_inline(name) for name in part.moderators) or "none"
    yield f"- Moderators: {names}\n\n"
    if part.description:
        yield md_block(part.description) + "\n\n"
    if part.summary:
        yield f"{h}# Summary of the session\n\n{md_block(part.summary.body)}\n\n"
    if part.attachments:
        yield f"{h}# Attached files\n\n"
        for file in part.attachments:
            name, who = md_inline(file.name), md_inline(file.uploader)
            yield f"- [{name}]({file.url}) — {who}, {when(file.created_at)}\n"
        yield "\n"
    for thread in part.questions:
        yield from _thread(t, thread, level + 1)
    if part.topics:
        yield f"{h}# Topics from participants\n\n"
        for thread in part.topics:
            yield from _thread(t, thread, level + 2)


def _thread(t: Transcript, thread: ThreadPart, level: int) -> Iterator[str]:
    h = "#" * level
    if thread.number is not None:
        yield f"{h} Question {thread.number}\n\n**{md_inline(thread.text)}**\n\n"
    else:
        starter = md_inline(thread.started_by or "")
        yield f"{h} {md_inline(thread.text)}\n\nStarted by {starter}.\n\n"
    yield f"{thread.posts} posts from {thread.participants} participants.\n\n"
    if thread.summary:
        yield f"{h}# Running summary\n\n{md_block(thread.summary.body)}\n\n"
    if thread.highlights:
        yield f"{h}# Highlighted contributions\n\n"
        for post in thread.highlights:
            yield _post(post, quote_depth=0)
    yield f"{h}# Proceedings\n\n"
    empty = True
    for post in t.posts(thread.thread_id):
        empty = False
        yield _post(post, quote_depth=min(post.depth, MAX_QUOTE_DEPTH))
    if empty:
        yield "No contributions.\n\n"


def _byline(post: ReportPost) -> str:
    parts = [f"**{md_inline(post.author)}**"]
    if post.is_moderator and not post.author.startswith("The moderator"):
        parts.append("moderator")
    parts += [md_inline(v) for v in (post.country, post.organization) if v]
    parts.append(when(post.created_at))
    line = " · ".join(parts)
    if post.reply_to_author is not None:
        line += f" — in reply to #{post.parent_id} ({md_inline(post.reply_to_author)})"
    return f"#{post.id} {line}"


def _post(post: ReportPost, quote_depth: int) -> str:
    outer = "> " * quote_depth
    head = f"{outer}{_byline(post)}"
    if post.highlighted:
        head += " ★"
    body = md_block(post.body, prefix=outer + "> ")
    return f"{head}\n{outer}\n{body}\n\n"


def _table(title: str, rows: list[Count]) -> str:
    lines = [f"**{title}**\n", "| | Posts | Participants |", "| --- | ---: | ---: |"]
    lines += [f"| {md_inline(c.label)} | {c.posts} | {c.participants} |" for c in rows]
    return "\n".join(lines) + "\n\n"


def _participation(p: Participation) -> Iterator[str]:
    yield "## Participation\n\n"
    yield f"{p.posts} posts from {p.participants} participants.\n\n"
    for title, rows in (
        ("By UN regional group", p.by_region),
        ("By country", p.by_country),
        ("By affiliation", p.by_affiliation),
        ("By gender (where declared)", p.by_gender),
        ("By day (UTC)", p.by_day),
    ):
        if rows:
            yield _table(title, rows)
    if p.by_question:
        lines = ["**By question**\n", "| | Posts | Participants |", "| --- | ---: | ---: |"]
        lines += [f"| {md_inline(q.label)} | {q.posts} | {q.participants} |" for q in p.by_question]
        yield "\n".join(lines) + "\n\n"
