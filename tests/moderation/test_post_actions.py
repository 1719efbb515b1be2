"""Moderators' actions on posts and threads, their events, and their refusal for
anyone else — refusals audited in the space that was reached into."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.moderation.conftest import World, audit_entries, events, guest_post, post, published

SECRET = "CANARY-hidden-text-7f3a"


async def listed(client: httpx.AsyncClient, thread_id: int, headers=None) -> list[dict]:
    response = await client.get(f"/api/v1/threads/{thread_id}/posts", headers=headers or {})
    return response.json()["items"]


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("approve", {}),
        ("reject", {"reason": "off topic"}),
        ("hide", {"reason": "insulting"}),
        ("restore", {}),
        ("highlight", {}),
        ("unhighlight", {}),
    ],
)
async def test_post_actions_are_refused_to_others(client, world: World, db, action, body):
    post_id = await published(client, world)
    url = f"/api/v1/posts/{post_id}/{action}"
    assert (await client.post(url, json=body)).status_code == 401
    assert (await client.post(url, json=body, headers=world.h("ana"))).status_code == 403
    overreach = await client.post(url, json=body, headers=world.h("mod_b"))
    assert overreach.status_code == 403
    refused = await audit_entries(db, "refused")
    assert [(e.actor_id, e.target_type, e.target_id) for e in refused] == [
        (world.ids["ana"], "post", post_id),
        (world.ids["mod_b"], "post", post_id),
    ]
    assert {e.details for e in refused} == {
        f'{{"attempted": "post.{action}", "code": "forbidden"}}'
    }
    space_a = refused[0].space_id
    assert space_a is not None and all(e.space_id == space_a for e in refused)


async def test_a_moderator_reaching_into_a_members_space_finds_nothing(client, world: World, db):
    inside = await post(client, world.m.thread_id, world.h("ana"), body="Members only.")
    assert inside.status_code == 201
    post_id = inside.json()["id"]
    for action, body in (("hide", {"reason": "x"}), ("approve", {}), ("highlight", {})):
        response = await client.post(
            f"/api/v1/posts/{post_id}/{action}", json=body, headers=world.h("mod_b")
        )
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    lock = await client.post(f"/api/v1/threads/{world.m.thread_id}/lock", headers=world.h("mod_b"))
    assert lock.status_code == 404
    refused = await audit_entries(db, "refused")
    assert len(refused) == 4 and {e.details.count("not_found") for e in refused} == {1}
    # The workspace's moderators see the attempt; the outsider's own log does not.
    log = await client.get(f"/api/v1/spaces/{world.m.slug}/audit", headers=world.h("mod_m"))
    assert [e["action"] for e in log.json()["items"]] == ["refused"] * 4
    mine = await client.get(f"/api/v1/spaces/{world.b.slug}/audit", headers=world.h("mod_b"))
    assert mine.json()["items"] == []


async def test_hide_shows_a_placeholder_and_never_the_text(client, world: World, db):
    post_id = await published(client, world, body=f"Something rude: {SECRET}")
    no_reason = await client.post(
        f"/api/v1/posts/{post_id}/hide", json={}, headers=world.h("mod_a")
    )
    assert no_reason.status_code == 422 and no_reason.json()["error"]["field"] == "reason"
    hidden = await client.post(
        f"/api/v1/posts/{post_id}/hide",
        json={"reason": "Personal attack <b>removed</b>"},
        headers=world.h("mod_a"),
    )
    assert hidden.status_code == 200
    assert hidden.json()["status"] == "hidden" and SECRET in hidden.json()["body"]  # moderator

    for who in ("anonymous", "ana", "ben", "mod_b"):
        [shown] = await listed(client, world.a.thread_id, world.h(who))
        assert shown["status"] == "hidden" and shown["body"] == ""
        assert SECRET not in str(shown)
        assert "hidden by a moderator" in shown["html"]
        assert "Personal attack &lt;b&gt;removed&lt;/b&gt;" in shown["html"]
        assert shown["moderation_reason"] == "Personal attack <b>removed</b>"
    page = await client.get(f"/threads/{world.a.thread_id}")
    assert page.status_code == 200 and SECRET not in page.text
    assert "Personal attack &lt;b&gt;removed&lt;/b&gt;" in page.text
    [event] = await events(db, "post.hidden")
    assert SECRET not in event["raw"]
    assert event["data"]["status"] == "hidden" and event["data"]["body"] == ""
    assert "hidden by a moderator" in event["data"]["html"]

    # A reply to a hidden post is refused; editing it is the moderators' only.
    reply = await post(client, world.a.thread_id, world.h("ana"), parent_id=post_id)
    assert reply.status_code == 422

    restored = await client.post(f"/api/v1/posts/{post_id}/restore", headers=world.h("mod_a"))
    assert restored.status_code == 200 and restored.json()["moderation_reason"] is None
    [shown] = await listed(client, world.a.thread_id)
    assert shown["status"] == "published" and SECRET in shown["body"]
    [event] = await events(db, "post.restored")
    assert event["data"]["status"] == "published" and SECRET in event["data"]["html"]
    again = await client.post(f"/api/v1/posts/{post_id}/restore", headers=world.h("mod_a"))
    assert again.status_code == 409 and again.json()["error"]["code"] == "not_hidden"


async def test_an_edited_hidden_post_stays_a_placeholder_in_events(client, world: World, db):
    post_id = await published(client, world)
    await client.post(
        f"/api/v1/posts/{post_id}/hide", json={"reason": "spam"}, headers=world.h("mod_a")
    )
    edited = await client.patch(
        f"/api/v1/posts/{post_id}",
        json={"body": f"Edited {SECRET}", "note": "cut the link"},
        headers=world.h("mod_a"),
    )
    assert edited.status_code == 200
    [event] = await events(db, "post.edited")
    assert SECRET not in event["raw"]
    [entry] = await audit_entries(db, "post.edited")
    assert entry.actor_id == world.ids["mod_a"] and entry.reason == "cut the link"


async def test_approve_and_reject_decide_held_posts(client, world: World, db):
    first = (await guest_post(client, world.a.thread_id, body="Please publish")).json()["id"]
    second = (await guest_post(client, world.a.thread_id, body=f"Spam {SECRET}")).json()["id"]
    rejected = await client.post(
        f"/api/v1/posts/{second}/reject", json={"reason": "advertising"}, headers=world.h("mod_a")
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    [event] = await events(db, "post.rejected")
    assert event["data"] == {  # no text; the author (here a guest) to tell their page
        "id": second,
        "thread_id": world.a.thread_id,
        "status": "rejected",
        "author": {"id": None},
    }
    for action in ("approve", "reject"):
        twice = await client.post(f"/api/v1/posts/{second}/{action}", headers=world.h("mod_a"))
        assert twice.status_code == 409 and twice.json()["error"]["code"] == "not_pending"
    pid = await published(client, world)
    not_held = await client.post(f"/api/v1/posts/{pid}/approve", headers=world.h("mod_a"))
    assert not_held.status_code == 409
    await client.post(f"/api/v1/posts/{first}/approve", headers=world.h("sec"))
    public = await listed(client, world.a.thread_id)
    assert [p["id"] for p in public] == [first, pid]
    assert SECRET not in str(public)
    # A participant asking for a rejected post is told it does not exist.
    assert (
        await client.post(f"/api/v1/posts/{second}/approve", headers=world.h("ana"))
    ).status_code == 404


async def test_highlight_marks_a_post_for_the_report(client, world: World, db):
    post_id = await published(client, world)
    on = await client.post(f"/api/v1/posts/{post_id}/highlight", headers=world.h("mod_a"))
    assert on.status_code == 200 and on.json()["highlighted"] is True
    await client.post(f"/api/v1/posts/{post_id}/highlight", headers=world.h("mod_a"))  # no-op
    [shown] = await listed(client, world.a.thread_id)
    assert shown["highlighted"] is True
    off = await client.post(f"/api/v1/posts/{post_id}/unhighlight", headers=world.h("mod_a"))
    assert off.json()["highlighted"] is False
    assert [e["type"] for e in await events(db) if "highlight" in e["type"]] == [
        "post.highlighted",
        "post.unhighlighted",
    ]
    assert len(await audit_entries(db, "post.highlighted")) == 1


async def test_lock_and_unlock_a_thread(client, world: World, db):
    url = f"/api/v1/threads/{world.a.thread_id}"
    assert (await client.post(f"{url}/lock")).status_code == 401
    assert (await client.post(f"{url}/lock", headers=world.h("ana"))).status_code == 403
    assert (await client.post(f"{url}/lock", headers=world.h("mod_b"))).status_code == 403
    locked = await client.post(
        f"{url}/lock", json={"reason": "cooling off"}, headers=world.h("mod_a")
    )
    assert locked.json() == {"id": world.a.thread_id, "locked": True}
    refused = await post(client, world.a.thread_id, world.h("ana"))
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "thread_locked"
    guest = await guest_post(client, world.a.thread_id)
    assert guest.status_code == 409
    unlocked = await client.post(f"{url}/unlock", headers=world.h("mod_a"))
    assert unlocked.json()["locked"] is False
    assert (await post(client, world.a.thread_id, world.h("ana"))).status_code == 201
    found = [e for e in await events(db) if e["type"].startswith("thread.")]
    assert [e["type"] for e in found] == ["thread.locked", "thread.unlocked"]
    assert found[0]["data"]["locked"] is True
    [entry] = await audit_entries(db, "thread.locked")
    assert entry.reason == "cooling off" and entry.target_id == world.a.thread_id


async def test_refusals_are_logged_at_most_ten_a_minute_per_person(client, world: World, db):
    from forum_server.moderation.guard import REFUSALS_PER_MINUTE

    post_id = await published(client, world, "ana")
    for _ in range(REFUSALS_PER_MINUTE + 15):
        response = await client.post(
            f"/api/v1/posts/{post_id}/hide", json={"reason": "x"}, headers=world.h("ben")
        )
        assert response.status_code == 403  # every attempt is still refused
    refused = await audit_entries(db, "refused")
    assert len(refused) == REFUSALS_PER_MINUTE
    assert all(e.actor_id == world.ids["ben"] for e in refused)
    assert json.loads(refused[-1].details)["limit_reached"] is True
    assert "limit_reached" not in json.loads(refused[0].details)
    # Counted per person: someone else's refusal is still written.
    other = await client.post(
        f"/api/v1/posts/{post_id}/hide", json={"reason": "x"}, headers=world.h("mod_b")
    )
    assert other.status_code == 403
    assert len(await audit_entries(db, "refused")) == REFUSALS_PER_MINUTE + 1
