"""The pages: "Add to calendar" on session and space pages, the feed advertised where
anyone may read it, and the "Calendar and feeds" page with its reset."""

from __future__ import annotations

import httpx

from forum_server.accounts import management
from tests.conftest import SECRETARIAT
from tests.feeds.conftest import Places, feed_key_in
from tests.helpers import csrf_from, sign_in


async def test_session_and_space_pages_offer_the_calendar_and_feed(
    client: httpx.AsyncClient, places: Places
) -> None:
    session_page = (await client.get(f"/sessions/{places.public_session}")).text
    assert f'href="/api/v1/sessions/{places.public_session}/calendar.ics"' in session_page
    assert f'href="/api/v1/sessions/{places.public_session}/feed.atom"' in session_page
    space_page = (await client.get(f"/spaces/{places.public_slug}")).text
    assert f'href="/api/v1/spaces/{places.public_slug}/feed.atom"' in space_page

    await sign_in(client, places.member)
    members_page = (await client.get(f"/sessions/{places.members_session}")).text
    assert "feed.atom" not in members_page, "a members feed is only at a personal address"
    assert 'href="/profile/calendar"' in members_page


async def test_a_reset_ends_every_address_handed_out_before(
    client: httpx.AsyncClient, places: Places
) -> None:
    await sign_in(client, places.member)
    page = await client.get("/profile/calendar")
    assert page.status_code == 200
    old = feed_key_in(page.text)
    assert f"/api/v1/feeds/{old}/spaces/{places.members_slug}/feed.atom" in page.text
    assert (await client.get(f"/api/v1/feeds/{old}/calendar.ics")).status_code == 200

    token = await csrf_from(client, "/profile/calendar")
    reset = await client.post("/profile/calendar/reset", data={"csrf_token": token})
    assert reset.status_code == 303
    new = feed_key_in((await client.get(reset.headers["location"])).text)
    assert new != old
    assert (await client.get(f"/api/v1/feeds/{old}/calendar.ics")).status_code == 404
    assert (await client.get(f"/api/v1/feeds/{new}/calendar.ics")).status_code == 200


async def test_forged_and_deactivated_addresses_answer_nothing(
    client: httpx.AsyncClient, db, places: Places
) -> None:
    await sign_in(client, places.member)
    key = feed_key_in((await client.get("/profile/calendar")).text)
    client.cookies.clear()
    forged = key[:-2] + ("aa" if not key.endswith("aa") else "bb")
    for bad in (forged, "nonsense", "a" * 200, key.upper()[:-1]):
        assert (await client.get(f"/api/v1/feeds/{bad}/calendar.ics")).status_code == 404
    await management.deactivate_user(db, SECRETARIAT, places.member.id)
    assert (await client.get(f"/api/v1/feeds/{key}/calendar.ics")).status_code == 404


async def test_the_calendar_page_needs_a_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/profile/calendar", follow_redirects=False)
    assert response.status_code in (302, 303, 401)
