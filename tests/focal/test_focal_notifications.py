"""A notification to the focal points of one region reaches exactly them, once each,
with or without an account; the link in it works once, only for its holder, and
makes the account of someone without one from the register; reminders go to the
countries that have not responded, and are not repeated by a second press."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from starlette.applications import Starlette

from forum_server.db import Database
from forum_server.focal.models import FocalDelivery
from forum_server.rooms.models import Membership
from tests.conftest import MakeUser
from tests.focal.helpers import fill_register, link_in, sent_mail
from tests.helpers import bearer, client_for, csrf_from, sign_in, token_for


async def follow(app: Starlette, path: str) -> httpx.Response:
    """A browser without JavaScript: opens the link, then presses Continue."""
    async with client_for(app) as browser:
        return await _follow_in(browser, path)


async def _follow_in(browser: httpx.AsyncClient, path: str) -> httpx.Response:
    page = await browser.get(path)
    if page.status_code != 200:
        return page
    csrf = await csrf_from(browser, path)
    return await browser.post(path, data={"csrf_token": csrf})


async def test_one_region_is_reached_exactly_once_and_links_work_once_for_their_holder(
    app: Starlette,
    client: httpx.AsyncClient,
    db: Database,
    make_user: MakeUser,
    make_space,
    make_session,
) -> None:
    secretariat = bearer(await token_for(client, await make_user(is_secretariat=True)))
    # Kamau (Kenya) has an account already; Okafor (Nigeria) has none.
    kamau = await make_user(email="kamau@env.go.ke", display_name="W. Kamau", country="KE")
    await fill_register(client, secretariat)
    slug = await make_space(slug="forum", visibility="members")
    session_id = await make_session(slug, title="Capacity-building needs")
    before = await sent_mail(app)

    answer = await client.post(
        "/api/v1/focal-notifications",
        json={
            "subject": "Online forum on capacity-building",
            "body": "Please take part.",
            "regions": ["africa"],
            "target_kind": "session",
            "target_id": session_id,
        },
        headers=secretariat,
    )
    assert answer.status_code == 201, answer.text
    record = answer.json()
    assert sorted(r["email"] for r in record["recipients"]) == [
        "kamau@env.go.ke",
        "okafor@biosafety.gov.ng",
    ]
    assert record["waiting_countries"] == ["KE", "NG"]
    mail = await sent_mail(app)
    new = {to: [m for m in msgs if m not in before.get(to, [])] for to, msgs in mail.items()}
    new = {to: msgs for to, msgs in new.items() if msgs}
    assert sorted(new) == ["kamau@env.go.ke", "okafor@biosafety.gov.ng"]
    assert all(len(msgs) == 1 for msgs in new.values())
    okafor_link = link_in(new["okafor@biosafety.gov.ng"][0])
    kamau_link = link_in(new["kamau@env.go.ke"][0])

    # Someone else, signed in, cannot use Okafor's link; nor a tampered one.
    async with client_for(app) as stranger:
        await sign_in(stranger, await make_user(email="other@example.org"))
        refused = await _follow_in(stranger, okafor_link)
        assert refused.status_code == 403
        tampered = await stranger.get(okafor_link[:-3] + "xyz")
        assert tampered.status_code == 404 and "not valid" in tampered.text

    # Okafor, without an account: the link makes it, signs in, joins, lands on the session.
    async with client_for(app) as browser:
        done = await _follow_in(browser, okafor_link)
        assert done.status_code == 303 and done.headers["location"] == f"/sessions/{session_id}"
        me = (await browser.get("/api/v1/me")).json()
        assert me["email"] == "okafor@biosafety.gov.ng" and me["country"] == "NG"
        assert me["display_name"] == "Adaeze Okafor"
        assert (await browser.get(f"/sessions/{session_id}")).status_code == 200
    # Once only.
    again = await follow(app, okafor_link)
    assert again.status_code == 404 and "not valid" in again.text

    # Kamau's account exists: signed out, the link asks to sign in (and is not used up)...
    async with client_for(app) as browser:
        asked = await _follow_in(browser, kamau_link)
        assert asked.status_code == 303 and asked.headers["location"].startswith("/login")
        await sign_in(browser, kamau)
        done = await _follow_in(browser, kamau_link)
        assert done.status_code == 303 and done.headers["location"] == f"/sessions/{session_id}"
    async with db.read() as session:
        members = set(
            await session.scalars(
                select(Membership.user_id).where(Membership.space_id.is_not(None))
            )
        )
        used = list(await session.scalars(select(FocalDelivery.used_by)))
    assert kamau.id in members and len([u for u in used if u]) == 2

    detail = (
        await client.get(f"/api/v1/focal-notifications/{record['id']}", headers=secretariat)
    ).json()
    assert detail["responded_countries"] == ["KE", "NG"] and detail["waiting_countries"] == []
    assert all(r["link_used_at"] for r in detail["recipients"])


async def test_reminders_go_to_countries_that_have_not_responded_once(
    app: Starlette, client: httpx.AsyncClient, make_user: MakeUser, make_space, make_session
) -> None:
    secretariat = bearer(await token_for(client, await make_user(is_secretariat=True)))
    await fill_register(client, secretariat)
    session_id = await make_session(await make_space(slug="forum"))
    sent = await client.post(
        "/api/v1/focal-notifications",
        json={
            "subject": "Forum",
            "body": "Join us.",
            "target_kind": "session",
            "target_id": session_id,
        },
        headers=secretariat,
    )
    notification = sent.json()
    assert len(notification["recipients"]) == 4
    mail = await sent_mail(app)
    await follow(app, link_in(mail["okafor@biosafety.gov.ng"][-1]))  # Nigeria responds

    path = f"/api/v1/focal-notifications/{notification['id']}/reminders"
    first = await client.post(path, headers=secretariat)
    assert first.json() == {"sent": 3}
    second = await client.post(path, headers=secretariat)
    assert second.json() == {"sent": 0}  # not again so soon
    mail = await sent_mail(app)
    reminded = {to for to, msgs in mail.items() if any("Reminder" in m for m in msgs)}
    assert reminded == {"kamau@env.go.ke", "schmidt@bmuv.de"}
    # The Brazilian focal point asked for Spanish: the reminder came in it.
    assert [m.split("\n")[0] for m in mail["pereira@mma.gov.br"]][-1] == "Recordatorio: Forum"


async def test_a_removed_entry_s_link_is_refused(
    app: Starlette, client: httpx.AsyncClient, make_user: MakeUser, make_space, make_session
) -> None:
    secretariat = bearer(await token_for(client, await make_user(is_secretariat=True)))
    ids = await fill_register(client, secretariat)
    session_id = await make_session(await make_space(slug="forum"))
    sent = await client.post(
        "/api/v1/focal-notifications",
        json={
            "subject": "Forum",
            "body": "Join.",
            "regions": ["weog"],
            "target_kind": "session",
            "target_id": session_id,
        },
        headers=secretariat,
    )
    assert sent.status_code == 201, sent.text
    link = link_in((await sent_mail(app))["schmidt@bmuv.de"][0])
    removed = await client.delete(
        f"/api/v1/focal-points/{ids['schmidt@bmuv.de']}", headers=secretariat
    )
    assert removed.status_code == 204
    refused = await follow(app, link)
    assert refused.status_code == 404 and "not valid" in refused.text


async def test_the_automatic_reminder_is_sent_once_when_due(
    app: Starlette,
    client: httpx.AsyncClient,
    db: Database,
    make_user: MakeUser,
    make_space,
    make_session,
) -> None:
    from datetime import timedelta

    from forum_server.focal.sending import send_due_reminders
    from forum_server.orm import utcnow

    secretariat = bearer(await token_for(client, await make_user(is_secretariat=True)))
    await fill_register(client, secretariat)
    session_id = await make_session(await make_space(slug="forum"))
    soon = (utcnow() + timedelta(hours=1)).isoformat()
    answer = await client.post(
        "/api/v1/focal-notifications",
        json={
            "subject": "Forum",
            "body": "Join.",
            "regions": ["weog"],
            "target_kind": "session",
            "target_id": session_id,
            "remind_at": soon,
        },
        headers=secretariat,
    )
    assert answer.json()["remind_at"] is not None
    assert await send_due_reminders(db) == 0  # not yet
    async with db.write() as uow:
        from forum_server.focal.models import FocalNotification

        found = await uow.session.get(FocalNotification, answer.json()["id"])
        assert found is not None
        found.remind_at = utcnow() - timedelta(minutes=1)
    assert await send_due_reminders(db) == 1
    assert await send_due_reminders(db) == 0  # once
    mail = await sent_mail(app)
    assert [m.split("\n")[0] for m in mail["schmidt@bmuv.de"]] == ["Forum", "Reminder: Forum"]


async def test_a_message_for_an_entry_removed_before_it_left_is_not_sent(
    app: Starlette, client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    secretariat = bearer(await token_for(client, await make_user(is_secretariat=True)))
    ids = await fill_register(client, secretariat)
    sent = await client.post(
        "/api/v1/focal-notifications",
        json={"subject": "Forum", "body": "Join.", "regions": ["weog", "grulac"]},
        headers=secretariat,
    )
    assert sent.status_code == 201 and sent.json()["waiting_countries"] == []
    await client.delete(f"/api/v1/focal-points/{ids['schmidt@bmuv.de']}", headers=secretariat)
    mail = await sent_mail(app)
    assert "schmidt@bmuv.de" not in mail and "pereira@mma.gov.br" in mail
    record = await client.get(
        f"/api/v1/focal-notifications/{sent.json()['id']}", headers=secretariat
    )
    removed = [r for r in record.json()["recipients"] if r["email"] == "schmidt@bmuv.de"]
    assert removed[0]["focal_point_id"] is None  # the record keeps whom it was for


async def test_a_notification_points_to_library_documents(
    app: Starlette, client: httpx.AsyncClient, make_user: MakeUser, make_space
) -> None:
    from tests.files.conftest import upload
    from tests.files.samples import PDF

    admin = await make_user(is_secretariat=True)
    secretariat = bearer(await token_for(client, admin))
    await fill_register(client, secretariat)
    slug = await make_space(slug="library")
    created = await upload(
        client,
        f"/api/v1/spaces/{slug}/library",
        PDF,
        headers=secretariat,
        title="Draft terms of reference",
        language="en",
    )
    assert created.status_code == 201, created.text
    document_id = created.json()["id"]
    async with client_for(app) as browser:
        await sign_in(browser, admin)
        page = await browser.get("/focal-notifications")
        assert "Draft terms of reference" in page.text
    sent = await client.post(
        "/api/v1/focal-notifications",
        json={
            "subject": "Terms of reference",
            "body": "Comments welcome.",
            "regions": ["weog"],
            "documents": [document_id],
        },
        headers=secretariat,
    )
    assert sent.status_code == 201 and sent.json()["documents"] == [document_id]
    message = (await sent_mail(app))["schmidt@bmuv.de"][0]
    assert "Draft terms of reference" in message and f"/documents/{document_id}" in message
