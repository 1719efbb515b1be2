"""The liaison group's call for submissions: open, its countries' and organizations'
submitters designated, and three submissions in (one restricted)."""

from __future__ import annotations

from datetime import datetime, timedelta

from forum_server.accounts.admin import COMMAND_LINE
from forum_server.calls import commands, submissions
from forum_server.calls.schemas import CallInput, SubmissionInput, SubmitterInput
from forum_server.db import Database
from forum_server.demo_content import calls as content
from forum_server.demo_content import liaison
from forum_server.policy import Actor
from forum_server.schemas import validate


async def load_calls(db: Database, user_ids: dict[str, int], now: datetime) -> int:
    """Opens the call in the liaison group's workspace; returns its id."""
    slug = liaison.WORKSPACE_SLUG
    deadline = (now + timedelta(days=content.DAYS_LEFT)).replace(microsecond=0)
    data = validate(CallInput, {**content.CALL, "deadline": deadline.isoformat()})
    call = await commands.open_call(db, COMMAND_LINE, slug, data)
    for person, kind, submitter in content.SUBMITTERS:
        where = {"organization": submitter} if kind == "organization" else {"country": submitter}
        designation = validate(SubmitterInput, {"user_id": user_ids[person], "kind": kind, **where})
        await commands.add_submitter(db, COMMAND_LINE, slug, designation)
    for person, public, text in content.SUBMISSIONS:
        actor = Actor(user_id=user_ids[person])
        await submissions.submit(db, actor, call.id, SubmissionInput(text=text, public=public))
    return call.id
