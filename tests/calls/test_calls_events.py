"""A call's events: written to the log with the change, and carried by webhooks under
their rule — a members space's to its own endpoints only, a restricted submission to
none."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from forum_server.events import EventRecord
from forum_server.settings import Settings
from forum_server.webhooks.models import WebhookDelivery
from tests.helpers import bearer, make_settings, token_for


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """Endpoints on loopback (nothing is sent: the deliveries queued are checked)."""
    return make_settings(tmp_path, database_url, webhooks_allow_private=True)


async def test_opening_and_submitting_write_events_and_webhook_deliveries(
    client: httpx.AsyncClient,
    calls: dict,
    db,
    make_user,  # type: ignore[no-untyped-def]
) -> None:
    tokens, slug = calls["tokens"], calls["slug"]
    secretariat = await make_user(is_secretariat=True)
    site = bearer(await token_for(client, secretariat))
    types = ["call.opened", "submission.received"]
    for body in (
        {"url": "http://127.0.0.1:9/site", "event_types": types},
        {"url": "http://127.0.0.1:9/space", "event_types": types, "space": slug},
    ):
        made = await client.post("/api/v1/webhooks", json=body, headers=site)
        assert made.status_code == 201, made.text
    call = calls["call"]
    await client.post(
        f"/api/v1/calls/{call['id']}/submissions",
        json={"text": "Brazil's public views."},
        headers=tokens["brazil"],
    )
    await client.post(
        f"/api/v1/calls/{call['id']}/submissions",
        json={"text": "Argentina's restricted views.", "public": False},
        headers=tokens["argentina"],
    )
    reopened = await client.post(
        f"/api/v1/spaces/{slug}/calls",
        json={
            **{k: call[k] for k in ("title", "text", "addressed_to", "deadline")},
            "title": "Second call",
        },
        headers=tokens["owner"],
    )
    assert reopened.status_code == 201
    async with db.read() as session:
        events = [
            (e.type, json.loads(e.data))
            for e in await session.scalars(
                select(EventRecord).where(EventRecord.type.in_(types)).order_by(EventRecord.id)
            )
        ]
        bodies = list(await session.scalars(select(WebhookDelivery.body)))
    assert [t for t, _ in events] == [
        "call.opened",
        "submission.received",
        "submission.received",
        "call.opened",
    ]
    assert all("views" not in json.dumps(data) for _, data in events)
    # The members space's endpoint only; the restricted submission goes nowhere.
    kinds = sorted(json.loads(b)["type"] for b in bodies)
    assert kinds == ["call.opened", "submission.received"]
    assert all("AR" not in json.loads(b)["data"].get("submitter", "") for b in bodies)
