"""A space's rules for holding contributions for review: guests' (held unless the
space says otherwise) and the first N of each account (none unless it says so); and
how many posts an account or a guest network may make in 10 minutes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypedDict

from forum_server import audit
from forum_server.db import Database
from forum_server.moderation.guard import refusals_audited
from forum_server.moderation.models import ModerationSettings
from forum_server.moderation.schemas import SettingsUpdate
from forum_server.orm import utcnow
from forum_server.policy import Actor, check_may_manage_holding_rules, load_space, require_caller
from forum_server.rooms import admission
from forum_server.rooms.admission import settings_for
from forum_server.rooms.models import Space


class HoldingJson(TypedDict):
    space: str
    guest_posting: bool
    hold_guest_posts: bool
    hold_first_posts: int
    account_post_limit: int
    guest_post_limit: int
    post_limit_minutes: int


@dataclass(frozen=True)
class HoldingView:
    space_slug: str
    guest_posting: bool
    hold_guest_posts: bool
    hold_first_posts: int
    account_post_limit: int  # posts per POST_LIMIT_WINDOW
    guest_post_limit: int

    def as_json(self) -> HoldingJson:
        return {
            "space": self.space_slug,
            "guest_posting": self.guest_posting,
            "hold_guest_posts": self.hold_guest_posts,
            "hold_first_posts": self.hold_first_posts,
            "account_post_limit": self.account_post_limit,
            "guest_post_limit": self.guest_post_limit,
            "post_limit_minutes": POST_LIMIT_MINUTES,
        }


POST_LIMIT_MINUTES = int(admission.USER_LIMIT.window.total_seconds() // 60)


def _view(space: Space, settings: ModerationSettings) -> HoldingView:
    account = admission.rate_limit_for(0, None, settings)[1]
    guest = admission.rate_limit_for(None, None, settings)[1]
    return HoldingView(
        space.slug,
        space.guest_posting,
        settings.hold_guest_posts,
        settings.hold_first_posts,
        account.count,
        guest.count,
    )


async def holding_rules(db: AsyncSession, actor: Actor, slug: str) -> HoldingView:
    """The space's holding rules, for its moderators and the secretariat."""
    require_caller(actor)
    space, access = await load_space(db, actor, slug)
    check_may_manage_holding_rules(access)
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
        check_may_manage_holding_rules(access)
        settings = await uow.session.get(ModerationSettings, space.id)
        if settings is None:
            settings = ModerationSettings(space_id=space.id, hold_first_posts=0)
            settings.hold_guest_posts = True
            uow.session.add(settings)
        before = _view(space, settings).as_json()
        for name, value in data.model_dump(exclude_none=True).items():
            setattr(settings, name, value)
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
