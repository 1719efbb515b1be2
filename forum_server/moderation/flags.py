"""Participants flag posts that need a moderator's eyes; moderators dismiss flags (or
act on the post, which settles them: see posts.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from typing_extensions import TypedDict

from forum_server import audit
from forum_server.db import Database
from forum_server.errors import Conflict, NotFound
from forum_server.i18n import N_
from forum_server.moderation.guard import refusals_audited
from forum_server.moderation.models import Flag
from forum_server.orm import utcnow
from forum_server.policy import Actor, load_post, require_caller, require_signed_in

_ALREADY = N_("You have already flagged this post; a moderator will look at it.")


class FlagReceiptJson(TypedDict):
    id: int
    post_id: int
    status: str
    created_at: str


@dataclass(frozen=True)
class FlagReceipt:
    """What the person who flagged a post gets back."""

    id: int
    post_id: int
    status: str
    created_at: datetime

    def as_json(self) -> FlagReceiptJson:
        return {
            "id": self.id,
            "post_id": self.post_id,
            "status": self.status,
            "created_at": self.created_at.isoformat(),
        }


async def flag_post(db: Database, actor: Actor, post_id: int, reason: str) -> FlagReceipt:
    """Asks the moderators to look at a published post. Signed-in people who may see
    it; one flag per person and post (Conflict `already_flagged`). The flag is for
    moderators only: no event tells other readers about it."""
    user_id = require_signed_in(actor)
    try:
        async with db.write() as uow:
            post, access = await load_post(uow.session, actor, post_id)
            if post.status != "published":
                raise Conflict("Only published posts can be flagged.", code="not_published")
            existing = await uow.session.scalar(
                select(Flag.id).where(Flag.post_id == post_id, Flag.user_id == user_id)
            )
            if existing is not None:
                raise Conflict(_ALREADY, code="already_flagged")
            flag = Flag(post_id=post_id, user_id=user_id, reason=reason, created_at=utcnow())
            uow.session.add(flag)
            await uow.flush()
            audit.record(
                uow,
                actor,
                "post.flagged",
                space_id=access.space.space_id,
                target_type="post",
                target_id=post_id,
                reason=reason,
                details={"flag_id": flag.id, "thread_id": post.thread_id},
            )
            return FlagReceipt(flag.id, post_id, flag.status, flag.created_at)
    except IntegrityError:  # a double submit raced past the lookup
        raise Conflict(_ALREADY, code="already_flagged") from None


async def dismiss_flag(db: Database, actor: Actor, flag_id: int) -> None:
    """Closes an open flag without acting on the post. The post's moderators only;
    Conflict `not_open` for a flag already settled. Emits `flag.resolved` (the flag's
    and post's ids only) so open moderation pages can update."""
    async with (
        refusals_audited(db, actor, "flag.dismiss", "flag", flag_id),
        db.write() as uow,
    ):
        require_caller(actor)
        flag = await uow.session.get(Flag, flag_id)
        if flag is None:
            raise NotFound("No such flag.")
        try:
            post, access = await load_post(uow.session, actor, flag.post_id)
        except NotFound:
            raise NotFound("No such flag.") from None
        access.require_moderator()
        if flag.status != "open":
            raise Conflict("This flag has been settled already.", code="not_open")
        flag.status, flag.resolved_by, flag.resolved_at = "dismissed", actor.user_id, utcnow()
        await uow.flush()
        audit.record(
            uow,
            actor,
            "flag.dismissed",
            space_id=access.space.space_id,
            target_type="flag",
            target_id=flag.id,
            reason=flag.reason,
            details={"post_id": post.id, "thread_id": post.thread_id, "flagged_by": flag.user_id},
        )
        uow.emit(
            "flag.resolved",
            {"flag_id": flag.id, "post_id": post.id, "status": "dismissed"},
            space_id=access.space.space_id,
            session_id=post.session_id,
            thread_id=post.thread_id,
        )
