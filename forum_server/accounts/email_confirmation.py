"""Confirming that an account's e-mail address is its owner's, by a link sent to it.

Accounts made by the secretariat, or through an invitation sent to their address,
are confirmed from the start. Someone who registered themselves is sent a link (and
may ask for it again from their profile page); opening it confirms the address. Only
a confirmed address lets a single sign-on identity giving the same address be linked
to the account (`oidc_identities`): otherwise whoever registered someone else's
address first would receive that person's sign-ins.

The link carries a signed token naming the account and the address, valid for three
days; it stops working if the address changes. Confirming twice is harmless.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from itsdangerous import BadData, URLSafeTimedSerializer

from forum_server.accounts.models import LoginFailure, User
from forum_server.accounts.queries import UserView
from forum_server.db import Database, UnitOfWork
from forum_server.errors import Conflict, Invalid, NotFound, RateLimited
from forum_server.mail.outbox import write_to_outbox
from forum_server.orm import utcnow
from forum_server.policy import Actor, require_signed_in
from forum_server.settings import Settings
from forum_server.throttle import Limit, take

VALID_FOR = timedelta(days=3)
# Links sent per account and hour: enough for a lost message, too few to flood an
# address someone else registered.
SEND_LIMIT = Limit(3, timedelta(hours=1))
_SALT = "forum-email-confirmation"


@dataclass(frozen=True)
class ConfirmationMail:
    """A link to send once the transaction that decided it has committed."""

    to: str
    link: str


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_SALT)


def confirmation_link(settings: Settings, user_id: int, email: str) -> str:
    token = _serializer(settings.secret_key).dumps({"user": user_id, "email": email})
    return f"{settings.base_url}/confirm-email/{token}"


def mark_verified(user: User) -> None:
    """The address is shown to be this person's (kept from the first time)."""
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()


def send(settings: Settings, mail: ConfirmationMail) -> None:
    write_to_outbox(
        settings.data_dir,
        mail.to,
        "Confirm your e-mail address",
        "Please confirm that this e-mail address is yours by opening this link "
        f"(it works for {VALID_FOR.days} days):\n{mail.link}\n\n"
        "If you did not create an account, ignore this message; nothing will be linked "
        "to this address until it is confirmed.\n",
    )


async def request_link(db: Database, settings: Settings, actor: Actor) -> ConfirmationMail:
    """Sends the signed-in user a new link (written to the outbox after the commit).
    Conflict `already_verified`; RateLimited after three an hour."""
    user_id = require_signed_in(actor)
    async with db.write() as uow:
        mail = await prepare_link(uow, settings, user_id)
    send(settings, mail)
    return mail


async def prepare_link(uow: UnitOfWork, settings: Settings, user_id: int) -> ConfirmationMail:
    """The link for this account, counted against its hourly limit; the caller sends it
    once its transaction has committed. Conflict `already_verified`; RateLimited."""
    user = await uow.session.get(User, user_id)
    if user is None or not user.is_active:
        raise NotFound("No such user.")
    if user.email_verified_at is not None:
        raise Conflict("Your e-mail address is confirmed already.", code="already_verified")
    wait, _ = await take(uow.session, LoginFailure, {f"confirm-mail:{user.id}": SEND_LIMIT})
    if wait is not None:
        raise RateLimited(
            "Several links were sent in the last hour; please look for them, or try later.",
            retry_after=wait,
        )
    return ConfirmationMail(user.email, confirmation_link(settings, user.id, user.email))


async def confirm(db: Database, settings: Settings, token: str) -> UserView:
    """Confirms the address the link was sent to. Invalid `invalid_link` when the link
    is forged, expired, or its account or address is no longer the same."""
    try:
        data = _serializer(settings.secret_key).loads(token, max_age=int(VALID_FOR.total_seconds()))
    except BadData:
        data = None
    refused = Invalid(
        "This confirmation link is not valid: it has expired or was changed. Sign in and "
        "ask for a new one from your profile page.",
        code="invalid_link",
        field="token",
    )
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        raise refused
    async with db.write() as uow:
        user = await uow.session.get(User, data["user"])
        if user is None or not user.is_active or user.email != data.get("email"):
            raise refused
        mark_verified(user)
        await uow.flush()
        return UserView.of(user)
