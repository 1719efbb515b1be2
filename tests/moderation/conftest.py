"""A small world to moderate: an open forum (A), another public forum (B) and a
members-only workspace (M), each with a session and its moderator (who also
moderates the whole space); two participants and someone of the secretariat."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from forum_server.accounts.queries import UserView
from forum_server.audit import AuditEntry
from forum_server.db import Database
from forum_server.events import EventRecord
from tests.conftest import MakeUser
from tests.helpers import bearer, token_for

GUEST_EMAIL = "guest.secret@example.net"
SECRET = "CANARY-held-topic-5d1e"


@dataclass
class Place:
    slug: str
    session_id: int
    thread_id: int  # question 1
    other_thread_id: int  # question 2
    question_id: int


@dataclass
class World:
    a: Place  # public, open forum (guests may post)
    b: Place  # public
    m: Place  # members only
    ids: dict[str, int]
    headers: dict[str, dict[str, str]]
    users: dict[str, UserView]

    def h(self, who: str) -> dict[str, str]:
        return self.headers[who]


async def _place(client: httpx.AsyncClient, slug: str, session_id: int, headers: Any) -> Place:
    detail = (await client.get(f"/api/v1/sessions/{session_id}", headers=headers)).json()
    first, second = detail["questions"][:2]
    return Place(slug, session_id, first["thread_id"], second["thread_id"], first["id"])


@pytest.fixture
async def world(
    client: httpx.AsyncClient, make_user: MakeUser, make_space, make_session, add_member
) -> World:
    users = {
        "mod_a": await make_user(display_name="Moderator A"),
        "mod_b": await make_user(display_name="Moderator B"),
        "mod_m": await make_user(display_name="Moderator M"),
        "ana": await make_user(display_name="Ana"),
        "ben": await make_user(display_name="Ben"),
        "sec": await make_user(display_name="Secretariat", is_secretariat=True),
    }
    slug_a = await make_space(slug="open-forum", guest_posting=True)
    slug_b = await make_space(slug="forum-b")
    slug_m = await make_space(slug="workspace", visibility="members")
    sa = await make_session(slug_a, moderator_ids=[users["mod_a"].id])
    sb = await make_session(slug_b, moderator_ids=[users["mod_b"].id])
    sm = await make_session(slug_m)
    await add_member(slug_m, users["mod_m"].id, "moderator")
    # Each place's moderator moderates the whole space too: suspensions, holding rules
    # and the audit log are space-wide (test_session_moderators.py has one who is not).
    await add_member(slug_a, users["mod_a"].id, "moderator")
    await add_member(slug_b, users["mod_b"].id, "moderator")
    await add_member(slug_m, users["ana"].id)
    headers = {name: bearer(await token_for(client, user)) for name, user in users.items()}
    headers["anonymous"] = {}
    return World(
        a=await _place(client, slug_a, sa, headers["sec"]),
        b=await _place(client, slug_b, sb, headers["sec"]),
        m=await _place(client, slug_m, sm, headers["sec"]),
        ids={name: user.id for name, user in users.items()},
        headers=headers,
        users=users,
    )


async def post(
    client: httpx.AsyncClient, thread_id: int, headers: dict[str, str], **body: Any
) -> httpx.Response:
    body.setdefault("body", "Our national biosafety authority trained 40 inspectors.")
    return await client.post(f"/api/v1/threads/{thread_id}/posts", json=body, headers=headers)


async def published(client: httpx.AsyncClient, world: World, who: str = "ben", **body: Any) -> int:
    """A published post in A's first question, by `who`; its id."""
    response = await post(client, world.a.thread_id, world.h(who), **body)
    assert response.status_code == 201, response.text
    post_id: int = response.json()["id"]
    return post_id


async def guest_post(client: httpx.AsyncClient, thread_id: int, **body: Any) -> httpx.Response:
    body.setdefault("guest_name", "Visiting Expert")
    return await post(client, thread_id, {}, **body)


async def events(db: Database, type: str | None = None) -> list[dict[str, Any]]:
    async with db.read() as session:
        query = select(EventRecord).order_by(EventRecord.id)
        if type is not None:
            query = query.where(EventRecord.type == type)
        rows = list(await session.scalars(query))
    return [{"type": r.type, "data": json.loads(r.data), "raw": r.data} for r in rows]


async def audit_entries(db: Database, action: str | None = None) -> list[AuditEntry]:
    async with db.read() as session:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action is not None:
            query = query.where(AuditEntry.action == action)
        return list(await session.scalars(query))
