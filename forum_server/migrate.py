"""Bringing a database's schema up to date with Alembic, from code."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"
# Any fixed number: several processes starting at once on PostgreSQL take turns.
_PG_LOCK = 7_301_994


def include_name(name: str | None, type_: str, parent_names: Mapping[str, Any]) -> bool:
    """Whether Alembic compares a schema object with the models: not the full-text
    index each engine adds to search_documents (forum_server.search.engine)."""
    from forum_server.search.engine import engine_owned

    return not engine_owned(name, type_, parent_names.get("table_name"))


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url)
    return config


async def migrate(database_url: str) -> None:
    """Upgrade to the newest revision; harmless when already there."""
    config = alembic_config(database_url)

    def upgrade(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

    engine = create_async_engine(database_url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                # WAL from the first write on, so readers never block the writer.
                await connection.exec_driver_sql("PRAGMA journal_mode=WAL")
            postgres = connection.dialect.name == "postgresql"
            if postgres:
                await connection.execute(text(f"SELECT pg_advisory_lock({_PG_LOCK})"))
                await connection.commit()
            await connection.run_sync(upgrade)
            await connection.commit()
            if postgres:
                await connection.execute(text(f"SELECT pg_advisory_unlock({_PG_LOCK})"))
    finally:
        await engine.dispose()


async def is_migrated(database_url: str) -> bool:
    """Whether the database has this server's tables (at any revision). For SQLite,
    call it only on a file that exists: connecting would create it."""
    engine = create_async_engine(database_url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: inspect(sync).has_table("alembic_version")
            )
    finally:
        await engine.dispose()
