"""Deliveries reach a real receiver on loopback: each event once, in order per
session, signed so that the documented snippet verifies it; retried until it
succeeds, with every attempt in the log; never lost when the server stops between
the change and the delivery."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette

from forum_server.app import create_app
from forum_server.db import Database
from forum_server.orm import utcnow
from forum_server.policy import Actor
from forum_server.rooms import posting, reopening, sessions
from forum_server.rooms.queries import session_detail
from forum_server.rooms.schemas import PostCreate, Reopen
from forum_server.settings import Settings
from forum_server.webhooks.delivery import Sender, deliver_due
from forum_server.wiring import open_database
from tests.conftest import SECRETARIAT, MakeUser
from tests.helpers import bearer, token_for
from tests.webhooks.receiver import Receiver

API_DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def documented_verify() -> Any:
    """The verification snippet from docs/api.md, as a function."""
    found = re.search(r"```python verify-webhook\n(.*?)```", API_DOC.read_text(), re.S)
    assert found, "docs/api.md has the verification snippet"
    scope: dict[str, Any] = {}
    exec(found.group(1), scope)
    return scope["verify"]


async def register(
    client: httpx.AsyncClient, token: str, url: str, types: list[str], space: str | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"url": url, "event_types": types}
    if space:
        body["space"] = space
    response = await client.post("/api/v1/webhooks", json=body, headers=bearer(token))
    assert response.status_code == 201, response.text
    found: dict[str, Any] = response.json()
    return found


async def secretariat_token(client: httpx.AsyncClient, make_user: MakeUser) -> str:
    return await token_for(client, await make_user(is_secretariat=True))


async def first_thread(db: Database, session_id: int) -> int:
    async with db.read() as session:
        return (await session_detail(session, SECRETARIAT, session_id)).questions[0].thread_id


async def test_each_event_arrives_once_in_order_and_signed(
    client: httpx.AsyncClient,
    db: Database,
    make_user: MakeUser,
    make_space,
    make_session,
    receiver: Receiver,
) -> None:
    token = await secretariat_token(client, make_user)
    hook = await register(
        client, token, receiver.url, ["post.published", "session.closed", "question.added"]
    )
    slug = await make_space(slug="bch-forum")
    session_id = await make_session(slug)
    thread_id = await first_thread(db, session_id)
    writer = await make_user(display_name="Writer")
    actor = Actor(user_id=writer.id, display_name="Writer")
    bodies = [f"Contribution number {n}" for n in range(5)]
    for text in bodies:
        await posting.create_post(db, actor, thread_id, PostCreate(body=text))
    await sessions.close_now(db, SECRETARIAT, session_id)

    await receiver.wait_for(6)
    got = [r.json for r in receiver.received]
    assert [g["type"] for g in got] == ["post.published"] * 5 + ["session.closed"]
    assert [g["data"]["body"] for g in got[:5]] == bodies
    assert [g["id"] for g in got] == sorted(g["id"] for g in got), "in order"
    assert all(g["space"] == "bch-forum" and g["session_id"] == session_id for g in got)
    verify = documented_verify()
    for request in receiver.received:
        assert request.headers["forum-event"] == request.json["type"]
        assert verify(hook["secret"], request.headers["forum-signature"], request.body)
        assert not verify("whsec_wrong", request.headers["forum-signature"], request.body)
        assert not verify(hook["secret"], request.headers["forum-signature"], request.body + b" ")


async def test_a_failing_receiver_gets_it_on_the_fourth_try_and_the_log_shows_all_four(
    app: Starlette,
    client: httpx.AsyncClient,
    db: Database,
    make_user: MakeUser,
    make_space,
    make_session,
    receiver: Receiver,
) -> None:
    receiver.answers = [500, 500, 500]
    token = await secretariat_token(client, make_user)
    hook = await register(client, token, receiver.url, ["session.closed"])
    session_id = await make_session(await make_space())
    await sessions.close_now(db, SECRETARIAT, session_id)

    settings = app.state.ctx.settings
    async with httpx.AsyncClient() as http:
        sender = Sender(http, settings.webhooks_allow_private, (settings.site_host,))
        clock = utcnow()
        for _ in range(10):
            if len(receiver.received) >= 4:
                break
            clock += timedelta(hours=5)  # past any back-off, within the day of retries
            await deliver_due(db, sender, now=clock)
    assert len(receiver.received) == 4
    assert len({r.headers["forum-delivery"] for r in receiver.received}) == 1, "one delivery"

    log = await client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=bearer(token))
    (delivery,) = log.json()["items"]
    assert delivery["status"] == "delivered" and delivery["attempts"] == 4
    assert [a["status_code"] for a in delivery["log"]] == [500, 500, 500, 200]


async def test_nothing_is_lost_when_the_server_stops_before_delivering(
    settings: Settings, receiver: Receiver
) -> None:
    """The change commits with its delivery; the process stops before sending; the
    next process sends it."""
    from forum_server.rooms import spaces
    from forum_server.rooms.schemas import SessionCreate, SpaceCreate
    from forum_server.webhooks import endpoints
    from forum_server.webhooks.schemas import WebhookCreate

    db, broker = await open_database(settings)
    try:
        await spaces.create_space(
            db, SECRETARIAT, SpaceCreate.model_validate({"slug": "s", "title": "Forum"})
        )
        now = utcnow()
        created = await sessions.create_session(
            db,
            SECRETARIAT,
            "s",
            SessionCreate.model_validate(
                {"title": "Open", "opens_at": now, "closes_at": now + timedelta(days=1)}
            ),
        )
        await endpoints.register_endpoint(
            db,
            SECRETARIAT,
            WebhookCreate(url=receiver.url, event_types=["session.closed"]),
            endpoints.destinations_for(settings),
        )
        await sessions.close_now(db, SECRETARIAT, created.id)
    finally:  # the process ends here, having sent nothing
        await broker.disconnect()
        await db.dispose()
    assert receiver.received == []

    application = create_app(settings)
    async with application.router.lifespan_context(application):
        await receiver.wait_for(1)
    assert [r.json["type"] for r in receiver.received] == ["session.closed"]


async def test_an_endpoint_failing_for_days_gives_up_then_is_switched_off_and_its_owner_told(
    app: Starlette,
    client: httpx.AsyncClient,
    db: Database,
    make_user: MakeUser,
    make_space,
    make_session,
    receiver: Receiver,
) -> None:
    from sqlalchemy import select, update

    from forum_server.mail.models import OutboxMessage
    from forum_server.webhooks.models import WebhookEndpoint

    receiver.answers = [500] * 1000
    owner = await make_user(is_secretariat=True, email="owner@example.org")
    token = await token_for(client, owner)
    hook = await register(client, token, receiver.url, ["session.closed", "session.reopened"])
    session_id = await make_session(await make_space())
    await sessions.close_now(db, SECRETARIAT, session_id)

    settings = app.state.ctx.settings
    async with httpx.AsyncClient() as http:
        sender = Sender(http, settings.webhooks_allow_private, (settings.site_host,))
        clock = utcnow()
        for _ in range(8):  # 40 hours of retries
            clock += timedelta(hours=5)
            await deliver_due(db, sender, now=clock)
        log = await client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=bearer(token))
        (first,) = log.json()["items"]
        assert first["status"] == "failed", "given up after a little over a day"
        assert 5 <= first["attempts"] <= 7
        assert (await client.get(f"/api/v1/webhooks/{hook['id']}", headers=bearer(token))).json()[
            "active"
        ]

        # Failing for three days by the next try: its failures began that long ago.
        async with db.write() as uow:
            await uow.session.execute(
                update(WebhookEndpoint).values(failing_since=utcnow() - timedelta(days=3))
            )
        await reopening.reopen(db, SECRETARIAT, session_id, Reopen())
        for _ in range(50):  # this try, or the server's own background one
            await deliver_due(db, sender, now=utcnow() + timedelta(seconds=1))
            path = f"/api/v1/webhooks/{hook['id']}"
            endpoint = (await client.get(path, headers=bearer(token))).json()
            if not endpoint["active"]:
                break
            await asyncio.sleep(0.1)
    assert endpoint["active"] is False and endpoint["disabled_reason"]
    async with db.read() as session:
        notices = (
            await session.scalars(
                select(OutboxMessage.to_addr).where(OutboxMessage.kind == "webhook_disabled")
            )
        ).all()
    assert notices == ["owner@example.org"]

    switched = await client.patch(
        f"/api/v1/webhooks/{hook['id']}", json={"active": True}, headers=bearer(token)
    )
    assert switched.json()["active"] is True and switched.json()["failing_since"] is None
