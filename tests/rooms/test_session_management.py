"""Managing a session from its page: editing its title and description, and a
re-opening scheduled ahead that the page shows, the scheduler opens on time, and a
moderator can cancel; each change leaves an audit entry."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from forum_server.accounts.queries import UserView
from forum_server.audit import AuditEntry
from forum_server.db import Database
from forum_server.events import EventRecord
from forum_server.orm import utcnow
from forum_server.rooms.models import SessionPeriod
from forum_server.rooms.scheduler import announce_if_due
from tests.conftest import MakeUser
from tests.helpers import bearer, csrf_from, token_for
from tests.rooms.test_pages import iso, local, new_session, new_space, submit, text_of


@pytest.fixture
async def secretariat(make_user: MakeUser) -> UserView:
    return await make_user(is_secretariat=True, display_name="Secretariat")


@pytest.fixture
async def api(client, secretariat: UserView) -> dict[str, str]:
    return bearer(await token_for(client, secretariat))


async def audit_actions(db: Database, session_id: int) -> list[tuple[str, str]]:
    async with db.read() as session:
        rows = await session.execute(
            select(AuditEntry.action, AuditEntry.actor_name)
            .where(AuditEntry.target_type == "session", AuditEntry.target_id == session_id)
            .order_by(AuditEntry.id)
        )
    return [(action, name) for action, name in rows]


async def closed_session(client, api, moderator_id: int) -> dict:
    await new_space(client, api)
    return await new_session(
        client,
        api,
        moderator_ids=[moderator_id],
        opens_at=iso(-timedelta(days=20)),
        closes_at=iso(-timedelta(days=6)),
    )


async def test_a_moderator_edits_the_title_and_description(client, api, browser, make_user, db):
    moderator = await make_user(display_name="Moderator")
    await new_space(client, api)
    session = await new_session(client, api, moderator_ids=[moderator.id])
    page = f"/sessions/{session['id']}"
    async with browser(moderator) as http:
        edited = await submit(
            http, page, f"{page}/edit", title="Lessons learned", description="Read *this* first."
        )
        assert edited.status_code == 303
        shown = (await http.get(edited.headers["location"])).text
        assert "The session is changed." in shown
        assert "<h1" in shown and "Lessons learned" in shown and "<em>this</em>" in shown
        empty = await submit(http, page, f"{page}/edit", title="", description="")
        assert empty.status_code == 422 and "Title" in text_of(empty.text)
    assert ("session.updated", "Moderator") in await audit_actions(db, session["id"])
    async with browser(await make_user()) as participant:
        token = await csrf_from(participant, page)
        refused = await participant.post(f"{page}/edit", data={"csrf_token": token, "title": "X"})
    assert refused.status_code == 403


async def test_a_reopening_scheduled_ahead_shows_and_opens_on_time(
    client, api, browser, make_user, db
):
    moderator = await make_user(display_name="Moderator")
    session = await closed_session(client, api, moderator.id)
    page = f"/sessions/{session['id']}"
    async with browser(moderator) as http:
        scheduled = await submit(
            http, page, f"{page}/reopen", opens_at=local(timedelta(days=10)), days="14"
        )
        assert scheduled.status_code == 303
        assert scheduled.headers["location"] == f"{page}?notice=reopening_scheduled"
        shown = text_of((await http.get(scheduled.headers["location"])).text)
        assert "The re-opening is scheduled." in shown and "re-opens" in shown
        assert "A re-opening is scheduled from" in shown
    detail = (await client.get(f"/api/v1{page}", headers=api)).json()
    assert detail["state"] == "scheduled" and len(detail["periods"]) == 2
    coming = detail["periods"][-1]
    assert coming["closes_at"] is not None
    length = datetime.fromisoformat(coming["closes_at"]) - datetime.fromisoformat(
        coming["opens_at"]
    )
    assert length == timedelta(days=14)
    async with browser(await make_user(display_name="Reader")) as reader:
        assert "re-opens" in text_of((await reader.get(page)).text)

    # The time comes: the scheduler opens it and says so, once.
    async with db.write() as uow:
        await uow.session.execute(
            update(SessionPeriod)
            .where(
                SessionPeriod.session_id == session["id"], SessionPeriod.open_announced.is_(False)
            )
            .values(opens_at=utcnow() - timedelta(seconds=1))
        )
    await announce_if_due(db)
    await announce_if_due(db)
    assert (await client.get(f"/api/v1{page}", headers=api)).json()["state"] == "open"
    actions = await audit_actions(db, session["id"])
    assert ("session.reopening_scheduled", "Moderator") in actions
    assert actions.count(("session.reopened", "scheduler")) == 1
    async with db.read() as read:
        types = list(
            await read.scalars(
                select(EventRecord.type).where(EventRecord.session_id == session["id"])
            )
        )
    assert types.count("session.reopened") == 1
    assert types[types.index("session.reopened") + 1] == "session.opened"


async def test_a_scheduled_reopening_can_be_cancelled(client, api, browser, make_user, db):
    moderator = await make_user(display_name="Moderator")
    session = await closed_session(client, api, moderator.id)
    page = f"/sessions/{session['id']}"
    url = f"/api/v1{page}"
    body = {"opens_at": iso(timedelta(days=3)), "closes_at": iso(timedelta(days=17))}
    mod_api = bearer(await token_for(client, moderator))
    scheduled = await client.post(f"{url}/reopen", json=body, headers=mod_api)
    assert scheduled.status_code == 200 and scheduled.json()["state"] == "scheduled"
    again = await client.post(f"{url}/reopen", json=body, headers=mod_api)
    assert again.status_code == 409
    async with browser(moderator) as http:
        cancelled = await submit(http, page, f"{page}/reopening/cancel")
        assert cancelled.headers["location"] == f"{page}?notice=reopening_cancelled"
        shown = text_of((await http.get(cancelled.headers["location"])).text)
        assert "The scheduled re-opening is cancelled." in shown and "re-opens" not in shown
    detail = (await client.get(url, headers=api)).json()
    assert detail["state"] == "closed" and len(detail["periods"]) == 1
    none_left = await client.delete(f"{url}/reopening", headers=mod_api)
    assert none_left.status_code == 409 and none_left.json()["error"]["code"] == "no_reopening"
    assert ("session.reopening_cancelled", "Moderator") in await audit_actions(db, session["id"])


async def test_reopening_now_for_a_number_of_days(client, api, browser, make_user, db):
    moderator = await make_user(display_name="Moderator")
    session = await closed_session(client, api, moderator.id)
    page = f"/sessions/{session['id']}"
    async with browser(moderator) as http:
        wrong = await submit(http, page, f"{page}/reopen", days="0")
        assert wrong.status_code == 422 and "For how many days" in text_of(wrong.text)
        reopened = await submit(http, page, f"{page}/reopen", days="7")
        assert reopened.headers["location"] == f"{page}?notice=reopened"
    detail = (await client.get(f"/api/v1{page}", headers=api)).json()
    assert detail["state"] == "open"
    assert ("session.reopened", "Moderator") in await audit_actions(db, session["id"])


async def test_a_workspace_session_is_not_there_for_outsiders(
    client, api, browser, make_user, add_member, db
):
    """Members-only: a guest, a signed-in outsider, a removed member and the moderator
    of another space find no session to edit, re-open or cancel, by page or API."""
    await new_space(client, api, "workspace", title="Workspace", visibility="members")
    await new_space(client, api, "other", title="Other forum")
    moderator, removed, elsewhere, outsider = (
        await make_user(display_name="Moderator"),
        await make_user(display_name="Removed"),
        await make_user(display_name="Elsewhere"),
        await make_user(display_name="Outsider"),
    )
    await add_member("workspace", moderator.id, "moderator")
    await add_member("workspace", removed.id, "member")
    await add_member("other", elsewhere.id, "moderator")
    session = await new_session(
        client,
        api,
        "workspace",
        title="CANARY-session-title",
        opens_at=iso(-timedelta(days=20)),
        closes_at=iso(-timedelta(days=6)),
    )
    assert (
        await client.delete(f"/api/v1/spaces/workspace/members/{removed.id}", headers=api)
    ).status_code == 204
    page = f"/sessions/{session['id']}"
    later = {"opens_at": iso(timedelta(days=3))}
    for person in (removed, elsewhere, outsider):
        headers = bearer(await token_for(client, person))
        for method, path, body in (
            ("POST", f"/api/v1{page}/reopen", later),
            ("DELETE", f"/api/v1{page}/reopening", None),
            ("PATCH", f"/api/v1{page}", {"title": "Taken"}),
        ):
            answer = await client.request(method, path, json=body, headers=headers)
            assert answer.status_code == 404, (person.display_name, path, answer.text)
            assert "CANARY" not in answer.text
        async with browser(person) as http:
            token = await csrf_from(http, "/profile")
            for action in ("edit", "reopen", "reopening/cancel"):
                form = {"csrf_token": token, "title": "Taken", "opens_at": "2031-07-01T09:00"}
                answer = await http.post(f"{page}/{action}", data=form)
                assert answer.status_code == 404 and "CANARY" not in answer.text
    async with browser() as guest:
        token = await csrf_from(guest, "/login")
        answer = await guest.post(f"{page}/reopen", data={"csrf_token": token})
        assert answer.status_code == 401 and "CANARY" not in answer.text
    assert (await client.get(f"/api/v1{page}", headers=api)).json()["state"] == "closed"


async def test_a_moderator_schedules_and_moves_the_opening(client, api, browser, make_user, db):
    moderator = await make_user(display_name="Moderator")
    await new_space(client, api)
    draft = await new_session(
        client, api, moderator_ids=[moderator.id], opens_at=None, closes_at=None
    )
    page = f"/sessions/{draft['id']}"
    url = f"/api/v1{page}"
    async with browser(moderator) as http:
        scheduled = await submit(
            http,
            page,
            f"{page}/times",
            opens_at=local(timedelta(days=2)),
            closes_at=local(timedelta(days=16)),
        )
        assert scheduled.headers["location"] == f"{page}?notice=times_changed"
        shown = text_of((await http.get(scheduled.headers["location"])).text)
        assert "The session's times are changed." in shown and "opens" in shown
        detail = (await client.get(url, headers=api)).json()
        assert detail["state"] == "scheduled" and len(detail["periods"]) == 1
        backwards = await submit(
            http,
            page,
            f"{page}/times",
            opens_at=local(timedelta(days=5)),
            closes_at=local(timedelta(days=4)),
        )
        assert backwards.status_code == 422
        moved = await submit(http, page, f"{page}/times", opens_at=local(timedelta(days=1)))
        assert moved.status_code == 303
    detail = (await client.get(url, headers=api)).json()
    assert detail["state"] == "scheduled" and detail["closes_at"] is None
    # Once open, the opening stays where it was: the closing time moves instead.
    await client.post(f"{url}/open", headers=api)
    refused = await client.patch(url, json={"opens_at": iso(timedelta(days=3))}, headers=api)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "session_started"
    async with db.read() as session:
        changes = list(
            await session.scalars(
                select(AuditEntry.details).where(
                    AuditEntry.action == "session.updated", AuditEntry.target_id == draft["id"]
                )
            )
        )
    assert len(changes) == 2 and all("opens_at" in c for c in changes)


async def test_a_scheduled_reopening_brought_forward_is_a_reopening(client, api, make_user, db):
    moderator = await make_user(display_name="Moderator")
    session = await closed_session(client, api, moderator.id)
    url = f"/api/v1/sessions/{session['id']}"
    mod_api = bearer(await token_for(client, moderator))
    later = {"opens_at": iso(timedelta(days=3)), "closes_at": iso(timedelta(days=17))}
    await client.post(f"{url}/reopen", json=later, headers=mod_api)
    opened = await client.post(f"{url}/open", headers=mod_api)
    assert opened.status_code == 200 and opened.json()["state"] == "open"
    assert len(opened.json()["periods"]) == 2
    assert ("session.reopened", "Moderator") in await audit_actions(db, session["id"])
    async with db.read() as read:
        types = list(
            await read.scalars(
                select(EventRecord.type).where(EventRecord.session_id == session["id"])
            )
        )
    assert types[-2:] == ["session.reopened", "session.opened"]
