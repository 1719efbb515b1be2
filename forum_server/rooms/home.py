"""What a signed-in reader's home page leads with: the sessions open now that they may
read (with their unread counts), those closing soon, and their members workspaces.
Built from the same reads as the space and session pages, so it shows nothing those
would not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.orm import utcnow
from forum_server.policy import Actor
from forum_server.rooms import queries, reading
from forum_server.rooms.space_views import SpaceSummary
from forum_server.rooms.state import MEMBERS, OPEN

CLOSING_SOON = timedelta(hours=48)


@dataclass(frozen=True)
class OpenSession:
    id: int
    title: str
    space: SpaceSummary
    closes_at: datetime | None  # None: no closing date
    unread: int


@dataclass(frozen=True)
class Dashboard:
    open_now: list[OpenSession]  # open, not closing within CLOSING_SOON
    closing_soon: list[OpenSession]  # open and closing within it, soonest first
    workspaces: list[SpaceSummary]  # members spaces the reader belongs to


async def dashboard(db: AsyncSession, actor: Actor) -> Dashboard | None:
    """None for anonymous readers (their home page is the list of spaces alone)."""
    if actor.user_id is None:
        return None
    now = utcnow()
    open_sessions: list[OpenSession] = []
    workspaces: list[SpaceSummary] = []
    for space in await queries.list_spaces(db, actor):
        detail = await queries.space_detail(db, actor, space.slug)
        if space.visibility == MEMBERS and detail.role is not None:
            workspaces.append(space)
        for session in detail.sessions:
            if session.state != OPEN:
                continue
            unread = await reading.unread_in_session(db, actor, session.id)
            open_sessions.append(
                OpenSession(
                    session.id, session.title, space, session.closes_at, sum(unread.values())
                )
            )
    soon = [s for s in open_sessions if s.closes_at and s.closes_at - now <= CLOSING_SOON]
    soon.sort(key=lambda s: s.closes_at or now)
    rest = [s for s in open_sessions if s not in soon]
    return Dashboard(rest, soon, workspaces)
