"""A members space with a call for submissions: its owner (who manages calls), two
designated submitters for Brazil, one for Argentina, one for an organization, a plain
member, and those outside it (a non-member, a moderator of another space)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.conftest import MakeUser
from tests.helpers import bearer, token_for


def call_body(**overrides: Any) -> dict[str, Any]:
    deadline = datetime.now(UTC) + timedelta(days=10)
    body: dict[str, Any] = {
        "title": "Views on capacity-building needs",
        "text": "Parties are invited to submit their **views** by the deadline.",
        "addressed_to": ["party", "organization"],
        "deadline": deadline.isoformat(timespec="seconds"),
        "reminder_days": [7, 1],
        "symbol": "CBD/CP/LG-CB/INF/1",
        "distribution": "General",
    }
    body.update(overrides)
    return body


async def close_call(client: httpx.AsyncClient, call: dict, token: dict[str, str]) -> None:
    """Moves the deadline into the past, as the secretariat may."""
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat(timespec="seconds")
    body = {
        k: call[k]
        for k in ("title", "text", "addressed_to", "reminder_days", "symbol", "distribution")
    }
    changed = await client.put(
        f"/api/v1/calls/{call['id']}", json={**body, "deadline": past}, headers=token
    )
    assert changed.status_code == 200, changed.text


@pytest.fixture
async def calls(client: httpx.AsyncClient, make_user: MakeUser, make_space, add_member) -> Any:
    names = ["owner", "brazil", "brazil too", "argentina", "iucn", "member", "outsider", "other"]
    users = {name: await make_user() for name in names}
    slug = await make_space(slug="liaison-group", visibility="members")
    other = await make_space(slug="other-group", visibility="members")
    await add_member(slug, users["owner"].id, "owner")
    for name in ("brazil", "brazil too", "argentina", "iucn", "member"):
        await add_member(slug, users[name].id)
    await add_member(other, users["other"].id, "moderator")
    tokens = {name: bearer(await token_for(client, user)) for name, user in users.items()}
    designations = {
        "brazil": {"kind": "party", "country": "br"},
        "brazil too": {"kind": "party", "country": "BR"},
        "argentina": {"kind": "party", "country": "AR"},
        "iucn": {"kind": "organization", "organization": "IUCN"},
    }
    for name, fields in designations.items():
        named = await client.post(
            f"/api/v1/spaces/{slug}/call-submitters",
            json={"user_id": users[name].id, **fields},
            headers=tokens["owner"],
        )
        assert named.status_code == 201, named.text
    opened = await client.post(
        f"/api/v1/spaces/{slug}/calls", json=call_body(), headers=tokens["owner"]
    )
    assert opened.status_code == 201, opened.text
    return {"slug": slug, "users": users, "tokens": tokens, "call": opened.json()}
