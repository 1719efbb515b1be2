"""What a report is made of: plain, frozen data every renderer reads the same way.

Everything here is small (titles, periods, summaries, highlights, statistics) except
the proceedings, which a `Transcript` streams thread by thread (see `posts.py`), so a
renderer never holds a whole session's posts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from forum_server.i18n import N_, SOURCE_LANGUAGE, Language, gettext, language
from forum_server.rooms.state import Period

if TYPE_CHECKING:
    from forum_server.reports.charts import Chart, Charts
    from forum_server.reports.posts import PostSource

Attribution = Literal["named", "country", "none"]
ATTRIBUTIONS: tuple[str, ...] = ("named", "country", "none")
# English catalogue entries, translated where shown.
ATTRIBUTION_LABELS: dict[str, str] = {
    "named": N_("Named (name, country and organization)"),
    "country": N_("By country only (“A participant from Brazil”)"),
    "none": N_("Not attributed (“A participant”)"),
}


@dataclass(frozen=True)
class ReportPost:
    """One published contribution, attributed as the report's setting says: `author` is
    the name, "A participant from Brazil" or "A participant"; `country` and
    `organization` are None where the attribution leaves them out."""

    id: int
    session_id: int
    thread_id: int
    parent_id: int | None  # the post it answers, when that post is in the report
    depth: int  # 0 for a contribution, 1 for a reply, 2 for a reply to a reply...
    author: str
    country: str | None
    organization: str | None
    is_moderator: bool
    reply_to_author: str | None
    created_at: datetime
    edited_at: datetime | None
    body: str  # Markdown source
    html: str  # sanitized when written
    highlighted: bool
    lang: str | None = None  # the language it is written in, where known
    named: bool = True  # the byline names the author (else "The moderator", "A participant")
    reactions: tuple[tuple[str, int], ...] = ()  # (kind, count) for the kinds it received

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    @property
    def language(self) -> Language | None:
        return language(self.lang) if self.lang else None

    @property
    def moderator_mark(self) -> bool:
        """Whether the byline says "moderator" (unnamed moderators are called so already)."""
        return self.is_moderator and self.named


@dataclass(frozen=True)
class SummaryText:
    body: str  # Markdown source, for MD and DOCX
    html: str  # rendered and sanitized when written, for HTML and PDF
    updated_at: datetime


@dataclass(frozen=True)
class AgendaTimes:
    """A conference's agenda item: planned, and when it was discussed (from the
    moderator's first move to it until the last move on; None where not yet)."""

    planned_at: datetime | None
    started_at: datetime | None
    ended_at: datetime | None


@dataclass(frozen=True)
class ThreadPart:
    """A guiding question's thread (number set) or a participant's topic (number None)."""

    thread_id: int
    session_id: int
    number: int | None
    text: str  # the question, or the topic's title
    started_by: str | None  # a topic's author, attributed
    summary: SummaryText | None
    highlights: list[ReportPost]
    posts: int
    participants: int
    agenda: AgendaTimes | None = None  # set for a conference's items

    @property
    def heading(self) -> str:
        if self.number is None:
            return self.text
        if self.agenda is not None:
            return gettext("Agenda item %(number)s", number=self.number)
        return gettext("Question %(number)s", number=self.number)


@dataclass(frozen=True)
class ReportFile:
    """A file on a contribution the report shows, or a document of the space's
    library: named, attributed, dated and linked (the link is the site's address of
    the file, which asks the reader's access again when followed)."""

    name: str
    uploader: str
    created_at: datetime
    url: str
    post_id: int | None = None  # the contribution it is attached to
    title: str = ""  # a library document's title (its file's name is `name`)
    version: int | None = None  # a library document's current version


@dataclass(frozen=True)
class PollOption:
    """One option of a poll (or position of a proposal) with its count and reasons; a
    reason is attributed as the report's setting says in a named poll, never in an
    anonymous one."""

    label: str
    count: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ReportPoll:
    id: int
    title: str
    kind: str  # single | multiple | proposal
    anonymous: bool
    closed_at: datetime | None  # None: still open
    votes: int
    options: tuple[PollOption, ...] | None  # None: kept back until it closes
    outcome: str | None
    where: str | None  # the question or topic it was asked in; None: the session

    @property
    def kind_label(self) -> str:
        return gettext("Proposal") if self.kind == "proposal" else gettext("Poll")


@dataclass(frozen=True)
class SessionPart:
    id: int
    title: str
    description: str
    description_html: str
    state: str
    periods: list[Period]
    moderators: list[str]
    summary: SummaryText | None
    questions: list[ThreadPart]
    topics: list[ThreadPart]
    attachments: list[ReportFile] = field(default_factory=list)
    polls: list[ReportPoll] = field(default_factory=list)

    @property
    def threads(self) -> list[ThreadPart]:
        return [*self.questions, *self.topics]

    @property
    def highlights(self) -> list[ReportPost]:
        return [post for thread in self.threads for post in thread.highlights]


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    posts: int
    participants: int


@dataclass(frozen=True)
class ThreadCount:
    session_id: int
    thread_id: int
    number: int | None
    label: str
    posts: int
    participants: int


@dataclass(frozen=True)
class Participation:
    """Figures over the report's published posts, computed in SQL. A participant is a
    signed-in author, or a guest name."""

    posts: int
    participants: int
    by_region: list[Count]
    by_country: list[Count]
    by_affiliation: list[Count]
    by_gender: list[Count]
    by_day: list[Count]  # UTC days, oldest first
    by_question: list[ThreadCount]

    @property
    def countries(self) -> int:
        """How many countries the participants come from (those who stated one)."""
        return sum(1 for c in self.by_country if c.key != "unspecified")


@dataclass(frozen=True)
class SpaceInfo:
    slug: str
    title: str
    visibility: str


@dataclass(frozen=True)
class Cover:
    """What the cover shows besides the titles: the site's name (the document's author),
    the document symbol and the distribution line (the session's, else the space's)."""

    site_name: str = ""
    symbol: str = ""
    distribution: str = ""


@dataclass(frozen=True)
class Participant:
    """A line of the list of participants (only where contributions are named)."""

    name: str
    country: str | None
    organization: str | None
    posts: int


@dataclass
class Transcript:
    """A compiled report. `posts(thread_id)` streams the proceedings of one thread in
    reading order (each reply right after what it answers); it must be called from a
    worker thread, never from the event loop (renderers run in threads)."""

    scope: Literal["session", "space"]
    space: SpaceInfo
    sessions: list[SessionPart]
    participation: Participation
    attribution: str
    generated_at: datetime
    source: PostSource = field(repr=False)
    language: str = SOURCE_LANGUAGE  # of its headings, labels and dates; posts stay as written
    post_language: str | None = None  # only the posts written in this language, if set
    documents: list[ReportFile] = field(default_factory=list)  # the space's library

    @property
    def attachments(self) -> list[ReportFile]:
        return [file for part in self.sessions for file in part.attachments]

    cover: Cover = field(default_factory=Cover)
    participants: list[Participant] = field(default_factory=list)  # named attribution only

    @property
    def subtitle(self) -> str | None:
        """The forum's title above a session's (a space's report has none)."""
        return self.space.title if self.scope == "session" else None

    @property
    def title(self) -> str:
        if self.scope == "session":
            return self.sessions[0].title
        return self.space.title

    @property
    def highlights(self) -> list[ReportPost]:
        return [post for part in self.sessions for post in part.highlights]

    def posts(self, thread_id: int) -> Iterator[ReportPost]:
        return self.source.posts(thread_id)

    @property
    def attribution_label(self) -> str:
        return gettext(ATTRIBUTION_LABELS[self.attribution])

    @cached_property
    def poll_charts(self) -> dict[int, Chart]:
        """A bar chart of each poll whose results the report shows, by poll id."""
        from forum_server.reports.charts import draw_poll_chart

        return {
            poll.id: draw_poll_chart(poll, self.language)
            for part in self.sessions
            for poll in part.polls
            if poll.options
        }

    @cached_property
    def charts(self) -> Charts:
        from forum_server.reports.charts import draw_charts

        return draw_charts(self.participation, self.language)
