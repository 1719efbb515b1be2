"""A space's rules for holding contributions for review: guests' (held unless the
space says otherwise) and the first N of each account (none unless it says so)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from forum_server import audit
from forum_server.db import Database
from forum_server.moderation.admission import settings_for
from forum_server.moderation.guard import refusals_audited
from forum_server.moderation.models import ModerationSettings
from forum_server.moderation.schemas import SettingsUpdate
from forum_server.orm import utcnow
from forum_server.policy import Actor, load_space, require_caller, require_may_manage_holding_rules
from forum_server.rooms.models import Space


@dataclass(frozen=True)
class HoldingView:
    space_slug: str
    guest_posting: bool
    hold_guest_posts: bool
    hold_first_posts: int

    def as_json(self) -> dict[str, Any]:
        return {
            "space": self.space_slug,
            "guest_posting": self.guest_posting,
            "hold_guest_posts": self.hold_guest_posts,
            "hold_first_posts": self.hold_first_posts,
        }


def _view(space: Space, settings: ModerationSettings) -> HoldingView:
    return HoldingView(
        space.slug, space.guest_posting, settings.hold_guest_posts, settings.hold_first_posts
    )


async def holding_rules(db: AsyncSession, actor: Actor, slug: str) -> HoldingView:
    """The space's holding rules, for its moderators and the secretariat."""
    require_caller(actor)
    space, access = await load_space(db, actor, slug)
    require_may_manage_holding_rules(access)
    return _view(space, await settings_for(db, space.id))


async def change_holding_rules(
    db: Database, actor: Actor, slug: str, data: SettingsUpdate
) -> HoldingView:
    """Changes what the space holds for review: its moderators and the secretariat."""
    async with (
        refusals_audited(db, actor, "space.holding_change", "space", None, space_slug=slug),
        db.write() as uow,
    ):
        require_caller(actor)
        space, access = await load_space(uow.session, actor, slug)
        require_may_manage_holding_rules(access)
        settings = await uow.session.get(ModerationSettings, space.id)
        if settings is None:
            settings = ModerationSettings(space_id=space.id, hold_first_posts=0)
            settings.hold_guest_posts = True
            uow.session.add(settings)
        before = {
            "hold_first_posts": settings.hold_first_posts,
            "hold_guest_posts": settings.hold_guest_posts,
        }
        if data.hold_first_posts is not None:
            settings.hold_first_posts = data.hold_first_posts
        if data.hold_guest_posts is not None:
            settings.hold_guest_posts = data.hold_guest_posts
        settings.updated_at, settings.updated_by = utcnow(), actor.user_id
        await uow.flush()
        view = _view(space, settings)
        audit.record(
            uow,
            actor,
            "space.holding_changed",
            space_id=space.id,
            target_type="space",
            target_id=space.id,
            details={"before": before, "after": view.as_json()},
        )
        uow.emit("space.holding_changed", view.as_json(), space_id=space.id)
        return view
