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
    board = (await client.get(f"/api/v1/spaces/{summary.space_slug}/board")).json()["items"]
    assert board[0]["pinned"] and {n["kind"] for n in board} >= {"need", "project", "opportunity"}
    need = next(n for n in board if n["kind"] == "need")
    matches = (await client.get(f"/api/v1/notices/{need['id']}/matches")).json()["items"]
    assert len(matches) == 2  # the regional project and the course; not the fellowships


async def test_demo_loads_only_once(db: Database):
    await load_demo(db)
    with pytest.raises(Conflict):
        await load_demo(db)
