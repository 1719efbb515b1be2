"""Closes polls at their time: what it adds to the clock (a poll past its time is
already closed to votes) is the announcement and the unlinking of anonymous ballots."""

from __future__ import annotations

import asyncio
from functools import partial

from forum_server.db import Database
from forum_server.decide.polls import close_due_polls
from forum_server.periodic import repeat


async def run_poll_closing(db: Database, stop: asyncio.Event, *, interval: float = 15.0) -> None:
    await repeat(partial(close_due_polls, db), stop, every=interval, what="poll closing pass")
