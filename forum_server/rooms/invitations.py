"""Invitations to a space: an owner invites an e-mail address with a role and a
designation; the link is single-use and expires. Someone without an account creates
one through it even when registration is closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import EmailStr, Field, field_validator
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server import audit
from forum_server.accounts.credentials import new_token, token_digest
from forum_server.accounts.models import User
from forum_server.accounts.queries import UserView
from forum_server.db import UnitOfWork
from forum_server.errors import Conflict, Forbidden, NotFound
from forum_server.orm import utcnow
from forum_server.policy import Actor, SpaceAccess
from forum_server.rooms.members import Designation, Role, add_invited_member, require_manager
from forum_server.rooms.models import Invitation, Membership, Space
from forum_server.schemas import Input

VALID_FOR = timedelta(days=14)


class InvitationCreate(Input):
    email: EmailStr = Field(max_length=254)
    role: Role = "member"
    designation: Designation | None = None

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()

    @field_validator("designation", mode="before")
    @classmethod
    def _blank(cls, value: object) -> object:
        return None if value == "" else value


@dataclass(frozen=True)
class IssuedInvitation:
    id: int
    email: str
    token: str  # shown once: the link is built from it
    expires_at: datetime


async def invite(
    uow: UnitOfWork, access: SpaceAccess, space: Space, data: InvitationCreate
) -> IssuedInvitation:
    require_manager(access)
    already = await uow.session.scalar(
        select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.space_id == space.id, User.email == data.email)
    )
    if already is not None:
        raise Conflict("This person is a member already.", code="already_member", field="email")
    token, digest = new_token("inv_")
    invitation = Invitation(
        space_id=space.id,
        email=data.email,
        role=data.role,
        designation=data.designation,
        token_hash=digest,
        invited_by=access.actor.user_id,
        expires_at=utcnow() + VALID_FOR,
    )
    uow.session.add(invitation)
    await uow.flush()
    audit.record(
        uow,
        access.actor,
        "invitation.created",
        space_id=space.id,
        target_type="invitation",
        target_id=invitation.id,
        details={"email": data.email, "role": data.role, "designation": data.designation},
    )
    return IssuedInvitation(invitation.id, data.email, token, invitation.expires_at)


async def revoke(uow: UnitOfWork, access: SpaceAccess, space: Space, invitation_id: int) -> None:
    require_manager(access)
    invitation = await uow.session.get(Invitation, invitation_id)
    if invitation is None or invitation.space_id != space.id:
        raise NotFound("No such invitation.")
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise Conflict("This invitation is no longer pending.", code="invitation_closed")
    invitation.revoked_at = utcnow()
    audit.record(
        uow,
        access.actor,
        "invitation.revoked",
        space_id=space.id,
        target_type="invitation",
        target_id=invitation.id,
        details={"email": invitation.email},
    )


async def pending_invitation(db: AsyncSession, token: str) -> tuple[Invitation, Space]:
    """The invitation behind a link, if it can still be used; NotFound otherwise
    (unknown, used, revoked and expired links all look the same)."""
    invitation = await db.scalar(
        select(Invitation).where(Invitation.token_hash == token_digest(token))
    )
    if (
        invitation is None
        or invitation.accepted_at is not None
        or invitation.revoked_at is not None
        or invitation.expires_at <= utcnow()
    ):
        raise NotFound("This invitation link is not valid: it was used, revoked or has expired.")
    space = await db.get(Space, invitation.space_id)
    if space is None:
        raise NotFound("This invitation link is not valid.")
    return invitation, space


async def accept(uow: UnitOfWork, actor: Actor, token: str) -> Space:
    """Makes the signed-in user a member as the invitation says. The invitation is for
    one address: a different account cannot use a forwarded link."""
    invitation, space = await pending_invitation(uow.session, token)
    user = await uow.session.get(User, actor.user_id) if actor.user_id else None
    if user is None:
        raise Forbidden("Sign in or create your account to accept the invitation.")
    if user.email != invitation.email:
        raise Forbidden(
            f"This invitation is for {invitation.email}; sign in with that address to accept it."
        )
    # Claim it first: a second acceptance racing this one finds it used.
    claimed = await uow.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(accepted_at=utcnow(), accepted_by=user.id)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound("This invitation link is not valid: it was used, revoked or has expired.")
    # The owner's invitation is the authority for this one addition.
    invited = SpaceAccess(actor=actor, space_id=space.id, visibility=space.visibility, role="owner")
    await add_invited_member(uow, invited, space, user, invitation.role, invitation.designation)
    audit.record(
        uow,
        actor,
        "invitation.accepted",
        space_id=space.id,
        target_type="invitation",
        target_id=invitation.id,
        details={"email": invitation.email},
    )
    return space


# Creating the account of someone who holds a valid invitation is allowed even when
# registration is closed: the owner's invitation is the permission.
INVITATION_AUTHORITY = Actor(user_id=None, display_name="invitation", is_secretariat=False)


def actor_for(user: UserView) -> Actor:
    return Actor(user_id=user.id, display_name=user.display_name, is_secretariat=False)
