"""Participants flag posts; moderators work through the queue of held posts and open
flags of the spaces they moderate, and nothing else."""

from __future__ import annotations

from tests.moderation.conftest import World, audit_entries, events, guest_post, post, published


async def test_flag_a_post(client, world: World, db):
    post_id = await published(client, world)
    url = f"/api/v1/posts/{post_id}/flags"
    assert (await client.post(url, json={"reason": "insulting"})).status_code == 401
    assert (await client.post(url, json={}, headers=world.h("ana"))).status_code == 422
    created = await client.post(url, json={"reason": "insulting"}, headers=world.h("ana"))
    assert created.status_code == 201
    assert created.json()["post_id"] == post_id and created.json()["status"] == "open"
    again = await client.post(url, json={"reason": "still"}, headers=world.h("ana"))
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_flagged"
    # Someone else may flag it too; no event tells readers about flags.
    assert (
        await client.post(url, json={"reason": "x"}, headers=world.h("mod_b"))
    ).status_code == 201
    assert not [e for e in await events(db) if e["type"].startswith("flag.")]
    [first, _] = await audit_entries(db, "post.flagged")
    assert first.actor_id == world.ids["ana"] and first.reason == "insulting"


async def test_only_posts_one_may_see_can_be_flagged(client, world: World):
    inside = await post(client, world.m.thread_id, world.h("ana"), body="Members only.")
    url = f"/api/v1/posts/{inside.json()['id']}/flags"
    assert (await client.post(url, json={"reason": "x"}, headers=world.h("ben"))).status_code == 404
    held = (await guest_post(client, world.a.thread_id)).json()["id"]
    response = await client.post(
        f"/api/v1/posts/{held}/flags", json={"reason": "x"}, headers=world.h("ben")
    )
    assert response.status_code == 404


async def test_the_queue_holds_pending_posts_and_open_flags(client, world: World):
    held = (await guest_post(client, world.a.thread_id, body="From a guest")).json()["id"]
    flagged = await published(client, world, body="Flag me")
    await client.post(
        f"/api/v1/posts/{flagged}/flags", json={"reason": "rude"}, headers=world.h("ana")
    )
    in_b = await post(client, world.b.thread_id, world.h("ana"), body="In B")
    await client.post(
        f"/api/v1/posts/{in_b.json()['id']}/flags", json={"reason": "B"}, headers=world.h("ben")
    )

    queue = await client.get("/api/v1/moderation/queue", headers=world.h("mod_a"))
    assert queue.status_code == 200
    body = queue.json()
    assert [p["id"] for p in body["pending"]] == [held]
    assert body["pending"][0]["space"]["slug"] == world.a.slug
    assert body["pending"][0]["thread"]["id"] == world.a.thread_id
    [flag] = body["flags"]
    assert flag["post"]["id"] == flagged and flag["reason"] == "rude"
    assert flag["flagged_by"] == "Ana"

    theirs = (await client.get("/api/v1/moderation/queue", headers=world.h("mod_b"))).json()
    assert theirs["pending"] == [] and [f["reason"] for f in theirs["flags"]] == ["B"]
    everything = (await client.get("/api/v1/moderation/queue", headers=world.h("sec"))).json()
    assert len(everything["pending"]) == 1 and len(everything["flags"]) == 2
    one_space = await client.get(
        f"/api/v1/moderation/queue?space={world.b.slug}", headers=world.h("sec")
    )
    assert [f["reason"] for f in one_space.json()["flags"]] == ["B"]


async def test_the_queue_is_for_moderators(client, world: World):
    assert (await client.get("/api/v1/moderation/queue")).status_code == 401
    assert (await client.get("/api/v1/moderation/queue", headers=world.h("ana"))).status_code == 403
    other = await client.get(
        f"/api/v1/moderation/queue?space={world.b.slug}", headers=world.h("mod_a")
    )
    assert other.status_code == 403
    hidden = await client.get(
        f"/api/v1/moderation/queue?space={world.m.slug}", headers=world.h("mod_a")
    )
    assert hidden.status_code == 404


async def test_dismiss_a_flag(client, world: World, db):
    post_id = await published(client, world)
    flag = await client.post(
        f"/api/v1/posts/{post_id}/flags", json={"reason": "I disagree"}, headers=world.h("ana")
    )
    url = f"/api/v1/flags/{flag.json()['id']}/dismiss"
    assert (await client.post(url)).status_code == 401
    assert (await client.post(url, headers=world.h("ana"))).status_code == 403
    assert (await client.post(url, headers=world.h("mod_b"))).status_code == 403
    assert (
        await client.post("/api/v1/flags/9999/dismiss", headers=world.h("mod_a"))
    ).status_code == 404
    dismissed = await client.post(url, headers=world.h("mod_a"))
    assert dismissed.status_code == 200
    again = await client.post(url, headers=world.h("mod_a"))
    assert again.status_code == 409 and again.json()["error"]["code"] == "not_open"
    queue = (await client.get("/api/v1/moderation/queue", headers=world.h("mod_a"))).json()
    assert queue["flags"] == []
    [event] = await events(db, "flag.resolved")
    assert event["data"] == {
        "flag_id": flag.json()["id"],
        "post_id": post_id,
        "status": "dismissed",
    }
    [entry] = await audit_entries(db, "flag.dismissed")
    assert entry.actor_id == world.ids["mod_a"] and entry.reason == "I disagree"
    # Refusals were audited (the missing flag left no trace).
    assert [e.actor_id for e in await audit_entries(db, "refused")] == [
        world.ids["ana"],
        world.ids["mod_b"],
    ]


async def test_hiding_a_flagged_post_settles_its_flags(client, world: World, db):
    post_id = await published(client, world)
    for who in ("ana", "mod_b"):
        await client.post(
            f"/api/v1/posts/{post_id}/flags", json={"reason": "rude"}, headers=world.h(who)
        )
    await client.post(
        f"/api/v1/posts/{post_id}/hide", json={"reason": "rude"}, headers=world.h("mod_a")
    )
    queue = (await client.get("/api/v1/moderation/queue", headers=world.h("mod_a"))).json()
    assert queue["flags"] == []
    [entry] = await audit_entries(db, "post.hidden")
    assert '"flags_settled": 2' in entry.details
