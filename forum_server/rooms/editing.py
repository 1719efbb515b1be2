"""Editing a post: the command and the read behind its form (what the thread page
shows about editing is in edit_views).

The rules live in one place, `_check`: the policy's check (author within the edit
window, or a moderator), then, for authors, not suspended and the session open.
The form page runs the same check before it shows the text, so what it offers is
what the command will accept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from forum_server import audit
from forum_server.db import Database, UnitOfWork
from forum_server.errors import NotFound
from forum_server.orm import utcnow
from forum_server.policy import (
    Actor,
    SessionAccess,
    check_may_edit_post,
    load_post,
    require_signed_in,
)
from forum_server.rooms import admission
from forum_server.rooms.mentions import render_with_mentions, rendered_again_if_changed
from forum_server.rooms.models import Post, PostVersion
from forum_server.rooms.posting import check_open, emit_post, render_lane
from forum_server.rooms.posts_view import PostView, load_post_view
from forum_server.rooms.schemas import PostEdit
from forum_server.rooms.sessions import lock_session
from forum_server.search.index import index_post


async def _check(
    session: AsyncSession,
    actor: Actor,
    post_id: int,
    edit_window: timedelta,
    lock: UnitOfWork | None,
) -> tuple[Post, SessionAccess]:
    """The post, if `actor` may edit it now; raises otherwise."""
    post, access = await load_post(session, actor, post_id)
    age = utcnow() - post.created_at
    check_may_edit_post(access, post.author_id, post.status, age, edit_window)
    if not access.can_moderate:
        author_id = require_signed_in(actor)
        await admission.check_not_suspended(session, author_id, access.space.space_id)
        if lock is not None:
            await lock_session(lock, post.session_id)
        await check_open(session, post.session_id)
    if post.status == "rejected":
        raise NotFound("No such post.")
    return post, access


async def edit_post(
    db: Database, actor: Actor, post_id: int, data: PostEdit, *, edit_window: timedelta
) -> PostView:
    """A new text for a post: its author within the edit window, or a moderator.
    The earlier text is kept as a version for moderators. Checked before the Markdown
    is rendered, and again in the write transaction."""
    lane = render_lane(actor)
    async with db.read() as session:
        post, _ = await _check(session, actor, post_id, edit_window, None)
        rendered = await render_with_mentions(session, post.session_id, data.body, lane=lane)
    async with db.write() as uow:
        post, access = await _check(uow.session, actor, post_id, edit_window, uow)
        html = await rendered_again_if_changed(
            uow.session, post.session_id, data.body, rendered, lane=lane
        )
        is_author = actor.user_id is not None and post.author_id == actor.user_id
        if not is_author:
            # A moderator changing someone's words answers for it in the audit log.
            audit.record(
                uow,
                actor,
                "post.edited",
                space_id=access.space.space_id,
                target_type="post",
                target_id=post.id,
                reason=data.note,
                details={"thread_id": post.thread_id, "author_id": post.author_id},
            )
        uow.session.add(
            PostVersion(
                post_id=post.id,
                body=post.body,
                html=post.html,
                replaced_by=actor.user_id,
                note=data.note,
            )
        )
        post.body, post.html, post.edited_at = data.body, html, utcnow()
        if data.lang is not None:
            post.lang = data.lang
        await uow.flush()
        view = await load_post_view(uow.session, post, moderator=access.can_moderate)
        await index_post(uow, post)
        await emit_post(uow, "post.edited", post)
        return view


@dataclass(frozen=True)
class EditForm:
    post: PostView
    thread_id: int
    editable_until: datetime | None  # None for a moderator (no window)


async def edit_form(
    session: AsyncSession, actor: Actor, post_id: int, *, edit_window: timedelta
) -> EditForm:
    """The post's current text for its edit form, under the command's own rules."""
    post, access = await _check(session, actor, post_id, edit_window, None)
    return await _form(session, post, access, edit_window)


async def post_for_form(
    session: AsyncSession, actor: Actor, post_id: int, *, edit_window: timedelta
) -> EditForm:
    """The post as its reader sees it, to show the form again after the command
    refused it (the message says why; the typed text is kept)."""
    post, access = await load_post(session, actor, post_id)
    return await _form(session, post, access, edit_window)


async def _form(
    session: AsyncSession, post: Post, access: SessionAccess, edit_window: timedelta
) -> EditForm:
    view = await load_post_view(session, post, moderator=access.can_moderate)
    until = None if access.can_moderate else post.created_at + edit_window
    return EditForm(view, post.thread_id, until)
