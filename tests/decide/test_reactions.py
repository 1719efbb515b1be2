"""Reactions on posts: one of each kind a person, adding and taking back, counts and
names, and the posts and people that take none."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import func, select

from forum_server.db import Database
from forum_server.decide import reactions
from forum_server.decide.models import Reaction
from forum_server.events import EventRecord
from forum_server.policy import Actor
from tests.decide.conftest import Forum
from tests.helpers import csrf_from


async def a_post(client: httpx.AsyncClient, forum: Forum, who: str = "ana") -> int:
    made = await client.post(
        f"/api/v1/threads/{forum.thread_id}/posts",
        json={"body": "Regional training centres worked well."},
        headers=forum.headers[who],
    )
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


async def test_reacting_adds_once_and_takes_back(
    client: httpx.AsyncClient, forum: Forum, db: Database
):
    post_id = await a_post(client, forum)
    url = f"/api/v1/posts/{post_id}/reactions"
    for _ in range(2):  # the same click twice still counts once
        added = await client.put(f"{url}/agree", headers=forum.headers["ben"])
        assert added.status_code == 200
    await client.put(f"{url}/thanks", headers=forum.headers["ben"])
    await client.put(f"{url}/agree", headers=forum.headers["secretariat"])
    shown = (await client.get(url, headers=forum.headers["ben"])).json()
    assert shown["counts"] == {
        "agree": 2,
        "disagree": 0,
        "thanks": 1,
        "question": 0,
        "important": 0,
    }
    assert shown["mine"] == ["agree", "thanks"]
    assert shown["people"]["agree"] == ["User 3", "User 1"]
    taken = await client.delete(f"{url}/agree", headers=forum.headers["ben"])
    assert taken.json()["counts"]["agree"] == 1 and taken.json()["mine"] == ["thanks"]
    async with db.read() as session:
        types = list(await session.scalars(select(EventRecord.type)))
    assert types.count("reaction.changed") == 4  # the repeated click changed nothing
    assert (await client.put(f"{url}/applause", headers=forum.headers["ben"])).status_code == 422


async def test_two_tabs_reacting_at_once_leave_one_reaction(forum: Forum, db: Database, client):
    post_id = await a_post(client, forum)
    ben = Actor(user_id=forum.user_ids["ben"])
    await asyncio.gather(
        *(reactions.set_reaction(db, ben, post_id, "important", on=True) for _ in range(5))
    )
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Reaction)) == 1


async def test_guests_hidden_and_held_posts_take_no_reactions(
    client: httpx.AsyncClient, forum: Forum
):
    post_id = await a_post(client, forum)
    url = f"/api/v1/posts/{post_id}/reactions/agree"
    assert (await client.put(url)).status_code == 401
    await client.post(
        f"/api/v1/posts/{post_id}/hide",
        json={"reason": "check"},
        headers=forum.headers["secretariat"],
    )
    refused = await client.put(url, headers=forum.headers["ben"])
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "post_not_published"


async def test_reacting_without_the_script(client: httpx.AsyncClient, forum: Forum, browser):
    post_id = await a_post(client, forum)
    async with browser(forum.users["ben"]) as ben:
        page = await ben.get(f"/threads/{forum.thread_id}")
        assert f'action="/posts/{post_id}/reactions"' in page.text
        token = await csrf_from(ben, f"/threads/{forum.thread_id}")
        sent = await ben.post(
            f"/posts/{post_id}/reactions", data={"kind": "question", "on": "1", "csrf_token": token}
        )
        assert sent.status_code == 303
        assert sent.headers["location"] == f"/threads/{forum.thread_id}#post-{post_id}"
        again = await ben.get(f"/threads/{forum.thread_id}")
        assert 'aria-pressed="true" data-kind="question"' in again.text
        people = await ben.get(f"/posts/{post_id}/reactions")
        assert people.status_code == 200 and "User 3" in people.text
