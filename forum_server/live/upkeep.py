"""What every live connection does beside delivery, whatever its transport (the
WebSocket or the event stream): heartbeats, and re-checking its credential and access
— every `access_ttl` as a backstop, and at once when the hub says a sign-out concerns
its account (`Connection.request_recheck`).

Both run on the event loop's timers: an idle connection has no task of its own, only
a task while a re-check reads the database.
"""

from __future__ import annotations

import asyncio
import logging
import random

from forum_server.live import protocol
from forum_server.live.access import revalidate
from forum_server.live.connection import Connection
from forum_server.live.hub import Hub

log = logging.getLogger(__name__)


class Upkeep:
    """Heartbeats and re-checks of one connection, from `start` until `stop` (or until
    its credential or access ends)."""

    __slots__ = ("_again", "_beat", "_check", "_task", "connection", "hub", "session_days")

    def __init__(self, hub: Hub, connection: Connection, session_days: int) -> None:
        self.hub, self.connection, self.session_days = hub, connection, session_days
        self._beat: asyncio.TimerHandle | None = None
        self._check: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[None] | None = None
        self._again = False  # asked to re-check while a re-check was reading

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        config = self.connection.config
        self._beat = loop.call_later(config.heartbeat_interval, self._heartbeat)
        # Spread the re-checks of connections that all came at once (after a restart).
        self._check = loop.call_later(config.access_ttl * random.uniform(0.5, 1.0), self.recheck)
        self.connection.on_recheck = self.recheck

    def stop(self) -> None:
        self.connection.on_recheck = None
        for timer in (self._beat, self._check):
            if timer is not None:
                timer.cancel()
        self._beat = self._check = None
        if self._task is not None:
            self._task.cancel()

    def _heartbeat(self) -> None:
        connection = self.connection
        if connection.closed:
            return
        connection.offer(protocol.heartbeat_frame(self.hub.position))
        interval = connection.config.heartbeat_interval
        self._beat = asyncio.get_running_loop().call_later(interval, self._heartbeat)

    def recheck(self) -> None:
        """Re-check now (one at a time: asked during one, another follows it)."""
        if self._task is not None:
            self._again = True
            return
        if self._check is not None:
            self._check.cancel()
            self._check = None
        if not self.connection.closed:
            self._task = asyncio.get_running_loop().create_task(self._recheck())

    async def _recheck(self) -> None:
        still = True
        try:
            still = await recheck(self.hub, self.connection, self.session_days)
        except Exception:  # the database busy: try again next time
            log.warning("could not re-check a live connection", exc_info=True)
        finally:
            self._task = None
        if not still or self.connection.closed or self.connection.on_recheck is None:
            return
        if self._again:
            self._again = False
            self.recheck()
            return
        ttl = self.connection.config.access_ttl
        self._check = asyncio.get_running_loop().call_later(ttl, self.recheck)


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
