"""An open forum with participation terms set by the secretariat, a session open now,
an owner and two participants."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest

from forum_server.accounts.queries import UserView
from tests.conftest import MakeUser
from tests.helpers import bearer, token_for

TERMS_V1 = "Contributions may be quoted in the **meeting document**."
TERMS_V2 = "Contributions may be quoted and **translated**."


@dataclass
class Place:
    slug: str
    session_id: int
    thread_id: int
    users: dict[str, UserView]
    tokens: dict[str, dict[str, str]]


async def set_terms(client: httpx.AsyncClient, place: Place, body: str) -> int:
    made = await client.post(
        f"/api/v1/spaces/{place.slug}/terms", json={"body": body}, headers=place.tokens["sec"]
    )
    assert made.status_code == 201, made.text
    version: int = made.json()["version"]
    return version


@pytest.fixture
async def place(client: httpx.AsyncClient, make_user: MakeUser, make_space, make_session) -> Place:
    users = {
        "sec": await make_user(display_name="Secretariat", is_secretariat=True),
        "owner": await make_user(display_name="Owner"),
        "ana": await make_user(display_name="Ana Souza", country="BR"),
        "ben": await make_user(display_name="Ben Okafor", country="NG"),
    }
    slug = await make_space(title="Open forum", guest_posting=True)
    session_id = await make_session(slug)
    tokens = {name: bearer(await token_for(client, user)) for name, user in users.items()}
    detail = await client.get(f"/api/v1/sessions/{session_id}")
    thread_id = detail.json()["questions"][0]["thread_id"]
    made = Place(slug, session_id, thread_id, users, tokens)
    await client.put(
        f"/api/v1/spaces/{slug}/members/{users['owner'].id}",
        json={"role": "owner"},
        headers=tokens["sec"],
    )
    await set_terms(client, made, TERMS_V1)
    return made
