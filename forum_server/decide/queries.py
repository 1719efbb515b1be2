"""Reads of reactions and polls for pages, the API and reports, through the policy."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, null, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import User
from forum_server.decide.ballots import voter_key
from forum_server.decide.labels import POSITION_LABELS
from forum_server.decide.models import Poll, PollBallot, PollVoter, Reaction
from forum_server.decide.schemas import POSITIONS, PROPOSAL, REACTION_KINDS
from forum_server.decide.views import MyVote, OptionResult, PollView, ReactionsView, Reason
from forum_server.errors import NotFound
from forum_server.i18n import gettext
from forum_server.orm import utcnow
from forum_server.policy import (
    ANONYMOUS,
    Actor,
    SessionAccess,
    SpaceAccess,
    check_may_create_poll,
    load_poll,
    load_post,
    load_session,
    load_thread,
    may_close_poll,
    may_create_poll,
    may_see_results,
    may_see_voters,
    may_vote,
    may_write_outcome,
    visible_threads_clause,
)
from forum_server.rooms.models import Thread
from forum_server.rooms.state import PUBLISHED

# --- reactions ---------------------------------------------------------------------


async def reactions_for_posts(
    session: AsyncSession, actor: Actor, post_ids: Iterable[int]
) -> dict[int, ReactionsView]:
    """The reactions of posts the caller already loaded through the policy (a thread
    page's), counted in one query."""
    ids = list(post_ids)
    if not ids:
        return {}
    counts: dict[int, dict[str, int]] = {}
    rows = await session.execute(
        select(Reaction.post_id, Reaction.kind, func.count())
        .where(Reaction.post_id.in_(ids))
        .group_by(Reaction.post_id, Reaction.kind)
    )
    for post_id, kind, count in rows:
        counts.setdefault(post_id, {})[kind] = count
    mine: dict[int, set[str]] = {}
    if actor.user_id is not None:
        own = await session.execute(
            select(Reaction.post_id, Reaction.kind).where(
                Reaction.post_id.in_(ids), Reaction.user_id == actor.user_id
            )
        )
        for post_id, kind in own:
            mine.setdefault(post_id, set()).add(kind)
    return {
        post_id: ReactionsView(post_id, counts.get(post_id, {}), frozenset(mine.get(post_id, ())))
        for post_id in ids
    }


async def post_reactions(
    session: AsyncSession, actor: Actor, post_id: int, *, people: bool = False
) -> ReactionsView:
    """A post's reactions (with who reacted, where asked) for whoever may see the post;
    a hidden post's are for its session's moderators only."""
    post, access = await load_post(session, actor, post_id)
    if post.status != PUBLISHED and not access.can_moderate:
        raise NotFound("No such post.")
    view = (await reactions_for_posts(session, actor, [post_id]))[post_id]
    if not people:
        return view
    names: dict[str, list[str]] = {kind: [] for kind in REACTION_KINDS}
    rows = await session.execute(
        select(Reaction.kind, User.display_name)
        .join(User, User.id == Reaction.user_id)
        .where(Reaction.post_id == post_id)
        .order_by(Reaction.id)
    )
    for kind, name in rows:
        names.setdefault(kind, []).append(name)
    return ReactionsView(view.post_id, view.counts, view.mine, names)


async def reaction_counts(session: AsyncSession, post_id: int) -> dict[str, int]:
    rows = await session.execute(
        select(Reaction.kind, func.count())
        .where(Reaction.post_id == post_id)
        .group_by(Reaction.kind)
    )
    return {kind: count for kind, count in rows}


# --- polls -------------------------------------------------------------------------


def is_open(poll: Poll, now: datetime) -> bool:
    return poll.closed_at is None and (poll.closes_at is None or now < poll.closes_at)


def closed_at(poll: Poll, now: datetime) -> datetime | None:
    """When it closed: by hand, or at its closing time once that has passed."""
    if poll.closed_at is not None:
        return poll.closed_at
    if poll.closes_at is not None and poll.closes_at <= now:
        return poll.closes_at
    return None


def option_labels(poll: Poll) -> tuple[str, ...]:
    if poll.kind == PROPOSAL:
        return ()
    labels: list[str] = json.loads(poll.options)
    return tuple(labels)


async def poll_view(
    session: AsyncSession, poll: Poll, access: SessionAccess, secret: str
) -> PollView:
    """A poll as this reader may see it: its counts only where the policy lets them,
    who voted what only in a named poll, their own vote to themselves."""
    now, actor = utcnow(), access.actor
    votes = await session.scalar(
        select(func.count()).select_from(PollVoter).where(PollVoter.poll_id == poll.id)
    )
    voted = False
    my_vote: MyVote | None = None
    if actor.user_id is not None:
        voted = (
            await session.get(PollVoter, {"poll_id": poll.id, "user_id": actor.user_id})
        ) is not None
        if voted and not poll.unlinked:
            key = voter_key(secret, poll.id, actor.user_id, anonymous=poll.anonymous)
            mine = await session.get(PollBallot, {"poll_id": poll.id, "voter_key": key})
            if mine is not None:
                my_vote = MyVote(tuple(json.loads(mine.choices)), mine.position, mine.reason)
    closed = closed_at(poll, now)
    results = None
    if may_see_results(poll.hide_results, voted, closed is not None):
        results = await _results(session, poll)
    creator = await session.get(User, poll.created_by) if poll.created_by else None
    open_now = is_open(poll, now)
    return PollView(
        id=poll.id,
        session_id=poll.session_id,
        thread_id=poll.thread_id,
        kind=poll.kind,
        title=poll.title,
        details=poll.details,
        options=option_labels(poll),
        anonymous=poll.anonymous,
        hide_results=poll.hide_results,
        closes_at=poll.closes_at,
        closed_at=closed,
        is_open=open_now,
        created_by=creator.display_name if creator else None,
        votes=votes or 0,
        voted=voted,
        my_vote=my_vote,
        results=results,
        outcome=poll.outcome,
        outcome_at=poll.outcome_at,
        may_vote=open_now and may_vote(access),
        may_close=open_now and may_close_poll(access, poll.created_by),
        may_write_outcome=not open_now and may_write_outcome(access),
    )


async def _results(session: AsyncSession, poll: Poll) -> tuple[OptionResult, ...]:
    """Counts per option (or position), with voters' names and reasons where the poll
    is named; an anonymous poll's ballots are read without any name beside them."""
    named = may_see_voters(poll.anonymous)
    query = select(PollBallot.choices, PollBallot.position, PollBallot.reason, User.display_name)
    if named:
        query = query.outerjoin(User, User.id == PollBallot.user_id)
    else:
        query = select(PollBallot.choices, PollBallot.position, PollBallot.reason, null())
    # A stable order that says nothing of who voted when.
    query = query.where(PollBallot.poll_id == poll.id).order_by(PollBallot.voter_key)
    keys = (
        list(POSITIONS)
        if poll.kind == PROPOSAL
        else [str(i) for i in range(len(option_labels(poll)))]
    )
    counts = {key: 0 for key in keys}
    voters: dict[str, list[str]] = {key: [] for key in keys}
    reasons: dict[str, list[Reason]] = {key: [] for key in keys}
    for choices, position, reason, name in await session.execute(query):
        chosen = [position] if poll.kind == PROPOSAL else [str(c) for c in json.loads(choices)]
        for key in chosen:
            if key not in counts:
                continue
            counts[key] += 1
            if named and name is not None:
                voters[key].append(name)
            if reason:
                reasons[key].append(Reason(name if named else None, reason))
    labels = option_labels(poll)
    return tuple(
        OptionResult(
            key=key,
            label=gettext(POSITION_LABELS[key]) if poll.kind == PROPOSAL else labels[int(key)],
            count=counts[key],
            voters=tuple(sorted(voters[key], key=str.casefold)),
            reasons=tuple(reasons[key]),
        )
        for key in keys
    )


async def poll_detail(session: AsyncSession, actor: Actor, poll_id: int, secret: str) -> PollView:
    poll, access = await load_poll(session, actor, poll_id)
    return await poll_view(session, poll, access, secret)


async def polls_in(
    session: AsyncSession,
    access: SessionAccess,
    secret: str,
    *,
    thread_id: int | None = None,
) -> list[PollView]:
    """The polls of a thread the caller loaded through the policy, or (thread_id None)
    those of its session shown on the session's page, oldest first."""
    where = Poll.thread_id == thread_id if thread_id is not None else Poll.thread_id.is_(None)
    polls = await session.scalars(
        select(Poll).where(Poll.session_id == access.session_id, where).order_by(Poll.id)
    )
    return [await poll_view(session, poll, access, secret) for poll in polls]


async def polls_of_session(
    session: AsyncSession, actor: Actor, session_id: int, secret: str
) -> list[PollView]:
    """Every poll of a session the caller may see: those on the session, and those in
    the threads the caller may see, oldest first."""
    _, access = await load_session(session, actor, session_id)
    shown_threads = select(Thread.id).where(
        Thread.session_id == session_id, visible_threads_clause(access)
    )
    polls = await session.scalars(
        select(Poll)
        .where(
            Poll.session_id == session_id,
            or_(Poll.thread_id.is_(None), Poll.thread_id.in_(shown_threads)),
        )
        .order_by(Poll.id)
    )
    return [await poll_view(session, poll, access, secret) for poll in polls]


async def reaction_thread(session: AsyncSession, actor: Actor, post_id: int) -> int:
    """The thread of a post the caller may see (where a reaction form goes back to)."""
    post, _ = await load_post(session, actor, post_id)
    return post.thread_id


async def poll_form_session(session: AsyncSession, actor: Actor, session_id: int) -> str:
    """The title of a session in which the caller may start a poll; raises as the policy
    does where they may not."""
    forum_session, access = await load_session(session, actor, session_id)
    check_may_create_poll(access)
    return forum_session.title


@dataclass(frozen=True)
class PollsHere:
    """The polls a thread's or a session's page shows, and whether its reader may
    start one there."""

    polls: list[PollView]
    may_start: bool


async def polls_on_page(
    session: AsyncSession,
    actor: Actor,
    secret: str,
    *,
    session_id: int | None = None,
    thread_id: int | None = None,
) -> PollsHere:
    """A thread's polls (thread_id), or those on its session's own page (session_id)."""
    if thread_id is not None:
        _, access = await load_thread(session, actor, thread_id)
    else:
        assert session_id is not None
        _, access = await load_session(session, actor, session_id)
    found = await polls_in(session, access, secret, thread_id=thread_id)
    return PollsHere(found, may_create_poll(access))


async def reaction_tallies(
    session: AsyncSession, post_ids: Iterable[int]
) -> dict[int, tuple[tuple[str, int], ...]]:
    """(kind, count) of each post's reactions in the fixed order of kinds, for posts
    the caller already chose through the policy (a report's)."""
    ids = list(post_ids)
    if not ids:
        return {}
    by_post: dict[int, dict[str, int]] = {}
    rows = await session.execute(
        select(Reaction.post_id, Reaction.kind, func.count())
        .where(Reaction.post_id.in_(ids))
        .group_by(Reaction.post_id, Reaction.kind)
    )
    for post_id, kind, count in rows:
        by_post.setdefault(post_id, {})[kind] = count
    return {
        post_id: tuple((kind, counts[kind]) for kind in REACTION_KINDS if kind in counts)
        for post_id, counts in by_post.items()
    }


async def every_readers_poll(
    session: AsyncSession, poll_id: int, visibility: str
) -> PollView | None:
    """A poll as any reader of its space sees it without having voted (the view a
    webhook carries); None if it is gone."""
    poll = await session.get(Poll, poll_id)
    if poll is None:
        return None
    space = SpaceAccess(actor=ANONYMOUS, space_id=0, visibility=visibility, role=None)
    access = SessionAccess(space, poll.session_id, frozenset(), posting="signed_in")
    return await poll_view(session, poll, access, secret="")
