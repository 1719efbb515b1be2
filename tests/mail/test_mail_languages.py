"""Every message is written in its recipient's language and time zone (their profile's
choice, else the site's default); an invitation to someone without an account, in the
language the inviter was using."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import update

from forum_server.accounts import service as accounts
from forum_server.accounts.password_reset import ResetRequest, request_reset
from forum_server.accounts.schemas import ProfileUpdate, UserCreate
from forum_server.app import create_app
from forum_server.db import Database
from forum_server.mail.compose import Target, unsubscribe_token
from forum_server.mail.notifications import notify_session
from forum_server.orm import utcnow
from forum_server.rooms import posting
from forum_server.rooms.models import Post, SessionPeriod
from forum_server.rooms.schemas import PostCreate
from tests.conftest import SECRETARIAT
from tests.helpers import PASSWORD, bearer, deliver_mail, make_settings, token_for
from tests.mail.conftest import Relay, actor_of, text_of


def html_of(message) -> str:  # type: ignore[no-untyped-def]
    return str(message.get_body(("html",)).get_content())


async def _speaks(db: Database, user, language: str | None, zone: str | None = None) -> None:  # type: ignore[no-untyped-def]
    profile = ProfileUpdate(display_name=user.display_name, language=language, time_zone=zone)
    await accounts.update_profile(db, actor_of(user), profile)


async def test_the_same_post_reaches_each_watcher_in_their_own_language(
    app,
    client: httpx.AsyncClient,
    db: Database,
    relay: Relay,
    make_user,
    make_space,
    make_session,
    question_threads,
):
    slug = await make_space(title="Forum")
    session_id = await make_session(slug, title="Capacity-building")
    [thread_id, _] = await question_threads(session_id)
    french = await make_user(email="amelie@example.org", display_name="Amélie")
    english = await make_user(email="john@example.org", display_name="John")
    author = await make_user(display_name="Ana")
    await _speaks(db, french, "fr", "Europe/Paris")
    for user in (french, english):
        answer = await client.post(
            "/api/v1/me/watches",
            json={"session_id": session_id},
            headers=bearer(await token_for(client, user)),
        )
        assert answer.status_code == 200
    posted = await posting.create_post(
        db, actor_of(author), thread_id, PostCreate(body="Le renforcement des capacités.")
    )
    async with db.write() as uow:  # written in French, as the composer would say
        await uow.session.execute(update(Post).where(Post.id == posted.post.id).values(lang="fr"))
    await deliver_mail(app)

    [in_french] = relay.to("amelie@example.org", "Question")
    [in_english] = relay.to("john@example.org", "Question")
    # The subject and both parts in the reader's language; the session's title and the
    # post as written; List-Id names the session as it is titled.
    assert in_french["Subject"] == "[Capacity-building] Question 1\xa0: What has worked?"
    assert in_english["Subject"] == "[Capacity-building] Question 1: What has worked?"
    assert in_french["Content-Language"] == "fr" and in_english["Content-Language"] == "en"
    assert in_french["List-Id"] == in_english["List-Id"]
    assert in_french["List-Id"].startswith('"Capacity-building"')
    text = text_of(in_french)
    assert "Ana a écrit dans Capacity-building" in text
    assert "Lire et répondre :" in text and "Arrêter ces messages :" in text
    assert "Le renforcement des capacités." in text
    html = html_of(in_french)
    assert '<html lang="fr" dir="ltr">' in html and "Tout ce que vous suivez" in html
    assert 'lang="fr" dir="ltr"><p>Le renforcement des capacités.</p>' in html
    assert "Ana wrote in Capacity-building" in text_of(in_english)
    assert '<html lang="en" dir="ltr">' in html_of(in_english)
    assert "Forums en ligne" in str(in_french["From"])  # the site's name, in French
    assert "Online forums" in str(in_english["From"])


async def test_times_are_in_the_readers_zone_and_arabic_reads_right_to_left(
    app, db: Database, relay: Relay, make_user, make_space, make_session, add_member
):
    slug = await make_space(visibility="members", title="Workspace")
    reader = await make_user(email="layla@example.org", display_name="Layla")
    await _speaks(db, reader, "ar", "Asia/Riyadh")
    await add_member(slug, reader.id)
    session_id = await make_session(slug, title="Review")
    async with db.write() as uow:  # closes within the day: the reminder is due
        await uow.session.execute(
            update(SessionPeriod)
            .where(SessionPeriod.session_id == session_id)
            .values(closes_at=datetime(2040, 1, 1, 12, 0, tzinfo=UTC))
        )
    async with db.write() as uow:
        context = {"event": "closing", "closes_at": "2040-01-01T12:00:00+00:00"}
        await notify_session(uow, session_id, f"session-{session_id}.test", context)
    await deliver_mail(app)
    [message] = relay.to("layla@example.org", "[Review]")
    assert message["Subject"] == "[Review] تُغلق الدورة خلال 24 ساعة"
    html = html_of(message)
    assert '<html lang="ar" dir="rtl">' in html
    text = text_of(message)
    assert "15:00" in text or "٣:٠٠" in text or "3:00" in text  # noon UTC is 15:00 in Riyadh
    assert "UTC" not in text.split("--")[0]


async def test_without_a_choice_the_sites_default_language(
    tmp_path: Path, database_url: str, relay: Relay
):
    settings = make_settings(
        tmp_path, database_url, smtp_url=f"smtp://127.0.0.1:{relay.port}", default_language="fr"
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        db: Database = app.state.ctx.db
        data = UserCreate(email="paul@example.org", password=PASSWORD, display_name="Paul")
        await accounts.create_user(db, SECRETARIAT, data, registration_open=True)
        request = ResetRequest(email="paul@example.org")
        await request_reset(db, settings.secret_key, request, client="127.0.0.1")
        await deliver_mail(app)
    [message] = relay.to("paul@example.org")
    assert message["Subject"] == "Choisir un nouveau mot de passe"
    assert "votre mot de passe reste inchangé" in text_of(message)


async def test_an_invitation_is_written_in_the_inviters_language(
    app, client: httpx.AsyncClient, relay: Relay, make_user, make_space
):
    slug = await make_space(title="Groupe de liaison", visibility="members")
    admin = await make_user(is_secretariat=True)
    # The inviter reads the site in Spanish (the browser says so); the invitee has no
    # account: the invitation is in Spanish, its expiry in UTC.
    answer = await client.post(
        f"/api/v1/spaces/{slug}/invitations",
        json={"email": "nueva@example.org", "role": "member"},
        headers={**bearer(await token_for(client, admin)), "Accept-Language": "es-ES,es;q=0.9"},
    )
    assert answer.status_code == 201, answer.text
    await deliver_mail(app)
    [message] = relay.to("nueva@example.org")
    assert message["Subject"] == "Invitación a Groupe de liaison"
    text = text_of(message)
    assert "Se le invita a participar en Groupe de liaison." in text
    assert str(utcnow().year) in text and "UTC" in text


async def test_the_unsubscribe_page_speaks_the_readers_language(
    client: httpx.AsyncClient, settings, make_user, make_space, make_session
):
    slug = await make_space()
    session_id = await make_session(slug, title="Capacity-building")
    user = await make_user()
    token = unsubscribe_token(settings.secret_key, user.id, Target("session", session_id))
    url = f"/mail/unsubscribe/{token}"
    french = await client.get(url, headers={"Accept-Language": "fr"})
    assert '<html lang="fr" dir="ltr"' in french.text
    assert "Arrêter ces messages" in french.text and "Vous n'avez pas besoin" in french.text
    arabic = await client.get(url, headers={"Accept-Language": "ar"})
    assert '<html lang="ar" dir="rtl"' in arabic.text and "إيقاف هذه الرسائل" in arabic.text
    page = await client.get(url)
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    done = await client.post(url, data={"csrf_token": csrf}, headers={"Accept-Language": "es"})
    assert "Hecho: ya no recibirá mensajes sobre la sesión «Capacity-building»." in done.text
