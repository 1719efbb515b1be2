"""Watching a session or thread brings its posts by mail, with the headers mail
clients need; only what the recipient may read now is ever sent."""

from __future__ import annotations

import httpx
from sqlalchemy import select, update

from forum_server.db import Database
from forum_server.mail.models import OutboxMessage
from forum_server.mail.notifications import expand_jobs
from forum_server.moderation import posts as moderation
from forum_server.orm import utcnow
from forum_server.policy import ANONYMOUS
from forum_server.rooms import posting
from forum_server.rooms.schemas import PostCreate
from tests.conftest import SECRETARIAT, MakeUser
from tests.helpers import bearer, deliver_mail, token_for
from tests.mail.conftest import Relay, actor_of, text_of


async def _post(db: Database, user, thread_id: int, body: str, parent_id: int | None = None):
    posted = await posting.create_post(
        db, actor_of(user), thread_id, PostCreate(body=body, parent_id=parent_id)
    )
    return posted.post


async def test_a_watcher_is_mailed_each_post_with_threading_and_list_headers(
    app,
    client: httpx.AsyncClient,
    db,
    relay: Relay,
    make_user: MakeUser,
    make_space,
    make_session,
    question_threads,
):
    slug = await make_space(title="Open forum")
    session_id = await make_session(slug, title="Capacity-building")
    [thread_id, _] = await question_threads(session_id)
    watcher, author = await make_user(email="watcher@example.org"), await make_user()
    headers = bearer(await token_for(client, watcher))
    watched = await client.post(
        "/api/v1/me/watches", json={"session_id": session_id}, headers=headers
    )
    assert watched.status_code == 200 and watched.json()["level"] == "post"
    post = await _post(db, author, thread_id, "Peer learning <b>worked</b> for us.")
    await deliver_mail(app)

    [message] = relay.to("watcher@example.org", "Question")
    assert relay.to(author.email, "Question") == []  # nobody is mailed their own words
    assert message["Subject"] == "[Capacity-building] Question 1: What has worked?"
    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]  # plain text first
    text = text_of(message)
    assert "Peer learning <b>worked</b> for us." in text
    assert f"http://testserver/threads/{thread_id}#post-{post.id}" in text
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "<b>worked</b>" not in html  # the post's sanitized HTML, never raw input
    assert message["Message-ID"] == f"<post-{post.id}.u{watcher.id}@testserver>"
    assert message["In-Reply-To"] == f"<thread-{thread_id}@testserver>"
    assert message["References"] == (
        f"<session-{session_id}@testserver> <thread-{thread_id}@testserver>"
    )
    assert message["List-Id"] == f'"Capacity-building" <session-{session_id}.testserver>'
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith("<http://testserver/mail/unsubscribe/")

    listed = await client.get("/api/v1/me/watches", headers=headers)
    assert [(w["target_type"], w["target_id"]) for w in listed.json()["items"]] == [
        ("session", session_id)
    ]


async def test_the_one_click_link_works_without_signing_in(
    app,
    client: httpx.AsyncClient,
    db,
    relay: Relay,
    make_user,
    make_space,
    make_session,
    question_threads,
):
    slug = await make_space()
    session_id = await make_session(slug)
    [thread_id, _] = await question_threads(session_id)
    watcher, author = await make_user(email="w@example.org"), await make_user()
    await client.post(
        "/api/v1/me/watches",
        json={"session_id": session_id},
        headers=bearer(await token_for(client, watcher)),
    )
    await _post(db, author, thread_id, "First.")
    await deliver_mail(app)
    [message] = relay.to("w@example.org", "Question")
    url = message["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")

    async with httpx.AsyncClient(transport=client._transport, base_url="http://testserver") as mua:
        page = await mua.get(url)  # opening it (a link scanner) changes nothing
        assert page.status_code == 200 and "Stop these messages" in page.text
        await _post(db, author, thread_id, "Second.")
        await deliver_mail(app)
        assert len(relay.to("w@example.org", "Question")) == 2
        # RFC 8058: the mail client POSTs this body, with no cookie and no CSRF token.
        done = await mua.post(url, data={"List-Unsubscribe": "One-Click"})
        assert done.status_code == 200 and "no longer receive" in done.text
        forged = await mua.post(url[:-3] + "abc", data={"List-Unsubscribe": "One-Click"})
        assert forged.status_code == 400
    await _post(db, author, thread_id, "Third.")
    await deliver_mail(app)
    assert len(relay.to("w@example.org", "Question")) == 2


async def test_replies_reach_the_author_by_default(
    app, db, relay: Relay, make_user, make_space, make_session, question_threads
):
    slug = await make_space()
    session_id = await make_session(slug)
    [thread_id, _] = await question_threads(session_id)
    first, second = await make_user(email="first@example.org"), await make_user()
    post = await _post(db, first, thread_id, "An idea.")
    await _post(db, second, thread_id, "A reply to it.", parent_id=post.id)
    await _post(db, second, thread_id, "Not a reply.")
    await deliver_mail(app)
    [message] = relay.to("first@example.org", "Question")
    assert "replied to your contribution" in text_of(message)
    assert message["In-Reply-To"] == f"<post-{post.id}@testserver>"


async def test_hidden_and_held_posts_are_never_mailed_to_participants(
    app,
    client,
    db,
    settings,
    relay: Relay,
    make_user,
    make_space,
    make_session,
    question_threads,
    add_member,
):
    slug = await make_space(guest_posting=True)
    session_id = await make_session(slug)
    [thread_id, _] = await question_threads(session_id)
    watcher, author, moderator = (
        await make_user(email="watcher@example.org"),
        await make_user(),
        await make_user(email="mod@example.org"),
    )
    await add_member(slug, moderator.id, "moderator")
    await client.post(
        "/api/v1/me/watches",
        json={"session_id": session_id},
        headers=bearer(await token_for(client, watcher)),
    )
    # Hidden after it was queued, before it was sent (the relay is away meanwhile, so
    # the background sender cannot deliver it first): dropped at send time.
    relay.stop()
    post = await _post(db, author, thread_id, "Something to hide.")
    await expand_jobs(db)
    await moderation.hide_post(db, SECRETARIAT, post.id, "Off topic")
    # A guest's post is held for review: the watcher never hears of it.
    await posting.create_post(
        db,
        ANONYMOUS,
        thread_id,
        PostCreate(body="A guest's words.", guest_name="Guest", guest_email="g@example.org"),
    )
    relay.start()
    async with db.write() as uow:  # the retry's wait, over
        await uow.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
    await deliver_mail(app)
    assert relay.to("watcher@example.org", "Question") == []
    async with db.read() as session:
        statuses = set(await session.scalars(select(OutboxMessage.status)))
    assert "dropped" in statuses
    # The moderator is told of the held post (not its whole text), in one batch.
    [batch] = relay.to("mod@example.org", "moderation")
    assert "Held for review" in text_of(batch) and "A guest" in text_of(batch)
