"""The suspensions page: those in force, each where it applies, lifted with a plain
form and an audit entry; the secretariat sees the whole site, a space's moderator only
their spaces, and nobody learns of a suspension in a space they cannot see."""

from __future__ import annotations

import re

from tests.helpers import client_for, csrf_from, sign_in
from tests.moderation.conftest import World, audit_entries

PAGE = "/moderation/suspensions"


async def suspend(client, world: World, slug: str | None, user: str, reason: str) -> int:
    body = {"user_id": world.ids[user], "reason": reason}
    path = f"/api/v1/spaces/{slug}/suspensions" if slug else "/api/v1/suspensions"
    response = await client.post(path, json=body, headers=world.h("sec"))
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def lift_forms(page: str) -> set[int]:
    return {int(n) for n in re.findall(r'action="/moderation/suspensions/(\d+)/lift"', page)}


async def test_each_sees_what_they_may_lift_and_lifts_it(app, client, world: World, db):
    in_a = await suspend(client, world, world.a.slug, "ana", "Shouting in A")
    in_m = await suspend(client, world, world.m.slug, "ben", "CANARY-workspace-reason")
    site = await suspend(client, world, None, "ben", "Spam everywhere")

    async with client_for(app) as http:
        await sign_in(http, world.users["sec"])
        page = (await http.get(PAGE)).text
        assert lift_forms(page) == {in_a, in_m, site}
        assert "The whole site" in page and "Shouting in A" in page
        token = await csrf_from(http, PAGE)
        lifted = await http.post(f"{PAGE}/{site}/lift", data={"csrf_token": token})
        assert lifted.status_code == 303 and lifted.headers["location"] == f"{PAGE}?notice=lifted"
        assert "The suspension is lifted" in (await http.get(lifted.headers["location"])).text
        again = await http.post(f"{PAGE}/{site}/lift", data={"csrf_token": token})
        assert again.headers["location"] == f"{PAGE}?error=already_lifted"
    [entry] = await audit_entries(db, "user.suspension_lifted")
    assert entry.actor_id == world.ids["sec"] and entry.target_id == world.ids["ben"]

    async with client_for(app) as http:
        await sign_in(http, world.users["mod_a"])
        page = (await http.get(PAGE)).text
        assert lift_forms(page) == {in_a}
        assert "CANARY-workspace-reason" not in page  # a space they cannot see
        token = await csrf_from(http, PAGE)
        hidden = await http.post(f"{PAGE}/{in_m}/lift", data={"csrf_token": token})
        assert hidden.status_code == 404
        mine = await http.post(f"{PAGE}/{in_a}/lift", data={"csrf_token": token})
        assert mine.status_code == 303
        assert lift_forms((await http.get(PAGE)).text) == set()

    # A member of the workspace is refused; someone outside it is told nothing.
    for who, status in (("ana", 403), ("ben", 404)):
        async with client_for(app) as http:
            await sign_in(http, world.users[who])
            page = (await http.get(PAGE)).text
            assert lift_forms(page) == set() and "CANARY-workspace-reason" not in page
            token = await csrf_from(http, PAGE)
            refused = await http.post(f"{PAGE}/{in_m}/lift", data={"csrf_token": token})
            assert refused.status_code == status
    async with client_for(app) as anonymous:
        assert (await anonymous.get(PAGE)).status_code in (302, 303, 401)
