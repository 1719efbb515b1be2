"""The command line's account commands: the first secretariat account, and
deactivating or reactivating an account."""

from __future__ import annotations

from functools import partial

from forum_server.accounts import management, service
from forum_server.accounts.management import AccountView
from forum_server.accounts.queries import UserView
from forum_server.accounts.schemas import UserCreate
from forum_server.broker import create_broker, publish_events
from forum_server.db import Database
from forum_server.migrate import migrate
from forum_server.policy import Actor
from forum_server.schemas import validate
from forum_server.settings import Settings

# The command line is trusted like the secretariat: whoever runs it owns the server.
COMMAND_LINE = Actor(user_id=None, display_name="command line", is_secretariat=True)


async def create_admin(settings: Settings, email: str, password: str, name: str) -> UserView:
    data = validate(
        UserCreate,
        {"email": email, "password": password, "display_name": name, "is_secretariat": True},
    )
    await migrate(settings.database_url)
    db = Database(settings.database_url)
    try:
        return await service.create_user(db, COMMAND_LINE, data, registration_open=False)
    finally:
        await db.dispose()


async def set_account_active(settings: Settings, email: str, *, active: bool) -> AccountView:
    """Deactivates (or reactivates) the account with this address, as the secretariat.
    The event goes through the configured broker too, so that with Redis every server
    process closes the user's live connections at once (with the in-memory broker, the
    running server notices within its poll interval)."""
    db = Database(settings.database_url)
    broker = create_broker(settings.broker_url)
    try:
        await broker.connect()
        db.publish = partial(publish_events, broker)
        async with db.read() as session:
            account = await management.find_account(session, COMMAND_LINE, email)
        change = management.deactivate_user if not active else management.reactivate_user
        return await change(db, COMMAND_LINE, account.id)
    finally:
        await broker.disconnect()
        await db.dispose()
