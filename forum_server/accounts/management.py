"""The secretariat's hand on accounts: listing them, deactivating and reactivating.

A deactivated account keeps its posts, attributed as before; it can no longer sign
in, its sign-ins and API tokens end in the same transaction, and the event
`user.deactivated` makes every server process's live hub close its sockets at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypedDict

from forum_server import audit
from forum_server.accounts import credentials
from forum_server.accounts.models import User
from forum_server.accounts.queries import find_user_by_email
from forum_server.db import Database, UnitOfWork
from forum_server.errors import Conflict, NotFound
from forum_server.moderation.guard import refusals_audited
from forum_server.policy import Actor, check_may_manage_accounts

MAX_PAGE = 200


class AccountJson(TypedDict):
    id: int
    email: str
    display_name: str
    is_secretariat: bool
    active: bool
    email_verified: bool
    created_at: str


@dataclass(frozen=True)
class AccountView:
    """An account as the secretariat sees it in the list."""

    id: int
    email: str
    display_name: str
    is_secretariat: bool
    active: bool
    email_verified: bool
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> AccountView:
        return cls(
            id=user.id,
            email=user.email,
            display_name=user.display_name,
            is_secretariat=user.is_secretariat,
            active=user.is_active,
            email_verified=user.email_verified_at is not None,
            created_at=user.created_at,
        )

    def as_json(self) -> AccountJson:
        return {
            "id": self.id,
            "email": self.email,
            "display_name": self.display_name,
            "is_secretariat": self.is_secretariat,
            "active": self.active,
            "email_verified": self.email_verified,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True)
class AccountPage:
    items: tuple[AccountView, ...]
    next: int | None


async def list_accounts(
    session: AsyncSession, actor: Actor, *, after: int | None = None, limit: int = 50
) -> AccountPage:
    """Every account, deactivated ones included, in id order: the secretariat."""
    check_may_manage_accounts(actor)
    limit = max(1, min(limit, MAX_PAGE))
    query = select(User).order_by(User.id).limit(limit + 1)
    if after is not None:
        query = query.where(User.id > after)
    users = list(await session.scalars(query))
    items = tuple(AccountView.of(user) for user in users[:limit])
    return AccountPage(items, items[-1].id if len(users) > limit else None)


async def find_account(session: AsyncSession, actor: Actor, email: str) -> AccountView:
    check_may_manage_accounts(actor)
    user = await find_user_by_email(session, email)
    if user is None:
        raise NotFound("No account has this e-mail address.")
    return AccountView.of(user)


async def _target(uow: UnitOfWork, user_id: int) -> User:
    user = await uow.session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


async def deactivate_user(db: Database, actor: Actor, user_id: int) -> AccountView:
    """Ends the account's use at once; its posts stay. Conflict `already_deactivated`."""
    async with refusals_audited(db, actor, "user.deactivate", "user", user_id), db.write() as uow:
        check_may_manage_accounts(actor, user_id)
        user = await _target(uow, user_id)
        if not user.is_active:
            raise Conflict("This account is deactivated already.", code="already_deactivated")
        user.is_active = False
        await credentials.end_all_login_sessions(uow, user.id)
        await credentials.revoke_all_api_tokens(uow, user.id)
        audit.record(
            uow,
            actor,
            "user.deactivated",
            space_id=None,
            target_type="user",
            target_id=user.id,
            details={"email": user.email},
        )
        # Every process's hub closes this user's live connections when it sees this.
        uow.emit("user.deactivated", {"user_id": user.id})
        await uow.flush()
        return AccountView.of(user)


async def reactivate_user(db: Database, actor: Actor, user_id: int) -> AccountView:
    """Lets the account sign in again (with new sign-ins and tokens: the old ones stay
    ended). Conflict `already_active`."""
    async with refusals_audited(db, actor, "user.reactivate", "user", user_id), db.write() as uow:
        check_may_manage_accounts(actor, user_id)
        user = await _target(uow, user_id)
        if user.is_active:
            raise Conflict("This account is active already.", code="already_active")
        user.is_active = True
        audit.record(
            uow,
            actor,
            "user.reactivated",
            space_id=None,
            target_type="user",
            target_id=user.id,
            details={"email": user.email},
        )
        await uow.flush()
        return AccountView.of(user)
