"""The workspace session's participation: the moderator expects every member to take
part, so the dashboard shows who has not yet, and suggests extending."""

from __future__ import annotations

from forum_server.db import Database
from forum_server.demo_content import liaison
from forum_server.participation import commands
from forum_server.participation.schemas import ExpectationInput
from forum_server.policy import Actor


async def load_participation(db: Database, user_ids: dict[str, int], session_id: int) -> None:
    moderator = Actor(user_id=user_ids[liaison.WORKSPACE_SESSION.moderator])
    expected = ExpectationInput(expected_participants=len(liaison.MEMBERS))
    await commands.set_expectation(db, moderator, session_id, expected)
