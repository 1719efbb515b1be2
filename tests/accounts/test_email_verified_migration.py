"""Migration 0008: which existing accounts start with a confirmed address."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import column, insert, select, table
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from forum_server.accounts.models import User
from forum_server.migrate import alembic_config, migrate
from forum_server.orm import utcnow
from forum_server.rooms.models import Invitation


async def test_only_secretariat_and_invited_accounts_start_confirmed(tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'forum.db'}"
    config = alembic_config(url)

    def to_0007(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, "0007")

    engine = create_async_engine(url, poolclass=NullPool)
    now = utcnow()
    # Only the columns that exist before 0008.
    person = {"password_hash": None, "is_active": True, "created_at": now}
    try:
        async with engine.begin() as conn:
            await conn.run_sync(to_0007)
            await conn.execute(
                insert(User.__table__),
                [
                    {
                        "id": 1,
                        "email": "sec@example.org",
                        "display_name": "Sec",
                        "is_secretariat": True,
                        **person,
                    },
                    {
                        "id": 2,
                        "email": "self@example.org",
                        "display_name": "Self",
                        "is_secretariat": False,
                        **person,
                    },
                    {
                        "id": 3,
                        "email": "invited@example.org",
                        "display_name": "Invited",
                        "is_secretariat": False,
                        **person,
                    },
                    {
                        "id": 4,
                        "email": "other@example.org",
                        "display_name": "Other",
                        "is_secretariat": False,
                        **person,
                    },
                ],
            )
            # The spaces table as it was then: the model's later columns are not there.
            spaces_then = table(
                "spaces",
                *(
                    column(name)
                    for name in (
                        "id",
                        "slug",
                        "title",
                        "description",
                        "description_html",
                        "visibility",
                        "guest_posting",
                        "created_at",
                        "report_attribution",
                        "members_may_download_reports",
                    )
                ),
            )
            await conn.execute(
                insert(spaces_then).values(
                    id=1,
                    slug="liaison",
                    title="Liaison group",
                    description="",
                    description_html="",
                    visibility="public",
                    guest_posting=False,
                    created_at=now,
                    report_attribution="named",
                    members_may_download_reports=False,
                )
            )
            invitation = {"space_id": 1, "role": "member", "expires_at": now, "created_at": now}
            await conn.execute(
                insert(Invitation.__table__),
                [
                    # Accepted by the account it was sent to: its address is confirmed.
                    {
                        "email": "invited@example.org",
                        "token_hash": "a" * 64,
                        "accepted_at": now,
                        "accepted_by": 3,
                        **invitation,
                    },
                    # Sent to another address: says nothing of account 4's own.
                    {
                        "email": "elsewhere@example.org",
                        "token_hash": "b" * 64,
                        "accepted_at": now,
                        "accepted_by": 4,
                        **invitation,
                    },
                ],
            )
        await migrate(url)
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(User.__table__.c.id, User.__table__.c.email_verified_at).order_by("id")
            )
            verified = {user_id: at is not None for user_id, at in rows}
    finally:
        await engine.dispose()
    assert verified == {1: True, 2: False, 3: True, 4: False}
