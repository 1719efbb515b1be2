"""Spaces and sessions over the API: who may do what, states, periods, questions."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest

from forum_server.db import Database
from forum_server.events import events_after
from forum_server.orm import utcnow
from tests.conftest import MakeUser
from tests.helpers import bearer, token_for


@pytest.fixture
async def secretariat(client: httpx.AsyncClient, make_user: MakeUser) -> dict[str, str]:
    return bearer(await token_for(client, await make_user(is_secretariat=True)))


@pytest.fixture
async def participant(client: httpx.AsyncClient, make_user: MakeUser) -> dict[str, str]:
    return bearer(await token_for(client, await make_user()))


def iso(delta: timedelta) -> str:
    return (utcnow() + delta).isoformat()


async def new_session(client, headers, slug="forum", **fields) -> dict:
    body = {"title": "Capacity needs", "moderator_ids": [], "questions": ["Q one?"], **fields}
    response = await client.post(f"/api/v1/spaces/{slug}/sessions", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def event_types(db: Database, session_id: int) -> list[str]:
    async with db.read() as s:
        return [e.type for e in await events_after(s, 0, session_id=session_id)]


async def test_only_the_secretariat_creates_spaces(client, secretariat, participant):
    body = {"slug": "forum", "title": "Online forum on capacity-building"}
    assert (await client.post("/api/v1/spaces", json=body)).status_code == 401
    assert (await client.post("/api/v1/spaces", json=body, headers=participant)).status_code == 403
    created = await client.post("/api/v1/spaces", json=body, headers=secretariat)
    assert created.status_code == 201
    assert created.json()["slug"] == "forum" and created.json()["sessions"] == []
    again = await client.post("/api/v1/spaces", json=body, headers=secretariat)
    assert again.status_code == 409 and again.json()["error"]["code"] == "slug_taken"


@pytest.mark.parametrize("slug", ["Has Spaces", "-dash", "UPPER", "", "a" * 65, "x/y"])
async def test_bad_slugs_are_refused(client, secretariat, slug):
    response = await client.post(
        "/api/v1/spaces", json={"slug": slug, "title": "T"}, headers=secretariat
    )
    assert response.status_code == 422 and response.json()["error"]["field"] == "slug"


async def test_members_space_is_invisible_to_outsiders(
    client, secretariat, participant, make_user, add_member
):
    await client.post(
        "/api/v1/spaces",
        json={"slug": "liaison", "title": "Liaison Group", "visibility": "members"},
        headers=secretariat,
    )
    await client.post("/api/v1/spaces", json={"slug": "open", "title": "Open"}, headers=secretariat)
    for headers in ({}, participant):
        listed = (await client.get("/api/v1/spaces", headers=headers)).json()["items"]
        assert [s["slug"] for s in listed] == ["open"]
        hidden = await client.get("/api/v1/spaces/liaison", headers=headers)
        missing = await client.get("/api/v1/spaces/no-such-space", headers=headers)
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json() == missing.json()
    member = await make_user()
    await add_member("liaison", member.id)
    member_headers = bearer(await token_for(client, member))
    listed = (await client.get("/api/v1/spaces", headers=member_headers)).json()["items"]
    assert {s["slug"] for s in listed} == {"liaison", "open"}


async def test_session_states_follow_the_clock(client, secretariat, make_space):
    await make_space(slug="forum")
    draft = await new_session(client, secretariat)
    assert draft["state"] == "draft" and draft["periods"] == []
    scheduled = await new_session(client, secretariat, opens_at=iso(timedelta(hours=1)))
    assert scheduled["state"] == "scheduled"
    running = await new_session(
        client, secretariat, opens_at=iso(-timedelta(hours=1)), closes_at=iso(timedelta(days=14))
    )
    assert running["state"] == "open"
    assert running["questions"][0]["number"] == 1 and running["questions"][0]["thread_id"]
    over = await new_session(
        client, secretariat, opens_at=iso(-timedelta(days=2)), closes_at=iso(-timedelta(days=1))
    )
    assert over["state"] == "closed"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"opens_at": "2026-03-01T09:00:00"}, "opens_at"),
        ({"opens_at": "not a time"}, "opens_at"),
        ({"closes_at": "2026-03-01T09:00:00+00:00"}, None),
        ({"opens_at": "2026-03-02T09:00:00+00:00", "closes_at": "2026-03-01T09:00:00+00:00"}, None),
        ({"moderator_ids": [987654]}, "moderator_ids"),
        ({"questions": ["  "]}, "questions"),
        ({"posting": "everyone"}, "posting"),
    ],
)
async def test_bad_session_input_is_refused_and_nothing_is_created(
    client, secretariat, make_space, fields, field
):
    await make_space(slug="forum")
    body = {"title": "T", "questions": ["Q?"], **fields}
    response = await client.post("/api/v1/spaces/forum/sessions", json=body, headers=secretariat)
    assert response.status_code == 422, response.text
    if field:
        assert response.json()["error"]["field"] == field
    space = (await client.get("/api/v1/spaces/forum", headers=secretariat)).json()
    assert space["sessions"] == []


async def test_moderator_opens_closes_and_reopens_keeping_periods(
    client, secretariat, make_space, make_user, db
):
    await make_space(slug="forum")
    moderator = await make_user()
    mod = bearer(await token_for(client, moderator))
    session = await new_session(client, secretariat, moderator_ids=[moderator.id])
    sid = session["id"]
    opened = await client.post(f"/api/v1/sessions/{sid}/open", headers=mod)
    assert opened.status_code == 200 and opened.json()["state"] == "open"
    again = await client.post(f"/api/v1/sessions/{sid}/open", headers=mod)
    assert again.status_code == 409
    closed = await client.post(f"/api/v1/sessions/{sid}/close", headers=mod)
    assert closed.json()["state"] == "closed"
    not_open = await client.post(f"/api/v1/sessions/{sid}/close", headers=mod)
    assert not_open.status_code == 409 and not_open.json()["error"]["code"] == "session_not_open"
    past = await client.post(
        f"/api/v1/sessions/{sid}/reopen", json={"closes_at": iso(-timedelta(hours=1))}, headers=mod
    )
    assert past.status_code == 422
    reopened = await client.post(
        f"/api/v1/sessions/{sid}/reopen", json={"closes_at": iso(timedelta(days=14))}, headers=mod
    )
    body = reopened.json()
    assert body["state"] == "open" and len(body["periods"]) == 2
    assert body["periods"][0]["closes_at"] is not None
    extended = await client.patch(
        f"/api/v1/sessions/{sid}", json={"closes_at": iso(timedelta(days=21))}, headers=mod
    )
    assert extended.status_code == 200
    assert extended.json()["closes_at"] > body["closes_at"]
    types = await event_types(db, sid)
    for expected in ("session.opened", "session.closed", "session.reopened", "session.extended"):
        assert expected in types


async def test_a_change_must_say_what_changes(client, secretariat, make_space):
    await make_space(slug="forum")
    sid = (await new_session(client, secretariat))["id"]
    url = f"/api/v1/sessions/{sid}"
    for body, field in (({"title": None}, "title"), ({"posting": None}, "posting"), ({}, None)):
        refused = await client.patch(url, json=body, headers=secretariat)
        assert refused.status_code == 422, body
        assert refused.json()["error"].get("field") == field
    assert (await client.get(url, headers=secretariat)).json()["title"] == "Capacity needs"
    renamed = await client.patch(url, json={"title": "Renamed"}, headers=secretariat)
    assert renamed.status_code == 200 and renamed.json()["title"] == "Renamed"


async def test_questions_are_numbered_and_not_added_once_closed(
    client, secretariat, make_space, participant
):
    await make_space(slug="forum")
    session = await new_session(
        client, secretariat, opens_at=iso(-timedelta(hours=1)), closes_at=iso(timedelta(days=1))
    )
    sid = session["id"]
    added = await client.post(
        f"/api/v1/sessions/{sid}/questions",
        json={"text": "What about e-learning?"},
        headers=secretariat,
    )
    assert added.status_code == 201 and added.json()["number"] == 2
    refused = await client.post(
        f"/api/v1/sessions/{sid}/questions", json={"text": "Mine?"}, headers=participant
    )
    assert refused.status_code == 403
    fixed = await client.patch(
        f"/api/v1/questions/{added.json()['id']}",
        json={"text": "What about e-learning tools?"},
        headers=secretariat,
    )
    assert fixed.json()["text"] == "What about e-learning tools?"
    await client.post(f"/api/v1/sessions/{sid}/close", headers=secretariat)
    closed = await client.post(
        f"/api/v1/sessions/{sid}/questions", json={"text": "Late?"}, headers=secretariat
    )
    assert closed.status_code == 409 and closed.json()["error"]["code"] == "session_closed"
    threads = (await client.get(f"/api/v1/sessions/{sid}/threads")).json()["items"]
    assert [t["question"]["number"] for t in threads] == [1, 2]


async def test_moderator_of_one_session_cannot_act_in_another(
    client, secretariat, make_space, make_user
):
    await make_space(slug="forum")
    moderator = await make_user()
    mod = bearer(await token_for(client, moderator))
    await new_session(client, secretariat, moderator_ids=[moderator.id])
    draft = await new_session(client, secretariat)
    # Another session's draft is not theirs to see, let alone open.
    response = await client.post(f"/api/v1/sessions/{draft['id']}/open", headers=mod)
    assert response.status_code == 404
    state = (await client.get(f"/api/v1/sessions/{draft['id']}", headers=secretariat)).json()
    assert state["state"] == "draft"
    planned = await new_session(client, secretariat, opens_at=iso(timedelta(days=1)))
    response = await client.post(f"/api/v1/sessions/{planned['id']}/open", headers=mod)
    assert response.status_code == 403
    state = (await client.get(f"/api/v1/sessions/{planned['id']}")).json()["state"]
    assert state == "scheduled"


async def test_sessions_open_and_close_by_themselves(client, secretariat, make_space, db):
    await make_space(slug="forum")
    session = await new_session(
        client,
        secretariat,
        opens_at=iso(timedelta(seconds=1)),
        closes_at=iso(timedelta(seconds=2.5)),
    )
    sid = session["id"]
    assert session["state"] == "scheduled"
    states = set()
    for _ in range(60):
        states.add((await client.get(f"/api/v1/sessions/{sid}")).json()["state"])
        if "closed" in states and "session.closed" in await event_types(db, sid):
            break
        await asyncio.sleep(0.1)
    assert {"scheduled", "open", "closed"} <= states
    types = await event_types(db, sid)
    assert types.count("session.opened") == 1 and types.count("session.closed") == 1


async def test_members_session_is_404_for_outsiders_on_every_session_path(
    client, secretariat, make_space, make_session, participant
):
    await make_space(slug="liaison", visibility="members")
    sid = await make_session("liaison")
    paths = [
        ("GET", f"/api/v1/sessions/{sid}"),
        ("GET", f"/api/v1/sessions/{sid}/threads"),
        ("POST", f"/api/v1/sessions/{sid}/open"),
        ("POST", f"/api/v1/sessions/{sid}/close"),
        ("PATCH", f"/api/v1/sessions/{sid}"),
    ]
    for method, path in paths:
        for headers in ({}, participant):
            body = {} if method != "GET" else None
            hidden = await client.request(method, path, json=body, headers=headers)
            missing = await client.request(
                method,
                path.replace(f"/sessions/{sid}", "/sessions/999999"),
                json=body,
                headers=headers,
            )
            assert hidden.status_code == missing.status_code, (method, path)
            assert hidden.json() == missing.json()
