"""Suspensions: refused with the reason and the end, lifted, site-wide ones end every
sign-in; only the space's moderators (or the secretariat) suspend."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from forum_server.i18n import format_datetime
from forum_server.moderation.models import Suspension
from forum_server.orm import utcnow
from tests.helpers import bearer, client_for, sign_in, token_for
from tests.moderation.conftest import World, audit_entries, events, post


async def suspend(client, world: World, who: str, user: str, **fields):
    body = {"user_id": world.ids[user], "reason": "Repeated personal attacks", **fields}
    return await client.post(
        f"/api/v1/spaces/{world.a.slug}/suspensions", json=body, headers=world.h(who)
    )


async def test_a_suspended_user_is_refused_with_the_reason_and_the_end(client, world: World, db):
    until = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    created = await suspend(client, world, "mod_a", "ana", until=until.isoformat())
    assert created.status_code == 201, created.text
    suspension = created.json()
    assert suspension["active"] is True and suspension["user"]["id"] == world.ids["ana"]

    refused = await post(client, world.a.thread_id, world.h("ana"))
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["code"] == "suspended"
    assert "Repeated personal attacks" in error["message"]
    assert format_datetime(until) in error["message"]  # as English writes it, in UTC
    # Only in that space.
    assert (await post(client, world.b.thread_id, world.h("ana"))).status_code == 201

    listed = await client.get(
        f"/api/v1/spaces/{world.a.slug}/suspensions?active=1", headers=world.h("mod_a")
    )
    assert [s["id"] for s in listed.json()["items"]] == [suspension["id"]]

    lift_url = f"/api/v1/spaces/{world.a.slug}/suspensions/{suspension['id']}"
    assert (await client.delete(lift_url, headers=world.h("ana"))).status_code == 403
    assert (await client.delete(lift_url, headers=world.h("mod_b"))).status_code == 403
    lifted = await client.delete(lift_url, headers=world.h("mod_a"))
    assert lifted.status_code == 200 and lifted.json()["active"] is False
    again = await client.delete(lift_url, headers=world.h("mod_a"))
    assert again.status_code == 409
    assert (await post(client, world.a.thread_id, world.h("ana"))).status_code == 201

    assert [e["type"] for e in await events(db) if e["type"].startswith("user.")] == [
        "user.suspended",
        "user.suspension_lifted",
    ]
    [entry] = await audit_entries(db, "user.suspended")
    assert entry.target_type == "user" and entry.target_id == world.ids["ana"]
    assert entry.reason == "Repeated personal attacks" and entry.actor_id == world.ids["mod_a"]
    assert len(await audit_entries(db, "user.suspension_lifted")) == 1


async def test_a_suspension_without_an_end_lasts_until_lifted(client, world: World, db):
    await suspend(client, world, "mod_a", "ana")
    refused = await post(client, world.a.thread_id, world.h("ana"))
    assert "until a moderator lifts" in refused.json()["error"]["message"]


async def test_an_expired_suspension_no_longer_counts(client, world: World, db):
    await suspend(client, world, "mod_a", "ana", until=(utcnow() + timedelta(hours=1)).isoformat())
    async with db.write() as uow:
        await uow.session.execute(update(Suspension).values(until=utcnow() - timedelta(seconds=1)))
    assert (await post(client, world.a.thread_id, world.h("ana"))).status_code == 201


async def test_suspending_is_for_the_space_moderators(client, world: World, db):
    assert (
        await client.post(
            f"/api/v1/spaces/{world.a.slug}/suspensions",
            json={"user_id": world.ids["ana"], "reason": "x"},
        )
    ).status_code == 401
    assert (await suspend(client, world, "ben", "ana")).status_code == 403
    assert (await suspend(client, world, "mod_b", "ana")).status_code == 403
    members_only = await client.post(
        f"/api/v1/spaces/{world.m.slug}/suspensions",
        json={"user_id": world.ids["ben"], "reason": "x"},
        headers=world.h("mod_b"),
    )
    assert members_only.status_code == 404
    assert (await suspend(client, world, "mod_a", "sec")).status_code == 403
    past = await suspend(client, world, "mod_a", "ana", until=utcnow().isoformat())
    assert past.status_code == 422 and past.json()["error"]["field"] == "until"
    nobody = await client.post(
        f"/api/v1/spaces/{world.a.slug}/suspensions",
        json={"user_id": 9999, "reason": "x"},
        headers=world.h("mod_a"),
    )
    assert nobody.status_code == 422
    refused = await audit_entries(db, "refused")
    assert [(e.actor_id, e.target_id) for e in refused] == [
        (world.ids["ben"], world.ids["ana"]),
        (world.ids["mod_b"], world.ids["ana"]),
        (world.ids["mod_b"], world.ids["ben"]),
        (world.ids["mod_a"], world.ids["sec"]),
    ]


async def test_a_site_wide_suspension_ends_every_sign_in(app, client, world: World, db, make_user):
    user = await make_user(display_name="Carla")
    token = bearer(await token_for(client, user))
    async with client_for(app) as browser:
        await sign_in(browser, user)
        assert (await browser.get("/profile")).status_code == 200
        body = {"user_id": user.id, "reason": "Impersonating a delegate"}
        refused = await client.post("/api/v1/suspensions", json=body, headers=world.h("mod_a"))
        assert refused.status_code == 403
        created = await client.post("/api/v1/suspensions", json=body, headers=world.h("sec"))
        assert created.status_code == 201 and created.json()["space_id"] is None
        signed_out = await browser.get("/profile")
        assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/login")

    refused = await post(client, world.b.thread_id, token)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "suspended"
    assert "anywhere on this site" in refused.json()["error"]["message"]
    assert "Impersonating a delegate" in refused.json()["error"]["message"]

    listed = await client.get("/api/v1/suspensions", headers=world.h("sec"))
    [suspension] = listed.json()["items"]
    assert (await client.get("/api/v1/suspensions", headers=world.h("mod_a"))).status_code == 403
    lift_url = f"/api/v1/suspensions/{suspension['id']}"
    assert (await client.delete(lift_url, headers=world.h("mod_a"))).status_code == 403
    assert (await client.delete(lift_url, headers=world.h("sec"))).status_code == 200
    assert (await post(client, world.b.thread_id, token)).status_code == 201
    [entry] = await audit_entries(db, "user.suspended")
    assert entry.space_id is None and entry.details.count('"scope": "site"') == 1
    site_log = await client.get("/api/v1/audit", headers=world.h("sec"))
    actions = [e["action"] for e in site_log.json()["items"]]
    assert "user.suspended" in actions and "user.suspension_lifted" in actions
