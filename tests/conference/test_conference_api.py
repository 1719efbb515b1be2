"""Conference sessions over the API and the pages: the format, the agenda and its
moves, messages to the current item, the per-session message limit, and access."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from forum_server.audit import AuditEntry
from forum_server.db import Database
from forum_server.events import events_after
from forum_server.i18n import gettext, using_language
from forum_server.orm import utcnow
from forum_server.rooms import members
from forum_server.rooms.admission import DEFAULT_MESSAGE_LIMIT, USER_LIMIT
from tests.conftest import SECRETARIAT, MakeUser
from tests.helpers import bearer, csrf_from, sign_in, token_for


@pytest.fixture
async def secretariat(client: httpx.AsyncClient, make_user: MakeUser) -> dict[str, str]:
    return bearer(await token_for(client, await make_user(is_secretariat=True)))


async def new_conference(client, headers, slug, **fields) -> dict:
    now = utcnow()
    body = {
        "title": "Biosafety capacity: a live conference",
        "format": "conference",
        "opens_at": (now - timedelta(minutes=1)).isoformat(),
        "closes_at": (now + timedelta(hours=4)).isoformat(),
        "questions": [
            {"text": "What worked?", "planned_at": (now + timedelta(minutes=5)).isoformat()},
            {"text": "What next?", "planned_at": (now + timedelta(hours=1)).isoformat()},
        ],
        **fields,
    }
    response = await client.post(f"/api/v1/spaces/{slug}/sessions", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_conference_has_an_agenda_with_planned_times(client, secretariat, make_space):
    slug = await make_space()
    session = await new_conference(client, secretariat, slug, message_limit=12)
    assert session["format"] == "conference" and session["message_limit"] == 12
    assert session["agenda_item"] is None
    first, second = session["questions"]
    assert first["planned_at"] and second["planned_at"] > first["planned_at"]
    later = (utcnow() + timedelta(hours=2)).isoformat()
    moved = await client.patch(
        f"/api/v1/questions/{second['id']}",
        json={"text": "What next?", "planned_at": later},
        headers=secretariat,
    )
    assert moved.status_code == 200 and moved.json()["planned_at"][:16] == later[:16]
    # A correction of the wording alone keeps the planned time.
    worded = await client.patch(
        f"/api/v1/questions/{second['id']}", json={"text": "What comes next?"}, headers=secretariat
    )
    assert worded.json()["planned_at"] == moved.json()["planned_at"]
    forum = await client.patch(
        f"/api/v1/sessions/{session['id']}",
        json={"format": "forum", "message_limit": None},
        headers=secretariat,
    )
    assert forum.json()["format"] == "forum" and forum.json()["message_limit"] is None
    bad = await client.patch(
        f"/api/v1/sessions/{session['id']}", json={"format": "webinar"}, headers=secretariat
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "format"


async def test_moving_the_agenda_is_audited_announced_and_timed(
    client, db: Database, secretariat, make_space, make_user
):
    slug = await make_space()
    session = await new_conference(client, secretariat, slug)
    sid = session["id"]
    participant = bearer(await token_for(client, await make_user()))
    refused = await client.post(
        f"/api/v1/sessions/{sid}/agenda", json={"number": 2}, headers=participant
    )
    assert refused.status_code == 403
    missing = await client.post(
        f"/api/v1/sessions/{sid}/agenda", json={"number": 9}, headers=secretariat
    )
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "number"
    for number in (1, 2):
        moved = await client.post(
            f"/api/v1/sessions/{sid}/agenda", json={"number": number}, headers=secretariat
        )
        assert moved.status_code == 200 and moved.json()["agenda_item"] == number
    first, second = moved.json()["questions"]
    assert first["started_at"] and first["ended_at"] and second["started_at"]
    assert second["ended_at"] is None
    async with db.read() as read:
        events = [
            e for e in await events_after(read, 0, session_id=sid) if e.type == "agenda.moved"
        ]
        audit = list(
            await read.scalars(select(AuditEntry).where(AuditEntry.action == "agenda.moved"))
        )
    assert [e.data["number"] for e in events] == [1, 2]
    assert events[1].data["previous"] == 1 and events[1].data["text"] == "What next?"
    assert len(audit) == 2 and audit[0].target_id == sid


async def test_messages_go_to_the_current_item_and_replies_quote(
    client, secretariat, make_space, make_user
):
    slug = await make_space()
    sid = (await new_conference(client, secretariat, slug))["id"]
    ana = bearer(await token_for(client, await make_user(display_name="Ana")))
    first = await client.post(
        f"/api/v1/sessions/{sid}/messages", json={"body": "Hello all"}, headers=ana
    )
    assert first.status_code == 201, first.text
    await client.post(f"/api/v1/sessions/{sid}/agenda", json={"number": 2}, headers=secretariat)
    reply = await client.post(
        f"/api/v1/sessions/{sid}/messages",
        json={"body": "Back to **that**", "parent_id": first.json()["id"]},
        headers=ana,
    )
    later = await client.post(
        f"/api/v1/sessions/{sid}/messages", json={"body": "Next"}, headers=ana
    )
    conference = (await client.get(f"/api/v1/sessions/{sid}/conference")).json()
    items = [(m["item"], m["post"]["body"]) for m in conference["messages"]]
    # A reply to an earlier item's message stays with it; a new message goes to the current.
    assert items == [(1, "Hello all"), (1, "Back to **that**"), (2, "Next")]
    quoted = conference["messages"][1]["quote"]
    assert quoted == {"post_id": first.json()["id"], "author": "Ana", "text": "Hello all"}
    assert reply.json()["thread_id"] == first.json()["thread_id"] != later.json()["thread_id"]


async def test_the_message_limit_is_per_session_and_set_by_moderators(
    client, secretariat, make_space, make_user
):
    slug = await make_space()
    busy = (await new_conference(client, secretariat, slug, message_limit=3))["id"]
    calm = (await new_conference(client, secretariat, slug))["id"]
    ana = bearer(await token_for(client, await make_user()))
    for n in range(3):
        sent = await client.post(
            f"/api/v1/sessions/{busy}/messages", json={"body": f"m{n}"}, headers=ana
        )
        assert sent.status_code == 201
    refused = await client.post(
        f"/api/v1/sessions/{busy}/messages", json={"body": "m3"}, headers=ana
    )
    assert refused.status_code == 429 and 0 < int(refused.headers["retry-after"]) <= 60
    # Another conference counts on its own, and its default is far above a forum's pace.
    assert USER_LIMIT.count < DEFAULT_MESSAGE_LIMIT * 10
    for n in range(USER_LIMIT.count // 10 + 5):
        sent = await client.post(
            f"/api/v1/sessions/{calm}/messages", json={"body": f"c{n}"}, headers=ana
        )
        assert sent.status_code == 201, sent.text
    raised = await client.patch(
        f"/api/v1/sessions/{busy}", json={"message_limit": 10}, headers=secretariat
    )
    assert raised.status_code == 200
    again = await client.post(f"/api/v1/sessions/{busy}/messages", json={"body": "m4"}, headers=ana)
    assert again.status_code == 201


async def test_a_forum_session_has_no_conference(client, secretariat, make_space, make_session):
    slug = await make_space()
    sid = await make_session(slug)
    for path in ("conference", "presence"):
        response = await client.get(f"/api/v1/sessions/{sid}/{path}")
        assert (
            response.status_code == 409 and response.json()["error"]["code"] == "not_a_conference"
        )
    refused = await client.post(
        f"/api/v1/sessions/{sid}/agenda", json={"number": 1}, headers=secretariat
    )
    assert refused.status_code == 409


async def test_a_members_conference_shows_nothing_to_outsiders(
    client, app, secretariat, make_space, make_user, add_member
):
    slug = await make_space(visibility="members")
    sid = (await new_conference(client, secretariat, slug))["id"]
    member, outsider, removed = await make_user(), await make_user(), await make_user()
    await add_member(slug, member.id)
    await add_member(slug, removed.id)
    sent = await client.post(
        f"/api/v1/sessions/{sid}/messages",
        json={"body": "Inside"},
        headers=bearer(await token_for(client, member)),
    )
    assert sent.status_code == 201
    await members.remove_member(app.state.ctx.db, SECRETARIAT, slug, removed.id)
    for who in (None, outsider, removed):
        headers = bearer(await token_for(client, who)) if who else {}
        for path in ("conference", "presence"):
            response = await client.get(f"/api/v1/sessions/{sid}/{path}", headers=headers)
            assert response.status_code == 404, (who, path)
        sent = await client.post(
            f"/api/v1/sessions/{sid}/messages", json={"body": "x"}, headers=headers
        )
        assert sent.status_code in (401, 404)
        page = await client.get(f"/sessions/{sid}/conference", headers=headers)
        assert page.status_code == 404 and "Inside" not in page.text


async def test_the_page_works_without_the_script(client, app, secretariat, make_space, make_user):
    slug = await make_space()
    sid = (await new_conference(client, secretariat, slug))["id"]
    ana = await make_user(display_name="Ana")
    await sign_in(client, ana)
    page = await client.get(f"/sessions/{sid}/conference")
    assert page.status_code == 200
    with using_language("en"):
        assert gettext("Refresh to see new messages") in page.text
    token = await csrf_from(client, f"/sessions/{sid}/conference")
    sent = await client.post(
        f"/sessions/{sid}/conference/messages",
        data={"csrf_token": token, "body": "Plain form", "client_id": "abc123"},
    )
    assert sent.status_code == 303
    assert sent.headers["location"].startswith(f"/sessions/{sid}/conference#m-")
    post_id = sent.headers["location"].rsplit("-", 1)[1]
    reply_page = await client.get(f"/sessions/{sid}/conference?reply={post_id}")
    assert f'name="parent_id" value="{post_id}"' in reply_page.text
    replied = await client.post(
        f"/sessions/{sid}/conference/messages",
        data={"csrf_token": token, "body": "A reply", "parent_id": post_id, "client_id": "abc124"},
    )
    assert replied.status_code == 303
    shown = (await client.get(f"/sessions/{sid}/conference")).text
    assert shown.index("Plain form") < shown.index("A reply")
    assert 'class="message-quote"' in shown


async def test_moderators_set_format_limit_and_times_through_the_forms(
    client, app, secretariat, make_space, make_user, make_session
):
    slug = await make_space()
    sid = await make_session(slug)
    moderator = await make_user(is_secretariat=True)
    await sign_in(client, moderator)
    token = await csrf_from(client, f"/sessions/{sid}")
    bad = await client.post(
        f"/sessions/{sid}/conference/settings",
        data={"csrf_token": token, "format": "conference", "message_limit": "many"},
    )
    assert bad.status_code == 422
    saved = await client.post(
        f"/sessions/{sid}/conference/settings",
        data={"csrf_token": token, "format": "conference", "message_limit": "45"},
    )
    assert saved.status_code == 303
    detail = (await client.get(f"/api/v1/sessions/{sid}")).json()
    assert detail["format"] == "conference" and detail["message_limit"] == 45
    question = detail["questions"][0]
    timed = await client.post(
        f"/questions/{question['id']}/edit",
        data={"csrf_token": token, "text": question["text"], "planned_at": "2026-03-02T14:30"},
    )
    assert timed.status_code == 303
    after = (await client.get(f"/api/v1/sessions/{sid}")).json()["questions"][0]
    assert after["planned_at"].startswith("2026-03-02T14:30")
    moved = await client.post(
        f"/sessions/{sid}/conference/agenda", data={"csrf_token": token, "number": "2"}
    )
    assert moved.status_code == 303 and moved.headers["location"].endswith("#latest")
    page = (await client.get(f"/sessions/{sid}/conference")).text
    assert 'aria-current="step"' in page and "What should change?" in page
