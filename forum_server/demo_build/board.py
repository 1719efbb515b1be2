"""The demo space's bulletin board: a capacity need, the project and course that match
it, a fellowship that does not, and a pinned announcement."""

from __future__ import annotations

from datetime import datetime, timedelta

from forum_server import demo_content as content
from forum_server.accounts.admin import COMMAND_LINE
from forum_server.board import commands as board
from forum_server.board.schemas import NoticeInput
from forum_server.db import Database
from forum_server.demo_content import board as board_content
from forum_server.schemas import validate


async def load_board(db: Database, now: datetime) -> None:
    """The space's bulletin board, posted by the secretariat."""
    today = now.date()

    def day(offset: int | None) -> str | None:
        return None if offset is None else (today + timedelta(days=offset)).isoformat()

    for start, end, expires, fields in board_content.NOTICES:
        dates = {"start_date": day(start), "end_date": day(end), "expires_on": day(expires)}
        data = validate(NoticeInput, {**fields, **dates})
        await board.create_notice(db, COMMAND_LINE, content.SPACE.slug, data)
