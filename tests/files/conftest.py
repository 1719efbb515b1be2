"""A members space with a library document, and everyone who may or may not see it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import MakeUser
from tests.files.samples import PDF
from tests.helpers import bearer, token_for


async def upload(
    client: httpx.AsyncClient,
    path: str,
    data: bytes,
    name: str = "report.pdf",
    headers: dict[str, str] | None = None,
    **fields: str,
) -> httpx.Response:
    return await client.post(
        path, data=fields, files={"file": (name, data, "application/octet-stream")}, headers=headers
    )


@pytest.fixture
async def forum(client: httpx.AsyncClient, make_user: MakeUser, make_space, add_member) -> Any:
    owner, member, outsider, removed, other_mod = [await make_user() for _ in range(5)]
    slug = await make_space(slug="expert-group", visibility="members")
    other = await make_space(slug="other-group", visibility="members")
    await add_member(slug, owner.id, "owner")
    await add_member(slug, member.id)
    await add_member(slug, removed.id)
    await add_member(other, other_mod.id, "moderator")
    tokens = {
        name: bearer(await token_for(client, user))
        for name, user in {
            "owner": owner,
            "member": member,
            "outsider": outsider,
            "removed": removed,
            "other moderator": other_mod,
        }.items()
    }
    created = await upload(
        client,
        f"/api/v1/spaces/{slug}/library",
        PDF,
        headers=tokens["member"],
        title="Draft terms of reference",
        language="en",
        folder="Drafts",
    )
    assert created.status_code == 201, created.text
    gone = await client.delete(
        f"/api/v1/spaces/{slug}/members/{removed.id}", headers=tokens["owner"]
    )
    assert gone.status_code in {200, 204}, gone.text
    return {"slug": slug, "tokens": tokens, "document": created.json(), "users": [owner, member]}
