"""The transparency summary: moderation counted by kind over a period, with the
moderators' reasons; for those who may read the audit log; as CSV too."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from forum_server.orm import utcnow
from tests.moderation.conftest import World
from tests.moderation.test_audit_log import _every_action


async def test_the_summary_counts_what_the_moderators_did_and_why(client, world: World):
    await _every_action(client, world)
    path = f"/api/v1/spaces/{world.a.slug}/transparency"
    found = (await client.get(path, headers=world.h("mod_a"))).json()
    assert found["counts"] == {
        "post.approved": 1,
        "post.rejected": 1,
        "post.hidden": 1,
        "post.restored": 1,
        "post.flagged": 2,
        "flag.dismissed": 1,
        "user.suspended": 1,
        "user.suspension_lifted": 1,
    }
    assert found["held"] == 2 and found["still_waiting"] == 0
    assert found["reasons"]["post.rejected"] == [{"reason": "advertising", "count": 1}]
    assert found["reasons"]["user.suspended"] == [{"reason": "shouting", "count": 1}]
    assert {r["reason"] for r in found["reasons"]["post.flagged"]} == {"rude", "dull"}

    later = (utcnow() + timedelta(days=1)).date().isoformat()
    empty = (await client.get(path, params={"since": later}, headers=world.h("mod_a"))).json()
    assert set(empty["counts"].values()) == {0}

    exported = await client.get(path, params={"format": "csv"}, headers=world.h("mod_a"))
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0] == ["measure", "reason", "count"]
    assert ["post.rejected", "advertising", "1"] in rows


async def test_the_summary_is_for_those_who_read_the_audit_log(client, world: World):
    path = f"/api/v1/spaces/{world.a.slug}/transparency"
    assert (await client.get(path, headers=world.h("ana"))).status_code == 403
    assert (await client.get(path)).status_code in (401, 404)
    page = await client.get(f"/spaces/{world.a.slug}/transparency", headers=world.h("mod_a"))
    assert page.status_code == 200


async def publish(client, world: World, slug: str, public: bool, who: str = "sec"):
    return await client.patch(
        f"/api/v1/spaces/{slug}/report-settings",
        json={"transparency_public": public},
        headers=world.h(who),
    )


async def test_owners_may_make_it_public_for_everyone_who_reads_the_space(client, world: World):
    path = f"/api/v1/spaces/{world.a.slug}/transparency"
    assert (await client.get(path)).status_code == 401
    # a moderator of the space reads it, but only its owners and the secretariat publish it
    refused = await publish(client, world, world.a.slug, True, who="mod_a")
    assert refused.status_code == 403
    done = await publish(client, world, world.a.slug, True)
    assert done.status_code == 200 and done.json()["transparency_public"] is True
    shown = await client.get(path)
    assert shown.status_code == 200 and shown.json()["public"] is True
    assert (await client.get(path, headers=world.h("ana"))).status_code == 200
    page = await client.get(f"/spaces/{world.a.slug}/transparency")
    assert page.status_code == 200
    assert f"/spaces/{world.a.slug}/audit" not in page.text  # the audit log stays theirs
    assert 'action="/spaces/open-forum/transparency/publication"' not in page.text
    space_page = await client.get(f"/spaces/{world.a.slug}")
    assert f'href="/spaces/{world.a.slug}/transparency"' in space_page.text
    assert (await publish(client, world, world.a.slug, False)).status_code == 200
    assert (await client.get(path)).status_code == 401
    space_page = await client.get(f"/spaces/{world.a.slug}")
    assert f'href="/spaces/{world.a.slug}/transparency"' not in space_page.text


async def test_in_a_members_space_public_means_its_members(client, world: World):
    path = f"/api/v1/spaces/{world.m.slug}/transparency"
    assert (await client.get(path, headers=world.h("ana"))).status_code == 403
    assert (await publish(client, world, world.m.slug, True)).status_code == 200
    assert (await client.get(path, headers=world.h("ana"))).status_code == 200
    for outsider in ("ben", "anonymous", "mod_a"):
        hidden = await client.get(path, headers=world.h(outsider))
        assert hidden.status_code == 404
        page = await client.get(f"/spaces/{world.m.slug}/transparency", headers=world.h(outsider))
        assert page.status_code == 404


async def test_the_page_sets_who_may_read_it(client, world: World):
    from tests.helpers import csrf_from, sign_in

    await sign_in(client, world.users["sec"])
    page = await client.get(f"/spaces/{world.b.slug}/transparency")
    assert 'name="public"' in page.text
    token = await csrf_from(client, f"/spaces/{world.b.slug}/transparency")
    saved = await client.post(
        f"/spaces/{world.b.slug}/transparency/publication",
        data={"csrf_token": token, "public": "on"},
    )
    assert saved.status_code == 303
    shown = await client.get(saved.headers["location"])
    assert "Saved: who may read this summary." in shown.text
    settings = await client.get(
        f"/api/v1/spaces/{world.b.slug}/report-settings", headers=world.h("sec")
    )
    assert settings.json()["transparency_public"] is True
