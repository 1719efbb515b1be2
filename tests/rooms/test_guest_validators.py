"""Guests' thread pages carry an ETag: asked again with it, the answer is 304 while
nothing the page shows has changed, and a full page as soon as anything has."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

import httpx
import pytest

from forum_server.db import Database
from forum_server.moderation import posts as moderation
from forum_server.orm import utcnow
from forum_server.policy.actors import Actor
from forum_server.rooms import posting, queries
from forum_server.rooms.schemas import PostCreate
from forum_server.web.language import LANGUAGE_COOKIE
from tests.conftest import SECRETARIAT, MakeUser
from tests.helpers import sign_in

# Without the background jobs: a session's opening announced on time, or a webhook
# claimed, is an event that changes the tag between two requests of a test.
pytestmark = pytest.mark.quiet


async def _thread(db: Database, session_id: int) -> int:
    async with db.read() as session:
        detail = await queries.session_detail(session, SECRETARIAT, session_id)
    return detail.questions[0].thread_id


async def _post(db: Database, user_id: int, thread_id: int, body: str) -> int:
    posted = await posting.create_post(
        db, Actor(user_id=user_id), thread_id, PostCreate(body=body, lang="en")
    )
    return posted.post.id


async def _revalidate(client: httpx.AsyncClient, path: str, tag: str) -> httpx.Response:
    return await client.get(path, headers={"If-None-Match": tag})


@pytest.fixture
async def thread(
    db: Database,
    make_user: MakeUser,
    make_space: Callable[..., Awaitable[str]],
    make_session: Callable[..., Awaitable[int]],
) -> tuple[int, int]:
    author = await make_user()
    slug = await make_space()
    # Half a minute past a whole minute away: the time left shown stays the same
    # between two requests of a test.
    closes = utcnow() + timedelta(days=1, seconds=30)
    thread_id = await _thread(db, await make_session(slug, closes_at=closes))
    await _post(db, author.id, thread_id, "Peer learning between ministries worked.")
    return thread_id, author.id


async def test_guest_page_revalidates_until_a_post_changes_it(
    client: httpx.AsyncClient, db: Database, thread: tuple[int, int]
) -> None:
    thread_id, author_id = thread
    path = f"/threads/{thread_id}"
    first = await client.get(path)
    tag = first.headers["etag"]
    assert first.status_code == 200 and "Peer learning" in first.text
    assert first.headers["cache-control"] == "private, no-cache"
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in first.headers["vary"].split(",")}

    again = await _revalidate(client, path, tag)
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tag

    # A new post: the old tag no longer matches, the new page shows it.
    await _post(db, author_id, thread_id, "Shared curricula saved a year.")
    fresh = await _revalidate(client, path, tag)
    assert fresh.status_code == 200 and "Shared curricula" in fresh.text
    assert fresh.headers["etag"] != tag
    tag = fresh.headers["etag"]

    # A hidden post: gone from the new page, the old tag stale.
    async with db.read() as session:
        detail = await queries.thread_detail(session, SECRETARIAT, thread_id)
    first_post = next(p.id for p in detail.posts if "Peer learning" in p.body)
    await moderation.hide_post(db, SECRETARIAT, first_post, "Off topic")
    hidden = await _revalidate(client, path, tag)
    assert hidden.status_code == 200 and "Peer learning" not in hidden.text
    assert (await _revalidate(client, path, hidden.headers["etag"])).status_code == 304


async def test_a_language_change_is_a_different_page(
    client: httpx.AsyncClient, thread: tuple[int, int]
) -> None:
    path = f"/threads/{thread[0]}"
    tag = (await client.get(path)).headers["etag"]
    client.cookies.set(LANGUAGE_COOKIE, "fr")
    french = await _revalidate(client, path, tag)
    assert french.status_code == 200 and french.headers["etag"] != tag
    assert 'lang="fr"' in french.text
    # The `?lang=` filter is a page of its own too.
    filtered = await _revalidate(client, f"{path}?lang=en", french.headers["etag"])
    assert filtered.status_code == 200


async def test_the_page_changes_when_the_session_closes_at_its_deadline(
    client: httpx.AsyncClient,
    db: Database,
    make_user: MakeUser,
    make_space: Callable[..., Awaitable[str]],
    make_session: Callable[..., Awaitable[int]],
) -> None:
    # Nobody acts at the deadline: the clock alone closes the session.
    closes = utcnow() + timedelta(seconds=2)
    session_id = await make_session(await make_space(), closes_at=closes)
    path = f"/threads/{await _thread(db, session_id)}"
    open_page = await client.get(path)
    tag = open_page.headers["etag"]
    await asyncio.sleep(max(0.0, (closes - utcnow()).total_seconds()) + 0.3)
    closed = await _revalidate(client, path, tag)
    assert closed.status_code == 200 and closed.headers["etag"] != tag
    assert closed.text != open_page.text


async def test_signed_in_readers_get_no_shared_validator(
    client: httpx.AsyncClient, make_user: MakeUser, thread: tuple[int, int]
) -> None:
    path = f"/threads/{thread[0]}"
    guest_tag = (await client.get(path)).headers["etag"]
    await sign_in(client, await make_user())
    page = await _revalidate(client, path, guest_tag)
    assert page.status_code == 200
    assert "etag" not in page.headers
    assert page.headers["cache-control"] == "private, no-store"


async def test_each_guest_has_a_tag_of_their_own(
    app: object, client: httpx.AsyncClient, thread: tuple[int, int]
) -> None:
    # The page's forms carry the visitor's CSRF token: another browser's tag is not theirs.
    from tests.helpers import client_for

    path = f"/threads/{thread[0]}"
    tag = (await client.get(path)).headers["etag"]
    async with client_for(app) as other:  # type: ignore[arg-type]
        assert (await other.get(path, headers={"If-None-Match": tag})).status_code == 200


async def test_a_304_loads_no_post_and_renders_nothing(
    client: httpx.AsyncClient, thread: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = f"/threads/{thread[0]}"
    tag = (await client.get(path)).headers["etag"]

    def untouchable(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a revalidated page was loaded or rendered")

    monkeypatch.setattr(queries, "thread_detail", untouchable)
    monkeypatch.setattr("forum_server.web.templates.Templates.render_string", untouchable)
    assert (await _revalidate(client, path, tag)).status_code == 304
