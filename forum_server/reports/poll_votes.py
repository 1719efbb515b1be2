"""A named poll's votes as CSV, for those who may download its session's report: one
row a voter, attributed as the space's report setting says. An anonymous poll has no
such list, for anyone."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import User
from forum_server.consent.choice import choices_of
from forum_server.decide.labels import POSITION_LABELS
from forum_server.decide.models import PollBallot
from forum_server.decide.queries import closed_at, option_labels
from forum_server.errors import Conflict
from forum_server.i18n import gettext
from forum_server.orm import utcnow
from forum_server.policy import Actor, check_may_download_report, load_poll, may_see_results
from forum_server.reports.posts import Attributor
from forum_server.rooms.models import Space
from forum_server.spreadsheet import safe_cell

COLUMNS = ("poll_id", "voter", "country", "choices", "position", "reason")


async def poll_votes_csv(session: AsyncSession, actor: Actor, poll_id: int) -> tuple[str, str]:
    """(file name, CSV text). Raises NotFound, Unauthorized, Forbidden as for the
    session's report; Conflict poll_anonymous, or results_hidden while the poll keeps
    its results back."""
    poll, access = await load_poll(session, actor, poll_id)
    space = await session.get(Space, access.space.space_id)
    assert space is not None
    check_may_download_report(access, space.members_may_download_reports)
    if poll.anonymous:
        raise Conflict("An anonymous poll's votes are never listed.", code="poll_anonymous")
    if not may_see_results(poll.hide_results, False, closed_at(poll, utcnow()) is not None):
        raise Conflict("Its results are shown when it closes.", code="results_hidden")
    attributor = Attributor(space.report_attribution, {}, await choices_of(session))
    labels = option_labels(poll)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    rows = await session.execute(
        select(PollBallot, User)
        .join(User, User.id == PollBallot.user_id)
        .where(PollBallot.poll_id == poll.id)
        .order_by(User.display_name, User.id)
    )
    for ballot, user in rows:
        chosen = "; ".join(labels[n] for n in json.loads(ballot.choices) if n < len(labels))
        position = gettext(POSITION_LABELS[ballot.position]) if ballot.position else ""
        voter = attributor.label(poll.session_id, user.id, user.display_name, None, user.country)
        country = attributor.country(user.country, user.id)
        cells = [voter, country or "", chosen, position, ballot.reason]
        writer.writerow([poll.id, *(safe_cell(cell) for cell in cells)])
    return f"poll-{poll.id}-votes.csv", out.getvalue()
