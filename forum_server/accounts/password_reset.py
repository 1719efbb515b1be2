"""Choosing a new password by a link sent to the account's address.

Asking never says whether an address has an account: the answer is the same, and
a message is queued only when it has. The link is signed, valid for one hour and
works once: it carries a fingerprint of the password it replaces, so it stops
working as soon as the password changes (by this link or otherwise). Using it ends
every other sign-in and API token of the account. Asking is throttled per address
and per network address. The secretariat sends the same kind of link, valid for a
week, to an account it made and to one whose sign-in it reset.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from itsdangerous import BadData, URLSafeTimedSerializer
from pydantic import EmailStr, Field, field_validator
from sqlalchemy import func, select
from typing_extensions import TypedDict

from forum_server.accounts import credentials
from forum_server.accounts.email_confirmation import mark_verified
from forum_server.accounts.models import LoginFailure, User
from forum_server.accounts.passwords import check_new_password, hash_password
from forum_server.accounts.queries import UserView
from forum_server.db import Database, UnitOfWork
from forum_server.errors import Invalid, RateLimited
from forum_server.i18n import N_, gettext
from forum_server.mail.outbox import Outgoing, queue
from forum_server.orm import utcnow
from forum_server.schemas import Input
from forum_server.throttle import Limit, take

VALID_FOR = timedelta(hours=1)
# A link the secretariat sends (a new account, a reset sign-in) waits longer for its
# reader than one asked for by the reader themselves.
SENT_VALID_FOR = timedelta(days=7)
PER_ADDRESS = Limit(3, timedelta(hours=1))
PER_CLIENT = Limit(20, timedelta(hours=1))
_SALT = "forum-password-reset"


class ResetRequest(Input):
    email: EmailStr = Field(max_length=254)

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()


class ResetPassword(Input):
    token: str = Field(min_length=1, max_length=1000)
    password: str = Field(min_length=1, max_length=1000)


class ResetAskedJson(TypedDict):
    message: str


@dataclass(frozen=True)
class ResetAsked:
    """The one answer to every request (it says nothing about the address)."""

    template: str = N_(
        "If an account has this address, a link to choose a new password is on its way "
        "to it; it works once, within the hour."
    )

    @property
    def message(self) -> str:
        return gettext(self.template)

    def as_json(self) -> ResetAskedJson:
        return {"message": self.message}


def _fingerprint(password_hash: str | None) -> str:
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_SALT)


async def request_reset(
    db: Database, secret_key: str, data: ResetRequest, *, client: str
) -> ResetAsked:
    """Queues a link when an active account has the address; answers the same either
    way. RateLimited (for any address alike) past three an hour per address."""
    async with db.write() as uow:
        wait, _ = await take(
            uow.session,
            LoginFailure,
            {f"reset:{data.email}": PER_ADDRESS, f"reset-client:{client}": PER_CLIENT},
        )
        if wait is not None:
            raise RateLimited("Several links were asked for; please try later.", retry_after=wait)
        user = await uow.session.scalar(
            select(User).where(func.lower(User.email) == data.email, User.is_active.is_(True))
        )
        if user is not None:
            await queue_link(uow, secret_key, user)
    return ResetAsked()


async def queue_link(
    uow: UnitOfWork, secret_key: str, user: User, *, sent_because: str | None = None
) -> None:
    """Queues the link to choose a new password with the change that causes it. Sent
    by the secretariat (`sent_because`: "created" or "reset"), it works for a week and
    says why it came; asked for, for an hour."""
    claims: dict[str, object] = {"user": user.id, "fp": _fingerprint(user.password_hash)}
    if sent_because is None:
        kind, context = "password_reset", {}
    else:
        claims["sent"] = True
        kind, context = "sign_in_link", {"because": sent_because}
    path = f"/reset-password/{_serializer(secret_key).dumps(claims)}"
    await queue(uow, [Outgoing(kind, user.email, {"path": path, **context}, user_id=user.id)])


async def reset_password(db: Database, secret_key: str, data: ResetPassword) -> UserView:
    """Sets the new password and signs the account out everywhere. Invalid
    `invalid_link` for a forged, expired or used link; Invalid `password` for a
    password the rules refuse (the link still works then)."""
    refused = Invalid(
        "This link is not valid: it has expired or was used already. Ask for a new one.",
        code="invalid_link",
        field="token",
    )
    try:
        claims, signed_at = _serializer(secret_key).loads(
            data.token, max_age=int(SENT_VALID_FOR.total_seconds()), return_timestamp=True
        )
    except BadData:
        raise refused from None
    if not isinstance(claims, dict) or not isinstance(claims.get("user"), int):
        raise refused
    if utcnow() - signed_at > (SENT_VALID_FOR if claims.get("sent") else VALID_FOR):
        raise refused
    async with db.write() as uow:
        query = select(User).where(User.id == claims["user"])
        if uow.dialect == "postgresql":
            query = query.with_for_update()  # two uses of one link: the second sees it used
        user = await uow.session.scalar(query)
        if (
            user is None
            or not user.is_active
            or claims.get("fp") != _fingerprint(user.password_hash)
        ):
            raise refused
        check_new_password(data.password, email=user.email)
        user.password_hash = await hash_password(data.password)
        user.password_changed_at = utcnow()
        mark_verified(user)  # the link reached this address: it is the owner's
        await credentials.end_all_login_sessions(uow, user.id)
        await credentials.revoke_all_api_tokens(uow, user.id)
        # Every process forgets these sign-ins and re-checks the live connections.
        uow.emit("user.signed_out", {"user_id": user.id})
        await uow.flush()
        return UserView.of(user)
