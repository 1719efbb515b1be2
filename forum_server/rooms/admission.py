"""Who may contribute right now, and whether a contribution waits for a moderator.

The post write path calls these inside its transaction: suspensions, rate limits per
guest address and per account, the cap on the review queue, and the space's rules
for holding contributions (guests' by default, new accounts' first N where set).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from babel.support import LazyProxy
from pydantic import EmailStr, TypeAdapter, ValidationError
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.errors import Forbidden, Invalid, RateLimited, Unauthorized
from forum_server.i18n import format_datetime
from forum_server.orm import utcnow
from forum_server.policy import SessionAccess, check_may_post_as_guest
from forum_server.rooms.models import (
    ForumSession,
    ModerationSettings,
    Post,
    PostingHit,
    Space,
    Suspension,
)
from forum_server.schemas import problem_text
from forum_server.text import clean_line
from forum_server.throttle import Limit, add_hits, network_of, wait_seconds

# The defaults; a space's moderators may set other counts (ModerationSettings).
GUEST_LIMIT = Limit(5, timedelta(minutes=10))  # per guest network (see network_of)
USER_LIMIT = Limit(30, timedelta(minutes=10))  # per account
# A conference: messages per participant per minute, unless its moderators set another.
DEFAULT_MESSAGE_LIMIT = 20
MESSAGE_WINDOW = timedelta(minutes=1)
WINDOW = max(GUEST_LIMIT.window, USER_LIMIT.window, MESSAGE_WINDOW)
# Beyond this many guest contributions awaiting review in a space, guests wait: a flood
# from many addresses cannot bury the queue moderators work through.
MAX_PENDING_GUEST_POSTS = 500
# And one network's share of that: a single network (an IPv6 /64 hands one client
# 2^64 addresses) fills its own share, never the whole queue.
MAX_PENDING_PER_NETWORK = 50
QUEUE_FULL_RETRY_SECONDS = 600

_EMAIL = TypeAdapter(EmailStr)


@dataclass(frozen=True)
class Guest:
    """Someone contributing without an account."""

    name: str
    email: str | None  # for the moderators' records only: never shown or sent anywhere


def guest_from(name: str | None, email: str | None) -> Guest:
    """The guest's cleaned name and checked e-mail address; raises Invalid naming the field."""
    if name is None:
        raise Invalid(
            "guest_name: a name is required to post without an account.", field="guest_name"
        )
    try:
        cleaned = clean_line(name, max_length=80)
    except ValueError as exc:
        raise Invalid(
            "%(field)s: %(problem)s",
            field="guest_name",
            params={
                "field": "guest_name",
                "problem": LazyProxy(problem_text, exc, enable_cache=False),
            },
        ) from None
    address = None
    if email:
        try:
            address = _EMAIL.validate_python(email.strip()).lower()
        except ValidationError:
            raise Invalid(
                "guest_email: this is not a valid e-mail address.", field="guest_email"
            ) from None
    return Guest(cleaned, address)


def rate_limit_for(
    user_id: int | None, client: str | None, settings: ModerationSettings | None = None
) -> tuple[str, Limit]:
    """Who is counted (the account, or the guest's network) and at what limit: the
    space's own counts where its moderators set them, else the defaults."""
    if user_id is not None:
        count = settings.account_post_limit if settings is not None else None
        return f"user:{user_id}", Limit(count or USER_LIMIT.count, USER_LIMIT.window)
    count = settings.guest_post_limit if settings is not None else None
    return f"guest:{network_of(client)}", Limit(count or GUEST_LIMIT.count, GUEST_LIMIT.window)


def conference_rate_limit_for(
    forum_session: ForumSession, user_id: int | None, client: str | None
) -> tuple[str, Limit]:
    """A conference counts each participant's messages in that session, per minute,
    at the limit its moderators set (conversation is faster than a forum): this
    replaces the space's posting limit there."""
    who = f"user:{user_id}" if user_id is not None else f"guest:{network_of(client)}"
    count = forum_session.message_limit or DEFAULT_MESSAGE_LIMIT
    return f"conference:{forum_session.id}:{who}", Limit(count, MESSAGE_WINDOW)


async def settings_for(session: AsyncSession, space_id: int) -> ModerationSettings:
    """The space's moderation settings (the defaults where none were saved)."""
    found = await session.get(ModerationSettings, space_id)
    if found is None:
        return ModerationSettings(
            space_id=space_id,
            hold_first_posts=0,
            hold_guest_posts=True,
            account_post_limit=None,
            guest_post_limit=None,
        )
    return found


async def check_guest_may_post(session: AsyncSession, access: SessionAccess) -> None:
    """Guests post only in open forums, and never where a session is for members."""
    space = await session.get(Space, access.space.space_id)
    forum_session = await session.get(ForumSession, access.session_id)
    if space is None or forum_session is None:
        raise Unauthorized("Sign in to take part.")
    check_may_post_as_guest(space.guest_posting, forum_session.posting)


async def active_suspension(
    session: AsyncSession, user_id: int, space_id: int | None
) -> Suspension | None:
    """The suspension keeping the user from posting in the space (or anywhere), if any;
    the one lasting longest when there are several."""
    now = utcnow()
    places: list[ColumnElement[bool]] = [Suspension.space_id.is_(None)]
    if space_id is not None:
        places.append(Suspension.space_id == space_id)
    rows = await session.scalars(
        select(Suspension).where(
            Suspension.user_id == user_id,
            Suspension.lifted_at.is_(None),
            or_(Suspension.until.is_(None), Suspension.until > now),
            or_(*places),
        )
    )
    found = list(rows)
    if not found:
        return None
    return next((s for s in found if s.until is None), None) or max(
        found, key=lambda s: s.until or now
    )


async def check_not_suspended(session: AsyncSession, user_id: int, space_id: int) -> None:
    """Raises Forbidden `suspended`, with the reason and the end, for a suspended user."""
    suspension = await active_suspension(session, user_id, space_id)
    if suspension is None:
        return
    params: dict[str, object] = {"reason": suspension.reason}
    if suspension.until is not None:
        # Written out when shown, in the reader's language and time zone.
        params["until"] = LazyProxy(format_datetime, suspension.until, enable_cache=False)
        if suspension.space_id is None:
            raise Forbidden(
                "You are suspended from posting anywhere on this site until %(until)s. "
                "Reason: %(reason)s",
                code="suspended",
                params=params,
            )
        raise Forbidden(
            "You are suspended from posting in this space until %(until)s. Reason: %(reason)s",
            code="suspended",
            params=params,
        )
    if suspension.space_id is None:
        raise Forbidden(
            "You are suspended from posting anywhere on this site until a moderator lifts "
            "the suspension. Reason: %(reason)s",
            code="suspended",
            params=params,
        )
    raise Forbidden(
        "You are suspended from posting in this space until a moderator lifts the "
        "suspension. Reason: %(reason)s",
        code="suspended",
        params=params,
    )


async def check_rate(session: AsyncSession, key: str, limit: Limit) -> None:
    """Raises RateLimited, with the seconds to wait, once `key` reached its limit."""
    wait = await wait_seconds(session, PostingHit, [key], limit)
    if wait is None:
        return
    if limit.window == MESSAGE_WINDOW:
        raise RateLimited(
            "You are sending messages too quickly; please wait a moment.",
            retry_after=wait,
        )
    raise RateLimited("You are posting too often; please wait a few minutes.", retry_after=wait)


async def check_queue_not_full(session: AsyncSession, space_id: int, network: str) -> None:
    """Raises RateLimited when the space already has MAX_PENDING_GUEST_POSTS guest
    contributions awaiting review, or the guest's network its share of them."""
    pending_guest_posts = (
        select(func.count())
        .select_from(Post)
        .join(ForumSession, ForumSession.id == Post.session_id)
        .where(
            ForumSession.space_id == space_id,
            Post.status == "pending",
            Post.author_id.is_(None),
        )
    )
    own = await session.scalar(pending_guest_posts.where(Post.guest_network == network))
    if (own or 0) < MAX_PENDING_PER_NETWORK:
        pending = await session.scalar(pending_guest_posts)
        if (pending or 0) < MAX_PENDING_GUEST_POSTS:
            return
    raise RateLimited(
        "Many contributions are waiting for review; please try again later.",
        code="queue_full",
        retry_after=QUEUE_FULL_RETRY_SECONDS,
    )


async def count_post(session: AsyncSession, key: str) -> None:
    await add_hits(session, PostingHit, [key], WINDOW)


async def holds_for_review(
    session: AsyncSession,
    access: SessionAccess,
    guest: bool,
    settings: ModerationSettings | None = None,
) -> bool:
    """Whether a new contribution waits for a moderator: guests' where the space holds
    them (the default), an account's first N in the space where the space says so.
    Moderators are never held. `settings`: the space's, when the caller has read them
    in this transaction."""
    if access.can_moderate:
        return False
    if settings is None:
        settings = await settings_for(session, access.space.space_id)
    if guest:
        return settings.hold_guest_posts
    if settings.hold_first_posts <= 0 or access.actor.user_id is None:
        return False
    accepted = await session.scalar(
        select(func.count())
        .select_from(Post)
        .join(ForumSession, ForumSession.id == Post.session_id)
        .where(
            ForumSession.space_id == access.space.space_id,
            Post.author_id == access.actor.user_id,
            Post.status.in_(("published", "hidden")),
        )
    )
    return (accepted or 0) < settings.hold_first_posts
