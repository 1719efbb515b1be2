"""Participation terms and attribution through the API: a contribution without the
current terms accepted is refused on its field with nothing written; accepted with it,
before it, or again when the terms change; guests accept with their post; the
secretariat reads who accepted what; each account chooses how it is cited."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from forum_server.consent.models import TermsAcceptance
from forum_server.db import Database
from forum_server.rooms.models import Post
from tests.consent.conftest import TERMS_V1, TERMS_V2, Place, set_terms


async def _posts(db: Database, thread_id: int) -> int:
    async with db.read() as session:
        count = await session.scalar(select(func.count(Post.id)).where(Post.thread_id == thread_id))
    return int(count or 0)


async def test_a_post_without_the_terms_accepted_is_refused_and_nothing_written(
    client: httpx.AsyncClient, db: Database, place: Place
) -> None:
    path = f"/api/v1/threads/{place.thread_id}/posts"
    ana = place.tokens["ana"]
    refused = await client.post(path, json={"body": "Our view."}, headers=ana)
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "terms_not_accepted" and error["field"] == "accept_terms"
    assert await _posts(db, place.thread_id) == 0
    async with db.read() as session:
        assert await session.scalar(select(func.count(TermsAcceptance.id))) == 0
    accepted = await client.post(path, json={"body": "Our view.", "accept_terms": 1}, headers=ana)
    assert accepted.status_code == 201, accepted.text
    # Accepted once: the next post needs nothing more.
    again = await client.post(path, json={"body": "And more."}, headers=ana)
    assert again.status_code == 201, again.text
    mine = await client.get(f"/api/v1/spaces/{place.slug}/terms", headers=ana)
    assert mine.json()["accepted_version"] == 1 and mine.json()["must_accept"] is False
    assert mine.json()["terms"]["body"] == TERMS_V1
    assert mine.json()["attribution"] == "named"


async def test_a_new_version_is_accepted_again_before_contributing(
    client: httpx.AsyncClient, db: Database, place: Place
) -> None:
    path = f"/api/v1/threads/{place.thread_id}/posts"
    ana = place.tokens["ana"]
    assert (
        await client.post(path, json={"body": "One.", "accept_terms": 1}, headers=ana)
    ).is_success
    assert await set_terms(client, place, TERMS_V2) == 2
    refused = await client.post(path, json={"body": "Two."}, headers=ana)
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "accept_terms"
    stale = await client.post(path, json={"body": "Two.", "accept_terms": 1}, headers=ana)
    assert stale.status_code == 422 and stale.json()["error"]["code"] == "terms_changed"
    assert await _posts(db, place.thread_id) == 1
    ok = await client.post(path, json={"body": "Two.", "accept_terms": 2}, headers=ana)
    assert ok.status_code == 201, ok.text
    listed = await client.get(
        f"/api/v1/spaces/{place.slug}/terms/acceptances", headers=place.tokens["sec"]
    )
    assert listed.status_code == 200
    rows = [(a["display_name"], a["version"]) for a in listed.json()["items"]]
    assert rows == [("Ana Souza", 1), ("Ana Souza", 2)]
    versions = await client.get(f"/api/v1/spaces/{place.slug}/terms/versions")
    assert [v["version"] for v in versions.json()["items"]] == [2, 1]
    old = await client.get(f"/api/v1/spaces/{place.slug}/terms/versions/1")
    assert (
        old.json()["body"] == TERMS_V1 and "<strong>meeting document</strong>" in old.json()["html"]
    )
    missing = await client.get(f"/api/v1/spaces/{place.slug}/terms/versions/9")
    assert missing.status_code == 404


async def test_accepting_ahead_of_contributing_and_a_topic_with_acceptance(
    client: httpx.AsyncClient, place: Place
) -> None:
    terms = f"/api/v1/spaces/{place.slug}/terms/acceptances"
    ben = place.tokens["ben"]
    stale = await client.post(terms, json={"version": 2}, headers=ben)
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "terms_changed"
    accepted = await client.post(terms, json={"version": 1}, headers=ben)
    assert accepted.status_code == 200 and accepted.json()["accepted_version"] == 1
    posted = await client.post(
        f"/api/v1/threads/{place.thread_id}/posts", json={"body": "Hello."}, headers=ben
    )
    assert posted.status_code == 201
    anonymous = await client.post(terms, json={"version": 1})
    assert anonymous.status_code == 401


async def test_only_the_secretariat_sets_terms_and_reads_acceptances(
    client: httpx.AsyncClient, place: Place
) -> None:
    base = f"/api/v1/spaces/{place.slug}/terms"
    for who, status in (("owner", 403), ("ana", 403)):
        made = await client.post(base, json={"body": "Mine."}, headers=place.tokens[who])
        assert made.status_code == status
        listed = await client.get(f"{base}/acceptances", headers=place.tokens[who])
        assert listed.status_code == status
    assert (await client.post(base, json={"body": "Mine."})).status_code == 401
    blank = await client.post(base, json={"body": "   "}, headers=place.tokens["sec"])
    assert blank.status_code == 422 and blank.json()["error"]["field"] == "body"


async def test_a_guest_accepts_on_the_post_and_the_version_is_kept_with_it(
    client: httpx.AsyncClient, db: Database, place: Place
) -> None:
    path = f"/api/v1/threads/{place.thread_id}/posts"
    guest = {"body": "A guest's view.", "guest_name": "Visitor"}
    refused = await client.post(path, json=guest)
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "accept_terms"
    held = await client.post(path, json={**guest, "accept_terms": 1})
    assert held.status_code == 202, held.text
    async with db.read() as session:
        stored = await session.scalar(select(Post.guest_terms_version))
    assert stored == 1


async def test_each_account_chooses_how_it_is_cited(
    client: httpx.AsyncClient, place: Place
) -> None:
    ana = place.tokens["ana"]
    shown = await client.get("/api/v1/me/attribution", headers=ana)
    assert shown.json()["attribution"] == "named"
    changed = await client.put(
        "/api/v1/me/attribution", json={"attribution": "country"}, headers=ana
    )
    assert changed.status_code == 200 and changed.json()["attribution"] == "country"
    wrong = await client.put("/api/v1/me/attribution", json={"attribution": "loud"}, headers=ana)
    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "attribution"
    assert (await client.get("/api/v1/me/attribution")).status_code == 401
    again = await client.get("/api/v1/me/attribution", headers=ana)
    assert again.json()["attribution"] == "country"


async def test_a_members_space_terms_never_reach_outsiders(
    client: httpx.AsyncClient, make_space, place: Place
) -> None:
    canary = "CANARY-TERMS-5d1e"
    slug = await make_space(slug="expert-group", visibility="members")
    made = await client.post(
        f"/api/v1/spaces/{slug}/terms", json={"body": canary}, headers=place.tokens["sec"]
    )
    assert made.status_code == 201
    for headers in ({}, place.tokens["ana"]):
        for path in ("terms", "terms/versions", "terms/versions/1", "terms/acceptances"):
            answer = await client.get(f"/api/v1/spaces/{slug}/{path}", headers=headers)
            assert answer.status_code in {401, 404} and canary not in answer.text, path
        accept = await client.post(
            f"/api/v1/spaces/{slug}/terms/acceptances", json={"version": 1}, headers=headers
        )
        assert accept.status_code in {401, 404} and canary not in accept.text
        for page in (f"/spaces/{slug}/terms", f"/spaces/{slug}"):
            answer = await client.get(page, headers=headers)
            assert answer.status_code == 404 and canary not in answer.text
