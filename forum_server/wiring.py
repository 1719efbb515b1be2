"""The database as every server process uses it: events published to the other
processes after each commit, and mail jobs, notifications and webhook deliveries
written with the events that cause them.
`serve` and `mail-in` open it the same way, so a post made in either is delivered
live and mailed to watchers alike."""

from __future__ import annotations

from functools import partial

from forum_server.broker import Broker, create_broker, publish_events
from forum_server.db import Database
from forum_server.mail.notifications import add_jobs
from forum_server.notifications.notify import add_notifications
from forum_server.settings import Settings
from forum_server.webhooks.queueing import queue_deliveries


async def open_database(
    settings: Settings, *, broker_prefix: str = "forum"
) -> tuple[Database, Broker]:
    """The database and its connected broker; the caller disconnects and disposes."""
    db = Database(settings.database_url)
    broker = create_broker(settings.broker_url, channel_prefix=broker_prefix)
    await broker.connect()
    db.publish = partial(publish_events, broker)
    db.before_commit.append(add_jobs)
    db.before_commit.append(add_notifications)
    db.before_commit.append(partial(queue_deliveries, site_url=settings.base_url))
    return db, broker
