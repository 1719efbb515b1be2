"""The demo forum: loaded through the services, alive at once, loaded only once."""

from __future__ import annotations

import httpx
import pytest

from forum_server.db import Database
from forum_server.demo import DEMO_PASSWORD, load_demo
from forum_server.errors import Conflict


async def test_demo_forum_is_a_living_forum(client: httpx.AsyncClient, db: Database):
    summary = await load_demo(db)
    assert summary.posts >= 36 and summary.people >= 12
    space = (await client.get(f"/api/v1/spaces/{summary.space_slug}")).json()
    assert [s["state"] for s in space["sessions"]] == ["open", "open"]
    session = (await client.get(f"/api/v1/sessions/{summary.session_ids[0]}")).json()
    assert len(session["questions"]) >= 2 and session["moderators"]
    posts = (
        await client.get(f"/api/v1/threads/{session['questions'][0]['thread_id']}/posts")
    ).json()["items"]
    assert any(p["parent_id"] for p in posts)
    assert len({p["author"]["country"] for p in posts}) >= 3
    times = [p["created_at"] for p in posts]
    assert times == sorted(times)
    polls = (await client.get(f"/api/v1/sessions/{summary.session_ids[0]}/polls")).json()
    assert polls["items"][0]["kind"] == "proposal" and polls["items"][0]["votes"] >= 3
    first = await client.get(f"/api/v1/posts/{posts[0]['id']}/reactions")
    assert sum(first.json()["counts"].values()) >= 1
    # The moderator's steering post mentions two participants, who are told.
    mentioned = [p for p in posts if 'class="mention"' in p["html"]]
    assert mentioned and "@Kwabena Osei</a>" in mentioned[0]["html"]
    moderator = await client.post(
        "/api/v1/tokens", json={"email": summary.moderators[0], "password": DEMO_PASSWORD}
    )
    assert moderator.status_code == 201
    board = (await client.get(f"/api/v1/spaces/{summary.space_slug}/board")).json()["items"]
    assert board[0]["pinned"] and {n["kind"] for n in board} >= {"need", "project", "opportunity"}
    need = next(n for n in board if n["kind"] == "need")
    matches = (await client.get(f"/api/v1/notices/{need['id']}/matches")).json()["items"]
    assert len(matches) == 2  # the regional project and the course; not the fellowships


async def test_demo_has_a_live_conference_under_way(client: httpx.AsyncClient, db: Database):
    summary = await load_demo(db)
    live = (await client.get(f"/api/v1/sessions/{summary.conference_id}/conference")).json()
    assert live["session"]["format"] == "conference" and live["session"]["state"] == "open"
    assert live["session"]["agenda_item"] == 2
    first, second, third = live["session"]["questions"]
    assert first["ended_at"] == second["started_at"] and third["started_at"] is None
    items = [m["item"] for m in live["messages"]]
    assert items == sorted(items) and set(items) == {1, 2}
    assert any(m["quote"] for m in live["messages"])
    times = [m["post"]["created_at"] for m in live["messages"]]
    assert times == sorted(times)


async def test_demo_loads_only_once(db: Database):
    await load_demo(db)
    with pytest.raises(Conflict):
        await load_demo(db)


async def test_demo_posts_carry_their_files(client: httpx.AsyncClient, db: Database, settings):
    from forum_server.demo_content.files import ATTACHMENTS
    from forum_server.files.storage import file_store

    summary = await load_demo(db, store=file_store(settings))
    session = (await client.get(f"/api/v1/sessions/{summary.session_ids[0]}")).json()
    thread_id = session["questions"][0]["thread_id"]
    page = await client.get(f"/threads/{thread_id}")
    (name, text) = ATTACHMENTS["s1q1_ghana"]
    assert name in page.text
    link = page.text.split(name)[0].rsplit('href="', 1)[1].split('"')[0]
    got = await client.get(link)
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert got.content == text.encode()


async def test_demo_library_documents_are_found_by_their_words(db: Database, settings) -> None:
    from forum_server.files.storage import file_store
    from forum_server.policy import Actor
    from forum_server.search import queries

    summary = await load_demo(db, store=file_store(settings))
    assert summary.documents >= 2
    async with db.read() as session:
        _, page = await queries.search(session, Actor(), '"cost recovery"', {"type": "documents"})
    [hit] = page.hits
    assert hit.document is not None and hit.document.title == "Glossary of biosafety terms"
    assert hit.space_slug == summary.space_slug


async def _token(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    answer = await client.post("/api/v1/tokens", json={"email": email, "password": DEMO_PASSWORD})
    assert answer.status_code == 201, (email, answer.text)
    return {"Authorization": f"Bearer {answer.json()['token']}"}


async def test_every_page_has_something_to_show(client: httpx.AsyncClient, db: Database):
    summary = await load_demo(db)
    text = str(summary)
    # The sign-ins it prints work, each with the rights it says.
    assert summary.secretariat in text and all(m in text for m in summary.moderators)
    assert summary.participants and all(p in text for p in summary.participants)
    secretariat = await _token(client, summary.secretariat)
    me = (await client.get("/api/v1/me", headers=secretariat)).json()
    assert me["is_secretariat"] is True
    for email in summary.participants:
        await _token(client, email)

    # The liaison group's workspace: members only, under the group's rule, from all five
    # regional groups, with its own session under way.
    slug = summary.workspace_slug
    assert (await client.get(f"/api/v1/spaces/{slug}")).status_code == 404
    outsider = await _token(client, summary.participants[-1])
    assert (await client.get(f"/api/v1/spaces/{slug}", headers=outsider)).status_code == 404
    space = (await client.get(f"/api/v1/spaces/{slug}", headers=secretariat)).json()
    assert space["visibility"] == "members" and space["composition"] == "liaison_group"
    assert [s["state"] for s in space["sessions"]] == ["open"]
    listed = (await client.get(f"/api/v1/spaces/{slug}/members", headers=secretariat)).json()
    people = listed["items"]
    designations = {m["designation"] for m in people}
    assert {"party_expert", "organization_expert", "observer"} <= designations
    assert len({m["user"]["region"] for m in people} - {None}) == 5

    # Its participation: members who have not taken part yet, below what is expected.
    participation = (
        await client.get(
            f"/api/v1/sessions/{summary.workspace_session_id}/participation", headers=secretariat
        )
    ).json()
    assert participation["base"] == "members" and participation["participants"] >= 2
    assert participation["not_taken_part"] and participation["below_expected"] is True
    assert any(g["participants"] and g["expected"] for g in participation["by_region"])

    # What waits for the moderators: a held contribution and a flag, and a running summary.
    moderator = await _token(client, summary.moderators[1])
    queue = (await client.get("/api/v1/moderation/queue", headers=moderator)).json()
    assert queue["pending"] and queue["flags"], queue
    session = (await client.get(f"/api/v1/sessions/{summary.session_ids[0]}")).json()
    first = session["questions"][0]["id"]
    written = (await client.get(f"/api/v1/questions/{first}/summary")).json()
    assert "So far" in written["summary"]["body"]


async def test_demo_has_a_register_of_focal_points_and_a_notification(db: Database) -> None:
    from forum_server.accounts.admin import COMMAND_LINE
    from forum_server.focal import queries

    await load_demo(db)
    async with db.read() as session:
        entries = await queries.focal_points(session, COMMAND_LINE)
        sent = await queries.notifications(session, COMMAND_LINE)
    assert len(entries) >= 6 and len({e.region for e in entries}) == 5
    assert any(e.has_account for e in entries) and any(not e.has_account for e in entries)
    assert len(sent) == 1 and {r.country for r in sent[0].recipients} == {"GH", "BF"}


async def test_demo_space_has_terms_and_a_participant_cited_by_country_only(
    client: httpx.AsyncClient, db: Database
):
    from forum_server.consent import terms
    from forum_server.demo_content import liaison
    from forum_server.reports.formats import render_bytes
    from forum_server.reports.transcript import compile_session_report
    from tests.conftest import SECRETARIAT

    summary = await load_demo(db)
    async with db.read() as session:
        consent = await terms.consent(session, SECRETARIAT, liaison.WORKSPACE_SLUG)
    assert consent.terms is not None and "confidential to the group" in consent.terms.body
    signed_in = await client.post(
        "/api/v1/tokens", json={"email": "a.ouedraogo@example.org", "password": DEMO_PASSWORD}
    )
    me = {"Authorization": f"Bearer {signed_in.json()['token']}"}
    mine = await client.get(f"/api/v1/spaces/{liaison.WORKSPACE_SLUG}/terms", headers=me)
    assert mine.json()["accepted_version"] == 1
    assert (await client.get("/api/v1/me/attribution", headers=me)).json()["attribution"] == (
        "country"
    )
    report = await compile_session_report(db, SECRETARIAT, summary.session_ids[0])
    text = (await render_bytes(report, "md")).decode()
    assert "A participant from Burkina Faso" in text and "Aminata Ouédraogo" not in text
    assert "Kwabena Osei" in text  # everyone else is named, as the forum's setting says
