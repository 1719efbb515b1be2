"""The migrations build exactly the models' schema, and running them again is harmless."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from forum_server.migrate import include_name, migrate
from forum_server.tables import metadata


async def _differences(url: str) -> list:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(
                        sync, opts={"compare_type": True, "include_name": include_name}
                    ),
                    metadata,
                )
            )
    finally:
        await engine.dispose()


async def test_migrations_produce_the_models_schema(database_url: str):
    assert await _differences(database_url) == []


async def test_migrate_twice_is_harmless(database_url: str):
    await migrate(database_url)
    await migrate(database_url)
    engine = create_async_engine(database_url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    finally:
        await engine.dispose()
    assert {table.name for table in metadata.sorted_tables} <= tables
    assert await _differences(database_url) == []
