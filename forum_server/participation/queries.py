"""A session's participation, read through the policy: contributions per day and by
group (from the profile kept on each post when it was written) against the people
expected (members, by their profile now, and the open invitations); who has not taken
part; the guiding questions without a published answer; the last reminder."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Select, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.countries import REGION_NAMES, REGIONS
from forum_server.accounts.models import User
from forum_server.accounts.schemas import AFFILIATION_LABELS, GENDER_LABELS
from forum_server.i18n import gettext
from forum_server.orm import utcnow
from forum_server.participation.models import ParticipationReminder
from forum_server.participation.views import (
    Day,
    Group,
    ParticipationView,
    Person,
    Reminder,
    Unanswered,
)
from forum_server.policy import (
    Actor,
    expected_members_query,
    load_participation,
    may_remind_participants,
    open_invitations_query,
    report_posts_clause,
)
from forum_server.reports.model import Count
from forum_server.reports.posts import display_country
from forum_server.reports.stats import NOT_DECLARED, UNSPECIFIED, participation
from forum_server.rooms.models import ForumSession, Post, Question, SessionPeriod, Space
from forum_server.rooms.sessions import state_of
from forum_server.rooms.state import PUBLISHED, REJECTED

# A second reminder within this time is refused: people are not to be nagged.
REMINDER_INTERVAL = timedelta(hours=1)
DECLARED_GENDERS = ("female", "male", "other")
KINDS = ("region", "country", "affiliation", "gender")


def taken_part_query(session_id: int) -> Select[int | None]:
    """Accounts with a contribution in the session (any but a rejected one: a post held
    for review was still written)."""
    return select(Post.author_id).where(
        Post.session_id == session_id, Post.author_id.is_not(None), Post.status != REJECTED
    )


async def not_taken_part(db: AsyncSession, forum_session: ForumSession) -> list[Person]:
    """The members expected to take part who have not, by name."""
    expected = expected_members_query(forum_session.space_id, forum_session.id)
    rows = await db.execute(
        select(User.id, User.display_name, User.country)
        .where(User.id.in_(expected), User.id.not_in(taken_part_query(forum_session.id)))
        .order_by(func.lower(User.display_name), User.id)
    )
    return [Person(user_id, name, display_country(country)) for user_id, name, country in rows]


def _member_key(kind: str, value: str | None) -> str:
    if kind == "gender":
        return value if value in DECLARED_GENDERS else NOT_DECLARED
    return value or UNSPECIFIED


def _label(kind: str, key: str) -> str:
    if key == NOT_DECLARED:
        return gettext("Not declared")
    if key == UNSPECIFIED:
        return gettext("No regional group") if kind == "region" else gettext("Not stated")
    table = {
        "region": REGION_NAMES,
        "affiliation": AFFILIATION_LABELS,
        "gender": GENDER_LABELS,
    }.get(kind)
    if table is None:
        return display_country(key) or key
    return gettext(table[key]) if key in table else key


def _groups(kind: str, counts: Iterable[Count], members: Counter[str], base: bool) -> list[Group]:
    """The groups that took part, then those expected that did not, each with how many
    of its people are expected (None without a membership to compare with)."""
    found = {c.key: c for c in counts}
    keys = list(found) + sorted(k for k in members if k not in found)
    if kind == "region":
        keys.sort(key=lambda k: REGIONS.index(k) if k in REGIONS else len(REGIONS))
    return [
        Group(
            key,
            found[key].label if key in found else _label(kind, key),
            found[key].posts if key in found else 0,
            found[key].participants if key in found else 0,
            members.get(key, 0) if base else None,
        )
        for key in keys
    ]


async def _members_by(db: AsyncSession, forum_session: ForumSession) -> dict[str, Counter[str]]:
    expected = expected_members_query(forum_session.space_id, forum_session.id)
    rows = await db.execute(
        select(User.region, User.country, User.affiliation, User.gender).where(
            User.id.in_(expected)
        )
    )
    counted: dict[str, Counter[str]] = {k: Counter() for k in KINDS}
    for region, country, affiliation, gender in rows:
        for kind, value in zip(KINDS, (region, country, affiliation, gender), strict=True):
            counted[kind][_member_key(kind, value)] += 1
    return counted


async def _unanswered(db: AsyncSession, session_id: int) -> list[Unanswered]:
    answered = exists().where(Post.thread_id == Question.thread_id, Post.status == PUBLISHED)
    rows = await db.scalars(
        select(Question)
        .where(Question.session_id == session_id, ~answered)
        .order_by(Question.number)
    )
    return [Unanswered(q.id, q.number, q.text, q.thread_id) for q in rows]


async def last_reminder(db: AsyncSession, session_id: int) -> Reminder | None:
    row = (
        await db.execute(
            select(ParticipationReminder, User.display_name)
            .outerjoin(User, User.id == ParticipationReminder.sent_by)
            .where(ParticipationReminder.session_id == session_id)
            .order_by(ParticipationReminder.sent_at.desc(), ParticipationReminder.id.desc())
            .limit(1)
        )
    ).first()
    if row is None:
        return None
    reminder, name = row
    return Reminder(reminder.sent_at, name, reminder.recipients)


def next_reminder_at(last: Reminder | None, now: datetime) -> datetime | None:
    if last is None or last.sent_at + REMINDER_INTERVAL <= now:
        return None
    return last.sent_at + REMINDER_INTERVAL


async def session_participation(
    db: AsyncSession, actor: Actor, session_id: int
) -> ParticipationView:
    """The dashboard, for those who run the session (NotFound for whoever may not see
    the session, Forbidden for those who may see it but not its participation)."""
    forum_session, access = await load_participation(db, actor, session_id)
    space = await db.get(Space, forum_session.space_id)
    assert space is not None  # the session's space, loaded by the policy
    figures = await participation(db, [session_id], {}, report_posts_clause())
    members = await _members_by(db, forum_session)
    invitations = await db.scalar(
        select(func.count()).select_from(open_invitations_query(space.id).subquery())
    )
    member_count = sum(members["region"].values())
    base = "members" if member_count else ("invitations" if invitations else "none")
    groups = {
        kind: tuple(_groups(kind, counts, members[kind], member_count > 0))
        for kind, counts in zip(
            KINDS,
            (figures.by_region, figures.by_country, figures.by_affiliation, figures.by_gender),
            strict=True,
        )
    }
    periods = list(
        await db.scalars(
            select(SessionPeriod)
            .where(SessionPeriod.session_id == session_id)
            .order_by(SessionPeriod.opens_at)
        )
    )
    now = utcnow()
    last = await last_reminder(db, session_id)
    return ParticipationView(
        session_id=session_id,
        session_title=forum_session.title,
        space_slug=space.slug,
        space_title=space.title,
        state=state_of(periods, now),
        closes_at=periods[-1].closes_at if periods else None,
        posts=figures.posts,
        participants=figures.participants,
        base=base,
        expected_people=member_count + int(invitations or 0),
        expected_participants=forum_session.expected_participants,
        by_day=tuple(Day(d.key, d.label, d.posts, d.participants) for d in figures.by_day),
        by_region=groups["region"],
        by_country=groups["country"],
        by_affiliation=groups["affiliation"],
        by_gender=groups["gender"],
        not_taken_part=tuple(await not_taken_part(db, forum_session)),
        open_invitations=int(invitations or 0),
        unanswered=tuple(await _unanswered(db, session_id)),
        last_reminder=last,
        next_reminder_at=next_reminder_at(last, now),
        may_remind=may_remind_participants(access),
    )
