"""Invitations to a space: an owner invites an e-mail address with a role and a
designation; the link is single-use and expires. Someone without an account creates
one through it even when registration is closed (with a password, or through single
sign-on: both go through join_with_new_account)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import EmailStr, Field, field_validator
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypedDict

from forum_server import audit
from forum_server.accounts.credentials import new_token, token_digest
from forum_server.accounts.email_confirmation import mark_verified
from forum_server.accounts.models import User
from forum_server.accounts.queries import UserView, user_id_by_email
from forum_server.accounts.schemas import ProfileUpdate
from forum_server.accounts.service import add_user
from forum_server.consent.acceptance import accept_on_joining
from forum_server.consent.terms import consent_for
from forum_server.consent.views import ConsentView
from forum_server.db import Database, UnitOfWork
from forum_server.errors import Conflict, NotFound
from forum_server.i18n import current_language
from forum_server.mail.outbox import Outgoing, queue
from forum_server.orm import utcnow
from forum_server.policy import (
    ANONYMOUS,
    Actor,
    check_may_accept_invitation,
    check_may_manage_invitations,
    load_space,
    require_signed_in,
)
from forum_server.rooms.members import Designation, Role, add_invited_member
from forum_server.rooms.members_queries import SpaceRef
from forum_server.rooms.models import Invitation, Membership, Space
from forum_server.schemas import Input
from forum_server.settings import Settings

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


class InvitedAccount(ProfileUpdate):
    """The account someone new makes through an invitation: its address is the
    invitation's, never chosen by the form."""

    password: str


class IssuedInvitationJson(TypedDict):
    id: int
    email: str
    link: str
    expires_at: str


@dataclass(frozen=True)
class IssuedInvitation:
    id: int
    email: str
    token: str  # shown once: the link is built from it
    expires_at: datetime
    space_title: str

    def as_json(self, link: str) -> IssuedInvitationJson:
        return {
            "id": self.id,
            "email": self.email,
            "link": link,
            "expires_at": self.expires_at.isoformat(),
        }


class JoinedJson(TypedDict):
    space: str  # its slug


@dataclass(frozen=True)
class Joined:
    """The outcome of accepting an invitation: who joined which space."""

    space: str  # its slug
    user: UserView

    def as_json(self) -> JoinedJson:
        return {"space": self.space}


@dataclass(frozen=True)
class InvitationLink:
    """What an invitation link's page shows before it is accepted."""

    email: str
    role: str
    designation: str | None
    space: SpaceRef
    has_account: bool  # then its holder signs in to accept, instead of registering
    consent: ConsentView | None = None  # the space's attribution and terms, to accept


async def invite(db: Database, actor: Actor, slug: str, data: InvitationCreate) -> IssuedInvitation:
    """Issues an invitation to the address, with the role and designation it will give."""
    async with db.write() as uow:
        space, access = await load_space(uow.session, actor, slug)
        check_may_manage_invitations(access)
        user_id = await user_id_by_email(uow.session, data.email)
        already = user_id is not None and (
            await uow.session.scalar(
                select(Membership.id).where(
                    Membership.space_id == space.id, Membership.user_id == user_id
                )
            )
            is not None
        )
        if already:
            raise Conflict("This person is a member already.", code="already_member", field="email")
        token, digest = new_token("inv_")
        invitation = Invitation(
            space_id=space.id,
            email=data.email,
            role=data.role,
            designation=data.designation,
            token_hash=digest,
            invited_by=actor.user_id,
            expires_at=utcnow() + VALID_FOR,
        )
        uow.session.add(invitation)
        await uow.flush()
        audit.record(
            uow,
            actor,
            "invitation.created",
            space_id=space.id,
            target_type="invitation",
            target_id=invitation.id,
            details={"email": data.email, "role": data.role, "designation": data.designation},
        )
        await queue(
            uow,
            [
                Outgoing(
                    "invitation",
                    data.email,
                    {
                        "path": invitation_path(token),
                        "space_title": space.title,
                        "expires_at": invitation.expires_at.isoformat(),
                        # Written in the inviter's language for someone without one yet.
                        "language": current_language.get(),
                    },
                    message_key=f"invitation-{invitation.id}",
                )
            ],
        )
        return IssuedInvitation(
            invitation.id, data.email, token, invitation.expires_at, space.title
        )


async def revoke(db: Database, actor: Actor, slug: str, invitation_id: int) -> None:
    async with db.write() as uow:
        space, access = await load_space(uow.session, actor, slug)
        check_may_manage_invitations(access)
        invitation = await uow.session.get(Invitation, invitation_id)
        if invitation is None or invitation.space_id != space.id:
            raise NotFound("No such invitation.")
        if invitation.accepted_at is not None or invitation.revoked_at is not None:
            raise Conflict("This invitation is no longer pending.", code="invitation_closed")
        invitation.revoked_at = utcnow()
        audit.record(
            uow,
            actor,
            "invitation.revoked",
            space_id=space.id,
            target_type="invitation",
            target_id=invitation.id,
            details={"email": invitation.email},
        )


def invitation_path(token: str) -> str:
    return f"/invitations/{token}"


def send_invitation(settings: Settings, issued: IssuedInvitation) -> str:
    """The link, for the owner to see (the message itself was queued with the
    invitation, in its transaction)."""
    return settings.base_url + invitation_path(issued.token)


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


async def invitation_link(db: AsyncSession, token: str) -> InvitationLink:
    """The invitation a link opens, for its page; NotFound as pending_invitation. The
    link is the permission to see it: whoever holds it was sent it."""
    invitation, space = await pending_invitation(db, token)
    return InvitationLink(
        invitation.email,
        invitation.role,
        invitation.designation,
        SpaceRef(space.slug, space.title, space.visibility),
        await user_id_by_email(db, invitation.email) is not None,
        await consent_for(db, ANONYMOUS, space),  # no acceptance of theirs yet
    )


async def accept(
    db: Database, actor: Actor, token: str, *, accept_terms: int | None = None
) -> Joined:
    """Makes the signed-in user a member as the invitation says. The invitation is for
    one address: a different account cannot use a forwarded link. `accept_terms`: the
    version of the space's participation terms accepted on joining."""
    require_signed_in(actor)
    async with db.write() as uow:
        invitation, space = await pending_invitation(uow.session, token)
        user = await uow.session.get(User, actor.user_id)
        check_may_accept_invitation(
            actor, user.email if user is not None and user.is_active else None, invitation.email
        )
        assert user is not None  # the policy refused otherwise
        await _accept(uow, actor, invitation, space, user)
        await accept_on_joining(uow.session, space.id, user.id, accept_terms)
        return Joined(space.slug, UserView.of(user))


async def accept_with_new_account(
    db: Database, actor: Actor, token: str, data: InvitedAccount, *, accept_terms: int | None = None
) -> Joined:
    """Creates the account of someone new who holds the invitation, with the invited
    address, and accepts it: the password form's way in. Allowed even where
    registration is closed, whoever asks: the owner's invitation is the permission.
    Raises NotFound (the link), Invalid (password) or Conflict `email_taken`."""
    async with db.write() as uow:
        joined = await join_with_new_account(uow, token, data.password, data)
        space_id = await uow.session.scalar(select(Space.id).where(Space.slug == joined.space))
        assert space_id is not None  # just joined
        await accept_on_joining(uow.session, space_id, joined.user.id, accept_terms)
        return joined


async def join_with_new_account(
    uow: UnitOfWork, token: str, password: str | None, profile: ProfileUpdate
) -> Joined:
    """The body of accept_with_new_account, for single sign-on too, which links its
    identity in the same transaction (and makes the account without a password)."""
    invitation, space = await pending_invitation(uow.session, token)
    view = await add_user(uow, invitation.email, password, profile)
    user = await uow.session.get(User, view.id)
    assert user is not None  # just added
    await _accept(uow, actor_for(view), invitation, space, user)
    return Joined(space.slug, view)


async def _accept(
    uow: UnitOfWork, actor: Actor, invitation: Invitation, space: Space, user: User
) -> None:
    # Claim it first: a second acceptance racing this one finds it used.
    claimed = await uow.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(accepted_at=utcnow(), accepted_by=user.id)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound("This invitation link is not valid: it was used, revoked or has expired.")
    mark_verified(user)  # the link was sent to this address: it is theirs
    # The owner's invitation is the authority for this one addition.
    await add_invited_member(uow, actor, space, user, invitation.role, invitation.designation)
    audit.record(
        uow,
        actor,
        "invitation.accepted",
        space_id=space.id,
        target_type="invitation",
        target_id=invitation.id,
        details={"email": invitation.email},
    )


def actor_for(user: UserView) -> Actor:
    return Actor(user_id=user.id, display_name=user.display_name, is_secretariat=False)
