"""Two server processes delivering one outbox never send a message twice: each claims
rows the other cannot take (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite's single
writer takes claims one at a time)."""

from __future__ import annotations

import asyncio

from forum_server.db import Database
from forum_server.mail.outbox import Outgoing, queue
from forum_server.mail.sender import deliver_due
from forum_server.settings import Settings
from tests.mail.conftest import Relay

COUNT = 60


async def test_two_senders_racing_send_each_message_once(app, settings: Settings, relay: Relay):
    first, second = Database(settings.database_url), Database(settings.database_url)
    try:
        async with first.write() as uow:
            await queue(
                uow,
                (
                    Outgoing("password_reset", f"p{n}@example.org", {"path": "/"})
                    for n in range(COUNT)
                ),
            )
        sent = await asyncio.gather(
            *(
                deliver_due(db, settings, worker=f"w{i}", limit=4)
                for i, db in enumerate((first, second, first, second))
            )
        )
    finally:
        await first.dispose()
        await second.dispose()
    assert sum(sent) == COUNT
    addresses = [rcpt for rcpts, _ in relay.received for rcpt in rcpts]
    assert sorted(addresses) == sorted(f"p{n}@example.org" for n in range(COUNT))
    ids = [message["Message-ID"] for _, message in relay.received]
    assert len(set(ids)) == COUNT
