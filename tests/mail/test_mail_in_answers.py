"""What a reply by mail that cannot be posted gets: a polite answer saying why, with
what was written, threaded under it — never silence, never a post. Mail from programs
gets nothing at all, and what is not ours is refused while the sender is connected."""

from __future__ import annotations

import dataclasses
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from sqlalchemy import func, select

from forum_server.accounts import service as accounts
from forum_server.accounts.models import User
from forum_server.accounts.schemas import PasswordChange
from forum_server.i18n import format_datetime, using_language
from forum_server.mail.models import InboxMessage, OutboxMessage
from forum_server.mail.receiver import Receiver
from forum_server.mail.reply_tokens import ReplyTarget, address, new_token
from forum_server.moderation import posts as moderation
from forum_server.moderation.holding import change_holding_rules
from forum_server.moderation.schemas import SettingsUpdate, SuspensionCreate
from forum_server.moderation.suspensions import suspend_in_space, suspend_site_wide
from forum_server.orm import utcnow
from forum_server.rooms import posting, sessions
from forum_server.rooms.models import Post
from forum_server.rooms.schemas import PostCreate
from forum_server.settings import Settings
from tests.conftest import SECRETARIAT
from tests.helpers import PASSWORD, deliver_mail
from tests.mail.conftest import MailIn, Relay, actor_of, mailed, new_mail, text_of

BODY = "We support the regional training centre."


@pytest.fixture
async def forum(db, make_user, make_space, make_session, question_threads) -> dict[str, Any]:
    """A session open now, a participant, and a post of someone else's to reply to."""
    slug = await make_space(title="Online forum")
    session_id = await make_session(slug, title="Capacity-building")
    [thread_id, _] = await question_threads(session_id)
    writer, other = await make_user(email="w@example.org"), await make_user()
    posted = await posting.create_post(db, actor_of(other), thread_id, PostCreate(body="Ideas?"))
    return {
        "slug": slug,
        "session_id": session_id,
        "thread_id": thread_id,
        "writer": writer,
        "post_id": posted.post.id,
    }


async def reply_address(
    db, settings: Settings, user_id: int, kind: str, target: int, days_old: int = 0
) -> str:
    async with db.read() as session:
        generation = await session.scalar(select(User.sign_in_generation).where(User.id == user_id))
    issued = utcnow().date() - timedelta(days=days_old)
    return address(settings, new_token(user_id, ReplyTarget(kind, target, generation), issued))


async def answer_to(
    app, relay: Relay, mail_in: MailIn, message: EmailMessage, note: str
) -> EmailMessage:
    """Sends the message; checks it was answered for `note` and became no post."""
    async with app.state.ctx.db.read() as session:
        posts_before = await session.scalar(select(func.count()).select_from(Post))
    await mail_in.send(message)
    [row] = await mail_in.settled()
    assert (row.outcome, row.note) == ("answered", note)
    async with app.state.ctx.db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Post)) == posts_before
    [answer] = [
        m
        for m in await mailed(app, relay, "w@example.org")
        if m["In-Reply-To"] == message["Message-ID"]
    ]
    assert answer["Auto-Submitted"] == "auto-replied"
    assert answer.get_body(("html",)) is not None  # plain text and HTML, as other mail
    return answer


async def test_a_reply_after_the_session_closed_says_when_and_where_to_read(
    app, db, settings, relay: Relay, mail_in: MailIn, forum
):
    to = await reply_address(db, settings, forum["writer"].id, "post", forum["post_id"])
    await sessions.close_now(db, SECRETARIAT, forum["session_id"])
    answer = await answer_to(app, relay, mail_in, new_mail(to, "Re: Ideas", BODY), "closed")
    text = text_of(answer)
    assert answer["Subject"] == "Re: Ideas"
    assert 'the session "Capacity-building" closed on ' in text and " UTC" in text
    assert f"http://testserver/sessions/{forum['session_id']}" in text
    assert BODY in text  # what they wrote comes back: nothing is lost


async def test_a_reply_to_a_locked_thread_is_answered(
    app, db, settings, relay: Relay, mail_in: MailIn, forum
):
    to = await reply_address(db, settings, forum["writer"].id, "thread", forum["thread_id"])
    await moderation.set_lock(db, SECRETARIAT, forum["thread_id"], True)
    answer = await answer_to(app, relay, mail_in, new_mail(to, "Re: Q1", BODY), "locked")
    assert "locked the discussion" in text_of(answer)


async def test_a_suspended_writer_is_told_why_and_until_when(
    app, db, settings, relay: Relay, mail_in: MailIn, forum
):
    to = await reply_address(db, settings, forum["writer"].id, "post", forum["post_id"])
    until = utcnow() + timedelta(days=2)
    data = SuspensionCreate(user_id=forum["writer"].id, reason="Off-topic posts", until=until)
    await suspend_in_space(db, SECRETARIAT, forum["slug"], data)
    answer = await answer_to(app, relay, mail_in, new_mail(to, "Re: Ideas", BODY), "suspended")
    with using_language("en"):
        written_until = format_datetime(until)  # as the writer's language writes it
    assert "Off-topic posts" in text_of(answer) and written_until in text_of(answer)


async def test_a_site_wide_suspension_ends_addresses_and_says_why(
    app, db, settings, relay: Relay, mail_in: MailIn, forum
):
    to = await reply_address(db, settings, forum["writer"].id, "post", forum["post_id"])
    data = SuspensionCreate(user_id=forum["writer"].id, reason="Spam")
    await suspend_site_wide(db, SECRETARIAT, data)
    answer = await answer_to(app, relay, mail_in, new_mail(to, "Re: Ideas", BODY), "suspended")
    assert "Reason: Spam" in text_of(answer) and "until the secretariat lifts" in text_of(answer)


async def test_an_address_ends_with_the_accounts_sign_ins(
    app, db, settings, relay: Relay, mail_in: MailIn, forum
):
    to = await reply_address(db, settings, forum["writer"].id, "post", forum["post_id"])
    change = PasswordChange(current_password=PASSWORD, new_password="another long passphrase")
    await accounts.change_password(db, actor_of(forum["writer"]), change)
    answer = await answer_to(app, relay, mail_in, new_mail(to, "Re: Ideas", BODY), "revoked")
    assert "no longer works" in answer["Subject"] + text_of(answer)


async def test_an_expired_address_is_answered(
    app, db, settings, relay: Relay, mail_in: MailIn, forum
):
    old = await reply_address(db, settings, forum["writer"].id, "post", forum["post_id"], 400)
    await answer_to(app, relay, mail_in, new_mail(old, "Re: Ideas", BODY), "expired")


async def test_a_reply_to_what_is_gone_is_answered(
    app, db, settings, relay: Relay, mail_in: MailIn, forum
):
    gone = await reply_address(db, settings, forum["writer"].id, "post", 999_999)
    answer = await answer_to(app, relay, mail_in, new_mail(gone, "Re: Ideas", BODY), "unknown")
    assert "no longer there" in text_of(answer)


async def test_too_long_and_untitled_are_answered(
    app, db, settings, relay: Relay, mail_in: MailIn, forum
):
    to = await reply_address(db, settings, forum["writer"].id, "post", forum["post_id"])
    long = "word " * 5000  # 25,000 characters: more than a post holds
    answer = await answer_to(app, relay, mail_in, new_mail(to, "Re: Ideas", long), "too_long")
    assert "at most 20000" in text_of(answer)


async def test_posting_too_often_by_mail_is_answered(
    app, db, settings, relay: Relay, mail_in: MailIn, forum
):
    await change_holding_rules(db, SECRETARIAT, forum["slug"], SettingsUpdate(account_post_limit=1))
    writer = actor_of(forum["writer"])
    await posting.create_post(db, writer, forum["thread_id"], PostCreate(body="From the web."))
    to = await reply_address(db, settings, forum["writer"].id, "thread", forum["thread_id"])
    answer = await answer_to(app, relay, mail_in, new_mail(to, "Re: Q1", BODY), "rate_limited")
    assert "Send it again in about" in text_of(answer)


async def test_a_held_reply_waits_for_review_and_its_writer_is_told(
    app, client, db, settings, relay: Relay, mail_in: MailIn, forum
):
    await change_holding_rules(db, SECRETARIAT, forum["slug"], SettingsUpdate(hold_first_posts=1))
    to = await reply_address(db, settings, forum["writer"].id, "thread", forum["thread_id"])
    message = new_mail(to, "Re: Q1", BODY)
    await mail_in.send(message)
    [row] = await mail_in.settled()
    assert row.outcome == "held"
    async with db.read() as session:
        held = await session.get(Post, row.post_id)
    assert held is not None and held.status == "pending" and held.body == BODY
    assert BODY not in (await client.get(f"/threads/{forum['thread_id']}")).text
    [answer] = [
        m
        for m in await mailed(app, relay, "w@example.org")
        if m["In-Reply-To"] == message["Message-ID"]
    ]
    assert "reviews it before others can read it" in text_of(answer)


async def test_a_topic_without_a_subject_is_answered(
    app, db, settings, relay: Relay, mail_in: MailIn, make_space, make_session, make_user
):
    slug = await make_space()
    session_id = await make_session(slug, participant_topics=True)
    writer = await make_user(email="w@example.org")
    to = await reply_address(db, settings, writer.id, "session", session_id)
    answer = await answer_to(app, relay, mail_in, new_mail(to, "  ", BODY), "no_title")
    assert "with a subject" in text_of(answer)


@pytest.mark.parametrize(
    ("headers", "mail_from"),
    [
        ({"Auto_Submitted": "auto-replied"}, "w@example.org"),
        ({"Precedence": "bulk"}, "w@example.org"),
        ({}, "<>"),  # a bounce
        ({"From": "MAILER-DAEMON@mx.example.org"}, "w@example.org"),
    ],
)
async def test_mail_from_programs_gets_no_answer_and_makes_no_post(
    app, db, settings, relay: Relay, mail_in: MailIn, forum, headers, mail_from
):
    to = await reply_address(db, settings, forum["writer"].id, "post", forum["post_id"])
    await mail_in.send(new_mail(to, "Out of office", "I am away.", **headers), mail_from=mail_from)
    [row] = await mail_in.settled()
    assert row.outcome == "ignored" and row.note
    await deliver_mail(app)
    assert relay.to("w@example.org") == []
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        assert await session.scalar(select(func.count()).select_from(Post)) == 1


async def test_addresses_that_are_not_ours_are_refused_with_550(
    app, db, settings, mail_in: MailIn, forum
):
    good = await reply_address(db, settings, forum["writer"].id, "post", forum["post_id"])
    local, domain = good.split("@")
    forged = f"{local[:-2]}{'aa' if local[-2:] != 'aa' else 'bb'}@{domain}"
    for wrong in (
        forged,
        f"{local}@elsewhere.example",
        "postmaster@testserver",
        "reply+x@testserver",
    ):
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            await mail_in.send(new_mail(wrong, "Hi", BODY))
        assert refused.value.recipients[wrong][0] == 550
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(InboxMessage)) == 0


async def test_a_message_larger_than_the_limit_is_refused_with_552(app, db, settings, forum):
    import asyncio

    small = dataclasses.replace(settings, max_body_bytes=20_000, max_upload_bytes=5_000)
    receiver = Receiver(db, small, wake=asyncio.Event())
    port = await receiver.start("127.0.0.1", 0)
    to = await reply_address(db, settings, forum["writer"].id, "post", forum["post_id"])
    message = new_mail(to, "Re: Ideas", BODY)
    message.add_attachment(b"\0" * 30_000, maintype="application", subtype="octet-stream")

    def send() -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.send_message(message, from_addr="w@example.org", to_addrs=[to])

    try:
        with pytest.raises(smtplib.SMTPSenderRefused) as declared:  # SIZE= said up front
            await asyncio.to_thread(send)
        assert declared.value.smtp_code == 552

        def undeclared() -> None:  # a client that does not say the size first
            with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
                smtp.ehlo()
                smtp.esmtp_features.pop("size", None)
                smtp.send_message(message, from_addr="w@example.org", to_addrs=[to])

        with pytest.raises(smtplib.SMTPDataError) as sent:
            await asyncio.to_thread(undeclared)
        assert sent.value.smtp_code == 552
    finally:
        await receiver.stop()
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(InboxMessage)) == 0


async def test_hostile_mail_never_stops_the_receiver(
    app, db, settings, relay: Relay, mail_in: MailIn, forum
):
    to = await reply_address(db, settings, forum["writer"].id, "post", forum["post_id"])
    hostile = [
        b"\x00\xff\xfe garbage without headers \x80\x81",
        b"From: x\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n"
        b"--x\r\nContent-Type: text/plain; charset=klingon\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n!!!\r\n--x--\r\n",
        b"From: <@>\r\nSubject: =?utf-8?q?=FF=FE?=\r\nContent-Type: text/html\r\n\r\n"
        b"<script>alert(1)</script><p>Hello from <iframe src=x></iframe>HTML</p>",
    ]

    def send_raw(raw: bytes) -> None:
        with smtplib.SMTP("127.0.0.1", mail_in.port, timeout=10) as smtp:
            smtp.sendmail("w@example.org", [to], raw)

    import asyncio

    for raw in hostile:
        await asyncio.to_thread(send_raw, raw)
    rows = await mail_in.settled(len(hostile))
    assert [r.outcome for r in rows] == ["dropped", "answered", "posted"]
    assert rows[0].raw and rows[0].note == "no From header"  # kept for a look
    async with db.read() as session:
        post = await session.get(Post, rows[2].post_id)
    assert post is not None and post.body == "Hello from HTML"
    assert "<script" not in post.html and "<iframe" not in post.html
    await mail_in.send(new_mail(to, "Re: Ideas", BODY))  # and it still listens
    assert (await mail_in.settled(4))[3].outcome == "posted"


async def test_an_answer_is_written_in_the_writers_language(
    app, db, settings, relay: Relay, mail_in: MailIn, forum
):
    from forum_server.accounts.schemas import ProfileUpdate

    writer = forum["writer"]
    profile = ProfileUpdate(
        display_name=writer.display_name, language="fr", time_zone="Europe/Paris"
    )
    await accounts.update_profile(db, actor_of(writer), profile)
    to = await reply_address(db, settings, writer.id, "post", forum["post_id"])
    await sessions.close_now(db, SECRETARIAT, forum["session_id"])
    answer = await answer_to(app, relay, mail_in, new_mail(to, "", BODY), "closed")
    assert answer["Subject"] == "La session est close"
    text = text_of(answer)
    assert (
        "Votre réponse n'a pas été publiée : la session « Capacity-building » a été close le"
        in text
    )
    assert "Ce que vous avez écrit, pour que rien ne soit perdu :" in text and BODY in text
    assert " UTC" not in text.split("--")[0]  # the writer's zone (CET or CEST)
