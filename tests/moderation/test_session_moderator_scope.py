"""A moderator of one session acts on that session's threads and posts, not on the
whole space: suspending people there, its holding rules and its audit log are for the
space's moderators and owners and the secretariat."""

from __future__ import annotations

import httpx
import pytest

from forum_server.accounts.queries import UserView
from tests.conftest import MakeUser
from tests.helpers import bearer, token_for
from tests.moderation.conftest import World, post
from tests.moderation.test_moderation_pages import browser_as, forms_on, submit  # noqa: F401


@pytest.fixture
async def session_moderator(make_user: MakeUser, make_session, world: World) -> UserView:
    """Moderator of a second session of space A, and of nothing else."""
    user = await make_user(display_name="Session Moderator")
    session_id = await make_session(world.a.slug, moderator_ids=[user.id])
    world.ids["second_session"] = session_id
    return user


async def _own_thread(client: httpx.AsyncClient, world: World) -> int:
    detail = await client.get(
        f"/api/v1/sessions/{world.ids['second_session']}", headers=world.h("sec")
    )
    thread_id: int = detail.json()["questions"][0]["thread_id"]
    return thread_id


async def test_a_session_moderator_cannot_act_on_the_whole_space_over_the_api(
    client: httpx.AsyncClient, world: World, session_moderator: UserView
):
    h = bearer(await token_for(client, session_moderator))
    slug = world.a.slug
    refused = {
        "suspend": await client.post(
            f"/api/v1/spaces/{slug}/suspensions",
            json={"user_id": world.ids["ben"], "reason": "shouting"},
            headers=h,
        ),
        "suspensions": await client.get(f"/api/v1/spaces/{slug}/suspensions", headers=h),
        "holding": await client.put(
            f"/api/v1/spaces/{slug}/moderation", json={"hold_guest_posts": False}, headers=h
        ),
        "read holding": await client.get(f"/api/v1/spaces/{slug}/moderation", headers=h),
        "audit": await client.get(f"/api/v1/spaces/{slug}/audit", headers=h),
    }
    for what, response in refused.items():
        assert response.status_code == 403, (what, response.text)
    # The space's own moderator still may; the suspension shows nothing was changed.
    active = await client.get(f"/api/v1/spaces/{slug}/suspensions", headers=world.h("mod_a"))
    assert active.status_code == 200 and active.json()["items"] == []
    holding = await client.get(f"/api/v1/spaces/{slug}/moderation", headers=world.h("mod_a"))
    assert holding.json()["hold_guest_posts"] is True


async def test_a_session_moderator_still_moderates_their_own_session(
    client: httpx.AsyncClient, world: World, session_moderator: UserView
):
    h = bearer(await token_for(client, session_moderator))
    thread_id = await _own_thread(client, world)
    written = await post(client, thread_id, world.h("ben"))
    assert written.status_code == 201, written.text
    hidden = await client.post(
        f"/api/v1/posts/{written.json()['id']}/hide", json={"reason": "off topic"}, headers=h
    )
    assert hidden.status_code == 200 and hidden.json()["status"] == "hidden"
    locked = await client.post(f"/api/v1/threads/{thread_id}/lock", headers=h)
    assert locked.status_code == 200
    queue = await client.get("/api/v1/moderation/queue", headers=h)
    assert queue.status_code == 200


async def test_owners_may_act_on_the_whole_space(
    client: httpx.AsyncClient, world: World, add_member, make_user: MakeUser
):
    owner = await make_user(display_name="Owner A")
    await add_member(world.a.slug, owner.id, "owner")
    h = bearer(await token_for(client, owner))
    audit = await client.get(f"/api/v1/spaces/{world.a.slug}/audit", headers=h)
    assert audit.status_code == 200
    suspended = await client.post(
        f"/api/v1/spaces/{world.a.slug}/suspensions",
        json={"user_id": world.ids["ben"], "reason": "shouting"},
        headers=h,
    )
    assert suspended.status_code == 201


async def test_a_session_moderator_cannot_act_on_the_whole_space_in_pages(
    client: httpx.AsyncClient,
    world: World,
    session_moderator: UserView,
    browser_as,  # noqa: F811
):
    thread_id = await _own_thread(client, world)
    written = await post(client, thread_id, world.h("ben"))
    assert written.status_code == 201
    async with browser_as(session_moderator) as browser:
        thread_page = (await browser.get(f"/threads/{thread_id}")).text
        # Their controls for the post are there; suspending its author is not.
        assert f"/moderation/posts/{written.json()['id']}/hide" in thread_page
        assert "/suspend-author" not in thread_page
        suspend_page = f"/moderation/posts/{written.json()['id']}/suspend-author"
        assert (await browser.get(suspend_page)).status_code == 403
        queue = (await browser.get("/moderation")).text
        assert f"/spaces/{world.a.slug}/audit" not in queue
        audit = await browser.get(f"/spaces/{world.a.slug}/audit")
        assert audit.status_code == 403
        # A hand-made form is refused too.
        hide_page = f"/moderation/posts/{written.json()['id']}/hide"
        hidden = await submit(browser, hide_page, hide_page, reason="off topic")
        assert hidden.status_code == 303
        csrf = next(form["hidden"]["csrf_token"] for form in forms_on(thread_page))
        forged = await browser.post(
            f"/moderation/spaces/{world.a.slug}/suspensions",
            data={"csrf_token": csrf, "user_id": str(world.ids["ben"]), "reason": "shouting"},
        )
        assert forged.status_code == 403
    async with browser_as(world.users["mod_a"]) as browser:
        page = (await browser.get(f"/threads/{thread_id}")).text
        assert f"/moderation/posts/{written.json()['id']}/suspend-author" in page
        confirm = (
            await browser.get(f"/moderation/posts/{written.json()['id']}/suspend-author")
        ).text
        assert f"/moderation/spaces/{world.a.slug}/suspensions" in confirm
        assert (await browser.get(f"/spaces/{world.a.slug}/audit")).status_code == 200
