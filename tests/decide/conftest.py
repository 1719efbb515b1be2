"""A public forum and a members space, each with an open session, and everyone who may
or may not take part."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
import pytest
from starlette.applications import Starlette

from forum_server.accounts.queries import UserView
from tests.conftest import MakeUser
from tests.helpers import bearer, client_for, sign_in, token_for


@dataclass
class Forum:
    session_id: int  # public space, open session
    thread_id: int  # its first guiding question's thread
    members_session_id: int  # members space, members post
    members_thread_id: int
    members_slug: str
    headers: dict[str, dict[str, str]]
    user_ids: dict[str, int]
    users: dict[str, UserView]


@pytest.fixture
async def forum(
    client: httpx.AsyncClient, make_user: MakeUser, make_space, make_session, add_member
) -> Forum:
    people = ["secretariat", "ana", "ben", "member", "outsider", "removed", "other_mod"]
    users = {}
    for name in people:
        users[name] = await make_user(is_secretariat=name == "secretariat")
    public = await make_space(slug="online-forum")
    workspace = await make_space(slug="expert-group", visibility="members")
    other = await make_space(slug="other-group", visibility="members")
    await add_member(workspace, users["member"].id)
    await add_member(workspace, users["removed"].id)
    await add_member(other, users["other_mod"].id, "moderator")
    session_id = await make_session(public)
    members_session_id = await make_session(workspace, posting="members")
    headers = {name: bearer(await token_for(client, user)) for name, user in users.items()}
    headers["guest"] = {}

    async def first_thread(sid: int) -> int:
        found = await client.get(f"/api/v1/sessions/{sid}", headers=headers["secretariat"])
        return int(found.json()["questions"][0]["thread_id"])

    return Forum(
        session_id,
        await first_thread(session_id),
        members_session_id,
        await first_thread(members_session_id),
        workspace,
        headers,
        {name: user.id for name, user in users.items()},
        users,
    )


@pytest.fixture
def browser(app: Starlette):
    """A separate browser, signed in as `user` (or anonymous)."""

    @asynccontextmanager
    async def open_browser(user: UserView | None = None) -> AsyncIterator[httpx.AsyncClient]:
        async with client_for(app) as http:
            if user is not None:
                await sign_in(http, user)
            yield http

    return open_browser
