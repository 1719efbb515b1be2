"""The Markdown report, streamed. Titles, names and questions are escaped; post and
summary bodies keep their Markdown source, each inside a block quote (see
`textual.md_block`). Replies are nested block quotes, marked "in reply to"."""

from __future__ import annotations

from collections.abc import Iterator

from forum_server.i18n import format_number, gettext
from forum_server.reports.model import (
    Participation,
    ReportPost,
    SessionPart,
    ThreadPart,
    Transcript,
)
from forum_server.reports.textual import (
    Row,
    agenda_times,
    byline_details,
    figure_tables,
    md_block,
    md_inline,
    period_text,
    poll_meta,
    posts_from,
    reply_note,
    when,
)

MAX_QUOTE_DEPTH = 4  # deeper replies are still marked "in reply to", not indented further


def chunks(transcript: Transcript) -> Iterator[str]:
    t = transcript
    yield f"# {md_inline(t.title)}\n\n"
    if t.scope == "session":
        yield gettext("Forum: %(title)s", title=md_inline(t.space.title)) + "\n\n"
    yield gettext("Report compiled %(when)s.", when=when(t.generated_at)) + " "
    yield gettext("Attribution: %(label)s.", label=t.attribution_label) + "\n\n"
    yield from _participation(t.participation)
    if t.highlights:
        yield f"## {gettext('Highlighted contributions')}\n\n"
        for post in t.highlights:
            yield _post(post, quote_depth=0)
    yield from _documents(t)
    for part in t.sessions:
        yield from _session(t, part, level=2)


def _documents(t: Transcript) -> Iterator[str]:
    if not t.documents:
        return
    yield f"## {gettext('Documents in the library')}\n\n"
    for file in t.documents:
        title, name, who = md_inline(file.title), md_inline(file.name), md_inline(file.uploader)
        version = gettext("version %(number)s", number=file.version)
        yield f"- {title}: [{name}]({file.url}), {version} — {who}, {when(file.created_at)}\n"
    yield "\n"


def _session(t: Transcript, part: SessionPart, level: int) -> Iterator[str]:
    h = "#" * level
    if t.scope == "space":
        yield f"{h} {gettext('Session: %(title)s', title=md_inline(part.title))}\n\n"
    else:
        yield f"{h} {gettext('Session')}\n\n"
    for i, period in enumerate(part.periods):
        span = period_text(period, i == 0)
        yield f"- {gettext('Period %(number)s: %(span)s', number=i + 1, span=span)}\n"
    if not part.periods:
        yield f"- {gettext('Not scheduled')}\n"
    names = ", ".join(md_inline(name) for name in part.moderators) or gettext("none")
    yield f"- {gettext('Moderators: %(names)s', names=names)}\n\n"
    if part.description:
        yield md_block(part.description) + "\n\n"
    if part.summary:
        heading = gettext("Summary of the session")
        yield f"{h}# {heading}\n\n{md_block(part.summary.body)}\n\n"
    if part.attachments:
        heading = gettext("Attached files")
        yield f"{h}# {heading}\n\n"
        for file in part.attachments:
            name, who = md_inline(file.name), md_inline(file.uploader)
            yield f"- [{name}]({file.url}) — {who}, {when(file.created_at)}\n"
        yield "\n"
    yield from _polls(part, h)
    for thread in part.questions:
        yield from _thread(t, thread, level + 1)
    if part.topics:
        yield f"{h}# {gettext('Topics from participants')}\n\n"
        for thread in part.topics:
            yield from _thread(t, thread, level + 2)


def _thread(t: Transcript, thread: ThreadPart, level: int) -> Iterator[str]:
    h = "#" * level
    if thread.number is not None:
        yield f"{h} {thread.heading}\n\n**{md_inline(thread.text)}**\n\n"
        if times := agenda_times(thread):
            yield f"{times}\n\n"
    else:
        starter = gettext("Started by %(name)s.", name=md_inline(thread.started_by or ""))
        yield f"{h} {md_inline(thread.text)}\n\n{starter}\n\n"
    yield posts_from(thread.posts, thread.participants) + "\n\n"
    if thread.summary:
        yield f"{h}# {gettext('Running summary')}\n\n{md_block(thread.summary.body)}\n\n"
    if thread.highlights:
        yield f"{h}# {gettext('Highlighted contributions')}\n\n"
        for post in thread.highlights:
            yield _post(post, quote_depth=0)
    yield f"{h}# {gettext('Proceedings')}\n\n"
    empty = True
    for post in t.posts(thread.thread_id):
        empty = False
        yield _post(post, quote_depth=min(post.depth, MAX_QUOTE_DEPTH))
    if empty:
        yield gettext("No contributions.") + "\n\n"


def _byline(post: ReportPost) -> str:
    parts = [f"**{md_inline(post.author)}**"]
    parts += [md_inline(v) for v in byline_details(post)]
    line = " · ".join(parts)
    if (note := reply_note(post)) is not None:
        line += f" — {md_inline(note)}"
    return f"#{post.id} {line}"


def _post(post: ReportPost, quote_depth: int) -> str:
    outer = "> " * quote_depth
    head = f"{outer}{_byline(post)}"
    if post.highlighted:
        head += " ★"
    body = md_block(post.body, prefix=outer + "> ")
    return f"{head}\n{outer}\n{body}\n\n"


def _table(title: str, rows: list[Row]) -> str:
    head = f"| | {gettext('Posts')} | {gettext('Participants')} |"
    lines = [f"**{title}**\n", head, "| --- | ---: | ---: |"]
    for label, posts, people in rows:
        lines.append(f"| {md_inline(label)} | {format_number(posts)} | {format_number(people)} |")
    return "\n".join(lines) + "\n\n"


def _participation(p: Participation) -> Iterator[str]:
    yield f"## {gettext('Participation')}\n\n"
    yield posts_from(p.posts, p.participants) + "\n\n"
    for title, rows in figure_tables(p):
        if rows:
            yield _table(title, rows)


def _polls(part: SessionPart, h: str) -> Iterator[str]:
    if not part.polls:
        return
    yield f"{h}# {gettext('Polls and proposals')}\n\n"
    for poll in part.polls:
        yield f"{h}## {poll.kind_label}: {md_inline(poll.title)}\n\n"
        yield f"- {poll_meta(poll)}\n"
        if poll.options is None:
            yield f"- {gettext('Its results are shown when it closes.')}\n"
        for option in poll.options or ():
            yield f"- {md_inline(option.label)}: {format_number(option.count)}\n"
            for reason in option.reasons:
                yield f"  - {md_inline(reason)}\n"
        if poll.outcome:
            yield f"\n**{gettext('Outcome')}:** {md_inline(poll.outcome)}\n"
        yield "\n"
