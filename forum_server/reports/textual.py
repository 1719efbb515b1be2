"""Small text helpers the renderers share: dates in the report's language, file names,
neutralizing user text for Markdown and XML (spreadsheets: forum_server.spreadsheet)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from functools import cache, lru_cache

from babel import Locale, dates
from babel.dates import DateTimePattern

from forum_server.decide.labels import REACTION_LABELS
from forum_server.i18n import current_language, format_number, gettext, ngettext
from forum_server.reports.model import (
    Count,
    Participation,
    ReportPoll,
    ReportPost,
    ThreadCount,
    ThreadPart,
)
from forum_server.rooms.state import Period

# Characters XML 1.0 cannot carry at all (DOCX is XML): C0 controls but tab/LF/CR,
# surrogates and the two non-characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
# Letters written right to left (Hebrew, Arabic and their presentation forms), and the
# first letter of a text with a direction of its own (Latin, Greek, Cyrillic, CJK...).
RTL_TEXT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_FIRST_STRONG = re.compile(
    "(?P<rtl>[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc])"
    "|[A-Za-z\u00c0-\u024f\u0370-\u052f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"
)


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def when(value: datetime | None) -> str:
    """A date and time in UTC as the report's language writes it ("2 mars 2026, 10:00 UTC")."""
    if value is None:
        return gettext("no closing date")
    return _stamps(current_language.get())(value) + " UTC"


def day(value: date) -> str:
    """A day as the report's language writes it ("2 mars 2026")."""
    return _days(current_language.get())(value)


def short_day(value: date) -> str:
    """A day without its year, for a chart's axis ("2 mars")."""
    return _short_days(current_language.get())(value)


def period_text(period: Period, first: bool) -> str:
    span = {"opens": when(period.opens_at), "closes": when(period.closes_at)}
    if first:
        return gettext("%(opens)s – %(closes)s", **span)
    return gettext("re-opened %(opens)s – %(closes)s", **span)


def agenda_times(thread: ThreadPart) -> str | None:
    """When a conference's agenda item was planned and discussed, in one line."""
    times = thread.agenda
    if times is None:
        return None
    said = []
    if times.planned_at is not None:
        said.append(gettext("Planned for %(when)s.", when=when(times.planned_at)))
    if times.started_at is not None and times.ended_at is not None:
        said.append(
            gettext(
                "Discussed %(start)s – %(end)s.",
                start=when(times.started_at),
                end=when(times.ended_at),
            )
        )
    elif times.started_at is not None:
        said.append(gettext("Discussed from %(start)s.", start=when(times.started_at)))
    return " ".join(said) or None


# This runs once a post: the patterns are parsed once per language, not per call.
def _pattern(locale: Locale, skeleton: str) -> DateTimePattern:
    return dates.parse_pattern(
        locale.datetime_skeletons[dates.match_skeleton(skeleton, locale.datetime_skeletons)]
    )


@cache
def _stamps(code: str) -> Callable[[datetime], str]:
    locale = Locale.parse(code)
    on, at = _pattern(locale, "yMMMd"), _pattern(locale, "Hm")
    joint = str(locale.datetime_formats["medium"])

    # A session's posts share few days and, at most, 1,440 minutes of the day: each
    # part is formatted once.
    @lru_cache(maxsize=4096)
    def day_part(value: date) -> str:
        return on.apply(value, locale)

    @lru_cache(maxsize=1440)
    def time_part(hour: int, minute: int) -> str:
        return at.apply(time(hour, minute), locale)

    def stamp(value: datetime) -> str:
        value = value.astimezone(UTC) if value.tzinfo else value
        when = time_part(value.hour, value.minute)
        return joint.replace("{1}", day_part(value.date())).replace("{0}", when)

    return stamp


@cache
def _days(code: str) -> Callable[[date], str]:
    locale = Locale.parse(code)
    pattern = _pattern(locale, "yMMMd")
    return lambda value: pattern.apply(value, locale)


@cache
def _short_days(code: str) -> Callable[[date], str]:
    locale = Locale.parse(code)
    pattern = _pattern(locale, "MMMd")
    return lambda value: pattern.apply(value, locale)


def direction(text: str) -> str:
    """ "rtl" or "ltr" as the text's first letter says (HTML's dir="auto", for a post
    whose language is not recorded)."""
    found = _FIRST_STRONG.search(text)
    return "rtl" if found is not None and found.group("rtl") else "ltr"


def post_direction(post: ReportPost) -> str:
    written = post.language
    return written.direction if written is not None else direction(post.body)


def isolated(text: str) -> str:
    """`text` as a unit of its own direction inside the report's (Unicode's first-strong
    isolate): a Latin title in an Arabic report, or an Arabic name in an English one,
    keeps its punctuation in place. HTML's <bdi> does the same in browsers, not in
    WeasyPrint; these characters work in both."""
    return f"\u2068{text}\u2069"


def slug(text: str, *, default: str = "report", max_length: int = 60) -> str:
    """ASCII, lower-case, hyphenated: safe in any file name and header."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:max_length].rstrip("-") or default


def md_inline(text: str) -> str:
    """Plain text (a title, a name) as Markdown that shows exactly that text: markup
    characters are escaped, and `<`/`&` become entities so no raw HTML survives."""
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return escaped.replace("&", "&amp;").replace("<", "&lt;")


def md_block(markdown: str, prefix: str = "> ") -> str:
    """A post's Markdown source kept as Markdown, inside a block quote so that its
    headings and lists cannot break the report's structure; `<` becomes `&lt;` so a
    viewer that would render raw HTML shows it as text instead."""
    lines = markdown.replace("\r\n", "\n").replace("\r", "\n").replace("<", "&lt;").split("\n")
    return "\n".join((prefix + line).rstrip() for line in lines)


# --- phrases every renderer shares, in the report's language --------------------------


Row = tuple[str, int, int]  # a label, its posts, its participants


def figure_tables(p: Participation) -> list[tuple[str, list[Row]]]:
    """The participation tables, titled, in the order every format shows them."""

    def rows(counts: Sequence[Count | ThreadCount]) -> list[Row]:
        return [(c.label, c.posts, c.participants) for c in counts]

    return [
        (gettext("By UN regional group"), rows(p.by_region)),
        (gettext("By country"), rows(p.by_country)),
        (gettext("By affiliation"), rows(p.by_affiliation)),
        (gettext("By gender (where declared)"), rows(p.by_gender)),
        (gettext("By day (UTC)"), rows(p.by_day)),
        (gettext("By question"), rows(p.by_question)),
    ]


def posts_from(posts: int, participants: int) -> str:
    """ "8 posts from 5 participants." with each count's plural form."""
    return gettext(
        "%(posts)s %(participants)s.",
        posts=ngettext("%(num)s post", "%(num)s posts", posts, num=format_number(posts)),
        participants=ngettext(
            "from %(num)s participant",
            "from %(num)s participants",
            participants,
            num=format_number(participants),
        ),
    )


def language_mark(post: ReportPost) -> str | None:
    """ "[fr]": the language the contribution is written in, where known."""
    return f"[{post.lang}]" if post.lang else None


def byline_details(post: ReportPost) -> list[str]:
    """What follows the author's name: role, country, organization, time, language."""
    details = [gettext("moderator")] if post.moderator_mark else []
    details += [v for v in (post.country, post.organization) if v]
    details.append(when(post.created_at))
    if mark := language_mark(post):
        details.append(mark)
    if post.reactions:
        details.append(reactions_text(post.reactions))
    return details


def reactions_text(reactions: Sequence[tuple[str, int]]) -> str:
    """ "Agree 3, Thanks 1": a contribution's reactions, counted."""
    return ", ".join(f"{gettext(REACTION_LABELS[k])} {format_number(n)}" for k, n in reactions)


def byline_tail(post: ReportPost) -> str:
    """ " · detail · detail …" for the HTML byline, each detail an isolate (one string:
    a template loop per post costs more than the post's other markup)."""
    return "".join(" · " + isolated(detail) for detail in byline_details(post))


def reply_note(post: ReportPost) -> str | None:
    if post.reply_to_author is None:
        return None
    return gettext(
        "in reply to %(post)s (%(name)s)", post="#" + str(post.parent_id), name=post.reply_to_author
    )


def poll_meta(poll: ReportPoll) -> str:
    """Where it was asked, named or anonymous, how many voted, open or closed."""
    parts = [poll.where] if poll.where else []
    parts.append(gettext("Anonymous votes") if poll.anonymous else gettext("Named votes"))
    voted = ngettext("%(num)s person voted.", "%(num)s people voted.", poll.votes)
    if poll.closed_at is not None:
        voted += " " + gettext("Closed %(when)s.", when=when(poll.closed_at))
    else:
        voted += " " + gettext("Still open.")
    parts.append(voted)
    return " · ".join(parts)
