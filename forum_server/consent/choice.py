"""Each account's choice of how reports cite it. Reports read it when compiled, so a
change applies to every report compiled afterwards (never to files downloaded before)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import User
from forum_server.consent.schemas import AttributionChoice
from forum_server.consent.views import AttributionChoiceView
from forum_server.db import Database
from forum_server.errors import NotFound
from forum_server.policy import Actor, check_may_choose_own_attribution, require_signed_in


async def my_choice(session: AsyncSession, actor: Actor) -> AttributionChoiceView:
    user_id = require_signed_in(actor)
    value = await session.scalar(select(User.attribution_choice).where(User.id == user_id))
    if value is None:
        raise NotFound("No such user.")
    return AttributionChoiceView(value)


async def set_choice(db: Database, actor: Actor, data: AttributionChoice) -> AttributionChoiceView:
    async with db.write() as uow:
        check_may_choose_own_attribution(actor)
        user = await uow.session.get(User, actor.user_id)
        if user is None:
            raise NotFound("No such user.")
        user.attribution_choice = data.attribution
        return AttributionChoiceView(user.attribution_choice)


async def choices_of(session: AsyncSession, user_ids: set[int] | None = None) -> dict[int, str]:
    """The accounts that asked to be cited less than by name, with their choice
    (`user_ids`: only among these). Everyone else is "named"."""
    query = select(User.id, User.attribution_choice).where(User.attribution_choice != "named")
    if user_ids is not None:
        query = query.where(User.id.in_(list(user_ids)))
    return {user_id: choice for user_id, choice in await session.execute(query)}
