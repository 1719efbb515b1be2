"""Every suspension in force that the reader may lift, on one page: for the
secretariat, those on the whole site and in every space; for a space's moderators and
owners, those in their spaces. Lifting from there goes through the same commands as
the API (audited, announced)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import User
from forum_server.db import Database
from forum_server.errors import NotFound
from forum_server.moderation import suspensions
from forum_server.moderation.models import Suspension
from forum_server.moderation.suspensions import SuspensionView
from forum_server.orm import utcnow
from forum_server.policy import (
    Actor,
    may_see_all_suspensions,
    moderated_spaces_clause,
    require_signed_in,
)
from forum_server.rooms.models import Space

MAX_LISTED = 500


@dataclass(frozen=True)
class CurrentSuspension:
    """A suspension in force, with where it applies (no space: the whole site)."""

    id: int
    user_id: int
    user_name: str
    space_slug: str | None
    space_title: str | None
    reason: str
    until: datetime | None
    created_at: datetime


async def current_suspensions(db: AsyncSession, actor: Actor) -> list[CurrentSuspension]:
    """Suspensions in force that the actor may lift, newest first. Unauthorized for
    anonymous callers; an empty list for someone who moderates no space."""
    require_signed_in(actor)
    in_spaces = Suspension.space_id.in_(
        select(Space.id).where(moderated_spaces_clause(actor, whole=True))
    )
    where = (
        or_(Suspension.space_id.is_(None), in_spaces)
        if may_see_all_suspensions(actor)
        else in_spaces
    )
    rows = await db.execute(
        select(Suspension, User.display_name, Space.slug, Space.title)
        .join(User, User.id == Suspension.user_id)
        .outerjoin(Space, Space.id == Suspension.space_id)
        .where(
            where,
            Suspension.lifted_at.is_(None),
            or_(Suspension.until.is_(None), Suspension.until > utcnow()),
        )
        .order_by(Suspension.id.desc())
        .limit(MAX_LISTED)
    )
    return [
        CurrentSuspension(s.id, s.user_id, name, slug, title, s.reason, s.until, s.created_at)
        for s, name, slug, title in rows
    ]


async def lift(db: Database, actor: Actor, suspension_id: int) -> SuspensionView:
    """Lifts a suspension wherever it applies, through the command for its scope (the
    secretariat for the whole site; the space's moderators and the secretariat in a
    space). NotFound for one the actor may not see."""
    async with db.read() as session:
        found = await session.execute(
            select(Suspension.space_id, Space.slug)
            .outerjoin(Space, Space.id == Suspension.space_id)
            .where(Suspension.id == suspension_id)
        )
        row = found.first()
    if row is None:
        raise NotFound("No such suspension.")
    space_id, slug = row
    if space_id is None:
        return await suspensions.lift_site_wide(db, actor, suspension_id)
    return await suspensions.lift_in_space(db, actor, slug, suspension_id)
