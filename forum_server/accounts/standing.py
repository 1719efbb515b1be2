"""An account's standing: deactivated by the secretariat, or suspended on the whole
site. The policy module decides what follows from it (`policy.check_may_sign_in`);
this loads it, once per sign-in and per API request."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import User
from forum_server.policy import Standing
from forum_server.rooms.admission import active_suspension


async def standing_of(session: AsyncSession, user: User) -> Standing:
    if not user.is_active:
        return Standing(active=False)
    suspension = await active_suspension(session, user.id, None)
    if suspension is None:
        return Standing(active=True)
    return Standing(
        active=True,
        suspended=True,
        suspension_reason=suspension.reason,
        suspended_until=suspension.until,
    )
