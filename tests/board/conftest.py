"""A members space with a bulletin board: its owner, a named editor, a member, and those
outside it (a non-member, a removed member, a moderator of another space)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import MakeUser
from tests.helpers import bearer, token_for

NEED = {
    "kind": "need",
    "title": "Monitoring of coastal ecosystems",
    "summary": "Training for field teams.",
    "countries": ["BR"],
    "organization": "Ministry of Environment",
    "start_date": "2026-03-01",
    "end_date": "2026-09-30",
    "status": "open",
    "language": "en",
}
PROJECT = {
    "kind": "project",
    "title": "Regional taxonomy initiative",
    "region": "grulac",
    "organization": "Regional network",
    "funding": "Global fund",
    "amount": 250000,
    "currency": "USD",
    "link": "https://example.org/taxonomy",
    "status": "ongoing",
    "language": "en",
}


@pytest.fixture
async def board(client: httpx.AsyncClient, make_user: MakeUser, make_space, add_member) -> Any:
    names = ["owner", "editor", "member", "outsider", "removed", "other moderator"]
    users = {name: await make_user() for name in names}
    slug = await make_space(slug="expert-group", visibility="members")
    other = await make_space(slug="other-group", visibility="members")
    await add_member(slug, users["owner"].id, "owner")
    for name in ("editor", "member", "removed"):
        await add_member(slug, users[name].id)
    await add_member(other, users["other moderator"].id, "moderator")
    tokens = {name: bearer(await token_for(client, user)) for name, user in users.items()}
    named = await client.post(
        f"/api/v1/spaces/{slug}/board/editors",
        json={"user_id": users["editor"].id},
        headers=tokens["owner"],
    )
    assert named.status_code == 201, named.text
    need = await client.post(f"/api/v1/spaces/{slug}/board", json=NEED, headers=tokens["editor"])
    assert need.status_code == 201, need.text
    project = await client.post(
        f"/api/v1/spaces/{slug}/board", json=PROJECT, headers=tokens["owner"]
    )
    assert project.status_code == 201, project.text
    gone = await client.delete(
        f"/api/v1/spaces/{slug}/members/{users['removed'].id}", headers=tokens["owner"]
    )
    assert gone.status_code in {200, 204}, gone.text
    return {
        "slug": slug,
        "users": users,
        "tokens": tokens,
        "need": need.json(),
        "project": project.json(),
    }
