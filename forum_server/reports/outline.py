"""The document every format lays out, in one place: its parts in order, their headings
and levels, and the phrases of its cover and introduction.

    cover (site, forum and session titles, symbol, distribution, dates, language)
    contents
    Introduction           (description, moderators, periods, participants, countries)
    per guiding question   (the question, the moderator's summary, highlighted contributions)
    Topics from participants
    Participation statistics (figures, charts and tables)
    Annex I.  List of participants (as the attribution allows)
    Annex II. Transcript   (every thread's proceedings)

A space's report has the same parts; its sessions come one after the other, each
with its own introduction and questions one level down.

Levels here are the document's: 1 for a main part. HTML writes level n as h(n+1)
and Markdown as n+1 '#' (the title is the one h1 / '#'); Word as "Heading n".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from forum_server.i18n import format_number, gettext, language, ngettext
from forum_server.reports.model import ReportPost, SessionPart, ThreadPart, Transcript
from forum_server.reports.textual import day, when

CONTENTS_DEPTH = 2  # the levels the contents list


@dataclass(frozen=True)
class Entry:
    level: int
    text: str
    anchor: str  # the id of the heading in HTML and PDF, a bookmark's name in Word


def site_name(t: Transcript) -> str:
    return t.cover.site_name or gettext("Online forums")


def language_line(t: Transcript) -> str:
    return gettext("Language: %(language)s", language=language(t.language).native_name)


def dates_line(t: Transcript) -> str | None:
    """The days the report's sessions were open (from the first opening to the last closing)."""
    periods = [p for part in t.sessions for p in part.periods]
    if not periods:
        return None
    first = min(p.opens_at for p in periods).date()
    ends = [p.closes_at for p in periods]
    if any(end is None for end in ends):
        return gettext("From %(start)s", start=day(first))
    last = max(end for end in ends if end is not None).date()
    if last == first:
        return day(first)
    return gettext("%(start)s – %(end)s", start=day(first), end=day(last))


def compiled_line(t: Transcript) -> str:
    return gettext("Report compiled %(when)s.", when=when(t.generated_at))


def attribution_line(t: Transcript) -> str:
    return gettext("Attribution: %(label)s.", label=t.attribution_label)


def figures_line(t: Transcript) -> str:
    """ "1,204 posts from 87 participants from 34 countries." """
    p = t.participation
    return gettext(
        "%(posts)s %(participants)s %(countries)s.",
        posts=ngettext("%(num)s post", "%(num)s posts", p.posts, num=format_number(p.posts)),
        participants=ngettext(
            "from %(num)s participant",
            "from %(num)s participants",
            p.participants,
            num=format_number(p.participants),
        ),
        countries=ngettext(
            "from %(num)s country",
            "from %(num)s countries",
            p.countries,
            num=format_number(p.countries),
        ),
    )


def sessions_line(t: Transcript) -> str:
    count = len(t.sessions)
    return ngettext(
        "This report compiles %(num)s session.",
        "This report compiles %(num)s sessions.",
        count,
        num=format_number(count),
    )


# --- headings ---------------------------------------------------------------------------


def introduction() -> str:
    return gettext("Introduction")


def summary_heading() -> str:
    return gettext("Moderator's summary")


def session_summary_heading() -> str:
    return gettext("Summary of the session")


def highlights_heading() -> str:
    return gettext("Highlighted contributions")


def topics_heading() -> str:
    return gettext("Topics from participants")


def statistics_heading() -> str:
    return gettext("Participation statistics")


def participants_heading() -> str:
    return gettext("Annex I. List of participants")


def transcript_heading() -> str:
    return gettext("Annex II. Transcript")


def question_title(thread: ThreadPart) -> str:
    """A question's heading with its text ("Question 1: How ...?"), shortened for the
    contents."""
    text = thread.text if len(thread.text) <= 90 else thread.text[:89].rstrip() + "…"
    if thread.number is None:
        return text
    return gettext("Question %(number)s: %(text)s", number=thread.number, text=text)


def session_level(t: Transcript) -> int:
    """The level of a session's own parts: 1 in a session's report, 2 in a space's."""
    return 1 if t.scope == "session" else 2


def thread_anchor(thread: ThreadPart) -> str:
    return f"thread-{thread.thread_id}"


def transcript_anchor(thread: ThreadPart) -> str:
    return f"transcript-{thread.thread_id}"


def session_anchor(part: SessionPart) -> str:
    return f"session-{part.id}"


def contents(t: Transcript) -> list[Entry]:
    """The contents, to CONTENTS_DEPTH, in document order."""
    return [e for e in _entries(t) if e.level <= CONTENTS_DEPTH]


def _entries(t: Transcript) -> Iterator[Entry]:
    yield Entry(1, introduction(), "introduction")
    level = session_level(t)
    for part in t.sessions:
        if t.scope == "space":
            yield Entry(1, part.title, session_anchor(part))
        for thread in part.questions:
            yield Entry(level, question_title(thread), thread_anchor(thread))
        if part.topics:
            yield Entry(level, topics_heading(), f"topics-{part.id}")
    yield Entry(1, statistics_heading(), "participation")
    yield Entry(1, participants_heading(), "participants")
    yield Entry(1, transcript_heading(), "transcript")
    for part in t.sessions:
        if t.scope == "space":
            yield Entry(2, part.title, f"transcript-session-{part.id}")
            continue
        for thread in part.threads:
            yield Entry(2, question_title(thread), transcript_anchor(thread))


def contents_tree(t: Transcript) -> list[tuple[Entry, list[Entry]]]:
    """The contents as main parts, each with its own entries one level down."""
    tree: list[tuple[Entry, list[Entry]]] = []
    for entry in contents(t):
        if entry.level == 1 or not tree:
            tree.append((entry, []))
        else:
            tree[-1][1].append(entry)
    return tree


ItemKind = Literal["start", "session", "thread", "post", "empty"]
Item = tuple[ItemKind, "SessionPart | ThreadPart | ReportPost | None"]


def transcript_items(t: Transcript) -> Iterator[Item]:
    """The transcript annex as a stream: its start, each session (in a space's report),
    each thread, then the thread's posts (or "empty"). Posts are read as they are
    needed, so this runs in a worker thread like every renderer."""
    yield "start", None
    for part in t.sessions:
        if t.scope == "space":
            yield "session", part
        for thread in part.threads:
            yield "thread", thread
            empty = True
            for post in t.posts(thread.thread_id):
                empty = False
                yield "post", post
            if empty:
                yield "empty", None
