"""Posting limits: what is checked before Markdown is rendered, retries past the limit,
limits a space's moderators set, and guests counted per network."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from starlette.applications import Starlette

from forum_server.rooms import admission, mentions
from forum_server.rooms.markdown import MAX_SOURCE_CHARS
from forum_server.throttle import Limit
from tests.moderation.conftest import World, guest_post, post
from tests.moderation.test_guest_posting import client_from

# As costly to render as a post may be: 20,000 characters of unclosed brackets.
HEAVY = "[" * MAX_SOURCE_CHARS


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the Markdown renders of posts (the costly part of a post)."""
    counted: list[int] = []
    render = mentions.render_markdown_off_loop  # posts and edits render there

    async def counting(source: str, **options: str) -> str:
        counted.append(len(source))
        return await render(source, **options)

    monkeypatch.setattr(mentions, "render_markdown_off_loop", counting)
    return counted


async def test_refused_anonymous_contributions_are_never_rendered(
    client: httpx.AsyncClient, world: World, renders: list[int]
) -> None:
    """Forum B takes no guests: 20 KB from nobody in particular costs no rendering."""
    refused = await post(client, world.b.thread_id, {}, body=HEAVY, guest_name="Flood")
    assert refused.status_code == 401
    topic = await client.post(
        f"/api/v1/sessions/{world.b.session_id}/threads", json={"title": "T", "body": HEAVY}
    )
    assert topic.status_code == 401
    mine = await post(client, world.b.thread_id, world.h("ana"), body="Mine")
    assert mine.status_code == 201
    edit = await client.patch(f"/api/v1/posts/{mine.json()['id']}", json={"body": HEAVY})
    assert edit.status_code == 401
    not_hers = await client.patch(
        f"/api/v1/posts/{mine.json()['id']}", json={"body": HEAVY}, headers=world.h("ben")
    )
    assert not_hers.status_code == 403
    # A closed thread, a members-only session: refused before rendering too.
    locked = await client.post(
        f"/api/v1/threads/{world.b.thread_id}/lock", headers=world.h("mod_b")
    )
    assert locked.status_code == 200
    on_locked = await post(client, world.b.thread_id, world.h("ben"), body=HEAVY)
    assert on_locked.status_code == 409
    hidden = await post(client, world.m.thread_id, world.h("ben"), body=HEAVY)
    assert hidden.status_code == 404
    assert renders == [len("Mine")]


async def test_a_guest_past_the_limit_is_refused_before_rendering(
    app: Starlette, world: World, renders: list[int]
) -> None:
    async with client_from(app, "198.51.100.7") as guest:
        for n in range(admission.GUEST_LIMIT.count):
            assert (await guest_post(guest, world.a.thread_id, body=f"M{n}")).status_code == 202
        refused = await guest_post(guest, world.a.thread_id, body=HEAVY)
    assert refused.status_code == 429
    assert MAX_SOURCE_CHARS not in renders


async def test_a_retry_past_the_limit_gets_the_original(
    client: httpx.AsyncClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(admission, "USER_LIMIT", Limit(2, admission.USER_LIMIT.window))
    first = await post(client, world.a.thread_id, world.h("ben"), body="One", client_id="c-1")
    assert first.status_code == 201
    assert (await post(client, world.a.thread_id, world.h("ben"), body="Two")).status_code == 201
    assert (await post(client, world.a.thread_id, world.h("ben"), body="3")).status_code == 429
    retry = await post(client, world.a.thread_id, world.h("ben"), body="One", client_id="c-1")
    assert retry.status_code == 200 and retry.json()["id"] == first.json()["id"]


async def test_moderators_set_the_space_posting_limits(
    app: Starlette, client: httpx.AsyncClient, world: World
) -> None:
    url = f"/api/v1/spaces/{world.a.slug}/moderation"
    refused = await client.put(url, json={"account_post_limit": 2}, headers=world.h("ana"))
    assert refused.status_code == 403
    rules = await client.put(
        url, json={"account_post_limit": 2, "guest_post_limit": 1}, headers=world.h("mod_a")
    )
    assert rules.status_code == 200, rules.text
    assert rules.json()["account_post_limit"] == 2 and rules.json()["guest_post_limit"] == 1
    assert (
        await client.put(url, json={"guest_post_limit": 0}, headers=world.h("mod_a"))
    ).status_code == 422
    for n in range(2):
        assert (
            await post(client, world.a.thread_id, world.h("ben"), body=f"P{n}")
        ).status_code == 201
    assert (await post(client, world.a.thread_id, world.h("ben"))).status_code == 429
    # Forum B keeps the defaults.
    assert (await post(client, world.b.thread_id, world.h("ben"))).status_code == 201
    async with client_from(app, "203.0.113.5") as guest:
        assert (await guest_post(guest, world.a.thread_id)).status_code == 202
        assert (await guest_post(guest, world.a.thread_id, body="Again")).status_code == 429


def test_guests_are_counted_per_ipv6_64_and_per_ipv4_address() -> None:
    net = admission.network_of
    assert net("2001:db8:1:2::1") == net("2001:db8:1:2:ffff:1:2:3") == "2001:db8:1:2::/64"
    assert net("2001:db8:1:3::1") != net("2001:db8:1:2::1")
    assert net("198.51.100.7") == "198.51.100.7" != net("198.51.100.8")
    assert net("::ffff:198.51.100.7") == "198.51.100.7"
    assert net(None) == net("unknown") == net("not an address") == "unknown"


async def test_one_ipv6_network_shares_one_guest_limit(app: Starlette, world: World) -> None:
    for n in range(admission.GUEST_LIMIT.count):
        async with client_from(app, f"2001:db8:1:2::{n + 1:x}") as guest:
            assert (await guest_post(guest, world.a.thread_id, body=f"M{n}")).status_code == 202
    async with client_from(app, "2001:db8:1:2:abcd::99") as same_network:
        assert (await guest_post(same_network, world.a.thread_id)).status_code == 429
    async with client_from(app, "2001:db8:1:3::1") as other_network:
        assert (await guest_post(other_network, world.a.thread_id)).status_code == 202


async def test_one_network_fills_only_its_share_of_the_review_queue(
    app: Starlette, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(admission, "GUEST_LIMIT", Limit(100, admission.GUEST_LIMIT.window))
    monkeypatch.setattr(admission, "MAX_PENDING_PER_NETWORK", 3)
    async with client_from(app, "2001:db8:aaaa:1::1") as flood:
        for n in range(3):
            assert (await guest_post(flood, world.a.thread_id, body=f"F{n}")).status_code == 202
        full = await guest_post(flood, world.a.thread_id, body="More")
    assert full.status_code == 429 and full.json()["error"]["code"] == "queue_full"
    for address in ("2001:db8:bbbb:1::1", "198.51.100.20"):
        async with client_from(app, address) as other:
            assert (await guest_post(other, world.a.thread_id)).status_code == 202


# --- at once: counted and looked up atomically (PostgreSQL runs these in parallel) ---


async def test_concurrent_posts_never_pass_the_account_limit(
    client: httpx.AsyncClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(admission, "USER_LIMIT", Limit(5, admission.USER_LIMIT.window))
    # Spread over two sessions: the session's own lock does not serialize them.
    threads = [world.a.thread_id, world.b.thread_id, world.a.other_thread_id]
    answers = await asyncio.gather(
        *(post(client, threads[n % 3], world.h("ben"), body=f"At once {n}") for n in range(16))
    )
    assert sorted(r.status_code for r in answers) == [201] * 5 + [429] * 11


async def test_concurrent_guest_posts_never_pass_the_network_limit(
    app: Starlette, world: World
) -> None:
    async with client_from(app, "2001:db8:5::1") as guest:
        answers = await asyncio.gather(
            *(guest_post(guest, world.a.thread_id, body=f"At once {n}") for n in range(12))
        )
    assert sorted(r.status_code for r in answers) == [202] * 5 + [429] * 7


async def test_identical_topic_retries_at_once_all_get_the_original(
    client: httpx.AsyncClient, world: World
) -> None:
    sid = world.a.session_id
    allowed = await client.patch(
        f"/api/v1/sessions/{sid}", json={"participant_topics": True}, headers=world.h("mod_a")
    )
    assert allowed.status_code == 200
    topic = {"title": "Regional networks", "body": "Let us compare notes.", "client_id": "t-9"}
    answers = await asyncio.gather(
        *(
            client.post(f"/api/v1/sessions/{sid}/threads", json=topic, headers=world.h("ben"))
            for _ in range(8)
        )
    )
    assert sorted(r.status_code for r in answers) == [200] * 7 + [201], [
        r.text for r in answers if r.status_code >= 400
    ]
    assert len({r.json()["id"] for r in answers}) == 1
    assert len({r.json()["first_post"]["id"] for r in answers}) == 1
