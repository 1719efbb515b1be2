"""Participation figures, computed in SQL (GROUP BY) over a report's published posts:
the database counts, Python never holds the posts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, String, case, cast, distinct, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from forum_server.accounts.countries import REGION_NAMES, REGIONS
from forum_server.accounts.models import User
from forum_server.accounts.schemas import AFFILIATION_LABELS, GENDER_LABELS
from forum_server.i18n import N_, format_number, gettext, ngettext
from forum_server.reports.model import Count, Participant, Participation, ThreadCount
from forum_server.reports.posts import Attributor, display_country
from forum_server.reports.textual import day
from forum_server.rooms.models import Post

UNSPECIFIED = "unspecified"
NOT_DECLARED = "not_declared"
# Days without posts are listed (as zeros) when the report spans at most this many days.
MAX_FILLED_DAYS = 366


def _participant() -> ColumnElement[Any]:
    """One key per participant: the account, or the name a guest gave."""
    return case(
        (Post.author_id.is_not(None), literal("u") + cast(Post.author_id, String)),
        else_=literal("g") + func.coalesce(Post.guest_name, ""),
    )


def _utc_day(dialect: str) -> ColumnElement[Any]:
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", Post.created_at), "YYYY-MM-DD")
    return func.date(Post.created_at)  # SQLite keeps UTC text: 'YYYY-MM-DD ...'


async def _grouped(
    db: AsyncSession,
    session_ids: Sequence[int],
    key: ColumnElement[Any] | QueryableAttribute[Any],
    shown: ColumnElement[bool],
) -> list[tuple[Any, int, int]]:
    rows = await db.execute(
        select(key, func.count(Post.id), func.count(distinct(_participant())))
        .select_from(Post)
        .where(Post.session_id.in_(session_ids), shown)
        .group_by(key)
    )
    return [(k, int(posts), int(people)) for k, posts, people in rows]


def _ordered(
    rows: list[tuple[Any, int, int]], order: Sequence[str], labels: dict[str, str], missing: str
) -> list[Count]:
    """Known keys in `order`, then any others, then the people who gave none; labels
    are catalogue entries, translated here."""
    by_key = {k: (p, n) for k, p, n in rows}
    keys = [k for k in order if k in by_key]
    keys += sorted(k for k in by_key if k is not None and k not in order)
    counts = [Count(k, gettext(labels[k]) if k in labels else k, *by_key[k]) for k in keys]
    if None in by_key:
        counts.append(Count(UNSPECIFIED, gettext(missing), *by_key[None]))
    return counts


def _days(rows: list[tuple[Any, int, int]]) -> list[Count]:
    found = {str(k)[:10]: (p, n) for k, p, n in rows if k is not None}
    if not found:
        return []
    first, last = date.fromisoformat(min(found)), date.fromisoformat(max(found))
    span = (last - first).days + 1
    if span <= MAX_FILLED_DAYS:
        keys = [(first + timedelta(days=i)).isoformat() for i in range(span)]
    else:
        keys = sorted(found)
    return [Count(k, day(date.fromisoformat(k)), *found.get(k, (0, 0))) for k in keys]


async def participation(
    db: AsyncSession,
    session_ids: Sequence[int],
    threads: dict[int, ThreadCount],
    shown: ColumnElement[bool],
) -> Participation:
    """The figures for the posts of these sessions a report shows (`shown`), labelled
    in the language of the work at hand. `threads` gives each thread's label; their
    counts are filled in here, in the order given."""
    dialect = db.get_bind().dialect.name
    totals = (
        await db.execute(
            select(func.count(Post.id), func.count(distinct(_participant()))).where(
                Post.session_id.in_(session_ids), shown
            )
        )
    ).one()
    # The author's profile as it was when each post was written (kept on the post).
    regions = await _grouped(db, session_ids, Post.author_region, shown)
    countries = await _grouped(db, session_ids, Post.author_country, shown)
    affiliations = await _grouped(db, session_ids, Post.author_affiliation, shown)
    genders = await _grouped(db, session_ids, Post.author_gender, shown)
    days = await _grouped(db, session_ids, _utc_day(dialect), shown)
    per_thread = {k: (p, n) for k, p, n in await _grouped(db, session_ids, Post.thread_id, shown)}

    # "Prefer not to say" and no answer are one group: people who did not declare.
    merged: dict[Any, list[int]] = {}
    for k, p, n in genders:
        key = k if k in {"female", "male", "other"} else NOT_DECLARED
        merged.setdefault(key, [0, 0])
        merged[key][0] += p
        merged[key][1] += n  # the groups are disjoint: one gender per person
    gender_labels = {**GENDER_LABELS, NOT_DECLARED: N_("Not declared")}

    country_counts = [
        Count(k or UNSPECIFIED, display_country(k) or gettext("Not stated"), p, n)
        for k, p, n in countries
    ]
    country_counts.sort(key=lambda c: (c.key == UNSPECIFIED, -c.posts, c.label))

    by_question = [
        ThreadCount(
            t.session_id, t.thread_id, t.number, t.label, *per_thread.get(t.thread_id, (0, 0))
        )
        for t in threads.values()
    ]
    return Participation(
        posts=int(totals[0]),
        participants=int(totals[1]),
        by_region=_ordered(regions, REGIONS, REGION_NAMES, N_("No regional group")),
        by_country=country_counts,
        by_affiliation=_ordered(
            affiliations, list(AFFILIATION_LABELS), AFFILIATION_LABELS, N_("Not stated")
        ),
        by_gender=[
            Count(k, gettext(gender_labels[k]), *merged[k])
            for k in ("female", "male", "other", NOT_DECLARED)
            if k in merged
        ],
        by_day=_days(days),
        by_question=by_question,
    )


async def participant_list(
    db: AsyncSession, session_ids: Sequence[int], shown: ColumnElement[bool], attributor: Attributor
) -> list[Participant]:
    """Everyone with a post the report shows (for named reports only), each as far as
    their own choice allows: signed-in authors by name with their country and
    organization, or by country only; guests by the name they gave. Those who asked not
    to be cited are counted on one last line, unnamed."""
    rows = await db.execute(
        select(
            Post.author_id,
            User.display_name,
            User.country,
            User.organization,
            Post.guest_name,
            func.count(Post.id),
        )
        .select_from(Post)
        .outerjoin(User, User.id == Post.author_id)
        .where(Post.session_id.in_(session_ids), shown)
        .group_by(
            Post.author_id, User.display_name, User.country, User.organization, Post.guest_name
        )
    )
    found: dict[tuple[int | None, str | None], Participant] = {}
    unnamed: dict[int, int] = {}  # posts of those not cited at all, by account
    for author_id, name, country, organization, guest, posts in rows:
        key = (author_id, None if author_id is not None else guest)
        mode = attributor.mode_for(author_id)
        if author_id is None:
            label = gettext("%(name)s (guest)", name=guest or gettext("Guest"))
            person = Participant(label, None, None, int(posts))
        elif mode == "none" or (mode == "country" and not country):
            unnamed[author_id] = unnamed.get(author_id, 0) + int(posts)
            continue
        elif mode == "country":
            label = gettext("A participant from %(country)s", country=display_country(country))
            person = Participant(label, display_country(country), None, int(posts))
            key = (author_id, None)
        else:
            person = Participant(name or "", display_country(country), organization, int(posts))
        if key in found:  # a signed-in author's posts with and without a guest name
            person = Participant(
                person.name, person.country, person.organization, person.posts + found[key].posts
            )
        found[key] = person
    listed = sorted(found.values(), key=lambda p: (p.name.casefold(), p.country or ""))
    if unnamed:
        label = ngettext(
            "%(num)s participant who asked not to be named",
            "%(num)s participants who asked not to be named",
            len(unnamed),
            num=format_number(len(unnamed)),
        )
        listed.append(Participant(label, None, None, sum(unnamed.values())))
    return listed
