"""Those following a session by e-mail hear of a re-opening scheduled ahead once, when
it comes (not when it is scheduled)."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import update

from forum_server.db import Database
from forum_server.orm import utcnow
from forum_server.rooms.models import SessionPeriod
from forum_server.rooms.scheduler import announce_if_due
from tests.conftest import MakeUser
from tests.helpers import bearer, deliver_mail, token_for
from tests.mail.conftest import Relay


async def test_followers_hear_once_when_a_scheduled_reopening_comes(
    app, client: httpx.AsyncClient, relay: Relay, db: Database, make_user: MakeUser
):
    secretariat = await make_user(is_secretariat=True)
    ours = bearer(await token_for(client, secretariat))
    await client.post("/api/v1/spaces", json={"slug": "forum", "title": "Forum"}, headers=ours)
    now = utcnow()
    body = {
        "title": "Resources",
        "questions": ["What has worked?"],
        "opens_at": (now - timedelta(days=20)).isoformat(),
        "closes_at": (now - timedelta(days=6)).isoformat(),
    }
    session = (await client.post("/api/v1/spaces/forum/sessions", json=body, headers=ours)).json()
    await announce_if_due(db)  # the first period's opening and closing, long past
    await deliver_mail(app)
    watcher = await make_user(email="watcher@example.org")
    await client.post(
        "/api/v1/me/watches",
        json={"session_id": session["id"]},
        headers=bearer(await token_for(client, watcher)),
    )
    later = {"opens_at": (now + timedelta(days=3)).isoformat()}
    scheduled = await client.post(
        f"/api/v1/sessions/{session['id']}/reopen", json=later, headers=ours
    )
    assert scheduled.json()["state"] == "scheduled"
    await deliver_mail(app)
    assert [str(m["Subject"]) for m in relay.to("watcher@example.org")] == []  # not yet
    async with db.write() as uow:
        await uow.session.execute(
            update(SessionPeriod)
            .where(SessionPeriod.open_announced.is_(False))
            .values(opens_at=utcnow() - timedelta(seconds=1))
        )
    await announce_if_due(db)
    await deliver_mail(app)
    [message] = relay.to("watcher@example.org", "The session is open again")
    assert "Resources" in message["Subject"]
