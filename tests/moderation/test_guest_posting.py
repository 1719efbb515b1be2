"""The open forum: guests post without an account, held for review; the first posts of
new accounts can be held too; posting is rate-limited and the queue cannot be swamped."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select
from starlette.applications import Starlette

from forum_server.moderation.models import PostingHit
from forum_server.rooms import admission
from forum_server.throttle import Limit
from tests.helpers import BASE_URL, csrf_from
from tests.moderation.conftest import (
    GUEST_EMAIL,
    SECRET,
    World,
    events,
    guest_post,
    post,
)


def client_from(app: Starlette, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=(address, 4321))
    return httpx.AsyncClient(transport=transport, base_url=BASE_URL)


async def listed(client: httpx.AsyncClient, thread_id: int, headers=None) -> list[dict]:
    response = await client.get(f"/api/v1/threads/{thread_id}/posts", headers=headers or {})
    assert response.status_code == 200
    return response.json()["items"]


async def thread_count(client: httpx.AsyncClient, world: World) -> int:
    threads = (await client.get(f"/api/v1/sessions/{world.a.session_id}/threads")).json()
    return next(t["post_count"] for t in threads["items"] if t["id"] == world.a.thread_id)


async def test_a_guest_post_is_held_then_published_on_approval(client, world: World, db):
    response = await guest_post(
        client,
        world.a.thread_id,
        guest_name="  Dr. Amina Diallo ",
        guest_email=GUEST_EMAIL,
        body="Guests see the value of **regional** training.",
    )
    assert response.status_code == 202, response.text
    held = response.json()
    assert held["status"] == "pending"
    assert held["author"] == {
        "display_name": "Dr. Amina Diallo",
        "country": None,
        "organization": None,
        "guest": True,
    }
    assert GUEST_EMAIL not in response.text

    # Nobody but the moderators sees it yet, and it does not count.
    assert await listed(client, world.a.thread_id) == []
    assert await listed(client, world.a.thread_id, world.h("ana")) == []
    assert await listed(client, world.a.thread_id, world.h("mod_b")) == []
    as_moderator = await listed(client, world.a.thread_id, world.h("mod_a"))
    assert [p["id"] for p in as_moderator] == [held["id"]]
    assert await thread_count(client, world) == 0

    approved = await client.post(f"/api/v1/posts/{held['id']}/approve", headers=world.h("mod_a"))
    assert approved.status_code == 200 and approved.json()["status"] == "published"
    public = await listed(client, world.a.thread_id)
    assert [p["id"] for p in public] == [held["id"]]
    assert public[0]["html"].startswith("<p>Guests see the value of <strong>regional</strong>")
    assert await thread_count(client, world) == 1

    # Live: held (for the moderators only), then created as the public sees it.
    found = [e for e in await events(db) if e["type"].startswith("post.")]
    assert [e["type"] for e in found] == ["post.held", "post.created"]
    assert found[0]["data"]["status"] == "pending"
    assert found[1]["data"]["status"] == "published" and found[1]["data"]["id"] == held["id"]
    assert all(GUEST_EMAIL not in e["raw"] for e in await events(db))
    for response in (
        await client.get(f"/api/v1/threads/{world.a.thread_id}/posts"),
        await client.get(f"/api/v1/threads/{world.a.thread_id}/posts", headers=world.h("mod_a")),
        await client.get("/api/v1/moderation/queue", headers=world.h("mod_a")),
        await client.get(f"/api/v1/spaces/{world.a.slug}/audit", headers=world.h("mod_a")),
        await client.get(f"/api/v1/spaces/{world.a.slug}/audit?format=csv", headers=world.h("sec")),
        await client.get(f"/threads/{world.a.thread_id}"),
    ):
        assert response.status_code == 200
        assert GUEST_EMAIL not in response.text


async def test_guest_input_is_checked(client, world: World):
    missing = await post(client, world.a.thread_id, {})
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "guest_name"
    spoofed = await guest_post(client, world.a.thread_id, guest_name="Admin\u202e")
    assert spoofed.status_code == 422 and spoofed.json()["error"]["field"] == "guest_name"
    blank = await guest_post(client, world.a.thread_id, guest_name="   ")
    assert blank.status_code == 422
    email = await guest_post(client, world.a.thread_id, guest_email="not an address")
    assert email.status_code == 422 and email.json()["error"]["field"] == "guest_email"
    as_user = await post(client, world.a.thread_id, world.h("ana"), guest_name="Someone")
    assert as_user.status_code == 422 and as_user.json()["error"]["field"] == "guest_name"


async def test_guests_post_only_in_open_forums(client, world: World):
    assert (await guest_post(client, world.b.thread_id)).status_code == 401
    # A members-only space does not exist for a guest.
    assert (await guest_post(client, world.m.thread_id)).status_code == 404


async def test_the_first_posts_of_new_accounts_can_be_held(client, world: World):
    rules = await client.put(
        f"/api/v1/spaces/{world.a.slug}/moderation",
        json={"hold_first_posts": 1},
        headers=world.h("mod_a"),
    )
    assert rules.status_code == 200 and rules.json()["hold_first_posts"] == 1
    first = await post(client, world.a.thread_id, world.h("ana"))
    assert first.status_code == 202 and first.json()["status"] == "pending"
    # The author sees their own held post; others do not.
    mine = await listed(client, world.a.thread_id, world.h("ana"))
    assert [p["status"] for p in mine] == ["pending"]
    assert await listed(client, world.a.thread_id, world.h("ben")) == []
    await client.post(f"/api/v1/posts/{first.json()['id']}/approve", headers=world.h("mod_a"))
    second = await post(client, world.a.thread_id, world.h("ana"), body="And a second one.")
    assert second.status_code == 201 and second.json()["status"] == "published"
    # Moderators are never held.
    own = await post(client, world.a.thread_id, world.h("mod_a"), body="Welcome, all.")
    assert own.status_code == 201


async def test_a_held_topic_keeps_its_title_unseen_until_approved(client, world: World, db):
    sid, mod = world.a.session_id, world.h("mod_a")
    topics = await client.patch(
        f"/api/v1/sessions/{sid}", json={"participant_topics": True}, headers=mod
    )
    assert topics.status_code == 200
    await client.put(
        f"/api/v1/spaces/{world.a.slug}/moderation", json={"hold_first_posts": 1}, headers=mod
    )
    url = f"/api/v1/sessions/{sid}/threads"
    held = await client.post(
        url, json={"title": f"Cheap pills {SECRET}", "body": "Buy now."}, headers=world.h("ana")
    )
    assert held.status_code == 202 and held.json()["first_post"]["status"] == "pending"
    thread_id = held.json()["id"]

    async def titles(headers: dict[str, str]) -> list[str]:
        return [t["title"] for t in (await client.get(url, headers=headers)).json()["items"]]

    for reader in (world.h("ben"), {}):
        assert not any(SECRET in title for title in await titles(reader))
        posts = await client.get(f"/api/v1/threads/{thread_id}/posts", headers=reader)
        assert posts.status_code == 404
    assert SECRET not in (await client.get(f"/sessions/{sid}")).text
    assert await events(db, "thread.created") == []
    for who in (world.h("ana"), mod):  # the author and the moderators see it
        assert any(SECRET in title for title in await titles(who))
    post_id = held.json()["first_post"]["id"]
    await client.post(f"/api/v1/posts/{post_id}/approve", headers=mod)
    assert any(SECRET in title for title in await titles({}))
    [announced] = await events(db, "thread.created")
    assert announced["data"]["id"] == thread_id
    # A turned-down topic's title stays out of the session's report too.
    spam = await client.post(
        url, json={"title": "Rejected CANARY-topic", "body": "Spam."}, headers=world.h("ben")
    )
    await client.post(f"/api/v1/posts/{spam.json()['first_post']['id']}/reject", headers=mod)
    report = await client.get(f"/api/v1/sessions/{sid}/report?format=md", headers=mod)
    assert report.status_code == 200 and SECRET in report.text
    assert "Rejected CANARY-topic" not in report.text


async def test_a_space_can_publish_guests_at_once(client, world: World, db):
    await client.put(
        f"/api/v1/spaces/{world.a.slug}/moderation",
        json={"hold_guest_posts": False},
        headers=world.h("mod_a"),
    )
    [changed] = await events(db, "space.holding_changed")
    assert changed["data"]["hold_guest_posts"] is False
    response = await guest_post(client, world.a.thread_id)
    assert response.status_code == 201 and response.json()["status"] == "published"


async def test_holding_rules_belong_to_the_space_moderators(client, world: World):
    url = f"/api/v1/spaces/{world.a.slug}/moderation"
    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, headers=world.h("ana"))).status_code == 403
    assert (
        await client.put(url, json={"hold_first_posts": 3}, headers=world.h("mod_b"))
    ).status_code == 403
    rules = await client.get(url, headers=world.h("mod_a"))
    assert rules.json() == {
        "space": world.a.slug,
        "guest_posting": True,
        "hold_guest_posts": True,
        "hold_first_posts": 0,
        "account_post_limit": 30,
        "guest_post_limit": 5,
        "post_limit_minutes": 10,
    }
    bad = await client.put(url, json={"hold_first_posts": -1}, headers=world.h("mod_a"))
    assert bad.status_code == 422


# --- rate limits --------------------------------------------------------------------


async def test_guests_are_rate_limited_per_address(app, world: World):
    async with (
        client_from(app, "198.51.100.7") as flooder,
        client_from(app, "203.0.113.9") as other,
    ):
        for n in range(admission.GUEST_LIMIT.count):
            response = await guest_post(flooder, world.a.thread_id, body=f"Message {n}")
            assert response.status_code == 202, response.text
        refused = await guest_post(flooder, world.a.thread_id, body="One more")
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "rate_limited"
        wait = int(refused.headers["Retry-After"])
        assert 0 < wait <= int(admission.GUEST_LIMIT.window.total_seconds()) + 1
        # Someone else, elsewhere, is not held back by the flood.
        assert (await guest_post(other, world.a.thread_id)).status_code == 202


async def test_users_are_rate_limited(client, world: World):
    for n in range(admission.USER_LIMIT.count):
        response = await post(client, world.a.thread_id, world.h("ana"), body=f"Point {n}")
        assert response.status_code == 201, response.text
    refused = await post(client, world.a.thread_id, world.h("ana"), body="Point too many")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    # Counted per account: Ben still posts.
    assert (await post(client, world.a.thread_id, world.h("ben"))).status_code == 201


async def test_the_queue_cannot_be_swamped(app, world: World, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(admission, "MAX_PENDING_GUEST_POSTS", 3)
    for n in range(3):
        async with client_from(app, f"192.0.2.{n + 1}") as guest:
            assert (await guest_post(guest, world.a.thread_id)).status_code == 202
    async with client_from(app, "192.0.2.200") as late:
        refused = await guest_post(late, world.a.thread_id)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "queue_full" and refused.headers["Retry-After"]


async def test_rate_limits_are_counted_in_the_database(client, world: World, monkeypatch, db):
    """Another process sees the same counts: nothing is kept in memory."""
    monkeypatch.setattr(admission, "USER_LIMIT", Limit(2, admission.USER_LIMIT.window))
    await post(client, world.a.thread_id, world.h("ben"))
    await post(client, world.a.thread_id, world.h("ben"))
    async with db.read() as session:
        count = await session.scalar(select(func.count()).select_from(PostingHit))
    assert count == 2
    assert (await post(client, world.a.thread_id, world.h("ben"))).status_code == 429


async def test_guests_posting_from_the_page_are_counted_per_address(app, world: World):
    async def send(client: httpx.AsyncClient, n: int) -> httpx.Response:
        token = await csrf_from(client, f"/threads/{world.a.thread_id}/guest-post")
        return await client.post(
            f"/threads/{world.a.thread_id}/guest-post",
            data={"csrf_token": token, "guest_name": "Guest", "body": f"Message {n}"},
        )

    async with (
        client_from(app, "198.51.100.7") as flooder,
        client_from(app, "203.0.113.9") as other,
    ):
        for n in range(admission.GUEST_LIMIT.count):
            assert (await send(flooder, n)).status_code == 303
        refused = await send(flooder, 99)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
        assert "posting too often" in refused.text and "Message 99" in refused.text  # kept
        assert (await send(other, 1)).status_code == 303
