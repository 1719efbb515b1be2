"""Creating the first secretariat account from the command line."""

from __future__ import annotations

from forum_server.accounts import service
from forum_server.accounts.queries import UserView
from forum_server.accounts.schemas import UserCreate
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
