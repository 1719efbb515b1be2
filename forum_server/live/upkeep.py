"""What every live connection does beside delivery, whatever its transport (the
WebSocket or the event stream): heartbeats, and re-checking its credential and access
— every `access_ttl` as a backstop, and at once when the hub says a sign-out concerns
its account (`Connection.recheck_now`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time

from forum_server.live import protocol
from forum_server.live.access import revalidate
from forum_server.live.connection import Connection
from forum_server.live.hub import Hub

log = logging.getLogger(__name__)


async def tick(hub: Hub, connection: Connection, session_days: int) -> None:
    """Heartbeats and re-checks until the connection's credential or access ends."""
    config = connection.config
    now = time.monotonic()
    next_beat = now + config.heartbeat_interval
    # Spread the re-checks of connections that all came at once (after a restart).
    next_check = now + config.access_ttl * random.uniform(0.5, 1.0)
    while True:
        wait = max(0.0, min(next_beat, next_check) - time.monotonic())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(connection.recheck_now.wait(), wait)
        now = time.monotonic()
        if now >= next_beat:
            connection.offer(protocol.heartbeat_frame(hub.position))
            next_beat = now + config.heartbeat_interval
        if now >= next_check or connection.recheck_now.is_set():
            connection.recheck_now.clear()
            next_check = now + config.access_ttl
            try:
                if not await recheck(hub, connection, session_days):
                    return
            except Exception:  # the database busy: try again next time
                log.warning("could not re-check a live connection", exc_info=True)


async def recheck(hub: Hub, connection: Connection, session_days: int) -> bool:
    """Re-validate the sign-in or token and refresh access; False if it has ended."""
    if connection.credential is not None:
        actor = await revalidate(hub.db, connection.credential, session_days=session_days)
        if actor is None:
            connection.close(protocol.CLOSE_SIGNED_OUT, "signed out")
            return False
        connection.actor = actor
    await hub.refresh(connection)
    return True
