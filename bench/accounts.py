"""Accounts with API tokens for benchmarks, written straight into the server's database.

Made one by one through the API, each account costs a password hash and its check (a
minute for 25 on a 2-core machine). These share the benchmark admin's password hash;
their tokens are stored as the server stores any, so the server resolves them as usual.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Protocol

from sqlalchemy import select

from forum_server.accounts.credentials import API_TOKEN_PREFIX, token_digest
from forum_server.accounts.models import ApiToken, User
from forum_server.db import Database

ADMIN_EMAIL = "bench@example.org"


class Served(Protocol):
    """What bench/live.py's ForumServer (and its PostgreSQL variant) offers."""

    env: dict[str, str]

    @property
    def data_dir(self) -> Path: ...


def database_url(server: Served) -> str:
    """The server's own database: PostgreSQL where it was given one, else its SQLite file."""
    url = server.env.get("FORUM_DATABASE_URL")
    return url or f"sqlite+aiosqlite:///{server.data_dir / 'forum.db'}"


async def accounts(server: Served, count: int, *, name: str = "participant") -> list[str]:
    """`count` accounts (country KE), an API token each; returns the tokens."""
    db = Database(database_url(server))
    tokens = [f"{API_TOKEN_PREFIX}{secrets.token_urlsafe(32)}" for _ in range(count)]
    try:
        async with db.write() as uow:
            admin = await uow.session.scalar(select(User).where(User.email == ADMIN_EMAIL))
            assert admin is not None
            users = [
                User(
                    email=f"{name}{n}@example.org",
                    password_hash=admin.password_hash,
                    display_name=f"{name.title()} {n}",
                    country="KE",
                )
                for n in range(count)
            ]
            uow.session.add_all(users)
            await uow.flush()
            uow.session.add_all(
                ApiToken(token_hash=token_digest(token), user_id=user.id)
                for user, token in zip(users, tokens, strict=True)
            )
    finally:
        await db.dispose()
    return tokens
