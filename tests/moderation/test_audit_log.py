"""The audit log: every moderation action with who, what, target, when and why;
filters, pagination, a CSV export that no spreadsheet runs as formulas; append-only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from forum_server.orm import utcnow
from tests.helpers import client_for, sign_in
from tests.moderation.conftest import World, guest_post, published


async def _every_action(client, world: World) -> None:
    """One of each moderation action in space A, by its moderator."""
    mod = world.h("mod_a")
    held = (await guest_post(client, world.a.thread_id)).json()["id"]
    await client.post(f"/api/v1/posts/{held}/approve", headers=mod)
    spam = (await guest_post(client, world.a.thread_id, body="Buy now")).json()["id"]
    await client.post(f"/api/v1/posts/{spam}/reject", json={"reason": "advertising"}, headers=mod)
    post_id = await published(client, world)
    await client.post(
        f"/api/v1/posts/{post_id}/flags", json={"reason": "rude"}, headers=world.h("ana")
    )
    await client.post(f"/api/v1/posts/{post_id}/hide", json={"reason": "rude"}, headers=mod)
    await client.post(f"/api/v1/posts/{post_id}/restore", headers=mod)
    await client.post(f"/api/v1/posts/{post_id}/highlight", headers=mod)
    await client.post(f"/api/v1/posts/{post_id}/unhighlight", headers=mod)
    await client.patch(
        f"/api/v1/posts/{post_id}", json={"body": "Tidied", "note": "typo"}, headers=mod
    )
    flag = await client.post(
        f"/api/v1/posts/{post_id}/flags", json={"reason": "dull"}, headers=world.h("mod_b")
    )
    await client.post(f"/api/v1/flags/{flag.json()['id']}/dismiss", headers=mod)
    await client.post(f"/api/v1/threads/{world.a.thread_id}/lock", headers=mod)
    await client.post(f"/api/v1/threads/{world.a.thread_id}/unlock", headers=mod)
    suspension = await client.post(
        f"/api/v1/spaces/{world.a.slug}/suspensions",
        json={"user_id": world.ids["ben"], "reason": "shouting"},
        headers=mod,
    )
    await client.delete(
        f"/api/v1/spaces/{world.a.slug}/suspensions/{suspension.json()['id']}", headers=mod
    )
    await client.put(
        f"/api/v1/questions/{world.a.question_id}/summary", json={"body": "So far"}, headers=mod
    )
    await client.put(
        f"/api/v1/sessions/{world.a.session_id}/summary", json={"body": "Overall"}, headers=mod
    )
    await client.put(
        f"/api/v1/spaces/{world.a.slug}/moderation", json={"hold_first_posts": 2}, headers=mod
    )
    await client.post(
        f"/api/v1/posts/{post_id}/hide", json={"reason": "x"}, headers=world.h("mod_b")
    )
    await _lifecycle(client, world)


async def _lifecycle(client, world: World) -> None:
    """The session's lifecycle in space A, by its moderator."""
    mod, session = world.h("mod_a"), f"/api/v1/sessions/{world.a.session_id}"
    later = (utcnow() + timedelta(days=3)).isoformat()
    await client.patch(session, json={"closes_at": later}, headers=mod)
    await client.patch(session, json={"title": "Renamed", "posting": "members"}, headers=mod)
    added = await client.post(f"{session}/questions", json={"text": "What next?"}, headers=mod)
    await client.patch(
        f"/api/v1/questions/{added.json()['id']}", json={"text": "What comes next?"}, headers=mod
    )
    await client.post(f"{session}/close", headers=mod)
    await client.post(f"{session}/reopen", json={}, headers=mod)


async def test_every_action_is_in_the_log_with_who_what_when_and_why(client, world: World):
    before = utcnow() - timedelta(seconds=1)
    await _every_action(client, world)
    response = await client.get(
        f"/api/v1/spaces/{world.a.slug}/audit?limit=200", headers=world.h("mod_a")
    )
    assert response.status_code == 200
    # Those of this test: the world's own making (sessions created) came before.
    entries = [e for e in response.json()["items"] if e["at"] >= before.isoformat()]
    by_action: dict[str, dict] = {}
    for entry in entries:
        by_action.setdefault(entry["action"], entry)
    assert set(by_action) == {
        "post.approved",
        "post.rejected",
        "post.flagged",
        "post.hidden",
        "post.restored",
        "post.highlighted",
        "post.unhighlighted",
        "post.edited",
        "flag.dismissed",
        "thread.locked",
        "thread.unlocked",
        "user.suspended",
        "user.suspension_lifted",
        "summary.updated",
        "space.holding_changed",
        "refused",
        "session.updated",
        "question.added",
        "question.edited",
        "session.closed",
        "session.reopened",
    }
    for entry in entries:
        assert entry["actor"]["display_name"] and entry["actor"]["id"]
        assert entry["target"]["type"] and entry["target"]["id"] is not None
        assert before.isoformat() <= entry["at"]
    assert by_action["post.rejected"]["reason"] == "advertising"
    assert by_action["post.hidden"]["reason"] == "rude"
    assert by_action["post.edited"]["reason"] == "typo"
    assert by_action["user.suspended"]["reason"] == "shouting"
    assert by_action["user.suspended"]["target"] == {"type": "user", "id": world.ids["ben"]}
    refused = by_action["refused"]
    assert refused["actor"]["display_name"] == "Moderator B"
    assert refused["details"]["attempted"] == "post.hide"
    assert by_action["post.flagged"]["actor"]["display_name"] == "Ana"
    ids = [e["id"] for e in entries]
    assert ids == sorted(ids)
    changes = [e["details"]["changed"] for e in entries if e["action"] == "session.updated"]
    assert ["closes_at"] in changes and ["posting", "title"] in changes
    assert by_action["session.reopened"]["actor"]["display_name"] == "Moderator A"


async def test_filters_and_pages(client, world: World):
    await _every_action(client, world)
    url = f"/api/v1/spaces/{world.a.slug}/audit"
    mod = world.h("mod_a")
    hidden = (await client.get(f"{url}?action=post.hidden", headers=mod)).json()["items"]
    assert [e["action"] for e in hidden] == ["post.hidden"]
    by_ana = (await client.get(f"{url}?actor={world.ids['ana']}", headers=mod)).json()["items"]
    assert [e["action"] for e in by_ana] == ["post.flagged"]
    future = (utcnow() + timedelta(hours=1)).isoformat()
    assert (await client.get(url, params={"since": future}, headers=mod)).json()["items"] == []
    everything = (await client.get(url, params={"until": future, "limit": 200}, headers=mod)).json()
    first = (await client.get(f"{url}?limit=3", headers=mod)).json()
    assert len(first["items"]) == 3 and first["next"] == first["items"][-1]["id"]
    rest = (await client.get(f"{url}?limit=200&after={first['next']}", headers=mod)).json()
    assert [e["id"] for e in first["items"] + rest["items"]] == [
        e["id"] for e in everything["items"]
    ]
    assert rest["next"] is None
    bad = await client.get(f"{url}?since=yesterday", headers=mod)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "since"


async def test_the_csv_export_neutralizes_formulas(client, world: World):
    mod = world.h("mod_a")
    for reason in ('=HYPERLINK("http://evil")', "+1+1", "-2", "@SUM(A1)", "plain"):
        post_id = await published(client, world, body=reason)
        await client.post(f"/api/v1/posts/{post_id}/hide", json={"reason": reason}, headers=mod)
    response = await client.get(f"/api/v1/spaces/{world.a.slug}/audit?format=csv", headers=mod)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="audit-{world.a.slug}.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    reasons = [row["reason"] for row in rows if row["action"] == "post.hidden"]
    assert reasons == ['\'=HYPERLINK("http://evil")', "'+1+1", "'-2", "'@SUM(A1)", "plain"]
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@"))


async def test_the_log_is_for_the_space_moderators_owners_and_secretariat(
    client, world: World, add_member
):
    url = f"/api/v1/spaces/{world.a.slug}/audit"
    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, headers=world.h("ana"))).status_code == 403
    assert (await client.get(url, headers=world.h("mod_b"))).status_code == 403
    assert (await client.get(url, headers=world.h("sec"))).status_code == 200
    await add_member(world.a.slug, world.ids["ben"], "owner")
    assert (await client.get(url, headers=world.h("ben"))).status_code == 200
    members = f"/api/v1/spaces/{world.m.slug}/audit"
    assert (await client.get(members, headers=world.h("mod_a"))).status_code == 404
    assert (await client.get("/api/v1/audit", headers=world.h("mod_a"))).status_code == 403


async def test_the_log_is_append_only(client, world: World):
    await _every_action(client, world)
    url = f"/api/v1/spaces/{world.a.slug}/audit"
    for method in ("DELETE", "PUT", "PATCH", "POST"):
        response = await client.request(method, url, headers=world.h("sec"))
        assert response.status_code == 405
    first = (await client.get(f"{url}?limit=1", headers=world.h("sec"))).json()["items"][0]
    assert (await client.delete(f"{url}/{first['id']}", headers=world.h("sec"))).status_code == 404


async def test_the_audit_page_filters_with_a_plain_form(app, client, world: World):
    await _every_action(client, world)
    async with client_for(app) as browser:
        await sign_in(browser, world.users["mod_a"])
        page = await browser.get(f"/spaces/{world.a.slug}/audit")
        assert page.status_code == 200
        assert "post.hidden" in page.text and "Moderator B" in page.text
        assert f"/api/v1/spaces/{world.a.slug}/audit?format=csv" in page.text
        filtered = await browser.get(f"/spaces/{world.a.slug}/audit?action=post.rejected")
        assert "advertising" in filtered.text and "shouting" not in filtered.text
        csv_link = await browser.get(
            f"/api/v1/spaces/{world.a.slug}/audit?format=csv&action=refused"
        )
        assert csv_link.status_code == 200 and "post.hide" in csv_link.text
    anonymous = await client.get(f"/spaces/{world.a.slug}/audit")
    assert anonymous.status_code == 303  # to the sign-in page
    async with client_for(app) as browser:
        await sign_in(browser, world.users["ana"])
        assert (await browser.get(f"/spaces/{world.a.slug}/audit")).status_code == 403
