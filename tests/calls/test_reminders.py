"""Reminders before the deadline: each lead time once (recorded, so a second pass or
process sends nothing), only to the submitters of those who have not submitted, and
dropped at send time when they have submitted meanwhile."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select

from forum_server.calls import reminders
from forum_server.calls.models import CallReminder
from forum_server.mail.models import OutboxMessage
from forum_server.mail.outbox import Claimed
from tests.calls.conftest import call_body


async def _queued(db) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    async with db.read() as session:
        rows = await session.execute(
            select(OutboxMessage.to_addr, OutboxMessage.context).where(
                OutboxMessage.kind == reminders.KIND
            )
        )
        return [(to, context) for to, context in rows]


async def test_each_lead_time_reminds_once(client: httpx.AsyncClient, calls: dict, db) -> None:  # type: ignore[no-untyped-def]
    tokens, users = calls["tokens"], calls["users"]
    # A call due in 12 hours with reminders at 7 days and 1 day: both are due now; one
    # message per person goes out, and both lead times are recorded.
    soon = (datetime.now(UTC) + timedelta(hours=12)).isoformat(timespec="seconds")
    opened = await client.post(
        f"/api/v1/spaces/{calls['slug']}/calls",
        json=call_body(deadline=soon, title="Due soon"),
        headers=tokens["owner"],
    )
    call_id = opened.json()["id"]
    await client.post(
        f"/api/v1/calls/{call_id}/submissions", json={"text": "done"}, headers=tokens["argentina"]
    )
    await reminders.send_due_reminders(db)
    queued = await _queued(db)
    addresses = sorted(to for to, context in queued if "Due soon" in context)
    expected = sorted(users[n].email for n in ("brazil", "brazil too", "iucn"))
    assert addresses == expected
    await reminders.send_due_reminders(db)
    assert len(await _queued(db)) == len(queued)
    async with db.read() as session:
        days = set(
            await session.scalars(select(CallReminder.days).where(CallReminder.call_id == call_id))
        )
    assert days == {7, 1}
    # The first call (ten days away, reminders at 7 and 1) is not due yet.
    assert not [c for _, c in queued if "capacity-building" in c]
    # Brazil submits before its reminder is sent: the message is dropped at send time.
    await client.post(
        f"/api/v1/calls/{call_id}/submissions", json={"text": "done"}, headers=tokens["brazil"]
    )
    message = Claimed(
        1,
        "m",
        reminders.KIND,
        users["brazil"].email,
        users["brazil"].id,
        None,
        {"call_id": call_id, "title": "Due soon", "space_title": "", "path": f"/calls/{call_id}"},
        0,
    )
    async with db.read() as session:
        assert await reminders.draft_reminder(session, message) is None
        iucn = Claimed(
            2,
            "n",
            reminders.KIND,
            users["iucn"].email,
            users["iucn"].id,
            None,
            dict(message.context),
            0,
        )
        draft = await reminders.draft_reminder(session, iucn)
    assert draft is not None and "Due soon" in draft.subject


async def test_the_manual_reminder_is_for_managers(client: httpx.AsyncClient, calls: dict) -> None:
    call_id = calls["call"]["id"]
    refused = await client.post(
        f"/api/v1/calls/{call_id}/reminders", headers=calls["tokens"]["brazil"]
    )
    assert refused.status_code == 403
    done = await client.post(f"/api/v1/calls/{call_id}/reminders", headers=calls["tokens"]["owner"])
    assert done.status_code == 200 and done.json() == {"reminded": 4}
    # A submitter who left the space is reminded no more.
    gone = await client.delete(
        f"/api/v1/spaces/{calls['slug']}/members/{calls['users']['argentina'].id}",
        headers=calls["tokens"]["owner"],
    )
    assert gone.status_code in {200, 204}
    again = await client.post(
        f"/api/v1/calls/{call_id}/reminders", headers=calls["tokens"]["owner"]
    )
    assert again.json() == {"reminded": 3}
