"""The reminder reaches exactly those who have not taken part, once an hour at most,
each in their own language, through the outbox."""

from __future__ import annotations

from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from sqlalchemy import select, update

from forum_server.accounts import service
from forum_server.accounts.schemas import ProfileUpdate
from forum_server.mail.models import OutboxMessage
from forum_server.orm import utcnow
from forum_server.participation.models import ParticipationReminder
from forum_server.policy import Actor
from tests.helpers import deliver_mail, sign_in


def delivered(app) -> list[EmailMessage]:
    """The reminders written to the outbox folder (not the other notices)."""
    outbox = app.state.ctx.settings.data_dir / "outbox"
    parsed = [
        BytesParser(policy=policy.default).parsebytes(p.read_bytes()) for p in outbox.glob("*.eml")
    ]
    return [m for m in parsed if str(m["Message-ID"]).startswith("<reminder-")]


async def reminded(db) -> list[str]:
    async with db.read() as session:
        rows = await session.scalars(
            select(OutboxMessage.to_addr).where(OutboxMessage.kind == "participation_reminder")
        )
        return sorted(rows)


async def test_reminder_reaches_exactly_those_who_have_not_taken_part(client, forum, db, app):
    sid, users = forum["session_id"], forum["users"]
    path = f"/api/v1/sessions/{sid}/participation/reminders"
    refused = await client.post(path, headers=forum["tokens"]["active"])
    assert refused.status_code == 403
    sent = await client.post(path, headers=forum["tokens"]["moderator"])
    assert sent.status_code == 201, sent.text
    assert sent.json()["recipients"] == 4
    expected = sorted(
        [users["owner"].email, users["quiet"].email, users["silent"].email, "newcomer@example.org"]
    )
    assert await reminded(db) == expected
    # not the one who took part, the session's moderator, the removed member or outsiders
    for name in ("active", "moderator", "removed", "outsider", "other moderator"):
        assert users[name].email not in expected

    again = await client.post(path, headers=forum["tokens"]["owner"])
    assert again.status_code == 429
    assert again.json()["error"]["code"] == "reminder_too_soon"
    assert int(again.headers["Retry-After"]) > 0
    assert await reminded(db) == expected  # nothing more queued

    found = (
        await client.get(f"/api/v1/sessions/{sid}/participation", headers=forum["tokens"]["owner"])
    ).json()
    assert found["last_reminder"]["recipients"] == 4
    assert found["last_reminder"]["sent_by"] == "Mona Moderator"
    assert found["next_reminder_at"] is not None

    await deliver_mail(app)
    mails = delivered(app)
    assert sorted(str(m["To"]) for m in mails) == expected
    to_silent = next(m for m in mails if m["To"] == users["silent"].email)
    assert "Your contribution is awaited" in str(to_silent["Subject"])
    assert f"/sessions/{sid}" in to_silent.get_body(("plain",)).get_content()
    to_invited = next(m for m in mails if m["To"] == "newcomer@example.org")
    body = to_invited.get_body(("plain",)).get_content()
    # the space's title, as the invitation said it; nothing of the session
    assert "/sessions/" not in body and "Strategic" not in body


async def test_after_an_hour_a_new_reminder_leaves_out_who_has_taken_part(client, forum, db):
    sid, tokens = forum["session_id"], forum["tokens"]
    path = f"/api/v1/sessions/{sid}/participation/reminders"
    assert (await client.post(path, headers=tokens["moderator"])).status_code == 201
    async with db.write() as uow:
        await uow.session.execute(
            update(ParticipationReminder).values(sent_at=utcnow() - timedelta(hours=2))
        )
    thread_id = forum["questions"][1]["thread_id"]
    posted = await client.post(
        f"/api/v1/threads/{thread_id}/posts",
        json={"body": "Now I answer."},
        headers=tokens["quiet"],
    )
    assert posted.status_code == 201
    second = await client.post(path, headers=tokens["moderator"])
    assert second.status_code == 201 and second.json()["recipients"] == 3


async def test_reminder_in_each_recipients_language(client, forum, app):
    quiet = forum["users"]["quiet"]
    await service.update_profile(
        app.state.ctx.db,
        Actor(user_id=quiet.id),
        ProfileUpdate(display_name=quiet.display_name, country="BR", language="es"),
    )
    sent = await client.post(
        f"/api/v1/sessions/{forum['session_id']}/participation/reminders",
        headers=forum["tokens"]["moderator"],
    )
    assert sent.status_code == 201
    await deliver_mail(app)
    to_quiet = [m for m in delivered(app) if m["To"] == quiet.email]
    assert len(to_quiet) == 1
    # written in Spanish, the recipient's language, not the sender's English
    assert "Your contribution is awaited" not in str(to_quiet[0]["Subject"])
    assert to_quiet[0]["Content-Language"] in (None, "es")


async def test_reminder_only_while_open(client, forum):
    sid, headers = forum["session_id"], forum["tokens"]["moderator"]
    closed = await client.post(f"/api/v1/sessions/{sid}/close", headers=headers)
    assert closed.status_code == 200
    refused = await client.post(f"/api/v1/sessions/{sid}/participation/reminders", headers=headers)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "session_closed"


async def test_reminder_by_page_with_confirmation(client, forum, db):
    sid = forum["session_id"]
    await sign_in(client, forum["users"]["moderator"])
    confirm = await client.get(f"/sessions/{sid}/participation/remind")
    assert confirm.status_code == 200 and "data-confirm-form" in confirm.text
    token = confirm.text.split('name="csrf_token" value="')[1].split('"')[0]
    sent = await client.post(f"/sessions/{sid}/participation/reminders", data={"csrf_token": token})
    assert sent.status_code == 303
    page = await client.get(sent.headers["location"])
    assert "Reminder sent." in page.text and "Last reminder" in page.text
    assert len(await reminded(db)) == 4
    again = await client.post(
        f"/sessions/{sid}/participation/reminders", data={"csrf_token": token}
    )
    assert again.status_code == 429 and "data-error-message" in again.text
    assert len(await reminded(db)) == 4


async def test_a_member_removed_before_sending_is_not_mailed(client, forum, app):
    """The policy is asked again when the message is sent."""
    sid, users, tokens = forum["session_id"], forum["users"], forum["tokens"]
    sent = await client.post(
        f"/api/v1/sessions/{sid}/participation/reminders", headers=tokens["moderator"]
    )
    assert sent.status_code == 201
    gone = await client.delete(
        f"/api/v1/spaces/{forum['slug']}/members/{users['silent'].id}", headers=tokens["owner"]
    )
    assert gone.status_code in {200, 204}
    await deliver_mail(app)
    recipients = {str(m["To"]) for m in delivered(app)}
    assert users["silent"].email not in recipients
    assert users["quiet"].email in recipients
