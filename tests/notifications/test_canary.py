"""Canary: a members-only workspace leaks nothing through mentions or notifications.
Outsiders (guest, signed-in non-member, removed member, moderator of another space)
get the same 404 as for nothing at all from every route, and a removed member's
notifications show nothing of the workspace any more, counts included."""

from __future__ import annotations

import re

import pytest

from forum_server.rooms import members
from tests.conftest import SECRETARIAT
from tests.helpers import bearer, client_for, sign_in, token_for

CANARY = "canary-7f3a-mentions"
OUTSIDERS = ("guest", "non-member", "removed member", "moderator of another space")


@pytest.fixture
async def workspace(db, make_user, make_space, make_session, question_threads, post_as, add_member):
    slug = await make_space(visibility="members", title="Expert group")
    other = await make_space(visibility="members")
    [thread_id, _] = await question_threads(await make_session(slug, title="Closed talks"))
    names = {
        "member": "Kwame",
        "writer": "Olga",
        "non-member": "Nadia",
        "removed member": "Tariq",
        "other moderator": "Ines",
    }
    people = {role: await make_user(display_name=name) for role, name in names.items()}
    for name in ("member", "writer", "removed member"):
        await add_member(slug, people[name].id)
    await add_member(other, people["other moderator"].id, "moderator")
    first = await post_as(people["removed member"], thread_id, "Mine.")
    await post_as(people["member"], thread_id, "Hello.")
    await post_as(
        people["writer"],
        thread_id,
        f"@Kwame @Tariq {CANARY}",
        parent_id=first.id,
    )
    await members.remove_member(db, SECRETARIAT, slug, people["removed member"].id)
    return {"thread_id": thread_id, "people": people}


def _unreferenced(page: str) -> str:
    return re.sub(r"\b[0-9a-f]{16}\b", "REFERENCE", page)


async def _as(client, people, who: str) -> dict[str, str]:
    if who == "guest":
        return {}
    name = "other moderator" if who == "moderator of another space" else who
    return bearer(await token_for(client, people[name]))


@pytest.mark.parametrize("who", OUTSIDERS)
async def test_outsiders_learn_nothing_from_mention_routes(app, client, workspace, who):
    people, thread_id = workspace["people"], workspace["thread_id"]
    headers = await _as(client, people, who)
    asked = await client.get(f"/api/v1/threads/{thread_id}/mentionable?q=m", headers=headers)
    missing = await client.get("/api/v1/threads/999999/mentionable?q=m", headers=headers)
    assert asked.status_code == missing.status_code == 404
    assert asked.json() == missing.json()
    for person in ("member", "writer"):
        page = await client.get(f"/people/{people[person].id}", headers=headers)
        nobody = await client.get("/people/999999", headers=headers)
        assert page.status_code == nobody.status_code == 404
        assert people[person].display_name not in page.text
        # The same page, but for the address it was asked at (the language form's) and
        # each answer's own reference number.
        same = page.text.replace(f"/people/{people[person].id}", "/people/999999")
        assert _unreferenced(same) == _unreferenced(nobody.text)
    if who != "guest":
        listed = await client.get("/api/v1/me/notifications", headers=headers)
        assert listed.json() == {"items": [], "next": None, "unread": 0}
        assert CANARY not in listed.text


async def test_a_removed_member_keeps_no_trace_of_the_workspace(app, client, workspace):
    people = workspace["people"]
    removed = people["removed member"]
    listed = await client.get(
        "/api/v1/me/notifications", headers=await _as(client, people, "removed member")
    )
    assert listed.json() == {"items": [], "next": None, "unread": 0}
    async with client_for(app) as browser:
        await sign_in(browser, removed)
        for path in ("/notifications", "/"):
            page = await browser.get(path)
            assert CANARY not in page.text and "Closed talks" not in page.text
            assert "data-unread-badge" not in page.text


async def test_a_member_sees_the_mention_and_its_link(app, client, workspace):
    people, thread_id = workspace["people"], workspace["thread_id"]
    listed = await client.get(
        "/api/v1/me/notifications", headers=await _as(client, people, "member")
    )
    [item] = listed.json()["items"]
    assert item["kind"] == "mention" and CANARY in item["excerpt"]
    assert item["link"].startswith(f"/threads/{thread_id}#post-")
    found = await client.get(
        f"/api/v1/threads/{thread_id}/mentionable?q=ol",
        headers=await _as(client, people, "member"),
    )
    assert [p["mention"] for p in found.json()["items"]] == ["@Olga"]
    page = await client.get(
        f"/people/{people['writer'].id}", headers=await _as(client, people, "member")
    )
    assert page.status_code == 200 and "Olga" in page.text
