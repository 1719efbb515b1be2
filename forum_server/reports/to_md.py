"""The Markdown report, streamed in the order of `outline`. Titles, names and
questions are escaped; post and summary bodies keep their Markdown source, each inside
a block quote (see `textual.md_block`). Replies are nested block quotes, marked "in
reply to"."""

from __future__ import annotations

from collections.abc import Iterator

from forum_server.i18n import format_number, gettext
from forum_server.reports import outline
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


def _h(level: int, text: str) -> str:
    """A heading of the document's `level` (the title is the one '#')."""
    return f"{'#' * min(level + 1, 6)} {text}\n\n"


def chunks(transcript: Transcript) -> Iterator[str]:
    t = transcript
    yield from _cover(t)
    yield _h(1, gettext("Contents"))
    for entry, children in outline.contents_tree(t):
        yield f"- {md_inline(entry.text)}\n"
        for child in children:
            yield f"  - {md_inline(child.text)}\n"
    yield "\n"
    yield _h(1, outline.introduction())
    yield outline.figures_line(t) + "\n\n"
    if t.scope == "session":
        yield from _session_intro(t.sessions[0], 1)
    else:
        yield outline.sessions_line(t) + "\n\n"
    yield from _documents(t)
    level = outline.session_level(t)
    for part in t.sessions:
        if t.scope == "space":
            yield _h(1, md_inline(part.title))
            yield from _session_intro(part, 1)
        for thread in part.questions:
            yield from _thread(thread, level)
        if part.topics:
            yield _h(level, outline.topics_heading())
            for thread in part.topics:
                yield from _thread(thread, level + 1)
        yield from _polls(part, level)
    yield from _participation(t.participation)
    yield from _participants(t)
    yield from _transcript(t)


def _cover(t: Transcript) -> Iterator[str]:
    above = [t.cover.symbol, t.cover.distribution, outline.site_name(t), t.subtitle]
    yield "  \n".join(md_inline(line) for line in above if line) + "\n\n"
    yield f"# {md_inline(t.title)}\n\n"
    below = [outline.dates_line(t), outline.language_line(t)]
    yield "".join(md_inline(line) + "  \n" for line in below if line)
    yield f"{outline.compiled_line(t)} {outline.attribution_line(t)}\n\n"


def _session_intro(part: SessionPart, level: int) -> Iterator[str]:
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
        yield _h(level + 1, outline.session_summary_heading())
        yield md_block(part.summary.body) + "\n\n"
    if part.attachments:
        yield _h(level + 1, gettext("Attached files"))
        for file in part.attachments:
            name, who = md_inline(file.name), md_inline(file.uploader)
            yield f"- [{name}]({file.url}) — {who}, {when(file.created_at)}\n"
        yield "\n"


def _thread_head(thread: ThreadPart, level: int) -> str:
    if thread.number is not None:
        head = _h(level, thread.heading) + f"**{md_inline(thread.text)}**\n\n"
        if times := agenda_times(thread):
            head += f"{times}\n\n"
        return head
    starter = gettext("Started by %(name)s.", name=md_inline(thread.started_by or ""))
    return _h(level, md_inline(thread.text)) + f"{starter}\n\n"


def _thread(thread: ThreadPart, level: int) -> Iterator[str]:
    yield _thread_head(thread, level)
    yield posts_from(thread.posts, thread.participants) + "\n\n"
    if thread.summary:
        yield _h(level + 1, outline.summary_heading()) + md_block(thread.summary.body) + "\n\n"
    if thread.highlights:
        yield _h(level + 1, outline.highlights_heading())
        for post in thread.highlights:
            yield _post(post, quote_depth=0)


def _participants(t: Transcript) -> Iterator[str]:
    yield _h(1, outline.participants_heading())
    if t.attribution == "named":
        yield f"| {gettext('Name')} | {gettext('Country')} | {gettext('Organization')} | "
        yield f"{gettext('Posts')} |\n| --- | --- | --- | ---: |\n"
        for p in t.participants:
            cells = [md_inline(v or "") for v in (p.name, p.country, p.organization)]
            yield f"| {' | '.join(cells)} | {format_number(p.posts)} |\n"
        yield "\n"
    elif t.attribution == "country":
        message = (
            "Contributions are attributed by country only: participants are counted by country."
        )
        yield gettext(message) + "\n\n"
        yield f"| {gettext('Country')} | {gettext('Participants')} |\n| --- | ---: |\n"
        for c in t.participation.by_country:
            yield f"| {md_inline(c.label)} | {format_number(c.participants)} |\n"
        yield "\n"
    else:
        yield gettext("Contributions are not attributed: this report lists no participants.")
        yield "\n\n"
    yield outline.figures_line(t) + "\n\n"


def _transcript(t: Transcript) -> Iterator[str]:
    level = 2 if t.scope == "session" else 3
    for kind, item in outline.transcript_items(t):
        if kind == "post":
            assert isinstance(item, ReportPost)
            yield _post(item, quote_depth=min(item.depth, MAX_QUOTE_DEPTH))
        elif kind == "start":
            yield _h(1, outline.transcript_heading())
        elif kind == "session":
            assert isinstance(item, SessionPart)
            yield _h(2, md_inline(item.title))
        elif kind == "thread":
            assert isinstance(item, ThreadPart)
            yield _thread_head(item, level)
        else:
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


def _table(number: int, title: str, rows: list[Row]) -> str:
    caption = gettext("Table %(number)s. %(title)s", number=number, title=title)
    head = f"| {title} | {gettext('Posts')} | {gettext('Participants')} |"
    lines = [f"**{caption}**\n", head, "| --- | ---: | ---: |"]
    for label, posts, people in rows:
        lines.append(f"| {md_inline(label)} | {format_number(posts)} | {format_number(people)} |")
    return "\n".join(lines) + "\n\n"


def _participation(p: Participation) -> Iterator[str]:
    yield _h(1, outline.statistics_heading())
    yield posts_from(p.posts, p.participants) + "\n\n"
    tables = [(title, rows) for title, rows in figure_tables(p) if rows]
    for number, (title, rows) in enumerate(tables, start=1):
        yield _table(number, title, rows)


def _documents(t: Transcript) -> Iterator[str]:
    if not t.documents:
        return
    yield _h(1, gettext("Documents in the library"))
    for file in t.documents:
        title, name, who = md_inline(file.title), md_inline(file.name), md_inline(file.uploader)
        version = gettext("version %(number)s", number=file.version)
        yield f"- {title}: [{name}]({file.url}), {version} — {who}, {when(file.created_at)}\n"
    yield "\n"


def _polls(part: SessionPart, level: int) -> Iterator[str]:
    if not part.polls:
        return
    yield _h(level, gettext("Polls and proposals"))
    for poll in part.polls:
        yield _h(level + 1, f"{poll.kind_label}: {md_inline(poll.title)}")
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
