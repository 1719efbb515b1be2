"""The account behind an OpenID Connect sign-in: found, linked or created — the one
write path for `OidcIdentity`. The rule, as docs/sign-in.md states it:

1. An identity seen before (the same issuer and subject) signs in to its account,
   whatever e-mail address the provider gives today.
2. Otherwise, if the provider says the e-mail address is verified and an account here
   has that address, the identity is linked to that account — unless the account is
   already linked to another identity at the same issuer, or the account's own address
   was never shown to be its owner's (`email_verified_at`: made by the secretariat,
   joined through an invitation sent to it, or confirmed by a link sent to it). That
   is refused, saying how to confirm it: where registration is open, anyone could have
   registered someone else's address with a password of their own, and would then
   receive that person's sign-ins.
3. Otherwise it is someone new: an account is created, once they have completed their
   profile, where registration is open or where they are accepting a pending
   invitation addressed to that e-mail address.

An address the provider has not verified never links to anything.

The sign-in pages call two commands: `finish_sign_in` at the provider's callback and
`create_account` once someone new has completed their profile.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import OidcIdentity, User
from forum_server.accounts.oidc import Flow, Identity, OidcClient, Signup
from forum_server.accounts.queries import UserView, find_user_by_email
from forum_server.accounts.schemas import ProfileUpdate
from forum_server.accounts.service import add_user
from forum_server.db import Database, UnitOfWork
from forum_server.errors import Conflict, Forbidden, Invalid, NotFound
from forum_server.rooms import invitations
from forum_server.rooms.models import Invitation
from forum_server.settings import OidcProvider

_INVITATION_PATH = re.compile(r"/invitations/([A-Za-z0-9_\-]{1,200})/?")


@dataclass(frozen=True)
class Arrival:
    """Where a sign-in at a provider lands: the account it signs in to, or (user_id
    None) someone new, who completes their profile before an account is made."""

    identity: Identity
    user_id: int | None


@dataclass(frozen=True)
class NewAccount:
    user: UserView
    joined_space: str | None  # the slug of the space an accepted invitation opened
    destination: str = "/"  # where the browser goes next (create_account)


async def finish_sign_in(
    db: Database,
    client: OidcClient,
    provider: OidcProvider,
    flow: Flow,
    answer: Mapping[str, str],
    *,
    redirect_uri: str,
    registration_open: bool,
) -> Arrival:
    """The provider's `answer` to the `flow` this browser started, checked, and the
    account it signs in to (linked by rule 2 where it applies). Raises OidcError when
    the answer does not hold, and a DomainError when no account may be used or made:
    Forbidden (deactivated, registration closed), Conflict, Invalid (check_new_account)."""
    identity = await client.finish(provider, flow, answer, redirect_uri)
    async with db.write() as uow:
        user_id = await sign_in(uow, identity)
    if user_id is None:
        async with db.read() as session:
            await check_new_account(
                session,
                identity,
                registration_open=registration_open,
                invitation=invitation_token(flow.next),
            )
    return Arrival(identity, user_id)


async def create_account(
    db: Database, signup: Signup, profile: ProfileUpdate, *, registration_open: bool
) -> NewAccount:
    """The account of someone new who completed their profile, accepting the invitation
    their sign-up leads to, if any (add_account); `destination` is where they go now:
    the space the invitation opened, else where they were going."""
    async with db.write() as uow:
        account = await add_account(
            uow,
            signup.identity,
            profile,
            registration_open=registration_open,
            invitation=invitation_token(signup.next),
        )
    slug = account.joined_space
    return replace(account, destination=f"/spaces/{slug}?notice=joined" if slug else signup.next)


def invitation_token(next_path: str) -> str | None:
    """The invitation token when the sign-in is on its way to accepting one."""
    match = _INVITATION_PATH.fullmatch(next_path)
    return match.group(1) if match else None


async def sign_in(uow: UnitOfWork, identity: Identity) -> int | None:
    """The user this identity signs in as (linking it by rule 2 where it applies), or
    None for someone new. Raises Forbidden for a deactivated account and Conflict
    `identity_conflict` when rule 2 finds an account already linked at this issuer."""
    known = await _linked_user(uow.session, identity)
    if known is not None:
        return _usable(known).id
    if not (identity.email and identity.email_verified):
        return None
    user = await find_user_by_email(uow.session, identity.email)
    if user is None:
        return None
    _usable(user)
    if user.email_verified_at is None:
        raise Conflict(
            "An account with %(email)s exists here, but that address has not been "
            "confirmed as its owner's, so signing in this way cannot be linked to it. If the "
            "account is yours: sign in with its password, confirm your address from your "
            "profile page (we send you a link), then sign in this way again. If it is not "
            "yours, tell the secretariat.",
            code="email_unconfirmed",
            params={"email": identity.email},
        )
    other = await uow.session.scalar(
        select(OidcIdentity.id).where(
            OidcIdentity.user_id == user.id, OidcIdentity.issuer == identity.issuer
        )
    )
    if other is not None:
        raise Conflict(
            "The account for %(email)s here is linked to a different account at this "
            "sign-in service. Sign in with that one, or with your password.",
            code="identity_conflict",
            params={"email": identity.email},
        )
    await _link(uow, identity, user.id)
    return user.id


async def check_new_account(
    session: AsyncSession, identity: Identity, *, registration_open: bool, invitation: str | None
) -> Invitation | None:
    """Whether someone new may have an account made from this identity, saying why not:
    Invalid `email_missing`, Conflict `email_taken`, Forbidden `registration_closed`.
    Returns the pending invitation they are accepting, if any."""
    if not identity.email:
        raise Invalid(
            "The sign-in service did not tell us your e-mail address, which an account here "
            "needs. Allow it to share your e-mail address, or ask the secretariat.",
            code="email_missing",
        )
    if await find_user_by_email(session, identity.email) is not None:
        raise Conflict(
            "An account with %(email)s exists already, and the sign-in service has "
            "not confirmed that this address is yours, so it cannot be linked. Sign in with "
            "your password instead.",
            code="email_taken",
            params={"email": identity.email},
        )
    pending = await _pending_invitation(session, invitation)
    if pending is not None and pending.email != identity.email:
        if registration_open:
            return None
        raise Forbidden(
            "This invitation is for %(invited)s, but the sign-in service gave "
            "%(email)s. Sign in with the account for the invited address.",
            code="registration_closed",
            params={"invited": pending.email, "email": identity.email},
        )
    if pending is None and not registration_open:
        raise Forbidden(
            "There is no account for %(email)s here, and registration is closed. "
            "Ask the secretariat or a workspace owner for an invitation, then open its link "
            "and sign in from there.",
            code="registration_closed",
            params={"email": identity.email},
        )
    return pending


async def add_account(
    uow: UnitOfWork,
    identity: Identity,
    profile: ProfileUpdate,
    *,
    registration_open: bool,
    invitation: str | None,
) -> NewAccount:
    """Creates the account of someone new, linked to the identity, with the profile
    they completed, and accepts the invitation they came with. Checked again here,
    as the sign-up page may be submitted long after the callback (or twice: a second
    time signs in to the account the first made)."""
    known = await _linked_user(uow.session, identity)
    if known is not None:
        return NewAccount(UserView.of(_usable(known)), None)
    pending = await check_new_account(
        uow.session, identity, registration_open=registration_open, invitation=invitation
    )
    assert identity.email is not None  # check_new_account refuses a sign-in without one
    # No password: the account signs in through the provider (and may set one never).
    if pending is not None:
        # The same way in as the invitation page's password form.
        joined = await invitations.join_with_new_account(uow, invitation or "", None, profile)
        view, slug = joined.user, joined.space
    else:
        # The provider vouches for the address; otherwise the invitation sent to it did.
        verified = bool(identity.email_verified)
        view = await add_user(uow, identity.email, None, profile, email_verified=verified)
        slug = None
    await _link(uow, identity, view.id)
    return NewAccount(view, slug)


async def _pending_invitation(session: AsyncSession, token: str | None) -> Invitation | None:
    if not token:
        return None
    try:
        invitation, _space = await invitations.pending_invitation(session, token)
    except NotFound:
        return None
    return invitation


async def _linked_user(session: AsyncSession, identity: Identity) -> User | None:
    return await session.scalar(
        select(User)
        .join(OidcIdentity, OidcIdentity.user_id == User.id)
        .where(OidcIdentity.issuer == identity.issuer, OidcIdentity.subject == identity.subject)
    )


def _usable(user: User) -> User:
    if not user.is_active:
        raise Forbidden("This account is deactivated; ask the secretariat.", code="inactive")
    return user


async def _link(uow: UnitOfWork, identity: Identity, user_id: int) -> None:
    uow.session.add(
        OidcIdentity(
            issuer=identity.issuer,
            subject=identity.subject,
            user_id=user_id,
            email=identity.email,
        )
    )
    try:
        await uow.flush()
    except IntegrityError:  # the same identity, linked by a sign-in racing this one
        raise Conflict("This sign-in raced another; please sign in again.") from None
