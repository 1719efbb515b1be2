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
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import User
from forum_server.consent.acceptance import check_contribution
from forum_server.db import Database, UnitOfWork
from forum_server.errors import Conflict, Invalid, NotFound
from forum_server.orm import utcnow
from forum_server.policy import (
    Actor,
    SessionAccess,
    check_may_start_topic,
    load_session,
    load_thread,
)
from forum_server.rooms import admission
from forum_server.rooms.mentions import render_with_mentions, rendered_again_if_changed
from forum_server.rooms.models import (
    ForumSession,
    ModerationSettings,
    Post,
    PostVersion,
    SessionPeriod,
    Thread,
)
from forum_server.rooms.posts_view import PostView, load_post_view, post_view
from forum_server.rooms.schemas import PostCreate, ThreadCreate
from forum_server.rooms.sessions import lock_session, state_of
from forum_server.rooms.state import CLOSED, CONFERENCE, OPEN
from forum_server.search.index import index_post, index_topic
from forum_server.throttle import lock_keys

T = TypeVar("T")


@dataclass(frozen=True)
class Posted:
    post: PostView
    created: bool  # False when a retry found the original


# A caller's own step inside the write transaction, given what it wrote (or the
# original a retry found): it commits with the post or not at all. Mail replies mark
# the message they came in as done this way.
AlsoInTransaction = Callable[[UnitOfWork, Posted], Awaitable[None]]


async def check_open(session: AsyncSession, session_id: int) -> None:
    periods = await session.scalars(
        select(SessionPeriod)
        .where(SessionPeriod.session_id == session_id)
        .order_by(SessionPeriod.id)
    )
    state = state_of(list(periods), utcnow())
    if state == CLOSED:
        raise Conflict("The session is closed: no more contributions.", code="session_closed")
    if state != OPEN:
        raise Conflict("The session is not open yet.", code="session_not_open")


async def _existing(session: AsyncSession, actor: Actor, client_id: str | None) -> Post | None:
    if client_id is None or actor.user_id is None:
        return None
    post: Post | None = await session.scalar(
        select(Post).where(Post.author_id == actor.user_id, Post.client_id == client_id)
    )
    return post


async def _check_same_post(
    session: AsyncSession, existing: Post, thread_id: int, data: PostCreate
) -> None:
    """A retry must ask for the very post its client_id made (as first written: it may
    have been edited since); anything else is a client reusing ids, refused."""
    first_text = await session.scalar(
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


def render_lane(actor: Actor) -> str:
    return "guest" if actor.user_id is None else "default"


async def create_post(
    db: Database,
    actor: Actor,
    thread_id: int,
    data: PostCreate,
    *,
    client: str | None = None,
    also: AlsoInTransaction | None = None,
) -> Posted:
    """A post (or reply) in a thread, published or held for review (`status` says which).
    `client` is the caller's network address, which counts a guest's contributions.
    Raises NotFound, Unauthorized/Forbidden (code `suspended` with the reason and the
    end for a suspended user), Conflict session_closed / session_not_open /
    thread_locked, Invalid parent_id / guest_name / guest_email, RateLimited (with
    retry_after) when posting too often or when the review queue is full.
    A retry with the same client_id returns the original post, even past the limit.

    Every rule is checked in a read before the Markdown is rendered (rendering is
    the costly part: a refused request costs a few queries), and every one that
    depends on state again, as the rule that counts, inside the write transaction
    (the right to post is decided once, before). `also` runs in that transaction."""

    lane = render_lane(actor)
    async with db.read(inline=True) as session:
        thread, access = await load_thread(session, actor, thread_id)
        early = await _admit(session, None, access, thread, data, client)
        if isinstance(early, Posted) and also is None:
            return early
        rendered = await render_with_mentions(session, thread.session_id, data.body, lane=lane)

    async def write(uow: UnitOfWork) -> Posted:
        # Who posts and their right to post here were decided above; what may have
        # changed since (the thread, the session's state, suspensions, limits, a retry,
        # the terms) is checked again, as the rule that counts.
        # The thread with its session, in one statement: the rate limit, the mentions
        # and the event find the session in memory.
        found = (
            await uow.session.execute(
                select(Thread, ForumSession)
                .join(ForumSession, ForumSession.id == Thread.session_id)
                .where(Thread.id == thread_id)
            )
        ).first()
        if found is None:
            raise NotFound("No such thread.")
        thread, forum_session = found
        uow.keep(forum_session)
        admitted = await _admit(uow.session, uow, access, thread, data, client)
        if not isinstance(admitted, Posted):
            html = await rendered_again_if_changed(
                uow.session, thread.session_id, data.body, rendered, lane=lane
            )
            admitted = await _insert_post(uow, admitted, thread, data, html)
        if also is not None:
            await also(uow, admitted)
        return admitted

    return await _once_per_client_id(lambda: db.run(write))


async def _once_per_client_id(write: Callable[[], Awaitable[T]]) -> T:
    try:
        return await write()
    except IntegrityError:
        # Two retries raced past the lookup; the unique (author, client_id) kept one,
        # which the lookup finds this time.
        return await write()


@dataclass(frozen=True)
class _Admission:
    """What the checks decided about a new contribution, for writing it."""

    access: SessionAccess
    guest: admission.Guest | None
    network: str | None
    rate_key: str | None  # None: not counted (moderators)
    terms_version: int | None = None  # the space's terms accepted; None: it has none
    settings: ModerationSettings | None = None  # the space's, as read with the checks


_Admitted = _Admission | Posted


async def _check_may_post(
    session: AsyncSession, access: SessionAccess, data: PostCreate
) -> admission.Guest | None:
    """The guest posting, or None for a user; raises unless they may post here."""
    actor = access.actor
    if actor.user_id is None:
        await admission.check_guest_may_post(session, access)
        return admission.guest_from(data.guest_name, data.guest_email)
    if data.guest_name is not None or data.guest_email is not None:
        raise Invalid("guest_name: only for posting without an account.", field="guest_name")
    access.check_may_post()
    await admission.check_not_suspended(session, actor.user_id, access.space.space_id)
    return None


async def _admit(
    session: AsyncSession,
    lock: UnitOfWork | None,
    access: SessionAccess,
    thread: Thread,
    data: PostCreate,
    client: str | None,
    *,
    topic: bool = False,
) -> _Admitted:
    """Every rule for a new contribution, cheapest first: the right to post here, a
    retry of an earlier post (answered with the original, before any limit), the
    session open and the thread unlocked, the rate limit and the review queue.
    With `lock` (in the write transaction) the session's writers and the counter
    are serialized first, so that what is checked is what gets written."""
    guest = await _check_may_post(session, access, data)
    if lock is not None:
        await lock_session(lock, thread.session_id)
    if not topic:
        existing = await _existing(session, access.actor, data.client_id)
        if existing is not None:
            await _check_same_post(session, existing, thread.id, data)
            return Posted(await _view(session, existing, access), created=False)
    # Before anything is written: the participation terms accepted (with this post when
    # its form or request accepts them; recorded in the write transaction).
    terms_version = await check_contribution(
        session, access.space.space_id, access.actor, data.accept_terms, write=lock is not None
    )
    await check_open(session, thread.session_id)
    if thread.locked:
        raise Conflict("The thread is locked.", code="thread_locked")
    settings = await admission.settings_for(session, access.space.space_id)
    network = admission.network_of(client) if guest is not None else None
    rate_key = None
    # Moderators steer the discussion (welcomes, summaries, answers): never throttled.
    if not access.can_moderate:
        forum_session = await session.get(ForumSession, thread.session_id)
        if lock is not None:  # read again by the mentions and the event: from memory
            lock.keep(forum_session)
        if forum_session is not None and forum_session.format == CONFERENCE:
            rate_key, rate_limit = admission.conference_rate_limit_for(
                forum_session, access.actor.user_id, client
            )
        else:
            rate_key, rate_limit = admission.rate_limit_for(access.actor.user_id, client, settings)
        if lock is not None:
            # Counting and adding the post are one step (PostgreSQL: concurrent posts
            # by one account in other sessions would all count the same rows).
            await lock_keys(session, [rate_key])
        await admission.check_rate(session, rate_key, rate_limit)
    if network is not None:
        await admission.check_queue_not_full(session, access.space.space_id, network)
    return _Admission(access, guest, network, rate_key, terms_version, settings)


async def _insert_post(
    uow: UnitOfWork, admitted: _Admission, thread: Thread, data: PostCreate, html: str
) -> Posted:
    access, guest, thread_id = admitted.access, admitted.guest, thread.id
    depth = 0
    if data.parent_id is not None:
        parent = await uow.session.get(Post, data.parent_id)
        if parent is None or parent.thread_id != thread_id or parent.status != "published":
            raise Invalid("parent_id: no such post in this thread.", field="parent_id")
        depth = parent.depth + 1
    held = await admission.holds_for_review(
        uow.session, access, guest is not None, admitted.settings
    )
    now = utcnow()
    post = Post(
        thread_id=thread_id,
        session_id=thread.session_id,
        parent_id=data.parent_id,
        depth=depth,
        author_id=access.actor.user_id,
        guest_name=guest.name if guest else None,
        guest_email=guest.email if guest else None,
        guest_network=admitted.network,
        guest_terms_version=admitted.terms_version if guest else None,
        body=data.body,
        html=html,
        lang=data.lang,
        status="pending" if held else "published",
        client_id=data.client_id,
        created_at=now,
    )
    author = await snapshot_author(uow.session, post)
    uow.session.add(post)
    if admitted.rate_key is not None:
        await admission.count_post(uow.session, admitted.rate_key)
    if not held:
        count_published(thread, now)
    await uow.flush()
    await index_post(uow, post, new=True)
    uow.keep(post)  # the commit hooks (notifications) read it again
    # The readers' view for the event; the author's differs only where a moderator
    # sees a hidden post's text, so it is built from the same rows.
    readers = post_view(post, author)
    view = post_view(post, author, moderator=True) if access.can_moderate else readers
    # A held post reaches only its author and the moderators (live delivery checks
    # every post event's status against the policy); readers get it on approval.
    await emit_post(
        uow,
        "post.held" if held else "post.created",
        post,
        view=readers,
        space_id=access.space.space_id,
    )
    return Posted(view, created=True)


async def snapshot_author(session: AsyncSession, post: Post) -> User | None:
    """Keeps the author's country, region, affiliation and gender on the post as they
    are now, so that participation figures never change with a later profile edit.
    The author's account (None for a guest), for the post's view."""
    if post.author_id is None:
        return None
    author = await session.get(User, post.author_id)
    if author is not None:
        post.author_country, post.author_region = author.country, author.region
        post.author_affiliation, post.author_gender = author.affiliation, author.gender
    return author


def count_published(thread: Thread, at: datetime) -> None:
    """A contribution became visible to readers: it counts in the thread's totals."""
    thread.post_count += 1
    if thread.last_post_at is None or thread.last_post_at < at:
        thread.last_post_at = at


async def _view(session: AsyncSession, post: Post, access: SessionAccess) -> PostView:
    return await load_post_view(session, post, moderator=access.can_moderate)


async def emit_post(
    uow: UnitOfWork,
    type: str,
    post: Post,
    *,
    view: PostView | None = None,
    space_id: int | None = None,
) -> None:
    """The event carries the post as every reader sees it (never a moderator's view).
    `view` (that readers' view) and `space_id`, when the caller has them already."""
    if space_id is None:
        forum_session = await uow.session.get(ForumSession, post.session_id)
        space_id = forum_session.space_id if forum_session else None
    if view is None:
        view = await load_post_view(uow.session, post)
    uow.emit(
        type,
        view.as_json(),
        space_id=space_id,
        session_id=post.session_id,
        thread_id=post.thread_id,
    )


async def create_thread(
    db: Database,
    actor: Actor,
    session_id: int,
    data: ThreadCreate,
    *,
    also: AlsoInTransaction | None = None,
) -> tuple[int, Posted]:
    """A participant's own topic, where the session allows it: the thread and its
    first post, in one transaction. A retry with the same client_id returns the topic
    it made (`Posted.created` False). As for posts, every rule is checked before the
    Markdown is rendered; `also` runs in the write transaction."""
    first = PostCreate(
        body=data.body, client_id=data.client_id, lang=data.lang, accept_terms=data.accept_terms
    )

    async def admit(
        session: AsyncSession, lock: UnitOfWork | None
    ) -> tuple[ForumSession, tuple[int, Posted] | _Admission]:
        forum_session, access = await load_session(session, actor, session_id)
        check_may_start_topic(access, forum_session.participant_topics)
        if lock is not None:  # the retry is looked up once no other writer can add it
            await lock_session(lock, session_id)
        existing = await _existing(session, actor, data.client_id)
        if existing is not None:
            return forum_session, await _retried_topic(session, access, existing, data)
        # The rules of its first post, in a thread not written yet.
        unwritten = Thread(session_id=session_id, locked=False)
        admitted = await _admit(session, lock, access, unwritten, first, None, topic=True)
        assert isinstance(admitted, _Admission)
        return forum_session, admitted

    lane = render_lane(actor)
    async with db.read(inline=True) as session:
        _, early = await admit(session, None)
        if not isinstance(early, _Admission) and also is None:
            return early
        rendered = await render_with_mentions(session, session_id, data.body, lane=lane)

    async def write(uow: UnitOfWork) -> tuple[int, Posted]:
        forum_session, admitted = await admit(uow.session, uow)
        if isinstance(admitted, _Admission):
            html = await rendered_again_if_changed(
                uow.session, session_id, data.body, rendered, lane=lane
            )
            thread = Thread(session_id=session_id, title=data.title, author_id=actor.user_id)
            uow.session.add(thread)
            await uow.flush()
            posted = await _insert_post(uow, admitted, thread, first, html)
            await index_topic(uow, thread)
            if posted.post.status == "published":  # a held one is announced on approval
                emit_thread_created(uow, thread, forum_session.space_id)
            admitted = (thread.id, posted)
        if also is not None:
            await also(uow, admitted[1])
        return admitted

    return await _once_per_client_id(lambda: db.run(write))


async def _retried_topic(
    session: AsyncSession, access: SessionAccess, existing: Post, data: ThreadCreate
) -> tuple[int, Posted]:
    """The topic a client_id made, asked for again; client_id_reused if it is not."""
    thread = await session.get(Thread, existing.thread_id)
    first_post = await session.scalar(
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
    await _check_same_post(session, existing, thread.id, PostCreate(body=data.body))
    return thread.id, Posted(await _view(session, existing, access), created=False)


def emit_thread_created(uow: UnitOfWork, thread: Thread, space_id: int) -> None:
    """Announces a topic, once its opening post is published (the title is public then)."""
    uow.emit(
        "thread.created",
        {"id": thread.id, "title": thread.title, "session_id": thread.session_id},
        space_id=space_id,
        session_id=thread.session_id,
        thread_id=thread.id,
    )
