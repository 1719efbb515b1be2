"""The fixture ladder: database → settings → app → client → factories.

Every test that touches the database gets its own: a copy of a migrated SQLite
file, and, when FORUM_TEST_POSTGRES_URL is set, the same test again on PostgreSQL
(tables emptied between tests). A PostgreSQL URL that is set but unreachable fails
the run instead of skipping it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool
from starlette.applications import Starlette

from forum_server.accounts import service as accounts
from forum_server.accounts.passwords import use_hasher
from forum_server.accounts.queries import UserView
from forum_server.accounts.schemas import UserCreate
from forum_server.app import create_app
from forum_server.db import Database
from forum_server.migrate import migrate
from forum_server.policy import Actor
from forum_server.settings import Settings
from forum_server.tables import metadata
from tests.helpers import PASSWORD, client_for, make_settings

POSTGRES_URL = os.environ.get("FORUM_TEST_POSTGRES_URL", "")
# Under pytest-xdist each worker gets a database of its own beside the given one.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
BACKENDS = ["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"]
SECRETARIAT = Actor(user_id=None, display_name="tests", is_secretariat=True)


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> None:
    # The real parameters cost ~50 ms a hash on purpose; tests hash hundreds.
    use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "forum.db"
    asyncio.run(migrate(f"sqlite+aiosqlite:///{path}"))
    return path


def _worker_url(url: str) -> str:
    """The given database for a lone run; `<name>_<worker>` for each xdist worker."""
    if not WORKER:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{WORKER}").render_as_string(hide_password=False)


async def _create_database(url: str) -> None:
    parsed = make_url(url)
    admin = create_async_engine(
        parsed.set(database="postgres"), poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )
    try:
        async with admin.connect() as conn:
            found = await conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": parsed.database},
            )
            if not found:
                await conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        await admin.dispose()


async def _reset_postgres(url: str) -> None:
    if WORKER:
        await _create_database(url)
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()
    await migrate(url)


async def _truncate_postgres(url: str) -> None:
    names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> str:
    if not POSTGRES_URL:
        pytest.skip("FORUM_TEST_POSTGRES_URL is not set")
    url = _worker_url(POSTGRES_URL)
    try:
        asyncio.run(_reset_postgres(url))
    except Exception as exc:  # set but unusable: fail loudly, never skip
        pytest.fail(f"FORUM_TEST_POSTGRES_URL is set but unusable: {exc}", pytrace=False)
    return url


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "forum.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite+aiosqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    asyncio.run(_truncate_postgres(url))
    return url


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path, database_url)


@pytest.fixture
async def app(settings: Settings, request: pytest.FixtureRequest) -> AsyncIterator[Starlette]:
    application = create_app(settings, periodic=request.node.get_closest_marker("quiet") is None)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app) as http:
        yield http


@pytest.fixture
def db(app: Starlette) -> Database:
    database: Database = app.state.ctx.db
    return database


MakeUser = Callable[..., Awaitable[UserView]]


@pytest.fixture
def make_user(db: Database) -> MakeUser:
    counter = iter(range(1, 10_000))

    async def make(**fields: Any) -> UserView:
        n = next(counter)
        data = {
            "email": f"user{n}@example.org",
            "password": PASSWORD,
            "display_name": f"User {n}",
            "country": "KE",
        }
        data.update(fields)
        return await accounts.create_user(
            db, SECRETARIAT, UserCreate.model_validate(data), registration_open=True
        )

    return make


@pytest.fixture
def make_space(db: Database) -> Callable[..., Awaitable[str]]:
    from forum_server.rooms import spaces
    from forum_server.rooms.schemas import SpaceCreate

    counter = iter(range(1, 10_000))

    async def make(**fields: Any) -> str:
        data = {"slug": f"space-{next(counter)}", "title": "Online forum", **fields}
        detail = await spaces.create_space(db, SECRETARIAT, SpaceCreate.model_validate(data))
        return detail.space.slug

    return make


@pytest.fixture
def make_session(db: Database) -> Callable[..., Awaitable[int]]:
    """A session in a space; open now for a day unless told otherwise."""
    from datetime import timedelta

    from forum_server.orm import utcnow
    from forum_server.rooms import sessions
    from forum_server.rooms.schemas import SessionCreate

    async def make(slug: str, **fields: Any) -> int:
        now = utcnow()
        data: dict[str, Any] = {
            "title": "Strategic approaches to capacity-building",
            "opens_at": now - timedelta(minutes=1),
            "closes_at": now + timedelta(days=1),
            "questions": ["What has worked?", "What should change?"],
        }
        data.update(fields)
        detail = await sessions.create_session(
            db, SECRETARIAT, slug, SessionCreate.model_validate(data)
        )
        return detail.id

    return make


@pytest.fixture
def add_member(db: Database) -> Callable[..., Awaitable[None]]:
    from sqlalchemy import select

    from forum_server.rooms.models import Membership, Space

    async def add(slug: str, user_id: int, role: str = "member") -> None:
        async with db.write() as uow:
            space_id = await uow.session.scalar(select(Space.id).where(Space.slug == slug))
            uow.session.add(Membership(space_id=space_id, user_id=user_id, role=role))

    return add


@pytest.fixture
async def redis_url() -> str:
    """The Redis of FORUM_TEST_REDIS_URL; skipped when unset, failed when unreachable."""
    url = os.environ.get("FORUM_TEST_REDIS_URL", "")
    if not url:
        pytest.skip("FORUM_TEST_REDIS_URL is not set")
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_connect_timeout=2)
    try:
        await asyncio.wait_for(client.ping(), 5)
    except Exception as exc:  # set but unusable: fail loudly, never skip
        # str(), not repr(): redis-py 8 exceptions repr as e.g. "network:ConnectionError".
        reason = f"{type(exc).__name__}: {exc}"
        pytest.fail(
            f"FORUM_TEST_REDIS_URL is set but Redis does not answer: {reason}", pytrace=False
        )
    finally:
        await client.aclose()
    return url


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`--dist loadgroup`), tests that share a session-wide server
    run on one worker: one Chromium and seeded forum, one OpenID provider."""
    for item in items:
        path = item.path.as_posix()
        for folder in ("e2e", "oidc"):
            if f"/tests/{folder}/" in path:
                item.add_marker(pytest.mark.xdist_group(folder))
