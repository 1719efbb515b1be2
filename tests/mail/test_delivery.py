"""The outbox delivers through a real SMTP server: after the commit, once, with
retries while the relay is away, and refusals recorded for the secretariat."""

from __future__ import annotations

import asyncio
import re

import httpx
from sqlalchemy import func, select

from forum_server.db import Database
from forum_server.mail.models import OutboxMessage
from forum_server.mail.outbox import Outgoing, queue
from forum_server.mail.sender import deliver_due
from forum_server.settings import Settings
from tests.conftest import MakeUser
from tests.helpers import bearer, deliver_mail, token_for
from tests.mail.conftest import Relay, text_of


async def test_an_invitation_is_delivered_and_its_link_accepted(
    app, client: httpx.AsyncClient, relay: Relay, make_user: MakeUser, make_space, add_member
):
    owner = await make_user(display_name="Owner")
    slug = await make_space(slug="liaison", visibility="members", title="Liaison group")
    await add_member(slug, owner.id, "owner")
    invited = await make_user(email="expert@example.org")
    sent = await client.post(
        f"/api/v1/spaces/{slug}/invitations",
        json={"email": "expert@example.org"},
        headers=bearer(await token_for(client, owner)),
    )
    assert sent.status_code == 201
    await deliver_mail(app)
    [message] = relay.to("expert@example.org")
    assert message["Subject"] == "Invitation to Liaison group"
    assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
    link = re.search(r"http://testserver(/invitations/\S+)", text_of(message))
    assert link is not None and sent.json()["link"].endswith(link.group(1))
    token = link.group(1).rsplit("/", 1)[1]
    accepted = await client.post(
        f"/api/v1/invitations/{token}/accept", headers=bearer(await token_for(client, invited))
    )
    assert accepted.status_code == 200, accepted.text
    await deliver_mail(app)
    assert len(relay.to("expert@example.org")) == 1  # delivered once, not again


async def _queue_one(db: Database, to: str) -> None:
    async with db.write() as uow:
        await queue(
            uow, [Outgoing("password_reset", to, {"path": "/reset-password/x"}, message_key=to)]
        )


async def _statuses(db: Database) -> dict[str, str]:
    async with db.read() as session:
        rows = await session.execute(select(OutboxMessage.to_addr, OutboxMessage.status))
        return dict(rows.all())


async def test_a_relay_that_is_down_gets_the_message_once_it_is_back(
    quiet_db: Database, settings: Settings, relay: Relay
):
    db = quiet_db
    relay.stop()
    await _queue_one(db, "someone@example.org")
    assert await deliver_due(db, settings) == 0
    assert await _statuses(db) == {"someone@example.org": "queued"}  # kept, to retry
    async with db.write() as uow:  # the back-off's wait, over
        await uow.session.execute(
            OutboxMessage.__table__.update().values(next_attempt_at=func.now())
        )
    relay.start()
    await asyncio.sleep(0.01)
    assert await deliver_due(db, settings) == 1
    assert await deliver_due(db, settings) == 0
    assert len(relay.to("someone@example.org")) == 1
    assert await _statuses(db) == {"someone@example.org": "sent"}


async def test_a_refused_address_is_recorded_and_shown_to_the_secretariat(
    client: httpx.AsyncClient, quiet_db: Database, settings: Settings, relay: Relay, make_user
):
    db = quiet_db
    relay.refuse.add("gone@example.org")
    await _queue_one(db, "gone@example.org")
    await _queue_one(db, "here@example.org")
    await deliver_due(db, settings)
    assert await _statuses(db) == {"gone@example.org": "failed", "here@example.org": "sent"}
    secretariat = await make_user(is_secretariat=True)
    participant = await make_user()
    listed = await client.get(
        "/api/v1/mail/failures", headers=bearer(await token_for(client, secretariat))
    )
    assert listed.status_code == 200
    [failure] = listed.json()["items"]
    assert failure["to"] == "gone@example.org" and "550" in failure["error"]
    refused = await client.get(
        "/api/v1/mail/failures", headers=bearer(await token_for(client, participant))
    )
    assert refused.status_code == 403


async def test_nothing_is_queued_when_the_change_is_rolled_back(
    quiet_db: Database, settings, relay
):
    db = quiet_db

    class Boom(Exception):
        pass

    try:
        async with db.write() as uow:
            await queue(uow, [Outgoing("password_reset", "x@example.org", {"path": "/"})])
            raise Boom
    except Boom:
        pass
    await deliver_due(db, settings)
    assert relay.received == []


async def test_a_stopping_sender_leaves_the_rest_in_the_outbox(
    quiet_db: Database, settings: Settings, relay: Relay
):
    db = quiet_db
    async with db.write() as uow:
        await queue(
            uow, (Outgoing("password_reset", f"s{n}@example.org", {"path": "/"}) for n in range(30))
        )
    stop = asyncio.Event()
    stop.set()  # the server is shutting down: one batch, then back
    assert await deliver_due(db, settings, limit=10, stop=stop) == 10
    assert list((await _statuses(db)).values()).count("queued") == 20
