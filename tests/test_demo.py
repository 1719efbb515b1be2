"""The demo forum: loaded through the services, alive at once, loaded only once."""

from __future__ import annotations

import httpx
import pytest

from forum_server.db import Database
from forum_server.demo import DEMO_PASSWORD, load_demo
from forum_server.errors import Conflict


async def test_demo_forum_is_a_living_forum(client: httpx.AsyncClient, db: Database):
    summary = await load_demo(db)
    assert summary.posts >= 36 and summary.people >= 12
    space = (await client.get(f"/api/v1/spaces/{summary.space_slug}")).json()
    assert [s["state"] for s in space["sessions"]] == ["open", "open"]
    session = (await client.get(f"/api/v1/sessions/{summary.session_ids[0]}")).json()
    assert len(session["questions"]) >= 2 and session["moderators"]
    posts = (
        await client.get(f"/api/v1/threads/{session['questions'][0]['thread_id']}/posts")
    ).json()["items"]
    assert any(p["parent_id"] for p in posts)
    assert len({p["author"]["country"] for p in posts}) >= 3
    times = [p["created_at"] for p in posts]
    assert times == sorted(times)
    moderator = await client.post(
        "/api/v1/tokens", json={"email": summary.moderators[0], "password": DEMO_PASSWORD}
    )
    assert moderator.status_code == 201


async def test_demo_loads_only_once(db: Database):
    await load_demo(db)
    with pytest.raises(Conflict):
        await load_demo(db)


async def _token(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    answer = await client.post("/api/v1/tokens", json={"email": email, "password": DEMO_PASSWORD})
    assert answer.status_code == 201, (email, answer.text)
    return {"Authorization": f"Bearer {answer.json()['token']}"}


async def test_every_page_has_something_to_show(client: httpx.AsyncClient, db: Database):
    summary = await load_demo(db)
    text = str(summary)
    # The sign-ins it prints work, each with the rights it says.
    assert summary.secretariat in text and all(m in text for m in summary.moderators)
    assert summary.participants and all(p in text for p in summary.participants)
    secretariat = await _token(client, summary.secretariat)
    me = (await client.get("/api/v1/me", headers=secretariat)).json()
    assert me["is_secretariat"] is True
    for email in summary.participants:
        await _token(client, email)

    # The liaison group's workspace: members only, under the group's rule, from all five
    # regional groups, with its own session under way.
    slug = summary.workspace_slug
    assert (await client.get(f"/api/v1/spaces/{slug}")).status_code == 404
    outsider = await _token(client, summary.participants[-1])
    assert (await client.get(f"/api/v1/spaces/{slug}", headers=outsider)).status_code == 404
    space = (await client.get(f"/api/v1/spaces/{slug}", headers=secretariat)).json()
    assert space["visibility"] == "members" and space["composition"] == "liaison_group"
    assert [s["state"] for s in space["sessions"]] == ["open"]
    listed = (await client.get(f"/api/v1/spaces/{slug}/members", headers=secretariat)).json()
    people = listed["items"]
    designations = {m["designation"] for m in people}
    assert {"party_expert", "organization_expert", "observer"} <= designations
    assert len({m["user"]["region"] for m in people} - {None}) == 5

    # What waits for the moderators: a held contribution and a flag, and a running summary.
    moderator = await _token(client, summary.moderators[1])
    queue = (await client.get("/api/v1/moderation/queue", headers=moderator)).json()
    assert queue["pending"] and queue["flags"], queue
    session = (await client.get(f"/api/v1/sessions/{summary.session_ids[0]}")).json()
    first = session["questions"][0]["id"]
    written = (await client.get(f"/api/v1/questions/{first}/summary")).json()
    assert "So far" in written["summary"]["body"]
