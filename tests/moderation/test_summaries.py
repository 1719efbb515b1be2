"""Running summaries: written and updated by moderators, kept with their history,
read by everyone who may see the session and by the summary report."""

from __future__ import annotations

from types import SimpleNamespace

from forum_server.orm import utcnow
from forum_server.policy import ANONYMOUS, Actor
from forum_server.summaries import summaries_for_session
from tests.moderation.conftest import World, audit_entries, events


async def test_write_and_update_a_question_summary(client, world: World, db):
    url = f"/api/v1/questions/{world.a.question_id}/summary"
    first = await client.put(
        url, json={"body": "Most **agree** on training."}, headers=world.h("mod_a")
    )
    assert first.status_code == 200, first.text
    assert "<strong>agree</strong>" in first.json()["html"]
    assert first.json()["thread_id"] == world.a.thread_id and first.json()["question_number"] == 1
    second = await client.put(
        url, json={"body": "Most agree; funding is the gap."}, headers=world.h("sec")
    )
    assert second.json()["updated_by"] == "Secretariat"

    public = (await client.get(url)).json()
    assert public["summary"]["body"] == "Most agree; funding is the gap."
    assert "versions" not in public
    as_moderator = (await client.get(url, headers=world.h("mod_a"))).json()
    assert [v["body"] for v in as_moderator["versions"]] == [
        "Most agree; funding is the gap.",
        "Most **agree** on training.",
    ]
    assert [v["written_by"] for v in as_moderator["versions"]] == ["Secretariat", "Moderator A"]

    [event, _] = await events(db, "summary.updated")
    assert event["data"]["question_id"] == world.a.question_id
    entries = await audit_entries(db, "summary.updated")
    assert [(e.actor_id, e.target_type, e.target_id) for e in entries] == [
        (world.ids["mod_a"], "question", world.a.question_id),
        (world.ids["sec"], "question", world.a.question_id),
    ]


async def test_summaries_for_the_report(client, world: World, db):
    await client.put(
        f"/api/v1/sessions/{world.a.session_id}/summary",
        json={"body": "The session in short."},
        headers=world.h("mod_a"),
    )
    await client.put(
        f"/api/v1/questions/{world.a.question_id}/summary",
        json={"body": "Question one in short."},
        headers=world.h("mod_a"),
    )
    async with db.read() as session:
        found = await summaries_for_session(session, ANONYMOUS, world.a.session_id)
    assert found.session is not None and found.session.body == "The session in short."
    assert found.session.question_id is None
    assert list(found.questions) == [world.a.question_id]
    assert [s.body for s in found.by_number()] == ["Question one in short."]
    session_summary = await client.get(f"/api/v1/sessions/{world.a.session_id}/summary")
    assert session_summary.json()["summary"]["html"] == "<p>The session in short.</p>\n"


async def test_summaries_are_the_moderators_to_write(client, world: World, db):
    url = f"/api/v1/questions/{world.a.question_id}/summary"
    body = {"body": "Mine now"}
    assert (await client.put(url, json=body)).status_code == 401
    assert (await client.put(url, json=body, headers=world.h("ana"))).status_code == 403
    assert (await client.put(url, json=body, headers=world.h("mod_b"))).status_code == 403
    members = f"/api/v1/sessions/{world.m.session_id}/summary"
    assert (await client.put(members, json=body, headers=world.h("mod_b"))).status_code == 404
    assert (await client.get(members)).status_code == 404
    assert (await client.put(url, json={"body": "  "}, headers=world.h("mod_a"))).status_code == 422
    assert len(await audit_entries(db, "refused")) == 3
    assert (await client.get(url)).json() == {"summary": None}


async def test_summary_markdown_is_rendered_safely(client, world: World):
    response = await client.put(
        f"/api/v1/questions/{world.a.question_id}/summary",
        json={"body": "<script>alert(1)</script> [x](javascript:alert(1))"},
        headers=world.h("mod_a"),
    )
    html = response.json()["html"]
    assert "<script" not in html and 'href="javascript:' not in html and "&lt;script&gt;" in html


async def test_the_summary_include_shows_the_summary_and_the_editor(app):
    """The thread page includes moderation/_summary.html; given a `summary`, it shows it,
    and moderators get the editor filled with its text."""
    templates = app.state.ctx.templates
    summary = SimpleNamespace(
        html="<p>Summary <strong>so far</strong></p>",
        body="Summary **so far**",
        updated_at=utcnow(),
        updated_by="Moderator A",
    )
    thread = SimpleNamespace(id=7, question_number=1, locked=False)
    space = SimpleNamespace(slug="open-forum", guest_posting=True)
    context = {
        "thread": thread,
        "actor": Actor(user_id=1, display_name="Moderator A"),
        "csrf_token": "tok",
        "summary": summary,
    }
    as_moderator = templates.render_string(
        "moderation/_summary.html",
        {**context, "session": SimpleNamespace(can_moderate=True, space=space, state="open")},
    )
    assert "<strong>so far</strong>" in as_moderator
    assert 'action="/moderation/threads/7/summary"' in as_moderator
    assert "Summary **so far**</textarea>" in as_moderator
    assert 'href="/moderation/threads/7/lock" data-confirm' in as_moderator  # asks first
    as_reader = templates.render_string(
        "moderation/_summary.html",
        {
            **context,
            "actor": ANONYMOUS,
            "session": SimpleNamespace(can_moderate=False, space=space, state="open"),
        },
    )
    assert "<strong>so far</strong>" in as_reader and "<form" not in as_reader
    assert 'href="/threads/7/guest-post"' in as_reader
