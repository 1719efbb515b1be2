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
