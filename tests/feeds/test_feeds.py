"""Atom feeds: valid XML with the right entries, nothing held or hidden, titles and
bodies escaped; a members space's feeds only through its members' own addresses."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import httpx
from starlette.applications import Starlette

from forum_server.db import Database
from forum_server.moderation import holding
from forum_server.moderation.posts import hide_post
from forum_server.moderation.schemas import SettingsUpdate
from forum_server.rooms import members, posting
from forum_server.rooms.schemas import PostCreate
from tests.conftest import SECRETARIAT, MakeUser
from tests.feeds.conftest import Places, actor, personal_base
from tests.helpers import bearer, token_for

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response: httpx.Response) -> list[ET.Element]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None
    return feed.findall(f"{ATOM}entry")


def text(entry: ET.Element, tag: str) -> str:
    found = entry.find(f"{ATOM}{tag}")
    assert found is not None and found.text is not None
    return found.text


async def test_a_session_feed_holds_its_published_posts_newest_first(
    client: httpx.AsyncClient, db: Database, make_user: MakeUser, places: Places
) -> None:
    writer = await make_user(display_name='Ana <b>"Writer"</b>')
    first = await posting.create_post(
        db, actor(writer), places.public_thread, PostCreate(body="First <script>x()</script>")
    )
    second = await posting.create_post(
        db, actor(writer), places.public_thread, PostCreate(body="Second thoughts")
    )
    hidden = await posting.create_post(
        db, actor(writer), places.public_thread, PostCreate(body="Unkind words")
    )
    await hide_post(db, SECRETARIAT, hidden.post.id, reason="Unkind")
    found = entries(await client.get(f"/api/v1/sessions/{places.public_session}/feed.atom"))
    links = [e.find(f"{ATOM}link").get("href") for e in found]  # type: ignore[union-attr]
    assert [link.rsplit("#", 1)[1] for link in links] == [
        f"post-{second.post.id}",
        f"post-{first.post.id}",
    ]
    assert text(found[1].find(f"{ATOM}author"), "name") == 'Ana <b>"Writer"</b>'  # type: ignore[arg-type]
    content = text(found[1], "content")
    assert "<script>" not in content and "First" in content
    assert all("Unkind" not in text(e, "content") for e in found)


async def test_a_space_feed_lists_its_sessions(client: httpx.AsyncClient, places: Places) -> None:
    found = entries(await client.get(f"/api/v1/spaces/{places.public_slug}/feed.atom"))
    assert [text(e, "title") for e in found] == ["Public consultation"]


async def test_a_members_feed_works_through_a_members_address_until_they_leave(
    app: Starlette, client: httpx.AsyncClient, db: Database, places: Places
) -> None:
    paths = (
        f"/sessions/{places.members_session}/feed.atom",
        f"/spaces/{places.members_slug}/feed.atom",
    )
    for path in paths:
        assert (await client.get("/api/v1" + path)).status_code == 404
    outsider = await personal_base(app, db, places.outsider)
    member = await personal_base(app, db, places.member)
    for path in paths:
        assert (await client.get(outsider + path)).status_code == 404
        response = await client.get(member + path)
        assert len(entries(response)) == 1
        assert "no-store" in response.headers["cache-control"]
    (post,) = entries(await client.get(member + paths[0]))
    assert "Zorblaxite" in text(post, "content")

    await members.remove_member(db, SECRETARIAT, places.members_slug, places.member.id)
    for path in paths:
        assert (await client.get(member + path)).status_code == 404
    assert (await client.get(member + "/calendar.ics")).status_code == 200


async def test_held_posts_stay_out_of_every_feed(
    app: Starlette, client: httpx.AsyncClient, db: Database, make_user: MakeUser, places: Places
) -> None:
    """Even the author's own address and the secretariat's leave a held post out: a
    feed reader keeps what it fetched, and the post may yet be turned down."""
    await holding.change_holding_rules(
        db, SECRETARIAT, places.public_slug, SettingsUpdate(hold_first_posts=1)
    )
    newcomer = await make_user(display_name="New Comer")
    held = await posting.create_post(
        db, actor(newcomer), places.public_thread, PostCreate(body="Held for review")
    )
    assert held.post.status == "pending"
    path = f"/sessions/{places.public_session}/feed.atom"
    secretariat = await make_user(display_name="Sec", is_secretariat=True)
    for base in (
        "/api/v1",
        await personal_base(app, db, newcomer),
        await personal_base(app, db, secretariat),
    ):
        assert entries(await client.get(base + path)) == []


async def test_a_members_board_feed_works_through_a_members_address_until_they_leave(
    app: Starlette, client: httpx.AsyncClient, db: Database, make_user: MakeUser, places: Places
) -> None:
    notice = {"kind": "announcement", "title": "Zorblaxite call", "language": "en"}
    staff = await token_for(client, await make_user(is_secretariat=True))
    posted = await client.post(
        f"/api/v1/spaces/{places.members_slug}/board", json=notice, headers=bearer(staff)
    )
    assert posted.status_code == 201, posted.text
    path = f"/spaces/{places.members_slug}/board/feed"
    assert (await client.get("/api/v1" + path)).status_code == 404
    outsider = await personal_base(app, db, places.outsider)
    member = await personal_base(app, db, places.member)
    assert (await client.get(outsider + path)).status_code == 404
    (entry,) = entries(await client.get(member + path + "?kind=announcement"))
    assert text(entry, "title") == "Zorblaxite call"
    assert (await client.get(member.replace("/feeds/", "/feeds/x") + path)).status_code == 404

    await members.remove_member(db, SECRETARIAT, places.members_slug, places.member.id)
    assert (await client.get(member + path)).status_code == 404
