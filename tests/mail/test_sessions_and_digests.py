"""Session notices to members and watchers, moderators' batches, the daily digest,
and watching from pages."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import update

from forum_server.mail import digest
from forum_server.mail.models import OutboxMessage
from forum_server.mail.notifications import send_closing_reminders
from forum_server.moderation.flags import flag_post
from forum_server.orm import utcnow
from forum_server.rooms import posting, sessions
from forum_server.rooms.schemas import PostCreate, QuestionCreate
from tests.conftest import SECRETARIAT
from tests.helpers import bearer, csrf_from, deliver_mail, sign_in, token_for
from tests.mail.conftest import Relay, actor_of, text_of


async def test_members_hear_of_opening_questions_and_closing(
    app, db, relay: Relay, make_user, make_space, make_session, add_member
):
    slug = await make_space(visibility="members", title="Workspace")
    member, outsider = await make_user(email="member@example.org"), await make_user()
    await add_member(slug, member.id)
    now = utcnow()
    session_id = await make_session(
        slug, title="Review", opens_at=now + timedelta(hours=1), closes_at=now + timedelta(days=3)
    )
    # A moderator opens it now and adds a question.
    await sessions.open_now(db, SECRETARIAT, session_id)
    await sessions.add_question(
        db, SECRETARIAT, session_id, QuestionCreate(text="What is missing?")
    )
    await deliver_mail(app)
    subjects = sorted(m["Subject"] for m in relay.to("member@example.org"))
    assert subjects == [
        "[Review] New guiding question 3",
        "[Review] The session is open: contributions are welcome",
    ]
    assert relay.to(outsider.email) == []  # not a member, not watching: nothing
    async with db.write() as uow:  # the period now ends within a day
        from forum_server.rooms.models import SessionPeriod

        await uow.session.execute(
            update(SessionPeriod).values(closes_at=utcnow() + timedelta(hours=20))
        )
    assert await send_closing_reminders(db) == 1
    assert await send_closing_reminders(db) == 0  # once per period
    await deliver_mail(app)
    assert any("closes in 24 hours" in m["Subject"] for m in relay.to("member@example.org"))


async def test_moderators_get_at_most_one_batch_per_quarter_hour(
    app, db, relay: Relay, make_user, make_space, make_session, add_member, question_threads
):
    slug = await make_space()
    moderator, reader = await make_user(email="mod@example.org"), await make_user()
    await add_member(slug, moderator.id, "moderator")
    session_id = await make_session(slug)
    [thread_id, _] = await question_threads(session_id)
    first = await posting.create_post(db, actor_of(reader), thread_id, PostCreate(body="One"))
    second = await posting.create_post(db, actor_of(reader), thread_id, PostCreate(body="Two"))
    await flag_post(db, actor_of(moderator), first.post.id, "spam?")  # their own flag counts too
    await flag_post(db, actor_of(reader), second.post.id, "off topic")
    await deliver_mail(app)
    [batch] = relay.to("mod@example.org", "moderation")
    assert batch["Subject"] == "2 new items for moderation"
    await flag_post(db, actor_of(reader), first.post.id, "again")
    await deliver_mail(app)
    assert len(relay.to("mod@example.org", "moderation")) == 1  # waits for the quarter hour
    async with db.write() as uow:
        await uow.session.execute(
            update(OutboxMessage).values(created_at=utcnow() - timedelta(minutes=16))
        )
    await deliver_mail(app)
    assert len(relay.to("mod@example.org", "moderation")) == 2


async def test_the_daily_digest_groups_new_posts_once_a_day(
    app,
    client: httpx.AsyncClient,
    db,
    settings,
    relay: Relay,
    make_user,
    make_space,
    make_session,
    question_threads,
):
    slug = await make_space()
    session_id = await make_session(slug, title="Finance")
    [q1, q2] = await question_threads(session_id)
    reader, author = await make_user(email="reader@example.org"), await make_user()
    await client.post(
        "/api/v1/me/watches",
        json={"session_id": session_id, "level": "digest"},
        headers=bearer(await token_for(client, reader)),
    )
    for thread_id, body in ((q1, "Blended finance helps."), (q2, "Grants " * 100)):
        await posting.create_post(db, actor_of(author), thread_id, PostCreate(body=body))
    await deliver_mail(app)
    assert relay.to("reader@example.org", "[Finance] Question") == []  # not post by post
    moment = utcnow()
    at_hour = moment.replace(hour=settings.digest_hour, minute=5)
    assert await digest.send_digests(db, settings, at_hour + timedelta(days=1)) == 1
    assert await digest.send_digests(db, settings, at_hour + timedelta(days=1)) == 0
    await deliver_mail(app)
    [message] = relay.to("reader@example.org", "digest")
    text = text_of(message)
    assert message["Subject"] == "Daily digest: 2 new contributions"
    assert text.index("Question 1: What has worked?") < text.index("Blended finance helps.")
    assert text.index("Question 2: What should change?") < text.index("Grants")
    assert len(text) < 2000  # excerpts, not whole posts
    # The next day, with nothing new: no message.
    assert await digest.send_digests(db, settings, at_hour + timedelta(days=2)) == 0


async def test_watching_from_a_page_and_the_profile_list(
    app, client: httpx.AsyncClient, make_user, make_space, make_session
):
    slug = await make_space()
    session_id = await make_session(slug, title="Adaptation")
    user = await make_user()
    await sign_in(client, user)
    token = await csrf_from(client, f"/sessions/{session_id}")
    done = await client.post(
        "/mail/watch",
        data={
            "session_id": str(session_id),
            "level": "digest",
            "next": f"/sessions/{session_id}",
            "csrf_token": token,
        },
    )
    assert done.status_code == 303 and done.headers["location"] == f"/sessions/{session_id}"
    profile = await client.get("/profile")
    assert "Adaptation" in profile.text and 'value="digest" selected' in profile.text


async def test_session_and_thread_pages_offer_the_watch_form(
    app, client: httpx.AsyncClient, make_user, make_space, make_session, question_threads
):
    slug = await make_space()
    session_id = await make_session(slug)
    [thread_id, _] = await question_threads(session_id)
    anonymous = await client.get(f"/sessions/{session_id}")
    assert 'action="/mail/watch"' not in anonymous.text  # nobody to send it to
    await sign_in(client, await make_user())
    page = await client.get(f"/threads/{thread_id}")
    assert 'action="/mail/watch"' in page.text
    assert f'name="thread_id" value="{thread_id}"' in page.text
    assert "only the replies to your own posts" in page.text
    token = await csrf_from(client, f"/threads/{thread_id}")
    await client.post(
        "/mail/watch",
        data={"thread_id": str(thread_id), "level": "post", "next": f"/threads/{thread_id}"},
        headers={"X-CSRF-Token": token},
    )
    page = await client.get(f"/threads/{thread_id}")
    assert 'value="post" selected' in page.text
    session_page = await client.get(f"/sessions/{session_id}")
    assert f'name="session_id" value="{session_id}"' in session_page.text
