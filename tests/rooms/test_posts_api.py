"""Threads and posts over the API: replies, refusals, idempotent retries, edits."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update

from forum_server.db import Database
from forum_server.events import events_after
from forum_server.orm import utcnow
from forum_server.rooms.models import Post, PostVersion, SessionPeriod, Thread
from tests.conftest import MakeUser
from tests.helpers import bearer, token_for


@pytest.fixture
async def forum(client: httpx.AsyncClient, make_user: MakeUser, make_space, make_session):
    """An open session, its first question's thread, a moderator and two participants."""
    moderator = await make_user(display_name="Moderator")
    slug = await make_space()
    sid = await make_session(slug, moderator_ids=[moderator.id])
    thread_id = (await client.get(f"/api/v1/sessions/{sid}")).json()["questions"][0]["thread_id"]
    ana, ben = await make_user(display_name="Ana"), await make_user(display_name="Ben")
    return {
        "session_id": sid,
        "thread_id": thread_id,
        "moderator": bearer(await token_for(client, moderator)),
        "ana": bearer(await token_for(client, ana)),
        "ben": bearer(await token_for(client, ben)),
        "ana_id": ana.id,
    }


async def post(client, forum, who="ana", **body):
    body.setdefault("body", "Our national biosafety authority trained 40 inspectors.")
    return await client.post(
        f"/api/v1/threads/{forum['thread_id']}/posts", json=body, headers=forum[who]
    )


async def count_posts(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(Post)) or 0)


async def test_post_and_threaded_replies(client, forum):
    first = await post(client, forum)
    assert first.status_code == 201
    created = first.json()
    assert created["status"] == "published" and created["parent_id"] is None
    assert created["author"]["display_name"] == "Ana" and created["author"]["guest"] is False
    assert created["html"].startswith("<p>Our national")
    reply = await post(
        client, forum, "ben", body="How long did that take?", parent_id=created["id"]
    )
    assert reply.status_code == 201 and reply.json()["parent_id"] == created["id"]
    deeper = await post(client, forum, body="Two years.", parent_id=reply.json()["id"])
    assert deeper.json()["depth"] == 2
    listed = (await client.get(f"/api/v1/threads/{forum['thread_id']}/posts")).json()
    assert [p["id"] for p in listed["items"]] == [
        created["id"],
        reply.json()["id"],
        deeper.json()["id"],
    ]
    assert listed["next"] is None


async def test_reply_to_a_post_of_another_thread_is_refused(client, forum, db):
    other = (await client.get(f"/api/v1/sessions/{forum['session_id']}")).json()["questions"][1]
    elsewhere = await client.post(
        f"/api/v1/threads/{other['thread_id']}/posts", json={"body": "x"}, headers=forum["ana"]
    )
    response = await post(client, forum, parent_id=elsewhere.json()["id"])
    assert response.status_code == 422 and response.json()["error"]["field"] == "parent_id"
    assert await count_posts(db) == 1


async def test_retry_with_the_same_client_id_returns_the_original(client, forum, db):
    first = await post(client, forum, client_id="c-123")
    retry = await post(client, forum, client_id="c-123")
    assert first.status_code == 201 and retry.status_code == 200
    assert retry.json()["id"] == first.json()["id"]
    other_author = await post(client, forum, "ben", client_id="c-123")
    assert other_author.status_code == 201
    assert await count_posts(db) == 2


async def test_a_client_id_reused_for_another_post_is_refused(client, forum, db):
    first = (await post(client, forum, client_id="c-9", body="As first written.")).json()
    other_text = await post(client, forum, client_id="c-9", body="Something else.")
    as_reply = await post(
        client, forum, client_id="c-9", body="As first written.", parent_id=first["id"]
    )
    for refused in (other_text, as_reply):
        assert refused.status_code == 409
        assert refused.json()["error"]["code"] == "client_id_reused"
    # Edited since: a late retry of the first text still finds it.
    edited = await client.patch(
        f"/api/v1/posts/{first['id']}", json={"body": "Edited."}, headers=forum["ana"]
    )
    assert edited.status_code == 200
    retry = await post(client, forum, client_id="c-9", body="As first written.")
    assert retry.status_code == 200 and retry.json()["id"] == first["id"]
    assert await count_posts(db) == 1


async def test_a_retried_topic_is_created_once(client, forum, make_space, make_session, db):
    sid = await make_session(await make_space(), participant_topics=True)
    url = f"/api/v1/sessions/{sid}/threads"
    topic = {"title": "Regional networks", "body": "Let us compare notes.", "client_id": "t-1"}
    created = await client.post(url, json=topic, headers=forum["ana"])
    retry = await client.post(url, json=topic, headers=forum["ana"])
    assert created.status_code == 201 and retry.status_code == 200
    assert retry.json()["id"] == created.json()["id"]
    assert retry.json()["first_post"]["id"] == created.json()["first_post"]["id"]
    renamed = await client.post(url, json={**topic, "title": "Other"}, headers=forum["ana"])
    assert renamed.status_code == 409 and renamed.json()["error"]["code"] == "client_id_reused"
    # A reply's client_id does not stand for a topic.
    await post(client, forum, client_id="r-1", body="A reply.")
    as_topic = {"title": "T", "body": "A reply.", "client_id": "r-1"}
    assert (await client.post(url, json=as_topic, headers=forum["ana"])).status_code == 409
    threads = (await client.get(f"/api/v1/sessions/{sid}/threads")).json()["items"]
    assert [t["title"] for t in threads].count("Regional networks") == 1
    assert await count_posts(db) == 2


async def test_markdown_is_rendered_safely(client, forum):
    body = "**Bold** <script>alert(1)</script> [x](javascript:alert(1)) https://bch.cbd.int/"
    html = (await post(client, forum, body=body)).json()["html"]
    assert "<strong>Bold</strong>" in html
    assert "<script" not in html and 'href="javascript:' not in html
    assert 'href="https://bch.cbd.int/"' in html and 'rel="nofollow ugc noopener"' in html


async def test_too_long_or_empty_body_is_refused(client, forum, db):
    assert (await post(client, forum, body="x" * 20_001)).status_code == 422
    assert (await post(client, forum, body="   ")).status_code == 422
    assert (await post(client, forum, body=5)).status_code == 422
    assert await count_posts(db) == 0


async def _set_period(db: Database, session_id: int, opens: timedelta, closes: timedelta):
    now = utcnow()
    async with db.write() as uow:
        await uow.session.execute(
            update(SessionPeriod)
            .where(SessionPeriod.session_id == session_id)
            .values(opens_at=now + opens, closes_at=now + closes)
        )


async def test_posting_outside_the_open_period_is_refused(client, forum, db):
    await _set_period(db, forum["session_id"], -timedelta(days=2), -timedelta(seconds=1))
    closed = await post(client, forum)
    assert closed.status_code == 409 and closed.json()["error"]["code"] == "session_closed"
    await _set_period(db, forum["session_id"], timedelta(hours=1), timedelta(days=1))
    early = await post(client, forum)
    assert early.status_code == 409 and early.json()["error"]["code"] == "session_not_open"
    assert await count_posts(db) == 0


async def test_locked_thread_refuses_posts(client, forum, db):
    async with db.write() as uow:
        await uow.session.execute(update(Thread).values(locked=True))
    response = await post(client, forum)
    assert response.status_code == 409 and response.json()["error"]["code"] == "thread_locked"


async def test_anonymous_and_non_members_cannot_post(
    client, forum, db, make_space, make_session, make_user, add_member
):
    anonymous = await client.post(
        f"/api/v1/threads/{forum['thread_id']}/posts", json={"body": "hello"}
    )
    assert anonymous.status_code == 401
    slug = await make_space()
    sid = await make_session(slug, posting="members")
    thread = (await client.get(f"/api/v1/sessions/{sid}")).json()["questions"][0]["thread_id"]
    refused = await client.post(
        f"/api/v1/threads/{thread}/posts", json={"body": "hi"}, headers=forum["ben"]
    )
    assert refused.status_code == 403
    await add_member(slug, forum["ana_id"])
    allowed = await client.post(
        f"/api/v1/threads/{thread}/posts", json={"body": "hi"}, headers=forum["ana"]
    )
    assert allowed.status_code == 201


async def test_author_edits_within_the_window_and_versions_are_kept(client, forum, db):
    created = (await post(client, forum, body="First text")).json()
    edited = await client.patch(
        f"/api/v1/posts/{created['id']}", json={"body": "Second text"}, headers=forum["ana"]
    )
    assert edited.status_code == 200
    assert edited.json()["edited_at"] and "Second text" in edited.json()["html"]
    other = await client.patch(
        f"/api/v1/posts/{created['id']}", json={"body": "Vandal"}, headers=forum["ben"]
    )
    assert other.status_code == 403
    async with db.write() as uow:
        await uow.session.execute(update(Post).values(created_at=utcnow() - timedelta(hours=2)))
    late = await client.patch(
        f"/api/v1/posts/{created['id']}", json={"body": "Too late"}, headers=forum["ana"]
    )
    assert late.status_code == 409 and late.json()["error"]["code"] == "edit_window_closed"
    by_moderator = await client.patch(
        f"/api/v1/posts/{created['id']}",
        json={"body": "Tidied", "note": "typo"},
        headers=forum["moderator"],
    )
    assert by_moderator.status_code == 200
    async with db.read() as session:
        versions = list(await session.scalars(select(PostVersion.body).order_by(PostVersion.id)))
    assert versions == ["First text", "Second text"]


async def test_pagination_with_a_cursor(client, forum):
    ids = [(await post(client, forum, body=f"Point {i}")).json()["id"] for i in range(5)]
    url = f"/api/v1/threads/{forum['thread_id']}/posts"
    page = (await client.get(url, params={"limit": 2})).json()
    assert [p["id"] for p in page["items"]] == ids[:2] and page["next"] == ids[1]
    page = (await client.get(url, params={"limit": 2, "after": page["next"]})).json()
    assert [p["id"] for p in page["items"]] == ids[2:4]
    last = (await client.get(url, params={"limit": 2, "after": page["next"]})).json()
    assert [p["id"] for p in last["items"]] == ids[4:] and last["next"] is None
    bad = await client.get(url, params={"limit": "many"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "limit"


async def test_topics_only_where_the_session_allows_them(client, forum, make_space, make_session):
    sid = forum["session_id"]
    refused = await client.post(
        f"/api/v1/sessions/{sid}/threads", json={"title": "Mine", "body": "b"}, headers=forum["ana"]
    )
    assert refused.status_code == 403
    slug = await make_space()
    open_sid = await make_session(slug, participant_topics=True)
    created = await client.post(
        f"/api/v1/sessions/{open_sid}/threads",
        json={"title": "Regional networks", "body": "Let us compare notes."},
        headers=forum["ana"],
    )
    assert created.status_code == 201
    threads = (await client.get(f"/api/v1/sessions/{open_sid}/threads")).json()["items"]
    assert threads[-1]["title"] == "Regional networks" and threads[-1]["post_count"] == 1


async def test_every_change_is_an_event(client, forum, db):
    created = (await post(client, forum)).json()
    await client.patch(
        f"/api/v1/posts/{created['id']}", json={"body": "Changed"}, headers=forum["ana"]
    )
    async with db.read() as session:
        events = await events_after(session, 0, session_id=forum["session_id"])
    post_events = [e for e in events if e.type.startswith("post.")]
    assert [e.type for e in post_events] == ["post.created", "post.edited"]
    assert post_events[0].data["id"] == created["id"]
    assert post_events[0].thread_id == forum["thread_id"]
    assert {"id", "thread_id", "parent_id", "author", "html", "status", "created_at"} <= set(
        post_events[0].data
    )
