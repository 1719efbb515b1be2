"""The mechanism's operation in figures, for the secretariat: per year, across every
space, the sessions that opened, the contributions published, and how many
participants, countries and regions they came from."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypedDict

from forum_server.policy import Actor, require_secretariat
from forum_server.reports.stats import _participant
from forum_server.rooms.models import ForumSession, Post, SessionPeriod, Space
from forum_server.rooms.state import MEMBERS, PUBLISHED


class YearJson(TypedDict):
    year: int
    spaces: int
    sessions: int
    workspace_sessions: int
    posts: int
    participants: int
    countries: int
    regions: int


@dataclass(frozen=True)
class YearFigures:
    year: int
    spaces: int  # spaces with a session opening that year
    sessions: int  # sessions whose first period opened that year
    workspace_sessions: int  # of which in members-only spaces
    posts: int  # published contributions written that year
    participants: int
    countries: int
    regions: int

    def as_json(self) -> YearJson:
        return {
            "year": self.year,
            "spaces": self.spaces,
            "sessions": self.sessions,
            "workspace_sessions": self.workspace_sessions,
            "posts": self.posts,
            "participants": self.participants,
            "countries": self.countries,
            "regions": self.regions,
        }


class OperationJson(TypedDict):
    years: list[YearJson]


@dataclass(frozen=True)
class Operation:
    years: tuple[YearFigures, ...]  # newest first

    def as_json(self) -> OperationJson:
        return {"years": [y.as_json() for y in self.years]}


def _year(dialect: str, column: Any) -> ColumnElement[Any]:
    if dialect == "postgresql":
        return func.extract("year", func.timezone("UTC", column))
    return func.strftime("%Y", column)  # SQLite keeps UTC text


async def operation_figures(db: AsyncSession, actor: Actor) -> Operation:
    require_secretariat(actor)
    dialect = db.get_bind().dialect.name
    first_opening = (
        select(SessionPeriod.session_id, func.min(SessionPeriod.opens_at).label("opened"))
        .group_by(SessionPeriod.session_id)
        .subquery()
    )
    opened_year = _year(dialect, first_opening.c.opened)
    session_rows = await db.execute(
        select(
            opened_year,
            func.count(distinct(ForumSession.space_id)),
            func.count(ForumSession.id),
            func.count(ForumSession.id).filter(Space.visibility == MEMBERS),
        )
        .select_from(ForumSession)
        .join(first_opening, first_opening.c.session_id == ForumSession.id)
        .join(Space, Space.id == ForumSession.space_id)
        .group_by(opened_year)
    )
    by_year: dict[int, dict[str, int]] = {}
    for year, spaces, count, workspace in session_rows:
        by_year.setdefault(int(year), {}).update(
            spaces=spaces, sessions=count, workspace_sessions=workspace
        )
    written_year = _year(dialect, Post.created_at)
    post_rows = await db.execute(
        select(
            written_year,
            func.count(Post.id),
            func.count(distinct(_participant())),
            func.count(distinct(Post.author_country)),
            func.count(distinct(Post.author_region)),
        )
        .select_from(Post)
        .where(Post.status == PUBLISHED)
        .group_by(written_year)
    )
    for year, posts, people, countries, regions in post_rows:
        by_year.setdefault(int(year), {}).update(
            posts=posts, participants=people, countries=countries, regions=regions
        )
    keys = ("spaces", "sessions", "workspace_sessions", "posts", "participants", "countries")
    return Operation(
        tuple(
            YearFigures(
                year=year,
                **{key: figures.get(key, 0) for key in keys},
                regions=figures.get("regions", 0),
            )
            for year, figures in sorted(by_year.items(), reverse=True)
        )
    )


def operation_csv(figures: Operation) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    names = list(YearJson.__annotations__)
    writer.writerow(names)
    for year in figures.years:
        row = year.as_json()
        writer.writerow([row[name] for name in names])  # type: ignore[literal-required]
    return out.getvalue()
