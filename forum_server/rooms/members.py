"""The write path for membership: adding, changing and removing members of a space.
Each command opens its own transaction and asks the policy who may manage members.

Every addition or change is checked against the space's composition rules; removals
never are (access must be able to end at once, whatever the balance it leaves, which
the members page shows). Every change is recorded in the audit log and announced as
an event so that live connections drop a removed member at once.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator
from sqlalchemy import delete, select

from forum_server import audit
from forum_server.accounts.models import User
from forum_server.accounts.queries import user_id_by_email
from forum_server.board.models import BoardEditor
from forum_server.db import Database, UnitOfWork
from forum_server.errors import Conflict, Invalid, NotFound
from forum_server.policy import Actor, check_may_manage_members, load_space
from forum_server.rooms.composition import check_composition
from forum_server.rooms.members_queries import MemberView, member_view
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


class MemberAdd(MemberPut):
    """An existing account, named by its e-mail address (the members page's form)."""

    email: str = Field(default="", max_length=254)


async def put_member(
    db: Database, actor: Actor, slug: str, user_id: int, data: MemberPut
) -> MemberView:
    """Adds the user to the space or changes their role and designation."""
    async with db.write() as uow:
        space, access = await load_space(uow.session, actor, slug)
        check_may_manage_members(access)
        user = await _active_user(uow, user_id)
        return await _put(uow, actor, space, user, data.role, data.designation)


async def add_member(db: Database, actor: Actor, slug: str, data: MemberAdd) -> MemberView:
    """Adds the account with this e-mail address (or changes its membership)."""
    async with db.write() as uow:
        space, access = await load_space(uow.session, actor, slug)
        check_may_manage_members(access)
        user_id = await user_id_by_email(uow.session, data.email)
        if user_id is None:
            raise Invalid(
                "No account has this e-mail address: send an invitation instead.", field="email"
            )
        return await _put(
            uow, actor, space, await _active_user(uow, user_id), data.role, data.designation
        )


async def remove_member(db: Database, actor: Actor, slug: str, user_id: int) -> None:
    """Removes the member. Takes effect at once, open live connections included."""
    async with db.write() as uow:
        space, access = await load_space(uow.session, actor, slug)
        check_may_manage_members(access)
        await _remove(uow, actor, space, user_id)


async def add_invited_member(
    uow: UnitOfWork, actor: Actor, space: Space, user: User, role: str, designation: str | None
) -> MemberView:
    """Adds the user who accepted an invitation; the invitation stands in for the owner
    (its caller has checked it), so no access check is made here."""
    return await _put(uow, actor, space, user, role, designation)


async def _put(
    uow: UnitOfWork,
    actor: Actor,
    space: Space,
    user: User,
    role: str,
    designation: str | None,
) -> MemberView:
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
        actor,
        action,
        space_id=space.id,
        target_type="member",
        target_id=user.id,
        details=details,
    )
    uow.emit("membership.changed", details, space_id=space.id)
    return member_view(membership, user)


async def _remove(uow: UnitOfWork, actor: Actor, space: Space, user_id: int) -> None:
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
    # Leaving the space ends a board editor's naming too: coming back does not restore it.
    await uow.session.execute(
        delete(BoardEditor).where(BoardEditor.space_id == space.id, BoardEditor.user_id == user_id)
    )
    audit.record(
        uow,
        actor,
        "member.removed",
        space_id=space.id,
        target_type="member",
        target_id=user_id,
        details=details,
    )
    uow.emit("membership.removed", {"user_id": user_id}, space_id=space.id)


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


async def _active_user(uow: UnitOfWork, user_id: int) -> User:
    user = await uow.session.get(User, user_id)
    if user is None or not user.is_active:
        raise NotFound("No such user.")
    return user


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
