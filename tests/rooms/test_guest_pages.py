"""A guest's thread page is kept and served to the next guests while nothing it shows
can have changed; each gets their own CSRF token, and a change or a refusal is seen at
once."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update
from starlette.applications import Starlette

from forum_server.db import Database
from forum_server.moderation import posts as moderation
from forum_server.orm import utcnow
from forum_server.policy.actors import Actor
from forum_server.rooms import posting, queries
from forum_server.rooms.models import Space
from forum_server.rooms.pages import validators
from forum_server.rooms.schemas import PostCreate
from forum_server.rooms.state import MEMBERS
from tests.conftest import SECRETARIAT, MakeUser
from tests.helpers import client_for

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


# Without the background jobs, whose writes (a webhook claimed, a session opened on
# time) would make a kept page or revalidation be made again at random.
pytestmark = pytest.mark.quiet


@pytest.fixture
async def thread(
    db: Database,
    make_user: MakeUser,
    make_space: Callable[..., Awaitable[str]],
    make_session: Callable[..., Awaitable[int]],
) -> tuple[int, str]:
    slug = await make_space()
    closes = utcnow() + timedelta(days=1, seconds=30)
    session_id = await make_session(slug, closes_at=closes)
    async with db.read() as session:
        detail = await queries.session_detail(session, SECRETARIAT, session_id)
    thread_id = detail.questions[0].thread_id
    author = await make_user()
    body = PostCreate(body="Peer learning between ministries worked.", lang="en")
    await posting.create_post(db, Actor(user_id=author.id), thread_id, body)
    return thread_id, slug


def _kept_page_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, a page that is rendered fails the test."""

    def untouchable(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the page was rendered again")

    monkeypatch.setattr("forum_server.rooms.pages.threads.render_thread", untouchable)


async def _kept(
    app: Starlette, client: httpx.AsyncClient, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page is kept: asked again, it is served without being rendered."""
    await app.state.hub.catch_up()
    assert "Peer learning" in (await client.get(path)).text
    with monkeypatch.context() as patched:
        _kept_page_used(patched)
        assert "Peer learning" in (await client.get(path)).text


async def test_the_next_guest_gets_the_kept_page_with_their_own_token(
    app: Starlette,
    client: httpx.AsyncClient,
    thread: tuple[int, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = f"/threads/{thread[0]}"
    await app.state.hub.catch_up()  # the events of the set-up read: they move no more
    first = await client.get(path)
    assert first.status_code == 200 and "Peer learning" in first.text
    _kept_page_used(monkeypatch)
    async with client_for(app) as other:
        await other.get("/")  # their own CSRF cookie
        second = await other.get(path)
    assert second.status_code == 200 and "Peer learning" in second.text
    assert second.headers["etag"] != first.headers["etag"]
    mine, theirs = set(TOKEN.findall(first.text)), set(TOKEN.findall(second.text))
    assert not mine & theirs
    assert (
        await client.get(path, headers={"If-None-Match": first.headers["etag"]})
    ).status_code == 304


async def test_a_kept_page_is_not_served_after_a_post_is_hidden(
    app: Starlette,
    client: httpx.AsyncClient,
    db: Database,
    thread: tuple[int, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = f"/threads/{thread[0]}"
    await _kept(app, client, path, monkeypatch)
    async with db.read() as session:
        detail = await queries.thread_detail(session, SECRETARIAT, thread[0])
    await moderation.hide_post(db, SECRETARIAT, detail.posts[0].id, "Off topic")
    page = await client.get(path)
    assert page.status_code == 200 and "Peer learning" not in page.text


async def test_a_kept_page_is_not_served_once_the_space_is_members_only(
    app: Starlette,
    client: httpx.AsyncClient,
    db: Database,
    thread: tuple[int, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = f"/threads/{thread[0]}"
    await _kept(app, client, path, monkeypatch)
    async with db.write() as uow:
        members_only = update(Space).where(Space.slug == thread[1]).values(visibility=MEMBERS)
        await uow.session.execute(members_only)
    refused = await client.get(path)
    assert refused.status_code == 404 and "Peer learning" not in refused.text


async def _revalidated_from_memory(
    app: Starlette, client: httpx.AsyncClient, path: str, monkeypatch: pytest.MonkeyPatch
) -> str:
    """The guest's tag, after a revalidation the server now answers from memory: the
    validator itself is not asked again while nothing changes."""
    await app.state.hub.catch_up()  # the set-up's events: the hub's position stays
    tag = (await client.get(path)).headers["etag"]
    assert (await client.get(path, headers={"If-None-Match": tag})).status_code == 304
    with monkeypatch.context() as patched:

        async def untouchable(*_args: object, **_kwargs: object) -> None:
            raise AssertionError("the validator ran")

        patched.setattr(validators, "thread_validator", untouchable)
        assert (await client.get(path, headers={"If-None-Match": tag})).status_code == 304
    return tag


async def test_a_kept_revalidation_ends_when_a_post_is_hidden(
    app: Starlette,
    client: httpx.AsyncClient,
    db: Database,
    thread: tuple[int, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    thread_id = thread[0]
    path = f"/threads/{thread_id}"
    tag = await _revalidated_from_memory(app, client, path, monkeypatch)
    async with db.read() as session:
        detail = await queries.thread_detail(session, SECRETARIAT, thread_id)
    await moderation.hide_post(db, SECRETARIAT, detail.posts[0].id, "Off topic")
    hidden = await client.get(path, headers={"If-None-Match": tag})
    assert hidden.status_code == 200 and "Peer learning" not in hidden.text


async def test_a_kept_revalidation_ends_when_the_space_is_made_members_only(
    app: Starlette,
    client: httpx.AsyncClient,
    db: Database,
    thread: tuple[int, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = f"/threads/{thread[0]}"
    tag = await _revalidated_from_memory(app, client, path, monkeypatch)
    # No command changes a space's visibility (and so no event says so): a write alone.
    async with db.write() as uow:
        members_only = update(Space).where(Space.slug == thread[1]).values(visibility=MEMBERS)
        await uow.session.execute(members_only)
    refused = await client.get(path, headers={"If-None-Match": tag})
    assert refused.status_code == 404 and "Peer learning" not in refused.text
