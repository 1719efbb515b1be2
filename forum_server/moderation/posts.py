"""Moderators' actions on posts and threads: decide held posts, hide and restore,
highlight for the summary report, lock and unlock threads.

Each action is one function: it checks the right through the policy, changes the
post or thread, records the audit entry and emits its event, all in one transaction.
Events carry the post as readers see it — a hidden post only as its placeholder.
Refusals are audited too (see guard.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from forum_server import audit
from forum_server.db import Database, UnitOfWork
from forum_server.errors import Conflict
from forum_server.moderation.guard import refusals_audited
from forum_server.moderation.models import Flag
from forum_server.notifications.notify import held_post_decided
from forum_server.orm import utcnow
from forum_server.policy import Actor, SessionAccess, load_post, load_thread, require_caller
from forum_server.rooms.models import Post, Question, Thread
from forum_server.rooms.posting import count_published, emit_post, emit_thread_created
from forum_server.rooms.posts_view import PostView, load_post_view
from forum_server.search.index import index_post


async def _load(uow: UnitOfWork, actor: Actor, post_id: int) -> tuple[Post, SessionAccess]:
    require_caller(actor)
    post, access = await load_post(uow.session, actor, post_id)
    access.require_moderator()
    return post, access


async def _is_topic(uow: UnitOfWork, thread_id: int) -> bool:
    """A participant's topic (not a guiding question's thread)."""
    return (
        await uow.session.scalar(select(Question.id).where(Question.thread_id == thread_id)) is None
    )


def _record(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    post: Post,
    access: SessionAccess,
    reason: str | None = None,
    **details: Any,
) -> None:
    audit.record(
        uow,
        actor,
        action,
        space_id=access.space.space_id,
        target_type="post",
        target_id=post.id,
        reason=reason,
        details={
            "thread_id": post.thread_id,
            "session_id": post.session_id,
            "author_id": post.author_id,
            "guest_name": post.guest_name,
            **details,
        },
    )


async def _resolve_flags(uow: UnitOfWork, actor: Actor, post: Post) -> int:
    """Open flags on a post a moderator acted on are settled with it."""
    flags = list(
        await uow.session.scalars(
            select(Flag).where(Flag.post_id == post.id, Flag.status == "open")
        )
    )
    for flag in flags:
        flag.status, flag.resolved_by, flag.resolved_at = "actioned", actor.user_id, utcnow()
    return len(flags)


async def approve_post(db: Database, actor: Actor, post_id: int) -> PostView:
    """Publishes a held post: it counts in its thread and reaches readers as
    `post.created`. Conflict `not_pending` unless it waits for review."""
    async with refusals_audited(db, actor, "post.approve", "post", post_id), db.write() as uow:
        post, access = await _load(uow, actor, post_id)
        if post.status != "pending":
            raise Conflict("This post is not waiting for review.", code="not_pending")
        post.status, post.moderation_reason = "published", None
        thread = await uow.session.get(Thread, post.thread_id)
        assert thread is not None  # posts belong to their thread (foreign key, cascade)
        first_published = thread.post_count == 0  # counts published posts only
        count_published(thread, post.created_at)
        await index_post(uow, post)
        _record(uow, actor, "post.approved", post, access)
        if first_published and await _is_topic(uow, thread.id):
            emit_thread_created(uow, thread, access.space.space_id)
        await emit_post(uow, "post.created", post)
        await held_post_decided(uow, post, approved=True)
        return await load_post_view(uow.session, post, moderator=True)


async def reject_post(db: Database, actor: Actor, post_id: int, reason: str | None) -> PostView:
    """Turns a held post down: nobody but moderators sees it again. Conflict
    `not_pending` unless it waits for review."""
    async with refusals_audited(db, actor, "post.reject", "post", post_id), db.write() as uow:
        post, access = await _load(uow, actor, post_id)
        if post.status != "pending":
            raise Conflict("This post is not waiting for review.", code="not_pending")
        post.status, post.moderation_reason = "rejected", reason
        await index_post(uow, post)
        _record(uow, actor, "post.rejected", post, access, reason)
        # Only the author's own page shows a held post; tell it to drop it. No text.
        uow.emit(
            "post.rejected",
            {
                "id": post.id,
                "thread_id": post.thread_id,
                "status": "rejected",
                "author": {"id": post.author_id},
            },
            space_id=access.space.space_id,
            session_id=post.session_id,
            thread_id=post.thread_id,
        )
        await held_post_decided(uow, post, approved=False)
        return await load_post_view(uow.session, post, moderator=True)


async def hide_post(db: Database, actor: Actor, post_id: int, reason: str) -> PostView:
    """Hides a published post: readers see a placeholder with the reason, never the
    text (not in pages, the API, events or reports). Hiding a hidden post again
    changes the reason. Open flags on it are settled. Conflict `not_published` for
    held or rejected posts."""
    async with refusals_audited(db, actor, "post.hide", "post", post_id), db.write() as uow:
        post, access = await _load(uow, actor, post_id)
        if post.status not in {"published", "hidden"}:
            raise Conflict("Only published posts can be hidden.", code="not_published")
        post.status, post.moderation_reason = "hidden", reason
        settled = await _resolve_flags(uow, actor, post)
        await index_post(uow, post)
        _record(uow, actor, "post.hidden", post, access, reason, flags_settled=settled)
        await emit_post(uow, "post.hidden", post)
        return await load_post_view(uow.session, post, moderator=True)


async def restore_post(db: Database, actor: Actor, post_id: int) -> PostView:
    """Shows a hidden post again. Conflict `not_hidden` for any other post."""
    async with refusals_audited(db, actor, "post.restore", "post", post_id), db.write() as uow:
        post, access = await _load(uow, actor, post_id)
        if post.status != "hidden":
            raise Conflict("This post is not hidden.", code="not_hidden")
        reason = post.moderation_reason
        post.status, post.moderation_reason = "published", None
        await index_post(uow, post)
        _record(uow, actor, "post.restored", post, access, hidden_for=reason)
        await emit_post(uow, "post.restored", post)
        return await load_post_view(uow.session, post, moderator=True)


async def set_highlight(db: Database, actor: Actor, post_id: int, highlighted: bool) -> PostView:
    """Marks a published post for the summary report (or unmarks it). Doing it twice
    changes nothing and records nothing."""
    action = "post.highlight" if highlighted else "post.unhighlight"
    async with refusals_audited(db, actor, action, "post", post_id), db.write() as uow:
        post, access = await _load(uow, actor, post_id)
        if post.status != "published":
            raise Conflict("Only published posts can be highlighted.", code="not_published")
        if post.highlighted != highlighted:
            post.highlighted = highlighted
            await uow.flush()
            done = "post.highlighted" if highlighted else "post.unhighlighted"
            _record(uow, actor, done, post, access)
            await emit_post(uow, done, post)
        return await load_post_view(uow.session, post, moderator=True)


async def set_lock(
    db: Database, actor: Actor, thread_id: int, locked: bool, reason: str | None = None
) -> bool:
    """Locks a thread (no more contributions) or unlocks it; emits `thread.locked` /
    `thread.unlocked`. Doing it twice changes nothing and records nothing. Returns
    the new state."""
    action = "thread.lock" if locked else "thread.unlock"
    async with refusals_audited(db, actor, action, "thread", thread_id), db.write() as uow:
        require_caller(actor)
        thread, access = await load_thread(uow.session, actor, thread_id)
        access.require_moderator()
        if thread.locked == locked:
            return locked
        thread.locked = locked
        await uow.flush()
        done = "thread.locked" if locked else "thread.unlocked"
        audit.record(
            uow,
            actor,
            done,
            space_id=access.space.space_id,
            target_type="thread",
            target_id=thread.id,
            reason=reason,
            details={"session_id": thread.session_id, "title": thread.title},
        )
        uow.emit(
            done,
            {"id": thread.id, "thread_id": thread.id, "locked": locked},
            space_id=access.space.space_id,
            session_id=thread.session_id,
            thread_id=thread.id,
        )
        return locked
