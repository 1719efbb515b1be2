"""A session's polls and proposals for its report: counts, reasons grouped by option or
position (attributed as the report's setting says, and never in an anonymous poll),
and the moderator's outcome. Results a poll keeps back until it closes stay out of the
report too while it is open."""

from __future__ import annotations

import json
from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import User
from forum_server.decide.labels import POSITION_LABELS
from forum_server.decide.models import Poll, PollBallot, PollVoter
from forum_server.decide.queries import closed_at, option_labels
from forum_server.decide.schemas import POSITIONS, PROPOSAL
from forum_server.i18n import gettext
from forum_server.orm import utcnow
from forum_server.reports.model import PollOption, ReportPoll
from forum_server.reports.posts import Attributor


async def report_polls(
    session: AsyncSession,
    attributor: Attributor,
    session_id: int,
    threads: dict[int, str],
) -> list[ReportPoll]:
    """The session's polls on its own page or in the threads the report shows
    (`threads`: thread id → its label), oldest first."""
    polls = await session.scalars(
        select(Poll).where(Poll.session_id == session_id).order_by(Poll.id)
    )
    now, found = utcnow(), []
    for poll in polls:
        if poll.thread_id is not None and poll.thread_id not in threads:
            continue
        closed = closed_at(poll, now)
        votes = await session.scalar(
            select(func.count()).select_from(PollVoter).where(PollVoter.poll_id == poll.id)
        )
        options = None
        if not poll.hide_results or closed is not None:
            options = await _options(session, attributor, poll)
        found.append(
            ReportPoll(
                id=poll.id,
                title=poll.title,
                kind=poll.kind,
                anonymous=poll.anonymous,
                closed_at=closed,
                votes=votes or 0,
                options=options,
                outcome=poll.outcome,
                where=threads.get(poll.thread_id) if poll.thread_id is not None else None,
            )
        )
    return found


async def _options(
    session: AsyncSession, attributor: Attributor, poll: Poll
) -> tuple[PollOption, ...]:
    keys: Collection[str]
    if poll.kind == PROPOSAL:
        keys = POSITIONS
        labels = {key: gettext(POSITION_LABELS[key]) for key in keys}
    else:
        keys = [str(n) for n in range(len(option_labels(poll)))]
        labels = dict(zip(keys, option_labels(poll), strict=True))
    counts = {key: 0 for key in keys}
    reasons: dict[str, list[str]] = {key: [] for key in keys}
    query = (
        select(PollBallot.choices, PollBallot.position, PollBallot.reason, User)
        .outerjoin(User, User.id == PollBallot.user_id)
        .where(PollBallot.poll_id == poll.id)
        .order_by(PollBallot.voter_key)
    )
    for choices, position, reason, user in await session.execute(query):
        chosen = [position] if poll.kind == PROPOSAL else [str(c) for c in json.loads(choices)]
        for key in chosen:
            if key not in counts:
                continue
            counts[key] += 1
            if not reason:
                continue
            if poll.anonymous or user is None:
                reasons[key].append(reason)
            else:
                who = attributor.label(
                    poll.session_id, user.id, user.display_name, None, user.country
                )
                reasons[key].append(f"{who}: {reason}")
    return tuple(PollOption(labels[key], counts[key], tuple(reasons[key])) for key in keys)
