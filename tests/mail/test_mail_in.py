"""Taking part by e-mail, end to end with real parts: the app's sender delivers to a
real SMTP relay on loopback; the mail-in receiver listens on loopback and is sent
replies with smtplib; the reply shows on the thread page and live, and watchers are
told of it as of any post."""

from __future__ import annotations

import asyncio
import json
import re
from email.message import EmailMessage
from typing import Any

import httpx
from sqlalchemy import select

from forum_server.live.connection import Connection
from forum_server.mail.models import OutboxMessage
from forum_server.policy import Actor
from forum_server.rooms import posting
from forum_server.rooms.models import Post, Thread
from forum_server.rooms.schemas import PostCreate
from tests.conftest import MakeUser
from tests.helpers import bearer, sign_in, token_for
from tests.mail.conftest import MailIn, Relay, actor_of, mailed, new_mail, reply_to, text_of


async def _watched_notice(
    app: Any,
    client: httpx.AsyncClient,
    db: Any,
    relay: Relay,
    make_user: MakeUser,
    thread_id: int,
    session_id: int,
) -> tuple[Any, Any, Any, EmailMessage]:
    """A watcher of the session, and the notice of an author's post that they receive."""
    watcher, author = await make_user(email="w@example.org"), await make_user(email="a@example.org")
    headers = bearer(await token_for(client, watcher))
    await client.post("/api/v1/me/watches", json={"session_id": session_id}, headers=headers)
    posted = await posting.create_post(
        db, actor_of(author), thread_id, PostCreate(body="Peer learning worked for us.")
    )
    [notice] = await mailed(app, relay, "w@example.org", "Question")
    return watcher, author, posted.post, notice


async def _posts(db: Any, thread_id: int) -> list[Post]:
    async with db.read() as session:
        return list(
            await session.scalars(select(Post).where(Post.thread_id == thread_id).order_by(Post.id))
        )


async def _frames(connection: Connection) -> list[dict[str, Any]]:
    out: list[str] = []

    async def send(frame: str) -> None:
        out.append(frame)

    pump = asyncio.create_task(connection.pump(send))
    await asyncio.sleep(0)
    pump.cancel()
    return [json.loads(frame) for frame in out]


async def test_a_reply_to_a_notice_becomes_a_post_shown_live_and_mailed_to_watchers(
    app,
    client,
    db,
    relay: Relay,
    mail_in: MailIn,
    make_user,
    make_space,
    make_session,
    question_threads,
):
    slug = await make_space()
    session_id = await make_session(slug, title="Capacity-building")
    [thread_id, _] = await question_threads(session_id)
    watcher, _, post, notice = await _watched_notice(
        app, client, db, relay, make_user, thread_id, session_id
    )
    reply_address = str(notice["Reply-To"])
    assert re.fullmatch(r"reply\+[a-z2-7]{40}@testserver", reply_address)
    assert "Or reply to this message" in text_of(notice)
    hub = app.state.hub
    viewer = Connection(Actor(), config=hub.config)
    hub.attach(viewer)
    await hub.subscribe(viewer, session_id, None)

    reply = reply_to(notice, "Thanks, Ana. Mentoring worked **best** for us.")
    await mail_in.send(reply, mail_from="w@example.org")
    [row] = await mail_in.settled()
    assert row.outcome == "posted" and row.raw == b""

    [_, by_mail] = await _posts(db, thread_id)
    assert by_mail.author_id == watcher.id and by_mail.parent_id == post.id
    assert by_mail.body == "Thanks, Ana. Mentoring worked **best** for us."
    assert "<strong>best</strong>" in by_mail.html and "wrote:" not in by_mail.body
    page = await client.get(f"/threads/{thread_id}")
    assert "Mentoring worked <strong>best</strong> for us." in page.text
    await hub.catch_up()
    live = [f for f in await _frames(viewer) if f.get("type") == "post.created"]
    assert [f["data"]["id"] for f in live] == [by_mail.id]
    hub.detach(viewer)

    # The usual notices: the author hears of the reply.
    [told] = await mailed(app, relay, "a@example.org", "Question")
    assert "replied to your contribution" in text_of(told) and "Mentoring" in text_of(told)
    assert relay.to("w@example.org", "Question") == [notice]  # not mailed one's own words


async def test_a_topic_started_by_mail_takes_the_subject_as_its_title(
    app, client, db, relay: Relay, mail_in: MailIn, make_user, make_space, make_session
):
    slug = await make_space()
    session_id = await make_session(slug, participant_topics=True)
    closed_to_topics = await make_session(slug)
    user = await make_user(email="t@example.org")
    anonymous_page = await client.get(f"/sessions/{session_id}")
    assert "reply+" not in anonymous_page.text
    await sign_in(client, user)
    assert "reply+" not in (await client.get(f"/sessions/{closed_to_topics}")).text
    page = await client.get(f"/sessions/{session_id}")
    [address] = set(re.findall(r'href="mailto:(reply\+[a-z2-7]{40}@testserver)"', page.text))

    message = new_mail(
        address, "Training needs in the Pacific", "Small islands need regional labs."
    )
    await mail_in.send(message, mail_from="t@example.org")
    [row] = await mail_in.settled()
    assert row.outcome == "posted"
    async with db.read() as session:
        thread = await session.scalar(
            select(Thread).where(Thread.session_id == session_id, Thread.author_id == user.id)
        )
    assert thread is not None and thread.title == "Training needs in the Pacific"
    [first] = await _posts(db, thread.id)
    assert first.author_id == user.id and first.body == "Small islands need regional labs."
    assert "Training needs in the Pacific" in (await client.get(f"/sessions/{session_id}")).text


async def test_the_token_says_who_writes_not_the_from_header(
    app,
    client,
    db,
    relay: Relay,
    mail_in: MailIn,
    make_user,
    make_space,
    make_session,
    question_threads,
):
    slug = await make_space()
    session_id = await make_session(slug)
    [thread_id, _] = await question_threads(session_id)
    watcher, author, _, notice = await _watched_notice(
        app, client, db, relay, make_user, thread_id, session_id
    )
    forged = reply_to(notice, "Written by the watcher.", From="Secretariat <a@example.org>")
    await mail_in.send(forged, mail_from="a@example.org")
    await mail_in.settled()
    [_, by_mail] = await _posts(db, thread_id)
    assert by_mail.author_id == watcher.id != author.id


async def test_a_message_delivered_twice_is_posted_once(
    app,
    client,
    db,
    relay: Relay,
    mail_in: MailIn,
    make_user,
    make_space,
    make_session,
    question_threads,
):
    slug = await make_space()
    session_id = await make_session(slug)
    [thread_id, _] = await question_threads(session_id)
    *_, notice = await _watched_notice(app, client, db, relay, make_user, thread_id, session_id)
    reply = reply_to(notice, "Once only.")
    await mail_in.send(reply)
    await mail_in.send(reply)  # a mail server that never heard our 250 sends it again
    rows = await mail_in.settled(2)
    assert [r.outcome for r in rows] == ["posted", "posted"]
    assert len(await _posts(db, thread_id)) == 2  # the author's and one reply
    assert rows[0].post_id == rows[1].post_id


async def test_html_only_replies_are_posted_as_text(
    app,
    client,
    db,
    relay: Relay,
    mail_in: MailIn,
    make_user,
    make_space,
    make_session,
    question_threads,
):
    slug = await make_space()
    session_id = await make_session(slug)
    [thread_id, _] = await question_threads(session_id)
    *_, notice = await _watched_notice(app, client, db, relay, make_user, thread_id, session_id)
    reply = reply_to(notice, "ignored")
    reply.set_content(
        '<p>Agreed <b>fully</b>.</p><script>alert("x")</script><img src=x onerror=alert(1)>'
        '<div class="gmail_quote">On Mon wrote:<blockquote>old</blockquote></div>',
        subtype="html",
    )
    await mail_in.send(reply)
    await mail_in.settled()
    [_, by_mail] = await _posts(db, thread_id)
    assert by_mail.body == "Agreed fully."
    assert "<script" not in by_mail.html and "onerror" not in by_mail.html


async def test_an_lmtp_receiver_answers_each_recipient(app, db, settings, make_user):
    import smtplib

    from forum_server.mail.receiver import Receiver
    from forum_server.mail.reply_tokens import ReplyTarget, address, new_token
    from forum_server.orm import utcnow

    receiver = Receiver(db, settings, lmtp=True, wake=asyncio.Event())
    port = await receiver.start("127.0.0.1", 0)
    token = new_token(1, ReplyTarget("thread", 1, 0), utcnow().date())
    recipients = [
        address(settings, token),
        address(settings, new_token(2, ReplyTarget("thread", 1, 0), utcnow().date())),
    ]

    def send() -> list[int]:
        with smtplib.LMTP("127.0.0.1", port) as lmtp:
            lmtp.ehlo_or_helo_if_needed()  # LHLO
            lmtp.mail("w@example.org")
            for recipient in recipients:
                assert lmtp.rcpt(recipient)[0] == 250
            # LMTP answers the data once per recipient (smtplib reads only the first).
            return [lmtp.data(b"Subject: hi\r\n\r\nHello\r\n")[0], lmtp.getreply()[0]]

    try:
        assert await asyncio.to_thread(send) == [250, 250]
    finally:
        await receiver.stop()
    async with db.read() as session:
        from forum_server.mail.models import InboxMessage

        stored = list(await session.scalars(select(InboxMessage.recipient)))
    assert sorted(stored) == sorted(recipients)


async def test_answers_are_threaded_and_marked_as_automatic(
    app,
    client,
    db,
    relay: Relay,
    mail_in: MailIn,
    make_user,
    make_space,
    make_session,
    question_threads,
):
    slug = await make_space()
    session_id = await make_session(slug)
    [thread_id, _] = await question_threads(session_id)
    *_, notice = await _watched_notice(app, client, db, relay, make_user, thread_id, session_id)
    empty = reply_to(notice, "")
    await mail_in.send(empty)
    [row] = await mail_in.settled()
    assert row.outcome == "answered" and row.note == "empty"
    [answer] = await mailed(app, relay, "w@example.org", "Re: ")
    assert answer["In-Reply-To"] == empty["Message-ID"]
    assert str(answer["References"]).endswith(str(empty["Message-ID"]))
    assert answer["Auto-Submitted"] == "auto-replied"
    assert "nothing was left" in text_of(answer)
    async with db.read() as session:
        kinds = list(await session.scalars(select(OutboxMessage.kind)))
    assert kinds.count("answer") == 1
