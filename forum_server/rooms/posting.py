"""The write path for threads and posts.

Markdown is rendered before the write transaction opens (it can take a while on
hostile input, and SQLite has one writer); every rule that depends on state — the
session is open, the thread unlocked, the right to post, suspensions, rate limits,
holding for review — is checked inside it.

Guests (no account) post where the space is an open forum; what they write waits for
a moderator (status `pending`), as do the first contributions of new accounts where
the space asks for it. Only published contributions count in a thread's totals and
reach readers as `post.created`; a held one does when a moderator approves it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forum_server import audit
from forum_server.db import Database, UnitOfWork
from forum_server.errors import Conflict, Forbidden, Invalid, NotFound
from forum_server.moderation import admission
from forum_server.orm import utcnow
from forum_server.policy import Actor, SessionAccess, load_post, load_session, load_thread
from forum_server.rooms.markdown import render_markdown_off_loop
from forum_server.rooms.models import ForumSession, Post, PostVersion, Thread
from forum_server.rooms.posts_view import PostView, load_post_view
from forum_server.rooms.schemas import PostCreate, PostEdit, ThreadCreate
from forum_server.rooms.sessions import lock_session, periods_of, state_of
from forum_server.rooms.state import CLOSED, OPEN

T = TypeVar("T")


@dataclass(frozen=True)
class Posted:
    post: PostView
    created: bool  # False when a retry found the original


async def _check_open(uow: UnitOfWork, session_id: int) -> None:
    await lock_session(uow, session_id)
    state = state_of(await periods_of(uow, session_id), utcnow())
    if state == CLOSED:
        raise Conflict("The session is closed: no more contributions.", code="session_closed")
    if state != OPEN:
        raise Conflict("The session is not open yet.", code="session_not_open")


async def _existing(uow: UnitOfWork, actor: Actor, client_id: str | None) -> Post | None:
    if client_id is None or actor.user_id is None:
        return None
    post: Post | None = await uow.session.scalar(
        select(Post).where(Post.author_id == actor.user_id, Post.client_id == client_id)
    )
    return post


async def _check_same_post(
    uow: UnitOfWork, existing: Post, thread_id: int, data: PostCreate
) -> None:
    """A retry must ask for the very post its client_id made (as first written: it may
    have been edited since); anything else is a client reusing ids, refused."""
    first_text = await uow.session.scalar(
        select(PostVersion.body)
        .where(PostVersion.post_id == existing.id)
        .order_by(PostVersion.id)
        .limit(1)
    )
    if (
        existing.thread_id != thread_id
        or existing.parent_id != data.parent_id
        or (first_text if first_text is not None else existing.body) != data.body
    ):
        raise _client_id_reused()


def _client_id_reused() -> Conflict:
    return Conflict("This client_id was used for another post.", code="client_id_reused")


async def create_post(
    db: Database, actor: Actor, thread_id: int, data: PostCreate, *, client: str | None = None
) -> Posted:
    """A post (or reply) in a thread, published or held for review (`status` says which).
    `client` is the caller's network address, which counts a guest's contributions.
    Raises NotFound, Unauthorized/Forbidden (code `suspended` with the reason and the
    end for a suspended user), Conflict session_closed / session_not_open /
    thread_locked, Invalid parent_id / guest_name / guest_email, RateLimited (with
    retry_after) when posting too often or when the review queue is full.
    A retry with the same client_id returns the original post."""
    await _check_rate_early(db, actor, client)
    html = await render_markdown_off_loop(data.body)

    async def write() -> Posted:
        async with db.write() as uow:
            thread, access = await load_thread(uow.session, actor, thread_id)
            return await _create_post(uow, access, thread, data, html, client)

    return await _once_per_client_id(write)


async def _once_per_client_id(write: Callable[[], Awaitable[T]]) -> T:
    try:
        return await write()
    except IntegrityError:
        # Two retries raced past the lookup; the unique (author, client_id) kept one,
        # which the lookup finds this time.
        return await write()


async def _check_rate_early(db: Database, actor: Actor, client: str | None) -> None:
    """Refuses a flood before spending time on its Markdown; the check that counts is
    repeated inside the write transaction."""
    if actor.is_secretariat:
        return
    async with db.read() as session:
        await admission.check_rate(session, *admission.rate_limit_for(actor.user_id, client))


async def _check_may_post(
    uow: UnitOfWork, access: SessionAccess, data: PostCreate
) -> admission.Guest | None:
    """The guest posting, or None for a user; raises unless they may post here."""
    actor = access.actor
    if actor.user_id is None:
        await admission.check_guest_may_post(uow.session, access)
        return admission.guest_from(data.guest_name, data.guest_email)
    if data.guest_name is not None or data.guest_email is not None:
        raise Invalid("guest_name: only for posting without an account.", field="guest_name")
    access.check_may_post()
    await admission.check_not_suspended(uow.session, actor.user_id, access.space.space_id)
    return None


async def _create_post(
    uow: UnitOfWork,
    access: SessionAccess,
    thread: Thread,
    data: PostCreate,
    html: str,
    client: str | None = None,
) -> Posted:
    actor, thread_id = access.actor, thread.id
    guest = await _check_may_post(uow, access, data)
    existing = await _existing(uow, actor, data.client_id)
    if existing is not None:
        await _check_same_post(uow, existing, thread_id, data)
        return Posted(await _view(uow, existing, access), created=False)
    await _check_open(uow, thread.session_id)
    if thread.locked:
        raise Conflict("The thread is locked.", code="thread_locked")
    # Moderators steer the discussion (welcomes, summaries, answers): never throttled.
    counted = not access.can_moderate
    rate_key, rate_limit = admission.rate_limit_for(actor.user_id, client)
    if counted:
        await admission.check_rate(uow.session, rate_key, rate_limit)
    if guest is not None:
        await admission.check_queue_not_full(uow.session, access.space.space_id)
    depth = 0
    if data.parent_id is not None:
        parent = await uow.session.get(Post, data.parent_id)
        if parent is None or parent.thread_id != thread_id or parent.status != "published":
            raise Invalid("parent_id: no such post in this thread.", field="parent_id")
        depth = parent.depth + 1
    held = await admission.holds_for_review(uow.session, access, guest is not None)
    now = utcnow()
    post = Post(
        thread_id=thread_id,
        session_id=thread.session_id,
        parent_id=data.parent_id,
        depth=depth,
        author_id=actor.user_id,
        guest_name=guest.name if guest else None,
        guest_email=guest.email if guest else None,
        body=data.body,
        html=html,
        status="pending" if held else "published",
        client_id=data.client_id,
        created_at=now,
    )
    uow.session.add(post)
    if counted:
        await admission.count_post(uow.session, rate_key)
    if not held:
        count_published(thread, now)
    await uow.flush()
    view = await _view(uow, post, access)
    # A held post reaches only its author and the moderators (live delivery checks
    # every post event's status against the policy); readers get it on approval.
    await emit_post(uow, "post.held" if held else "post.created", post)
    return Posted(view, created=True)


def count_published(thread: Thread, at: datetime) -> None:
    """A contribution became visible to readers: it counts in the thread's totals."""
    thread.post_count += 1
    if thread.last_post_at is None or thread.last_post_at < at:
        thread.last_post_at = at


async def _view(uow: UnitOfWork, post: Post, access: SessionAccess) -> PostView:
    return await load_post_view(uow.session, post, moderator=access.can_moderate)


async def emit_post(uow: UnitOfWork, type: str, post: Post) -> None:
    """The event carries the post as every reader sees it (never a moderator's view)."""
    forum_session = await uow.session.get(ForumSession, post.session_id)
    uow.emit(
        type,
        (await load_post_view(uow.session, post)).as_json(),
        space_id=forum_session.space_id if forum_session else None,
        session_id=post.session_id,
        thread_id=post.thread_id,
    )


async def create_thread(
    db: Database, actor: Actor, session_id: int, data: ThreadCreate
) -> tuple[int, Posted]:
    """A participant's own topic, where the session allows it: the thread and its
    first post, in one transaction. A retry with the same client_id returns the topic
    it made (`Posted.created` False)."""
    html = await render_markdown_off_loop(data.body)

    async def write() -> tuple[int, Posted]:
        async with db.write() as uow:
            forum_session, access = await load_session(uow.session, actor, session_id)
            access.check_may_post()
            if not forum_session.participant_topics and not access.can_moderate:
                raise Forbidden("This session does not take new topics from participants.")
            existing = await _existing(uow, actor, data.client_id)
            if existing is not None:
                return await _retried_topic(uow, access, existing, data)
            await _check_open(uow, session_id)
            thread = Thread(session_id=session_id, title=data.title, author_id=actor.user_id)
            uow.session.add(thread)
            await uow.flush()
            first = PostCreate(body=data.body, client_id=data.client_id)
            posted = await _create_post(uow, access, thread, first, html)
            if posted.post.status == "published":  # a held one is announced on approval
                emit_thread_created(uow, thread, forum_session.space_id)
            return thread.id, posted

    return await _once_per_client_id(write)


async def _retried_topic(
    uow: UnitOfWork, access: SessionAccess, existing: Post, data: ThreadCreate
) -> tuple[int, Posted]:
    """The topic a client_id made, asked for again; client_id_reused if it is not."""
    thread = await uow.session.get(Thread, existing.thread_id)
    first_post = await uow.session.scalar(
        select(Post.id).where(Post.thread_id == existing.thread_id).order_by(Post.id)
    )
    opened_it = (  # the post that opened this very topic, not a reply
        thread is not None
        and thread.session_id == access.session_id
        and thread.title == data.title
        and first_post == existing.id
    )
    if thread is None or not opened_it:
        raise _client_id_reused()
    await _check_same_post(uow, existing, thread.id, PostCreate(body=data.body))
    return thread.id, Posted(await _view(uow, existing, access), created=False)


def emit_thread_created(uow: UnitOfWork, thread: Thread, space_id: int) -> None:
    """Announces a topic, once its opening post is published (the title is public then)."""
    uow.emit(
        "thread.created",
        {"id": thread.id, "title": thread.title, "session_id": thread.session_id},
        space_id=space_id,
        session_id=thread.session_id,
        thread_id=thread.id,
    )


async def edit_post(
    db: Database, actor: Actor, post_id: int, data: PostEdit, *, edit_window: timedelta
) -> PostView:
    """A new text for a post: its author within the edit window, or a moderator.
    The earlier text is kept as a version for moderators."""
    html = await render_markdown_off_loop(data.body)
    async with db.write() as uow:
        post, access = await load_post(uow.session, actor, post_id)
        is_author = actor.user_id is not None and post.author_id == actor.user_id
        if not access.can_moderate:
            if not is_author:
                raise Forbidden("Only the author or a moderator can edit this post.")
            if utcnow() - post.created_at > edit_window:
                raise Conflict(
                    "The time for editing this post has passed.", code="edit_window_closed"
                )
            if post.status == "hidden":
                raise Forbidden("A hidden post cannot be edited.")
            await admission.check_not_suspended(
                uow.session, post.author_id or 0, access.space.space_id
            )
            await _check_open(uow, post.session_id)
        if post.status == "rejected":
            raise NotFound("No such post.")
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
        await uow.flush()
        view = await _view(uow, post, access)
        await emit_post(uow, "post.edited", post)
        return view
