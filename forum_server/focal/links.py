"""Following the link a notification sent: single use, expiring, bound to its
register entry and that entry's address. Whoever holds it and is not that entry's
account cannot use it; a used, expired, tampered link, or one whose entry was removed
or whose address changed, is refused alike. Without an account, following it makes
one from the register (name, country, organization), its address confirmed by the
link; then the target's action runs for that account (focal.targets)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server import audit
from forum_server.accounts.credentials import token_digest
from forum_server.accounts.email_confirmation import mark_verified
from forum_server.accounts.models import User
from forum_server.accounts.schemas import AccountCreate
from forum_server.accounts.service import add_user
from forum_server.db import Database
from forum_server.errors import NotFound
from forum_server.focal.models import FocalDelivery, FocalNotification, FocalPoint
from forum_server.focal.targets import target
from forum_server.i18n import N_
from forum_server.orm import utcnow
from forum_server.policy import Actor, check_may_follow_focal_link

REFUSED = N_(
    "This link is not valid: it was used already, has expired, or is no longer for anyone."
)


@dataclass(frozen=True)
class LinkView:
    """What the link's page shows before it is followed (the link is the permission
    to see it: whoever holds it was sent it)."""

    name: str
    country: str
    email: str
    subject: str
    target_title: str
    account_id: int | None  # the entry's account, where one exists
    target_kind: str = "session"


@dataclass(frozen=True)
class Followed:
    user_id: int
    created: bool  # an account was made: the browser is signed in to it
    path: str


async def _valid(
    db: AsyncSession, token: str
) -> tuple[FocalDelivery, FocalPoint, FocalNotification]:
    if not token.startswith("fp_") or len(token) > 100:
        raise NotFound(REFUSED, code="invalid_link")
    delivery = await db.scalar(
        select(FocalDelivery).where(FocalDelivery.token_hash == token_digest(token))
    )
    if (
        delivery is None
        or delivery.used_at is not None
        or delivery.expires_at is None
        or delivery.expires_at <= utcnow()
        or delivery.focal_point_id is None
    ):
        raise NotFound(REFUSED, code="invalid_link")
    entry = await db.get(FocalPoint, delivery.focal_point_id)
    notification = await db.get(FocalNotification, delivery.notification_id)
    if (
        entry is None
        or entry.email != delivery.email
        or notification is None
        or notification.target_kind is None
        or notification.target_id is None
    ):
        raise NotFound(REFUSED, code="invalid_link")
    return delivery, entry, notification


async def _account(db: AsyncSession, email: str) -> User | None:
    found: User | None = await db.scalar(select(User).where(func.lower(User.email) == email))
    return found


async def link_view(db: AsyncSession, token: str) -> LinkView:
    _, entry, notification = await _valid(db, token)
    assert notification.target_kind is not None and notification.target_id is not None
    described = await target(notification.target_kind).describe(db, notification.target_id)
    if described is None:
        raise NotFound(REFUSED, code="invalid_link")
    account = await _account(db, entry.email)
    return LinkView(
        entry.name,
        entry.country,
        entry.email,
        notification.subject,
        described.title,
        account.id if account is not None and account.is_active else None,
        notification.target_kind,
    )


async def follow(db: Database, actor: Actor, token: str) -> Followed:
    """Uses the link once: makes the entry's account where it has none (the caller
    is then signed out), or acts as the signed-in account that is the entry's."""
    async with db.write() as uow:
        delivery, entry, notification = await _valid(uow.session, token)
        assert notification.target_kind is not None and notification.target_id is not None
        user = await _account(uow.session, entry.email)
        if user is not None and not user.is_active:
            raise NotFound(REFUSED, code="invalid_link")
        check_may_follow_focal_link(actor, user.id if user is not None else None)
        # Claim it first: a second use racing this one finds it used.
        claimed = await uow.session.execute(
            update(FocalDelivery)
            .where(FocalDelivery.id == delivery.id, FocalDelivery.used_at.is_(None))
            .values(used_at=utcnow())
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            raise NotFound(REFUSED, code="invalid_link")
        created = user is None
        if user is None:
            profile = AccountCreate(
                email=entry.email,
                display_name=entry.name,
                country=entry.country,
                organization=entry.organization or None,
            )
            view = await add_user(uow, entry.email, None, profile, email_verified=True)
            user = await uow.session.get(User, view.id)
            assert user is not None  # just added
            if entry.language:
                user.language = entry.language
        mark_verified(user)  # the link reached this address: it is theirs
        delivery.used_by, entry.user_id = user.id, user.id
        as_them = Actor(user_id=user.id, display_name=user.display_name)
        path = await target(notification.target_kind).act(
            uow, as_them, user, notification.target_id, country=entry.country
        )
        audit.record(
            uow,
            as_them,
            "focal_link.used",
            space_id=None,
            target_type="focal_notification",
            target_id=notification.id,
            details={"focal_point_id": entry.id, "account_created": created},
        )
        return Followed(user.id, created, path)
