"""The write path for polls and proposals: starting one, voting (and changing one's
vote), closing, and writing the outcome. See models.py and ballots.py for how a vote
is kept, and why an anonymous one cannot be traced back."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.db import Database, UnitOfWork
from forum_server.decide.ballots import unlink, voter_key
from forum_server.decide.models import Poll, PollBallot, PollVoter
from forum_server.decide.queries import is_open, option_labels, poll_view
from forum_server.decide.schemas import (
    MULTIPLE,
    PROPOSAL,
    SINGLE,
    OutcomeInput,
    PollCreate,
    VoteInput,
)
from forum_server.decide.views import PollView
from forum_server.errors import Conflict, Invalid
from forum_server.orm import utcnow
from forum_server.policy import (
    Actor,
    check_may_close_poll,
    check_may_create_poll,
    check_may_vote,
    check_may_write_outcome,
    load_poll,
    load_session,
    load_thread,
)
from forum_server.rooms import admission
from forum_server.rooms.models import ForumSession, SessionPeriod
from forum_server.rooms.posting import check_open


async def _session_closes_at(session: AsyncSession, session_id: int) -> datetime | None:
    period = await session.scalar(
        select(SessionPeriod)
        .where(SessionPeriod.session_id == session_id)
        .order_by(SessionPeriod.id.desc())
        .limit(1)
    )
    return period.closes_at if period is not None else None


async def create_poll(
    db: Database, actor: Actor, session_id: int, data: PollCreate, *, secret: str
) -> PollView:
    """A poll or proposal in a session (on its page) or in one of its threads. It
    closes at `closes_at`, by default when the session closes. Raises NotFound,
    Unauthorized, Forbidden (only moderators, and members in a members space), Conflict
    session_closed / session_not_open, Invalid closes_at (past) or thread_id."""
    async with db.write() as uow:
        _, access = await load_session(uow.session, actor, session_id)
        check_may_create_poll(access)
        if data.thread_id is not None:
            thread, _ = await load_thread(uow.session, actor, data.thread_id)
            if thread.session_id != session_id:
                raise Invalid("thread_id: no such thread in this session.", field="thread_id")
        await check_open(uow.session, session_id)
        now = utcnow()
        closes_at = data.closes_at or await _session_closes_at(uow.session, session_id)
        if closes_at is not None and closes_at <= now:
            raise Invalid("closes_at: must be in the future.", field="closes_at")
        poll = Poll(
            session_id=session_id,
            thread_id=data.thread_id,
            kind=data.kind,
            title=data.title,
            details=data.details,
            options=json.dumps(data.options, ensure_ascii=False),
            anonymous=data.anonymous,
            hide_results=data.hide_results,
            closes_at=closes_at,
            created_at=now,
            created_by=actor.user_id,
        )
        uow.session.add(poll)
        await uow.flush()
        await _emit(uow, "poll.created", poll)
        return await poll_view(uow.session, poll, access, secret)


def _checked_vote(poll: Poll, data: VoteInput) -> tuple[list[int], str | None, str]:
    """The vote as it is kept: option numbers, or the proposal's position and reason."""
    if poll.kind == PROPOSAL:
        if data.position is None:
            raise Invalid("position: choose a position.", field="position")
        if data.choices:
            raise Invalid("choices: a proposal takes a position.", field="choices")
        return [], data.position, data.reason.strip()
    if data.position is not None or data.reason.strip():
        raise Invalid("position: only a proposal takes a position.", field="position")
    choices = sorted(set(data.choices))
    if not choices:
        raise Invalid("choices: choose an option.", field="choices")
    if poll.kind == SINGLE and len(choices) != 1:
        raise Invalid("choices: choose one option.", field="choices")
    if any(c < 0 or c >= len(option_labels(poll)) for c in choices):
        raise Invalid("choices: no such option.", field="choices")
    assert poll.kind in {SINGLE, MULTIPLE}
    return choices, None, ""


async def vote(
    db: Database, actor: Actor, poll_id: int, data: VoteInput, *, secret: str
) -> PollView:
    """The actor's vote, which replaces any earlier one of theirs: one vote a person,
    however many tabs send one at once (both rows are written with an upsert on their
    unique keys). Raises NotFound, Unauthorized (guests), Forbidden (no right to post
    there, or suspended), Conflict poll_closed / session_closed / session_not_open,
    Invalid choices / position."""
    async with db.write() as uow:
        poll, access = await load_poll(uow.session, actor, poll_id)
        check_may_vote(access)
        user_id = access.actor.user_id
        assert user_id is not None  # check_may_vote let only accounts through
        await admission.check_not_suspended(uow.session, user_id, access.space.space_id)
        await _lock(uow, poll)
        if not is_open(poll, utcnow()):
            raise Conflict("This poll is closed: no more votes.", code="poll_closed")
        await check_open(uow.session, poll.session_id)
        choices, position, reason = _checked_vote(poll, data)
        insert = postgresql.insert if uow.dialect == "postgresql" else sqlite.insert
        await uow.session.execute(
            insert(PollVoter)
            .values(poll_id=poll.id, user_id=user_id)
            .on_conflict_do_nothing(index_elements=["poll_id", "user_id"])
        )
        ballot = {
            "choices": json.dumps(choices),
            "position": position,
            "reason": reason,
        }
        key = voter_key(secret, poll.id, user_id, anonymous=poll.anonymous)
        await uow.session.execute(
            insert(PollBallot)
            .values(
                poll_id=poll.id,
                voter_key=key,
                user_id=None if poll.anonymous else user_id,
                **ballot,
            )
            .on_conflict_do_update(index_elements=["poll_id", "voter_key"], set_=ballot)
        )
        await _emit(uow, "poll.voted", poll)
        return await poll_view(uow.session, poll, access, secret)


async def close_poll(db: Database, actor: Actor, poll_id: int, *, secret: str) -> PollView:
    """Closes a poll now (its moderators, whoever started it). Raises NotFound,
    Unauthorized, Forbidden, Conflict poll_closed."""
    async with db.write() as uow:
        poll, access = await load_poll(uow.session, actor, poll_id)
        check_may_close_poll(access, poll.created_by)
        await _lock(uow, poll)
        now = utcnow()
        if not is_open(poll, now):
            raise Conflict("This poll is closed: no more votes.", code="poll_closed")
        await _close(uow, poll, now)
        return await poll_view(uow.session, poll, access, secret)


async def _lock(uow: UnitOfWork, poll: Poll) -> None:
    """Serialize votes and closing on one poll (PostgreSQL; SQLite has one writer), so a
    vote never lands after the close that unlinked the ballots, and is read afresh."""
    if uow.dialect == "postgresql":
        await uow.session.refresh(poll, with_for_update=True)


async def _close(uow: UnitOfWork, poll: Poll, at: datetime) -> None:
    """Marks it closed (once, whichever process or person gets there first), unlinks
    anonymous ballots and announces it."""
    done = await uow.session.execute(
        update(Poll).where(Poll.id == poll.id, Poll.closed_at.is_(None)).values(closed_at=at)
    )
    if getattr(done, "rowcount", 0) != 1:
        return
    poll.closed_at = at
    await unlink(uow.session, poll)
    await _emit(uow, "poll.closed", poll)


async def close_due_polls(db: Database) -> int:
    """Closes the polls whose time has come (the scheduler's pass); how many."""
    now = utcnow()
    async with db.read() as session:
        due = (
            await session.scalars(
                select(Poll.id).where(Poll.closed_at.is_(None), Poll.closes_at <= now).limit(100)
            )
        ).all()
    if not due:
        return 0
    async with db.write() as uow:
        for poll_id in due:
            poll = await uow.session.get(Poll, poll_id)
            if poll is not None:
                await _lock(uow, poll)
            if poll is not None and poll.closed_at is None and poll.closes_at is not None:
                await _close(uow, poll, poll.closes_at)
    return len(due)


async def write_outcome(
    db: Database, actor: Actor, poll_id: int, data: OutcomeInput, *, secret: str
) -> PollView:
    """The outcome of a closed poll or proposal, in the moderator's words (written again
    to correct it); it goes into the session's report. Raises NotFound, Unauthorized,
    Forbidden (moderators only), Conflict poll_open."""
    async with db.write() as uow:
        poll, access = await load_poll(uow.session, actor, poll_id)
        check_may_write_outcome(access)
        await _lock(uow, poll)
        now = utcnow()
        if is_open(poll, now):
            raise Conflict("Close the poll before writing its outcome.", code="poll_open")
        if poll.closed_at is None:  # closed by its time, before the scheduler's pass
            await _close(uow, poll, poll.closes_at or now)
        poll.outcome = data.outcome.strip()
        poll.outcome_at = now
        await _emit(uow, "poll.outcome", poll)
        return await poll_view(uow.session, poll, access, secret)


async def _emit(uow: UnitOfWork, type: str, poll: Poll) -> None:
    """Ids only: each page fetches the poll as its reader may see it (results kept back
    until one has voted; never who voted what in an anonymous poll)."""
    space_id = await uow.session.scalar(
        select(ForumSession.space_id).where(ForumSession.id == poll.session_id)
    )
    uow.emit(
        type,
        {"id": poll.id, "session_id": poll.session_id, "thread_id": poll.thread_id},
        space_id=space_id,
        session_id=poll.session_id,
        thread_id=poll.thread_id,
    )
