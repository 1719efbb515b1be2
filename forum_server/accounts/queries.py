"""Reads about accounts, returning plain data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypedDict

from forum_server.accounts.models import OidcIdentity, User
from forum_server.errors import NotFound


class UserJson(TypedDict):
    id: int
    email: str
    display_name: str
    country: str | None
    region: str | None
    organization: str | None
    affiliation: str | None
    gender: str | None
    is_secretariat: bool
    email_verified: bool
    language: str | None
    time_zone: str | None


@dataclass(frozen=True)
class UserView:
    id: int
    email: str
    display_name: str
    country: str | None
    region: str | None
    organization: str | None
    affiliation: str | None
    gender: str | None
    is_secretariat: bool
    created_at: datetime
    email_verified: bool = False  # shown to be the owner's: see accounts.email_confirmation
    language: str | None = None
    time_zone: str | None = None

    @classmethod
    def of(cls, user: User) -> UserView:
        return cls(
            id=user.id,
            email=user.email,
            display_name=user.display_name,
            country=user.country,
            region=user.region,
            organization=user.organization,
            affiliation=user.affiliation,
            gender=user.gender,
            is_secretariat=user.is_secretariat,
            created_at=user.created_at,
            email_verified=user.email_verified_at is not None,
            language=user.language,
            time_zone=user.time_zone,
        )

    def as_json(self) -> UserJson:
        """The user as API.md describes it. Gender is personal: shown to its owner only."""
        return {
            "id": self.id,
            "email": self.email,
            "display_name": self.display_name,
            "country": self.country,
            "region": self.region,
            "organization": self.organization,
            "affiliation": self.affiliation,
            "gender": self.gender,
            "is_secretariat": self.is_secretariat,
            "email_verified": self.email_verified,
            "language": self.language,
            "time_zone": self.time_zone,
        }


async def get_user(db: AsyncSession, user_id: int) -> UserView:
    user = await db.get(User, user_id)
    if user is None or not user.is_active:
        raise NotFound("No such user.")
    return UserView.of(user)


@dataclass(frozen=True)
class SignInMethods:
    """How a user can sign in: with a password, and/or through these providers."""

    has_password: bool
    issuers: tuple[str, ...]


async def sign_in_methods(db: AsyncSession, user_id: int) -> SignInMethods:
    password_hash = await db.scalar(select(User.password_hash).where(User.id == user_id))
    issuers = await db.scalars(
        select(OidcIdentity.issuer).where(OidcIdentity.user_id == user_id).order_by(OidcIdentity.id)
    )
    return SignInMethods(password_hash is not None, tuple(dict.fromkeys(issuers)))


def normalize_email(email: str) -> str:
    """Addresses are stored lower-cased (UserCreate does it); look them up the same way."""
    return email.strip().lower()


async def find_user_by_email(db: AsyncSession, email: str) -> User | None:
    return await db.scalar(select(User).where(User.email == normalize_email(email)))


async def user_ids_by_email(db: AsyncSession, emails: Iterable[str]) -> dict[str, int]:
    """The accounts with these addresses, as {normalized address: user id}; addresses
    nobody has are left out. Deactivated accounts are included: an address is taken
    whatever the state of its account."""
    wanted = {normalize_email(email) for email in emails}
    if not wanted:
        return {}
    rows = await db.execute(select(User.email, User.id).where(User.email.in_(wanted)))
    return {email: user_id for email, user_id in rows}


async def user_id_by_email(db: AsyncSession, email: str) -> int | None:
    """The id of the account with this address, if any (see user_ids_by_email)."""
    return (await user_ids_by_email(db, [email])).get(normalize_email(email))
