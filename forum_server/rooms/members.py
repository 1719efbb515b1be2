"""The write path for membership: adding, changing and removing members of a space.

Every addition or change is checked against the space's composition rules; removals
never are (access must be able to end at once, whatever the balance it leaves, which
the members page shows). Every change is recorded in the audit log and announced as
an event so that live connections drop a removed member at once.
"""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator
from sqlalchemy import select

from forum_server import audit
from forum_server.accounts.models import User
from forum_server.db import UnitOfWork
from forum_server.errors import Conflict, Forbidden, NotFound
from forum_server.policy import SpaceAccess
from forum_server.rooms.composition import check_composition
from forum_server.rooms.models import Membership, Space
from forum_server.schemas import Input

Role = Literal["owner", "moderator", "member"]
Designation = Literal["party_expert", "organization_expert", "observer"]


class MemberPut(Input):
    role: Role = "member"
    designation: Designation | None = None

    @field_validator("designation", mode="before")
    @classmethod
    def _blank(cls, value: object) -> object:
        return None if value == "" else value


def require_manager(access: SpaceAccess) -> None:
    if not access.can_manage:
        raise Forbidden("Only the space's owners and the secretariat manage its members.")


async def _designations_after(
    uow: UnitOfWork, space: Space, user_id: int, designation: str | None
) -> list[str | None]:
    """The counted designations the space would have after the change (secretariat
    staff do not count towards composition rules)."""
    rows = await uow.session.execute(
        select(Membership.user_id, Membership.designation)
        .join(User, User.id == Membership.user_id)
        .where(Membership.space_id == space.id, User.is_secretariat.is_(False))
    )
    result = {uid: des for uid, des in rows}
    result.pop(user_id, None)
    user = await uow.session.get(User, user_id)
    if user is not None and not user.is_secretariat:
        result[user_id] = designation
    return list(result.values())


async def put_member(
    uow: UnitOfWork, access: SpaceAccess, space: Space, user_id: int, data: MemberPut
) -> Membership:
    """Adds the user to the space or changes their role and designation."""
    require_manager(access)
    user = await uow.session.get(User, user_id)
    if user is None or not user.is_active:
        raise NotFound("No such user.")
    return await _put(uow, access, space, user, data.role, data.designation)


async def _put(
    uow: UnitOfWork,
    access: SpaceAccess,
    space: Space,
    user: User,
    role: str,
    designation: str | None,
) -> Membership:
    await _lock_space(uow, space.id)
    check_composition(
        space.composition,
        await _designations_after(uow, space, user.id, designation),
    )
    membership = await uow.session.scalar(
        select(Membership).where(Membership.space_id == space.id, Membership.user_id == user.id)
    )
    action = "member.changed"
    before = None
    if membership is None:
        membership = Membership(space_id=space.id, user_id=user.id)
        uow.session.add(membership)
        action = "member.added"
    else:
        before = {"role": membership.role, "designation": membership.designation}
        if membership.role == "owner" and role != "owner":
            await _keep_an_owner(uow, space.id, user.id)
    membership.role, membership.designation = role, designation
    await uow.flush()
    details = {"user_id": user.id, "role": role, "designation": designation, "before": before}
    audit.record(
        uow,
        access.actor,
        action,
        space_id=space.id,
        target_type="member",
        target_id=user.id,
        details=details,
    )
    uow.emit("membership.changed", details, space_id=space.id)
    return membership


async def add_invited_member(
    uow: UnitOfWork,
    access: SpaceAccess,
    space: Space,
    user: User,
    role: str,
    designation: str | None,
) -> Membership:
    """Adds the user who accepted an invitation; the invitation stands in for the owner."""
    return await _put(uow, access, space, user, role, designation)


async def remove_member(uow: UnitOfWork, access: SpaceAccess, space: Space, user_id: int) -> None:
    """Removes the member. Takes effect at once, open live connections included."""
    require_manager(access)
    await _lock_space(uow, space.id)
    membership = await uow.session.scalar(
        select(Membership).where(Membership.space_id == space.id, Membership.user_id == user_id)
    )
    if membership is None:
        raise NotFound("This user is not a member of the space.")
    if membership.role == "owner":
        await _keep_an_owner(uow, space.id, user_id)
    details = {"user_id": user_id, "role": membership.role, "designation": membership.designation}
    await uow.session.delete(membership)
    audit.record(
        uow,
        access.actor,
        "member.removed",
        space_id=space.id,
        target_type="member",
        target_id=user_id,
        details=details,
    )
    uow.emit("membership.removed", {"user_id": user_id}, space_id=space.id)


async def _keep_an_owner(uow: UnitOfWork, space_id: int, leaving_user_id: int) -> None:
    """A workspace may lose its last owner only to the secretariat's management; refuse
    an owner demoting or removing the last owner so the space is never orphaned."""
    owners = set(
        await uow.session.scalars(
            select(Membership.user_id).where(
                Membership.space_id == space_id, Membership.role == "owner"
            )
        )
    )
    if owners == {leaving_user_id}:
        raise Conflict(
            "A space needs at least one owner; add another owner first.", code="last_owner"
        )


async def _lock_space(uow: UnitOfWork, space_id: int) -> None:
    """Serialize membership changes of one space on PostgreSQL (SQLite has one writer),
    so two concurrent additions cannot both pass a composition rule."""
    if uow.dialect == "postgresql":
        await uow.session.execute(select(Space.id).where(Space.id == space_id).with_for_update())
