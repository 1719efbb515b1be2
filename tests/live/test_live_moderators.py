"""A session moderator replaced while connected stops receiving what only moderators
receive, from the change on."""

from __future__ import annotations

from typing import Any

import httpx

from forum_server.db import Database
from tests.conftest import MakeUser
from tests.helpers import bearer, token_for
from tests.live.wsclient import emit, open_socket, recv, subscribe, until_pong


async def test_a_replaced_moderator_gets_no_more_moderator_events(
    client: httpx.AsyncClient,
    live_url: str,
    db: Database,
    forum: dict[str, Any],
    make_user: MakeUser,
) -> None:
    sid = forum["session_id"]
    where = {"space_id": forum["space_id"], "session_id": sid, "thread_id": forum["thread_id"]}
    secretariat = bearer(await token_for(client, await make_user(is_secretariat=True)))
    async with (
        open_socket(live_url, bearer(forum["tokens"]["moderator"])) as replaced,
        open_socket(live_url, secretariat) as witness,
    ):
        for ws in (replaced, witness):
            assert (await subscribe(ws, sid))["type"] == "subscribed"
        await emit(db, "flag.resolved", {"flag_id": 1, "post_id": 1}, **where)
        for ws in (replaced, witness):
            assert (await recv(ws))["type"] == "flag.resolved"
        changed = await client.put(
            f"/api/v1/sessions/{sid}/moderators", json={"moderator_ids": []}, headers=secretariat
        )
        assert changed.status_code == 200 and changed.json()["moderators"] == []
        for ws in (replaced, witness):
            assert (await recv(ws))["type"] == "session.updated"
        await emit(db, "flag.resolved", {"flag_id": 2, "post_id": 1}, **where)
        # The witness has it: anything for the replaced moderator would be queued already.
        assert (await recv(witness))["data"]["flag_id"] == 2
        assert await until_pong(replaced) == []
