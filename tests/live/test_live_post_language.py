"""Live post events carry the language each post is written in, so that the page can
mark a post that arrives live as the server marks the ones it renders."""

from __future__ import annotations

from typing import Any

import httpx

from tests.helpers import bearer
from tests.live.wsclient import open_socket, recv, subscribe


async def test_post_events_carry_the_posts_language(
    live_url: str, client: httpx.AsyncClient, forum: dict[str, Any]
) -> None:
    token = forum["tokens"]["ana"]
    async with open_socket(live_url) as ws:
        assert (await subscribe(ws, forum["session_id"]))["type"] == "subscribed"
        created = await client.post(
            f"/api/v1/threads/{forum['thread_id']}/posts",
            json={"body": "Сорок инспекторов прошли обучение.", "lang": "ru"},
            headers=bearer(token),
        )
        assert created.status_code == 201, created.text
        event = await recv(ws)
        assert event["type"] == "post.created" and event["data"]["lang"] == "ru"

        edited = await client.patch(
            f"/api/v1/posts/{created.json()['id']}",
            json={"body": "Forty inspectors were trained.", "lang": "en"},
            headers=bearer(token),
        )
        assert edited.status_code == 200, edited.text
        event = await recv(ws)
        assert event["type"] == "post.edited" and event["data"]["lang"] == "en"
