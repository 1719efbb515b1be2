"""The shapes of the demo data and the limits it keeps to."""

from __future__ import annotations

from dataclasses import dataclass

from forum_server.rooms.schemas import PostLanguage

AFFILIATIONS: frozenset[str] = frozenset(
    {"party", "other_government", "igo", "ngo", "industry", "academia", "other"}
)
GENDERS: frozenset[str] = frozenset({"female", "male", "other", "prefer_not_to_say"})
SESSION_HOURS = 14 * 24  # each session is open for two weeks
MAX_REPLY_DEPTH = 3  # a top-level post has depth 0


@dataclass(frozen=True)
class DemoPerson:
    key: str  # short id used by posts and sessions
    display_name: str
    email: str  # always @example.org
    country: str  # ISO 3166-1 alpha-2
    organization: str
    affiliation: str  # one of AFFILIATIONS
    gender: str | None  # one of GENDERS, or None (not given)


@dataclass(frozen=True)
class DemoPost:
    key: str
    author: str  # DemoPerson.key
    body: str  # Markdown
    reply_to: str | None = None  # key of an earlier post in the same thread
    hours_after_open: float = 0  # relative to the opening of the session
    lang: PostLanguage = "en"  # the language it is written in


@dataclass(frozen=True)
class DemoQuestion:
    text: str  # the guiding question; also the title of its thread
    posts: tuple[DemoPost, ...]


@dataclass(frozen=True)
class DemoSession:
    title: str
    description: str  # Markdown
    moderator: str  # DemoPerson.key
    questions: tuple[DemoQuestion, ...]


@dataclass(frozen=True)
class DemoSpace:
    slug: str
    title: str
    description: str
    report_symbol: str = ""  # the cover of its reports
    report_distribution: str = ""
