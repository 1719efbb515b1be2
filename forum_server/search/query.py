"""The search language, parsed into terms and filters, and written out again for each
engine from the parsed terms only — never from what was typed.

    biosafety "risk assessment" -draft capacity OR training  in:online-forum
    by:Maria question:2 lang:fr after:2026-03-01 before:2026-04-01 detect*
    type:documents

Words must all be found; "a phrase" must be found as written; -word or -"a phrase"
must not be; OR between two terms finds either; word* finds words starting so. Every
term is folded like the indexed text and split into its words; the engines receive
only those words, each quoted. Whatever else was typed — unbalanced quotes, lone
operators, the engines' own syntax (NEAR, column filters, ^, parentheses) — is
punctuation, and punctuation separates words: nothing typed can be an error in the
engine. Only the length is bounded, with a clear message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from forum_server.errors import Invalid
from forum_server.i18n.languages import CODES
from forum_server.search.text import fold_query

MAX_CHARS = 200
MAX_TERMS = 20
MIN_PREFIX = 2  # letters before a * (a shorter prefix would match half the index)
FILTERS = ("in", "by", "question", "lang", "before", "after", "type")
_FILTER = re.compile(r"(?i)(in|by|question|lang|before|after|type):")
# type: what is written in sessions (posts, topics, questions, sessions, summaries), or
# the documents of spaces' libraries.
POSTS, DOCUMENTS = "posts", "documents"
TYPES = (POSTS, DOCUMENTS)


@dataclass(frozen=True)
class Term:
    """Words to find next to each other, in order; the last one as a prefix if asked."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Filters:
    space_or_session: str | None = None  # in: a space's slug, or a session's id
    author: str | None = None  # by: part of an author's name
    question: int | None = None  # question: a guiding question's number
    lang: str | None = None
    after: datetime | None = None  # written on or after (UTC midnight)
    before: datetime | None = None  # written before
    type: str | None = None  # posts or documents

    @property
    def any(self) -> bool:
        return any(getattr(self, name) is not None for name in self.__dataclass_fields__)


@dataclass(frozen=True)
class Query:
    """All `groups` must match (a group: any one of its terms); no `excluded` may."""

    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()
    filters: Filters = field(default_factory=Filters)

    @property
    def empty(self) -> bool:
        return not self.groups and not self.filters.any

    def terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]


# --- parsing ------------------------------------------------------------------------


@dataclass
class _Raw:
    text: str
    quoted: bool
    negated: bool


def _lex(q: str) -> tuple[list[_Raw | str], dict[str, str]]:
    """Terms and the word OR in order, and the filters given."""
    items: list[_Raw | str] = []
    filters: dict[str, str] = {}
    i, n = 0, len(q)
    while i < n:
        if q[i].isspace():
            i += 1
            continue
        negated = q[i] == "-" and i + 1 < n and not q[i + 1].isspace()
        start = i + 1 if negated else i
        match = _FILTER.match(q, start) if not negated else None
        if match:
            value, i = _value(q, match.end())
            if value.strip():
                filters[match.group(1).lower()] = value.strip()
            continue
        if q[start] == '"' and '"' in q[start + 1 :]:
            end = q.index('"', start + 1)
            items.append(_Raw(q[start + 1 : end], quoted=True, negated=negated))
            i = end + 1
            continue
        end = start
        while end < n and not q[end].isspace() and q[end] != '"':
            end += 1
        if end == start:  # a lone quote: punctuation
            i = start + 1
            continue
        word = q[start:end]
        items.append("OR" if word == "OR" and not negated else _Raw(word, False, negated))
        i = end
    return items, filters


def _value(q: str, i: int) -> tuple[str, int]:
    """A filter's value: a quoted string, or up to the next space."""
    if i < len(q) and q[i] == '"' and '"' in q[i + 1 :]:
        end = q.index('"', i + 1)
        return q[i + 1 : end], end + 1
    end = i
    while end < len(q) and not q[end].isspace():
        end += 1
    return q[i:end].strip('"'), end


def _term(raw: _Raw) -> Term | None:
    words, lone_character = fold_query(raw.text)
    if not words:
        return None
    typed = not raw.quoted and raw.text.endswith("*") and len(words[-1]) >= MIN_PREFIX
    return Term(tuple(words), typed or lone_character)


def parse(q: str, fields: dict[str, str] | None = None) -> Query:
    """The query typed (`q`) with the filters given as separate fields (`fields`, which
    win over the same filter typed in `q`). Invalid: too long, too many terms, only
    excluded terms, or a filter's value that cannot be one."""
    q = _printable(q).strip()
    if len(q) > MAX_CHARS:
        raise Invalid(
            "The search is too long: at most %(count)s characters.",
            field="q",
            params={"count": MAX_CHARS},
        )
    items, typed = _lex(q)
    raws = [item for item in items if isinstance(item, _Raw)]
    if len(raws) > MAX_TERMS:
        raise Invalid(
            "The search has too many words: at most %(count)s.",
            field="q",
            params={"count": MAX_TERMS},
        )
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    for item in items:
        if item == "OR":
            join_next = bool(groups)
            continue
        assert isinstance(item, _Raw)
        term = _term(item)
        if term is None:
            continue
        if item.negated:
            excluded.append(term)
            join_next = False
        elif join_next:
            groups[-1].append(term)
            join_next = False
        else:
            groups.append([term])
    given = {**typed, **{k: _printable(v).strip() for k, v in (fields or {}).items() if v}}
    given = {k: v for k, v in given.items() if v}
    query = Query(tuple(tuple(g) for g in groups), tuple(excluded), _filters(given))
    if excluded and not query.groups and not query.filters.any:
        raise Invalid("Add a word to look for: excluded words only narrow a search.", field="q")
    return query


def _printable(text: str) -> str:
    """Control characters (a NUL among them, which PostgreSQL refuses in text) as spaces."""
    return "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)


def _filters(given: dict[str, str]) -> Filters:
    found = Filters()
    for name, value in given.items():
        if name not in FILTERS:
            continue
        if len(value) > MAX_CHARS:
            raise Invalid(
                "%(name)s: at most %(count)s characters.",
                field=name,
                params={"name": name, "count": MAX_CHARS},
            )
        found = replace(found, **_filter(name, value))
    return found


def _filter(name: str, value: str) -> dict[str, Any]:
    if name == "in":
        return {"space_or_session": value.lower()}
    if name == "by":
        return {"author": value}
    if name == "question":
        number = value.removeprefix("#")
        if not number.isascii() or not number.isdigit() or not 0 < int(number) < 10_000:
            raise Invalid(
                "question: the number of a guiding question, such as question:2.",
                field="question",
            )
        return {"question": int(number)}
    if name == "type":
        chosen = value.lower()
        chosen = chosen if chosen.endswith("s") else chosen + "s"  # "document" as well
        if chosen not in TYPES:
            raise Invalid("type: posts or documents.", field="type")
        return {"type": chosen}
    if name == "lang":
        code = value.lower()
        if code not in CODES:
            raise Invalid(
                "lang: one of %(codes)s.", field="lang", params={"codes": ", ".join(CODES)}
            )
        return {"lang": code}
    day = _day(name, value)
    start = datetime.combine(day, time(), tzinfo=UTC)
    # after: from that day on; before: up to that day, not including it.
    return {"after": start} if name == "after" else {"before": start}


def _day(name: str, value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise Invalid(
            "%(name)s: a date written as year-month-day, such as 2026-03-15.",
            field=name,
            params={"name": name},
        ) from None
    if day.year < 1970 or day > date(9998, 12, 31) - timedelta(days=1):
        raise Invalid("%(name)s: a date between 1970 and 9998.", field=name, params={"name": name})
    return day


# --- writing it out for each engine -----------------------------------------------


def _fts5_term(term: Term) -> str:
    # Words are letters and digits only (folded); quoted all the same.
    quoted = '"' + " ".join(w.replace('"', '""') for w in term.words) + '"'
    return quoted + ("*" if term.prefix else "")


def fts5_match(query: Query) -> str:
    """The FTS5 MATCH expression; only for a query with terms."""
    groups = ["(" + " OR ".join(_fts5_term(t) for t in group) + ")" for group in query.groups]
    expression = "(" + " AND ".join(groups) + ")"
    for term in query.excluded:
        expression += f" NOT {_fts5_term(term)}"
    return expression


def tsquery_term(term: Term) -> str:
    """One term as PostgreSQL's to_tsquery reads it: each word quoted (the configuration
    still stems it), a phrase's words joined by <->, a prefix marked :*."""
    last = len(term.words) - 1
    parts = [
        "'"
        + w.replace("\\", "\\\\").replace("'", "''")
        + "'"
        + (":*" if term.prefix and i == last else "")
        for i, w in enumerate(term.words)
    ]
    return " <-> ".join(parts)
