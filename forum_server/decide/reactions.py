"""The write path for reactions: adding and taking back one of the fixed kinds."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from forum_server.db import Database, UnitOfWork
from forum_server.decide.models import Reaction
from forum_server.decide.queries import reaction_counts, reactions_for_posts
from forum_server.decide.schemas import REACTION_KINDS
from forum_server.decide.views import ReactionsView
from forum_server.errors import Invalid
from forum_server.orm import utcnow
from forum_server.policy import Actor, check_may_react, load_post
from forum_server.rooms import admission
from forum_server.rooms.models import ForumSession, Post
from forum_server.rooms.posting import check_open


async def set_reaction(
    db: Database, actor: Actor, post_id: int, kind: str, *, on: bool
) -> ReactionsView:
    """Adds (`on`) or takes back the actor's reaction of `kind` to a post; doing what is
    already done changes nothing (two tabs sending the same click end with one
    reaction). Raises NotFound, Unauthorized (guests), Forbidden (no right to post there,
    or suspended), Conflict post_not_published / session_closed / session_not_open,
    Invalid kind. Emits `reaction.changed` with the new counts when something changed."""
    if kind not in REACTION_KINDS:
        raise Invalid("kind: not a reaction.", field="kind")
    async with db.write() as uow:
        post, access = await load_post(uow.session, actor, post_id)
        check_may_react(access, post.status)
        user_id = access.actor.user_id
        assert user_id is not None  # check_may_react let only accounts through
        await admission.check_not_suspended(uow.session, user_id, access.space.space_id)
        await check_open(uow.session, post.session_id)
        if on:
            insert = postgresql.insert if uow.dialect == "postgresql" else sqlite.insert
            added = await uow.session.execute(
                insert(Reaction)
                .values(post_id=post_id, user_id=user_id, kind=kind, created_at=utcnow())
                .on_conflict_do_nothing(index_elements=["post_id", "user_id", "kind"])
            )
            changed = _rowcount(added) > 0
        else:
            removed = await uow.session.execute(
                delete(Reaction).where(
                    Reaction.post_id == post_id, Reaction.user_id == user_id, Reaction.kind == kind
                )
            )
            changed = _rowcount(removed) > 0
        if changed:
            await emit_reactions(uow, post)
        return (await reactions_for_posts(uow.session, actor, [post_id]))[post_id]


def _rowcount(result: object) -> int:
    count = getattr(result, "rowcount", 0)
    return count if isinstance(count, int) else 0


async def emit_reactions(uow: UnitOfWork, post: Post) -> None:
    """Counts only, no names: every viewer of the session may be told them."""
    forum_session = await uow.session.get(ForumSession, post.session_id)
    uow.emit(
        "reaction.changed",
        {
            "post_id": post.id,
            "thread_id": post.thread_id,
            "counts": await reaction_counts(uow.session, post.id),
        },
        space_id=forum_session.space_id if forum_session else None,
        session_id=post.session_id,
        thread_id=post.thread_id,
    )
