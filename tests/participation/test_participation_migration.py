"""Migration 0028: posts written before it take their author's profile as it is then."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from forum_server.migrate import alembic_config

NOW = "2026-03-01 09:00:00.000000"
ROWS = [
    "INSERT INTO users (id, email, display_name, country, region, affiliation, gender,"
    " is_secretariat, is_active, created_at) VALUES"
    f" (1, 'a@example.org', 'A', 'KE', 'africa', 'party', 'female', 0, 1, '{NOW}'),"
    f" (2, 'b@example.org', 'B', NULL, NULL, NULL, NULL, 0, 1, '{NOW}')",
    "INSERT INTO spaces (id, slug, title, description, description_html, visibility,"
    f" guest_posting, created_at) VALUES (1, 's', 'S', '', '', 'public', 1, '{NOW}')",
    "INSERT INTO sessions (id, space_id, title, description, description_html,"
    " participant_topics, posting, created_at)"
    f" VALUES (1, 1, 'T', '', '', 0, 'signed_in', '{NOW}')",
    "INSERT INTO threads (id, session_id, title, locked, post_count, created_at)"
    f" VALUES (1, 1, 'Q', 0, 3, '{NOW}')",
    "INSERT INTO posts (id, thread_id, session_id, depth, author_id, guest_name, body, html,"
    " status, highlighted, created_at) VALUES"
    f" (1, 1, 1, 0, 1, NULL, 'x', 'x', 'published', 0, '{NOW}'),"
    f" (2, 1, 1, 0, 2, NULL, 'y', 'y', 'published', 0, '{NOW}'),"
    f" (3, 1, 1, 0, NULL, 'Guest', 'z', 'z', 'published', 0, '{NOW}')",
]


async def test_existing_posts_take_their_authors_profile(tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'forum.db'}"
    config = alembic_config(url)

    def upgrade(connection: Connection, revision: str) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(upgrade, "0023_report_document")
            for statement in ROWS:
                await conn.execute(text(statement))
        async with engine.begin() as conn:
            await conn.run_sync(upgrade, "0028_participation")
            rows = (
                await conn.execute(
                    text(
                        "SELECT id, author_country, author_region, author_affiliation,"
                        " author_gender FROM posts ORDER BY id"
                    )
                )
            ).all()
    finally:
        await engine.dispose()
    assert [tuple(r) for r in rows] == [
        (1, "KE", "africa", "party", "female"),
        (2, None, None, None, None),
        (3, None, None, None, None),
    ]
