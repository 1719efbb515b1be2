"""Consent without JavaScript: the space page shows the terms and the attribution, the
post form carries the acceptance box until the current version is accepted (a post
without it is refused on that field, the text kept), the guest form likewise, the
secretariat writes versions and reads acceptances, and the profile keeps one's choice."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from forum_server.db import Database
from forum_server.rooms.models import Post
from tests.consent.conftest import Place
from tests.helpers import csrf_from, sign_in


async def test_the_space_page_shows_terms_and_attribution(
    client: httpx.AsyncClient, place: Place
) -> None:
    page = await client.get(f"/spaces/{place.slug}")
    assert page.status_code == 200
    assert "<strong>meeting document</strong>" in page.text
    assert "Named (name, country and organization)" in page.text
    await sign_in(client, place.users["ana"])
    token = await csrf_from(client, f"/spaces/{place.slug}")
    accepted = await client.post(
        f"/spaces/{place.slug}/terms/accept", data={"csrf_token": token, "version": "1"}
    )
    assert accepted.status_code == 303
    page = await client.get(f"/spaces/{place.slug}")
    assert "You accepted this version." in page.text


async def test_the_post_form_asks_for_acceptance_once(
    client: httpx.AsyncClient, db: Database, place: Place
) -> None:
    await sign_in(client, place.users["ana"])
    thread = f"/threads/{place.thread_id}"
    page = await client.get(thread)
    assert 'name="accept_terms" value="1"' in page.text
    token = await csrf_from(client, thread)
    form = {"csrf_token": token, "body": "My first contribution.", "client_id": "c-1"}
    refused = await client.post(f"{thread}/posts", data=form)
    assert refused.status_code == 422
    assert 'id="field-accept_terms-error"' in refused.text
    assert "My first contribution." in refused.text  # what was typed is kept
    async with db.read() as session:
        assert await session.scalar(select(func.count(Post.id))) == 0
    posted = await client.post(f"{thread}/posts", data={**form, "accept_terms": "1"})
    assert posted.status_code == 303, posted.text
    page = await client.get(thread)
    assert "My first contribution." in page.text
    assert 'name="accept_terms"' not in page.text


async def test_the_guest_form_asks_for_acceptance(
    client: httpx.AsyncClient, db: Database, place: Place
) -> None:
    path = f"/threads/{place.thread_id}/guest-post"
    page = await client.get(path)
    assert 'name="accept_terms" value="1"' in page.text
    token = await csrf_from(client, path)
    form = {"csrf_token": token, "guest_name": "Visitor", "body": "A guest's view."}
    refused = await client.post(path, data=form)
    assert refused.status_code == 422 and 'id="field-accept_terms-error"' in refused.text
    sent = await client.post(path, data={**form, "accept_terms": "1"})
    assert sent.status_code == 303
    async with db.read() as session:
        assert await session.scalar(select(Post.guest_terms_version)) == 1


async def test_the_secretariat_writes_versions_and_reads_acceptances(
    client: httpx.AsyncClient, place: Place
) -> None:
    await sign_in(client, place.users["sec"])
    terms = f"/spaces/{place.slug}/terms"
    token = await csrf_from(client, terms)
    blank = await client.post(terms, data={"csrf_token": token, "body": ""})
    assert blank.status_code == 422
    saved = await client.post(terms, data={"csrf_token": token, "body": "Version *two*."})
    assert saved.status_code == 303
    page = await client.get(terms)
    assert "Version 2" in page.text and "<em>two</em>" in page.text
    assert "<strong>meeting document</strong>" in page.text  # the first version is kept
    listed = await client.get(f"{terms}/acceptances")
    assert listed.status_code == 200


async def test_others_may_read_the_terms_but_not_edit_them(
    client: httpx.AsyncClient, place: Place
) -> None:
    await sign_in(client, place.users["owner"])
    terms = f"/spaces/{place.slug}/terms"
    page = await client.get(terms)
    assert page.status_code == 200 and 'action="/spaces/' + place.slug + '/terms"' not in page.text
    token = await csrf_from(client, terms)
    refused = await client.post(terms, data={"csrf_token": token, "body": "Mine."})
    assert refused.status_code == 403
    assert (await client.get(f"{terms}/acceptances")).status_code == 403


async def test_the_profile_keeps_the_choice_of_attribution(
    client: httpx.AsyncClient, place: Place
) -> None:
    await sign_in(client, place.users["ana"])
    page = await client.get("/profile")
    assert 'id="field-attribution-named" name="attribution" value="named" checked' in page.text
    token = await csrf_from(client, "/profile")
    saved = await client.post(
        "/profile/attribution", data={"csrf_token": token, "attribution": "none"}
    )
    assert saved.status_code == 303
    page = await client.get("/profile")
    assert 'value="none" checked' in page.text
    mine = await client.get("/api/v1/me/attribution")
    assert mine.json()["attribution"] == "none"


async def test_a_topic_form_asks_for_acceptance(
    client: httpx.AsyncClient, db: Database, make_session, place: Place
) -> None:
    session_id = await make_session(place.slug, participant_topics=True)
    await sign_in(client, place.users["ben"])
    page = f"/sessions/{session_id}"
    shown = await client.get(page)
    assert 'id="field-topic-accept_terms"' in shown.text
    token = await csrf_from(client, page)
    form = {"csrf_token": token, "title": "Funding", "body": "Let us talk.", "client_id": "t-1"}
    refused = await client.post(f"{page}/threads", data=form)
    assert refused.status_code == 422 and 'id="field-topic-accept_terms-error"' in refused.text
    started = await client.post(f"{page}/threads", data={**form, "accept_terms": "1"})
    assert started.status_code == 303, started.text
    async with db.read() as session:
        assert await session.scalar(select(func.count(Post.id))) == 1


async def test_joining_through_an_invitation_accepts_the_terms(
    client: httpx.AsyncClient, db: Database, make_user, place: Place
) -> None:
    from forum_server.policy import Actor
    from forum_server.rooms import invitations

    invited = await make_user(email="invited@example.org", display_name="Invited Expert")
    secretariat = Actor(user_id=place.users["sec"].id, is_secretariat=True)
    issued = await invitations.invite(
        db, secretariat, place.slug, invitations.InvitationCreate(email="invited@example.org")
    )
    await sign_in(client, invited)
    path = f"/invitations/{issued.token}"
    page = await client.get(path)
    assert 'name="accept_terms" value="1"' in page.text
    assert "<strong>meeting document</strong>" in page.text
    token = await csrf_from(client, path)
    joined = await client.post(path, data={"csrf_token": token, "accept_terms": "1"})
    assert joined.status_code == 303, joined.text
    mine = await client.get(f"/api/v1/spaces/{place.slug}/terms")
    assert mine.json()["accepted_version"] == 1


async def test_a_conference_message_form_asks_for_acceptance(
    client: httpx.AsyncClient, make_session, place: Place
) -> None:
    session_id = await make_session(place.slug, format="conference")
    await sign_in(client, place.users["ben"])
    page = f"/sessions/{session_id}/conference"
    shown = await client.get(page)
    assert 'name="accept_terms" value="1"' in shown.text
    token = await csrf_from(client, page)
    form = {"csrf_token": token, "body": "Hello, all.", "client_id": "m-1"}
    refused = await client.post(f"{page}/messages", data=form)
    assert refused.status_code == 422 and 'id="field-accept_terms-error"' in refused.text
    sent = await client.post(f"{page}/messages", data={**form, "accept_terms": "1"})
    assert sent.status_code == 303, sent.text
