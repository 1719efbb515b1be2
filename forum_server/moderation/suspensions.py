"""Suspensions: a user may not post in a space (or, by the secretariat, anywhere) until
a time or until lifted. The post write path refuses them with the reason and the end
(see rooms/admission.py); a site-wide suspension also signs them out everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypedDict

from forum_server import audit
from forum_server.accounts import credentials
from forum_server.accounts.models import User
from forum_server.db import Database, UnitOfWork
from forum_server.errors import Conflict, Invalid, NotFound
from forum_server.moderation.guard import refusals_audited
from forum_server.moderation.models import Suspension
from forum_server.moderation.schemas import SuspensionCreate
from forum_server.orm import utcnow
from forum_server.policy import (
    Actor,
    check_may_be_suspended,
    check_may_suspend,
    load_space,
    require_caller,
    require_secretariat,
    role_in_space,
)


class SuspendedUserJson(TypedDict):
    id: int
    display_name: str


class SuspensionJson(TypedDict):
    id: int
    user: SuspendedUserJson
    space_id: int | None
    reason: str
    until: str | None
    created_at: str
    lifted_at: str | None
    active: bool


@dataclass(frozen=True)
class SuspensionView:
    id: int
    user_id: int
    user_name: str
    space_id: int | None
    reason: str
    until: datetime | None
    created_at: datetime
    lifted_at: datetime | None

    @property
    def active(self) -> bool:
        return self.lifted_at is None and (self.until is None or self.until > utcnow())

    def as_json(self) -> SuspensionJson:
        return {
            "id": self.id,
            "user": {"id": self.user_id, "display_name": self.user_name},
            "space_id": self.space_id,
            "reason": self.reason,
            "until": self.until.isoformat() if self.until else None,
            "created_at": self.created_at.isoformat(),
            "lifted_at": self.lifted_at.isoformat() if self.lifted_at else None,
            "active": self.active,
        }


def _view(suspension: Suspension, user: User) -> SuspensionView:
    return SuspensionView(
        suspension.id,
        user.id,
        user.display_name,
        suspension.space_id,
        suspension.reason,
        suspension.until,
        suspension.created_at,
        suspension.lifted_at,
    )


async def _target(uow: UnitOfWork, data: SuspensionCreate) -> User:
    user = await uow.session.get(User, data.user_id)
    if user is None:
        raise Invalid("user_id: no such user.", field="user_id")
    check_may_be_suspended(user.is_secretariat)
    if data.until is not None and data.until <= utcnow():
        raise Invalid("until: must be in the future.", field="until")
    return user


async def _suspend(
    uow: UnitOfWork, actor: Actor, user: User, space_id: int | None, data: SuspensionCreate
) -> SuspensionView:
    suspension = Suspension(
        user_id=user.id,
        space_id=space_id,
        reason=data.reason,
        until=data.until,
        created_at=utcnow(),
        created_by=actor.user_id,
    )
    uow.session.add(suspension)
    await uow.flush()
    details = {
        "suspension_id": suspension.id,
        "until": data.until.isoformat() if data.until else None,
        "scope": "site" if space_id is None else "space",
    }
    audit.record(
        uow,
        actor,
        "user.suspended",
        space_id=space_id,
        target_type="user",
        target_id=user.id,
        reason=data.reason,
        details=details,
    )
    uow.emit("user.suspended", {"user_id": user.id, **details}, space_id=space_id)
    return _view(suspension, user)


async def suspend_in_space(
    db: Database, actor: Actor, slug: str, data: SuspensionCreate
) -> SuspensionView:
    """Keeps a user from posting in the space until `until` (or until lifted). The
    space's moderators and owners and the secretariat (not the moderators of one of its
    sessions); only the secretariat and owners may suspend the space's own owners and
    moderators."""
    async with (
        refusals_audited(db, actor, "user.suspend", "user", data.user_id, space_slug=slug),
        db.write() as uow,
    ):
        require_caller(actor)
        space, access = await load_space(uow.session, actor, slug)
        check_may_suspend(access)
        user = await _target(uow, data)
        check_may_suspend(access, await role_in_space(uow.session, user.id, space.id))
        return await _suspend(uow, actor, user, space.id, data)


async def suspend_site_wide(db: Database, actor: Actor, data: SuspensionCreate) -> SuspensionView:
    """Keeps a user from posting anywhere and ends all their sign-ins. Secretariat only."""
    async with (
        refusals_audited(db, actor, "user.suspend", "user", data.user_id),
        db.write() as uow,
    ):
        require_caller(actor)
        require_secretariat(actor)
        user = await _target(uow, data)
        await credentials.end_all_login_sessions(uow, user.id)
        return await _suspend(uow, actor, user, None, data)


async def _lift(uow: UnitOfWork, actor: Actor, suspension: Suspension) -> SuspensionView:
    if suspension.lifted_at is not None:
        raise Conflict("This suspension has been lifted already.", code="already_lifted")
    user = await uow.session.get(User, suspension.user_id)
    assert user is not None  # suspensions go with their user
    suspension.lifted_at, suspension.lifted_by = utcnow(), actor.user_id
    await uow.flush()
    details = {"suspension_id": suspension.id, "user_id": user.id}
    audit.record(
        uow,
        actor,
        "user.suspension_lifted",
        space_id=suspension.space_id,
        target_type="user",
        target_id=user.id,
        reason=suspension.reason,
        details=details,
    )
    uow.emit("user.suspension_lifted", details, space_id=suspension.space_id)
    return _view(suspension, user)


async def lift_in_space(
    db: Database, actor: Actor, slug: str, suspension_id: int
) -> SuspensionView:
    """Lifts a suspension in the space: its moderators and the secretariat."""
    async with (
        refusals_audited(db, actor, "user.lift", "suspension", suspension_id, space_slug=slug),
        db.write() as uow,
    ):
        require_caller(actor)
        space, access = await load_space(uow.session, actor, slug)
        check_may_suspend(access)
        suspension = await uow.session.get(Suspension, suspension_id)
        if suspension is None or suspension.space_id != space.id:
            raise NotFound("No such suspension in this space.")
        return await _lift(uow, actor, suspension)


async def lift_site_wide(db: Database, actor: Actor, suspension_id: int) -> SuspensionView:
    """Lifts a site-wide suspension: the secretariat."""
    async with (
        refusals_audited(db, actor, "user.lift", "suspension", suspension_id),
        db.write() as uow,
    ):
        require_caller(actor)
        require_secretariat(actor)
        suspension = await uow.session.get(Suspension, suspension_id)
        if suspension is None or suspension.space_id is not None:
            raise NotFound("No such site-wide suspension.")
        return await _lift(uow, actor, suspension)


async def _listed(
    db: AsyncSession, where: ColumnElement[bool], active_only: bool
) -> list[SuspensionView]:
    query = select(Suspension, User).join(User, User.id == Suspension.user_id).where(where)
    if active_only:
        query = query.where(
            Suspension.lifted_at.is_(None),
            or_(Suspension.until.is_(None), Suspension.until > utcnow()),
        )
    rows = await db.execute(query.order_by(Suspension.id.desc()).limit(500))
    return [_view(suspension, user) for suspension, user in rows]


async def space_suspensions(
    db: AsyncSession, actor: Actor, slug: str, *, active_only: bool = False
) -> list[SuspensionView]:
    """The space's suspensions, newest first: its moderators and the secretariat."""
    require_caller(actor)
    space, access = await load_space(db, actor, slug)
    check_may_suspend(access)
    return await _listed(db, Suspension.space_id == space.id, active_only)


async def site_suspensions(
    db: AsyncSession, actor: Actor, *, active_only: bool = False
) -> list[SuspensionView]:
    """Site-wide suspensions, newest first: the secretariat."""
    require_caller(actor)
    require_secretariat(actor)
    return await _listed(db, Suspension.space_id.is_(None), active_only)
