"""The inbox worker: takes stored messages and has each handled (replies.py), once.

It runs inside `forum-server mail-in`, woken by the receiver as each message is
stored and otherwise every few seconds (for messages another process stored, or
whose claim expired when a worker died). Any number of workers may run, in one
process or several: claims keep them off each other's messages.
"""

from __future__ import annotations

import asyncio
import logging
import secrets

from forum_server.db import Database
from forum_server.errors import Unavailable
from forum_server.mail import inbox
from forum_server.mail.replies import give_up, handle
from forum_server.settings import Settings

log = logging.getLogger(__name__)

POLL_EVERY = 5.0  # seconds between looks when nothing wakes the worker


async def process_waiting(
    db: Database,
    settings: Settings,
    *,
    worker: str | None = None,
    limit: int = 20,
    stop: asyncio.Event | None = None,
) -> int:
    """Handles what waits now, a claimed batch at a time; returns how many messages
    were settled. Returns early when the database is busy or `stop` is set: what is
    left waits for the next pass (released at once, so any worker may take it)."""
    worker = worker or secrets.token_hex(8)
    settled = 0
    while claimed := await inbox.claim(db, worker, limit=limit):
        for index, item in enumerate(claimed):
            if stop is not None and stop.is_set():
                for rest in claimed[index:]:
                    await inbox.release(db, rest)
                return settled
            try:
                await handle(db, settings, item)
            except inbox.LostClaim:
                log.info("mail %d: taken over by another worker", item.id)
                continue
            except Unavailable:
                for rest in claimed[index:]:
                    await inbox.release(db, rest)
                return settled
            except Exception as error:
                if item.attempts < inbox.MAX_ATTEMPTS:
                    log.exception("mail %d: failed (attempt %d)", item.id, item.attempts)
                    await inbox.postpone(db, item, inbox.RETRY_AFTER * item.attempts)
                    continue
                await give_up(db, settings, item, error)
            settled += 1
    return settled


async def run_inbox_worker(
    db: Database,
    settings: Settings,
    stop: asyncio.Event,
    wake: asyncio.Event,
    *,
    every: float = POLL_EVERY,
) -> None:
    """Handles messages as they are stored, until `stop` is set (a message being
    handled then is finished first; the rest waits in the inbox)."""
    worker = secrets.token_hex(8)
    while not stop.is_set():
        wake.clear()
        try:
            await process_waiting(db, settings, worker=worker, stop=stop)
        except Exception:
            log.exception("inbox pass failed")  # the database went away: try again later
        waiting = asyncio.ensure_future(wake.wait())
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({waiting, stopping}, timeout=every, return_when=asyncio.FIRST_COMPLETED)
        waiting.cancel()
        stopping.cancel()
