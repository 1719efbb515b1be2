"""A person's page: what readers already see beside their contributions (name,
country, organization), for whoever may see a session they take part in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.countries import country_name
from forum_server.accounts.models import User
from forum_server.errors import NotFound
from forum_server.policy import Actor, check_may_see_person


@dataclass(frozen=True)
class PersonView:
    id: int
    display_name: str
    country: str | None
    organization: str | None

    @property
    def country_name(self) -> str:
        return country_name(self.country) if self.country else ""


async def person(db: AsyncSession, viewer: Actor, person_id: int) -> PersonView:
    """NotFound unless the policy lets the viewer see this person (the same answer as
    for an account that does not exist)."""
    await check_may_see_person(db, viewer, person_id)
    user = await db.get(User, person_id)
    if user is None:
        raise NotFound("No such person.")
    return PersonView(user.id, user.display_name, user.country, user.organization)
