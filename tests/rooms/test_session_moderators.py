"""Who moderates a session: changing the moderators after creation (API and page), and
a session moderator's rights in a members space lasting only as long as membership."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import select

from forum_server.accounts.queries import UserView
from forum_server.audit import AuditEntry
from forum_server.db import Database
from forum_server.events import EventRecord
from forum_server.rooms.models import SessionModerator
from tests.conftest import MakeUser
from tests.helpers import bearer, csrf_from, token_for


@dataclass
class Place:
    users: dict[str, UserView]
    headers: dict[str, dict[str, str]]
    session_id: int
    thread_id: int

    def h(self, who: str) -> dict[str, str]:
        return self.headers[who]

    def id(self, who: str) -> int:
        return self.users[who].id


@pytest.fixture
async def workspace(
    client: httpx.AsyncClient, make_user: MakeUser, make_space, add_member
) -> Place:
    users = {
        name: await make_user(display_name=name.title(), is_secretariat=name == "sec")
        for name in ("owner", "spacemod", "mod", "member", "outsider", "sec")
    }
    slug = await make_space(slug="workspace", visibility="members")
    await add_member(slug, users["owner"].id, "owner")
    await add_member(slug, users["spacemod"].id, "moderator")
    await add_member(slug, users["mod"].id)
    await add_member(slug, users["member"].id)
    headers = {name: bearer(await token_for(client, user)) for name, user in users.items()}
    headers["anonymous"] = {}
    body = {
        "title": "Work session",
        "questions": ["What should change?"],
        "moderator_ids": [users["mod"].id],
        "opens_at": "2020-01-01T00:00:00+00:00",
    }
    created = await client.post(
        f"/api/v1/spaces/{slug}/sessions", json=body, headers=headers["sec"]
    )
    assert created.status_code == 201, created.text
    session = created.json()
    return Place(users, headers, session["id"], session["questions"][0]["thread_id"])


async def _held_post(client: httpx.AsyncClient, place: Place) -> int:
    """A member's post held for review (the space holds first posts)."""
    rules = await client.put(
        "/api/v1/spaces/workspace/moderation", json={"hold_first_posts": 1}, headers=place.h("sec")
    )
    assert rules.status_code == 200, rules.text
    held = await client.post(
        f"/api/v1/threads/{place.thread_id}/posts",
        json={"body": "Held for review: CANARY-held-7f3"},
        headers=place.h("member"),
    )
    assert held.status_code == 202, held.text
    post_id: int = held.json()["id"]
    return post_id


async def _queue(client: httpx.AsyncClient, headers: dict[str, str]) -> httpx.Response:
    return await client.get("/api/v1/moderation/queue", headers=headers)


# --- rights that end with membership ----------------------------------------------------


async def test_a_removed_member_loses_the_session_queue(client, workspace: Place, browser):
    held = await _held_post(client, workspace)
    queue = await _queue(client, workspace.h("mod"))
    assert [p["id"] for p in queue.json()["pending"]] == [held]
    async with browser(workspace.users["mod"]) as http:
        assert "CANARY-held-7f3" in (await http.get("/moderation")).text

    removed = await client.delete(
        f"/api/v1/spaces/workspace/members/{workspace.id('mod')}", headers=workspace.h("sec")
    )
    assert removed.status_code == 204

    assert (await _queue(client, workspace.h("mod"))).status_code == 403
    post = await client.get(
        f"/api/v1/threads/{workspace.thread_id}/posts", headers=workspace.h("mod")
    )
    assert post.status_code == 404
    close = await client.post(
        f"/api/v1/sessions/{workspace.session_id}/close", headers=workspace.h("mod")
    )
    assert close.status_code == 404
    async with browser(workspace.users["mod"]) as http:
        page = await http.get("/moderation")
        assert page.status_code == 403 and "CANARY-held-7f3" not in page.text
    # Their appointment is still on record: were they to rejoin, it would count again.
    await client.put(
        f"/api/v1/spaces/workspace/members/{workspace.id('mod')}",
        json={"role": "member"},
        headers=workspace.h("sec"),
    )
    assert [p["id"] for p in (await _queue(client, workspace.h("mod"))).json()["pending"]] == [held]


async def test_a_non_member_appointed_before_the_rule_sees_nothing(
    client, workspace: Place, db: Database
):
    held = await _held_post(client, workspace)
    async with db.write() as uow:  # an appointment made before non-members were refused
        uow.session.add(
            SessionModerator(session_id=workspace.session_id, user_id=workspace.id("outsider"))
        )
    assert (await _queue(client, workspace.h("outsider"))).status_code == 403
    for path in (
        f"/api/v1/sessions/{workspace.session_id}",
        f"/api/v1/threads/{workspace.thread_id}/posts",
    ):
        assert (await client.get(path, headers=workspace.h("outsider"))).status_code == 404
    hide = await client.post(
        f"/api/v1/posts/{held}/approve", json={}, headers=workspace.h("outsider")
    )
    assert hide.status_code == 404
    shown = await client.get(f"/api/v1/sessions/{workspace.session_id}", headers=workspace.h("sec"))
    assert workspace.id("outsider") not in [m["id"] for m in shown.json()["moderators"]]


async def test_non_members_cannot_be_appointed_in_a_members_space(client, workspace: Place):
    body = {"title": "Another", "moderator_ids": [workspace.id("outsider")]}
    created = await client.post(
        "/api/v1/spaces/workspace/sessions", json=body, headers=workspace.h("sec")
    )
    assert created.status_code == 422
    assert created.json()["error"]["field"] == "moderator_ids"
    assert "Outsider is not a member of this space" in created.json()["error"]["message"]
    changed = await client.put(
        f"/api/v1/sessions/{workspace.session_id}/moderators",
        json={"moderator_ids": [workspace.id("outsider")]},
        headers=workspace.h("sec"),
    )
    assert changed.status_code == 422 and changed.json()["error"]["field"] == "moderator_ids"
    after = await client.get(f"/api/v1/sessions/{workspace.session_id}", headers=workspace.h("sec"))
    assert [m["id"] for m in after.json()["moderators"]] == [workspace.id("mod")]


# --- changing the moderators ------------------------------------------------------------


async def test_who_may_change_a_sessions_moderators(client, workspace: Place, db: Database):
    url = f"/api/v1/sessions/{workspace.session_id}/moderators"
    body = {"moderator_ids": [workspace.id("member")]}
    assert (await client.put(url, json=body)).status_code == 401
    assert (await client.put(url, json=body, headers=workspace.h("outsider"))).status_code == 404
    for who in ("member", "mod"):  # a session's moderators do not choose each other
        assert (await client.put(url, json=body, headers=workspace.h(who))).status_code == 403
    for who in ("owner", "spacemod", "sec"):
        changed = await client.put(url, json=body, headers=workspace.h(who))
        assert changed.status_code == 200, (who, changed.text)
        assert [m["id"] for m in changed.json()["moderators"]] == [workspace.id("member")]
    missing = await client.put(url, json={"moderator_ids": [10**6]}, headers=workspace.h("owner"))
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "moderator_ids"
    assert (await client.put(url, json={}, headers=workspace.h("owner"))).status_code == 422
    # The one made moderator now moderates; the one replaced no longer does.
    closed = await client.post(
        f"/api/v1/sessions/{workspace.session_id}/close", headers=workspace.h("mod")
    )
    assert closed.status_code == 403
    closed = await client.post(
        f"/api/v1/sessions/{workspace.session_id}/close", headers=workspace.h("member")
    )
    assert closed.status_code == 200
    async with db.read() as session:
        entries = list(
            await session.scalars(
                select(AuditEntry).where(AuditEntry.action == "session.moderators_changed")
            )
        )
        updated = list(
            await session.scalars(select(EventRecord).where(EventRecord.type == "session.updated"))
        )
    assert len(entries) == 1  # the two later requests changed nothing
    assert entries[0].target_id == workspace.session_id
    assert f'"added": [{workspace.id("member")}]' in entries[0].details
    assert len(updated) == 1 and updated[0].session_id == workspace.session_id


async def test_managers_change_moderators_on_the_session_page(client, workspace: Place, browser):
    page = f"/sessions/{workspace.session_id}"
    action = f"{page}/moderators"
    async with browser() as anonymous:
        token = await csrf_from(anonymous, "/")
        refused = await anonymous.post(action, data={"csrf_token": token, "moderators": ""})
        assert refused.status_code == 401
    async with browser(workspace.users["mod"]) as http:
        assert f'action="{action}"' not in (await http.get(page)).text
        token = await csrf_from(http, page)
        refused = await http.post(action, data={"csrf_token": token, "moderators": ""})
        assert refused.status_code == 403
    async with browser(workspace.users["owner"]) as http:
        shown = (await http.get(page)).text
        assert f'action="{action}"' in shown
        assert workspace.users["mod"].email in shown  # the current list, to edit
        token = await csrf_from(http, page)

        async def send(moderators: str) -> httpx.Response:
            return await http.post(action, data={"csrf_token": token, "moderators": moderators})

        unknown = await send("nobody@example.org")
        assert unknown.status_code == 422
        assert "No account uses the address nobody@example.org" in unknown.text
        assert "nobody@example.org</textarea>" in unknown.text  # what was typed is kept
        outsider = await send(workspace.users["outsider"].email)
        assert outsider.status_code == 422
        assert "Outsider is not a member of this space" in outsider.text
        changed = await send(f"{workspace.users['member'].email}\n")
        assert changed.status_code == 303
        assert changed.headers["location"] == f"{page}?notice=moderators_changed"
        shown = (await http.get(changed.headers["location"])).text
        assert "moderators are changed" in shown and "Moderated by Member" in shown


async def test_anonymous_callers_are_asked_to_sign_in_by_every_managers_route(
    client, workspace: Place, browser
):
    """Even where the space may not be known to exist: 401 comes before anything is
    looked up, so it tells nothing about the space."""
    sid = workspace.session_id
    detail = await client.get(f"/api/v1/sessions/{sid}", headers=workspace.h("sec"))
    qid = detail.json()["questions"][0]["id"]
    for method, path, body in [
        ("POST", "/api/v1/spaces/workspace/sessions", {"title": "Mine"}),
        ("PATCH", f"/api/v1/sessions/{sid}", {"title": "Mine"}),
        ("PUT", f"/api/v1/sessions/{sid}/moderators", {"moderator_ids": []}),
        ("POST", f"/api/v1/sessions/{sid}/open", {}),
        ("POST", f"/api/v1/sessions/{sid}/close", {}),
        ("POST", f"/api/v1/sessions/{sid}/reopen", {}),
        ("POST", f"/api/v1/sessions/{sid}/questions", {"text": "Mine?"}),
        ("PATCH", f"/api/v1/questions/{qid}", {"text": "Mine?"}),
    ]:
        response = await client.request(method, path, json=body)
        assert response.status_code == 401, (method, path, response.text)
    async with browser() as anonymous:
        token = await csrf_from(anonymous, "/")
        form = await anonymous.get("/spaces/workspace/sessions/new")
        assert form.status_code == 303 and form.headers["location"].startswith("/login")
        for path in (
            "/spaces/workspace/sessions/new",
            *(
                f"/sessions/{sid}/{a}"
                for a in ("open", "close", "extend", "reopen", "report-cover")
            ),
            f"/sessions/{sid}/questions",
            f"/sessions/{sid}/moderators",
            f"/questions/{qid}/edit",
        ):
            response = await anonymous.post(path, data={"csrf_token": token, "title": "x"})
            assert response.status_code == 401, path
            assert "Work session" not in response.text
