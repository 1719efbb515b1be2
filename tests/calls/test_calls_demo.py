"""The demo's liaison group has an open call: its submitters designated and three
submissions in, one of them restricted (seen by the secretariat, not by a member)."""

from __future__ import annotations

from forum_server.accounts.admin import COMMAND_LINE
from forum_server.calls import queries
from forum_server.demo import load_demo
from forum_server.demo_content import liaison
from forum_server.policy import Actor


async def test_the_demo_has_an_open_call_with_submissions(db) -> None:  # type: ignore[no-untyped-def]
    await load_demo(db)
    async with db.read() as session:
        listing = await queries.calls_of(session, COMMAND_LINE, liaison.WORKSPACE_SLUG)
        [call] = listing.calls
        assert call.open and call.submissions == 3
        status = await queries.status_of(session, COMMAND_LINE, call.id)
        assert sum(1 for row in status if row.submitted_at) == 3 and len(status) == 6
        submitters = await queries.submitters_of(session, COMMAND_LINE, liaison.WORKSPACE_SLUG)
        member = next(s.user_id for s in submitters if s.submitter == "IN")
        seen, _ = await queries.submissions_of(session, Actor(user_id=member), call.id)
    assert len(seen) == 2  # the organization's restricted one is not theirs to see
