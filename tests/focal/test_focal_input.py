"""Every field is checked, from the API and the forms alike, and a refusal names
the field and writes nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import MakeUser
from tests.helpers import bearer, csrf_from, sign_in, token_for

GOOD: dict[str, Any] = {"country": "KE", "name": "Wanjiru Kamau", "email": "kamau@env.go.ke"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"country": 404}, "country"),
        ({"email": "not an address"}, "email"),
        ({"name": "n" * 81}, "name"),
        ({"name": ""}, "name"),
        ({"name": "Kamau\u202e"}, "name"),
        ({"organization": "o" * 201}, "organization"),
        ({"title": ["a list"]}, "title"),
        ({"language": "xx"}, "language"),
        ({"primary": "yes"}, "primary"),
        ({"surprise": 1}, "surprise"),
    ],
)
async def test_an_entry_s_fields_are_checked_one_by_one(
    client: httpx.AsyncClient, make_user: MakeUser, change: dict[str, Any], field: str
) -> None:
    secretariat = bearer(await token_for(client, await make_user(is_secretariat=True)))
    answer = await client.post("/api/v1/focal-points", json={**GOOD, **change}, headers=secretariat)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["field"] == field
    listed = await client.get("/api/v1/focal-points", headers=secretariat)
    assert listed.json()["items"] == []


async def test_an_address_is_in_the_register_once_and_filters_are_checked(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    secretariat = bearer(await token_for(client, await make_user(is_secretariat=True)))
    assert (
        await client.post("/api/v1/focal-points", json=GOOD, headers=secretariat)
    ).status_code == 201
    again = await client.post(
        "/api/v1/focal-points", json={**GOOD, "country": "UG"}, headers=secretariat
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "focal_point_exists"
    for query, field in (("country=ZZ", "country"), ("region=mars", "region")):
        answer = await client.get(f"/api/v1/focal-points?{query}", headers=secretariat)
        assert answer.status_code == 422 and answer.json()["error"]["field"] == field


async def test_one_primary_per_country(client: httpx.AsyncClient, make_user: MakeUser) -> None:
    secretariat = bearer(await token_for(client, await make_user(is_secretariat=True)))
    first = await client.post(
        "/api/v1/focal-points", json={**GOOD, "primary": True}, headers=secretariat
    )
    second = await client.post(
        "/api/v1/focal-points",
        json={**GOOD, "email": "b@env.go.ke", "name": "B", "primary": True},
        headers=secretariat,
    )
    assert second.json()["primary"] is True
    entry = await client.get(f"/api/v1/focal-points/{first.json()['id']}", headers=secretariat)
    assert entry.json()["primary"] is False


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"regions": ["mars"]}, "regions"),
        ({"regions": "africa"}, "regions"),
        ({"subject": "s" * 201}, "subject"),
        ({"body": ""}, "body"),
        ({"body": "b" * 20_001}, "body"),
        ({"target_kind": "poll", "target_id": 1}, "target_kind"),
        ({"target_kind": "call", "target_id": 99999}, "target_id"),
        ({"target_kind": "session", "target_id": "1"}, "target_id"),
        ({"target_kind": "session", "target_id": 99999}, "target_id"),
        ({"target_kind": "session"}, "target_id"),
        ({"target_kind": "session", "target_id": "draft"}, "target_id"),
        ({"documents": [0]}, "documents.0"),
        ({"documents": [424242]}, "documents"),
        ({"remind_at": "tomorrow"}, "remind_at"),
    ],
)
async def test_a_notification_s_fields_are_checked_one_by_one(
    client: httpx.AsyncClient,
    make_user: MakeUser,
    make_space,
    make_session,
    change: dict[str, Any],
    field: str,
) -> None:
    secretariat = bearer(await token_for(client, await make_user(is_secretariat=True)))
    await client.post("/api/v1/focal-points", json=GOOD, headers=secretariat)
    if change.get("target_id") == "draft":
        slug = await make_space(slug="drafts")
        change = {**change, "target_id": await make_session(slug, opens_at=None, closes_at=None)}
    body = {"subject": "Forum", "body": "Join us.", **change}
    answer = await client.post("/api/v1/focal-notifications", json=body, headers=secretariat)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["field"] == field
    listed = await client.get("/api/v1/focal-notifications", headers=secretariat)
    assert listed.json()["items"] == []


async def test_nobody_to_send_to_is_a_conflict(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    secretariat = bearer(await token_for(client, await make_user(is_secretariat=True)))
    await client.post("/api/v1/focal-points", json=GOOD, headers=secretariat)
    body = {"subject": "Forum", "body": "Join us.", "regions": ["weog"]}
    answer = await client.post("/api/v1/focal-notifications", json=body, headers=secretariat)
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "no_recipients"


async def test_forms_name_the_field_and_write_nothing(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    await sign_in(client, await make_user(is_secretariat=True))
    csrf = await csrf_from(client, "/focal-points")
    bad = {"csrf_token": csrf, "country": "XX", "name": "N", "email": "nope"}
    page = await client.post("/focal-points", data=bad)
    assert page.status_code == 422
    assert 'id="field-add-email"' in page.text and 'id="field-add-email-error"' in page.text
    assert 'id="field-add-country-error"' in page.text
    # A CSV with one bad row imports nothing, and says which row.
    rows = "country,name,email\nKE,Kamau,kamau@env.go.ke\nXX,Nobody,n@example.org\n"
    page = await client.post("/focal-points/import", data={"csrf_token": csrf, "csv": rows})
    assert page.status_code == 422 and "Row 3" in page.text
    assert "kamau@env.go.ke" not in page.text.split("<table")[0] or "<table" not in page.text
    listed = await client.get("/api/v1/focal-points")
    assert listed.json()["items"] == []
    # The notification form: a session number that is not one.
    csrf = await csrf_from(client, "/focal-notifications")
    form = {"csrf_token": csrf, "subject": "S", "body": "B", "target": "session:abc"}
    page = await client.post("/focal-notifications", data=form)
    assert page.status_code == 422 and 'id="field-target-error"' in page.text


async def test_the_export_neutralises_formulas_and_round_trips(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    secretariat = bearer(await token_for(client, await make_user(is_secretariat=True)))
    entry = {**GOOD, "name": '=HYPERLINK("http://evil")', "organization": "@SUM(A1)"}
    assert (await client.post("/api/v1/focal-points", json=entry, headers=secretariat)).is_success
    exported = await client.get("/api/v1/focal-points/export", headers=secretariat)
    assert exported.status_code == 200
    assert "=HYPERLINK" not in exported.text.replace("'=HYPERLINK", "")
    assert "'@SUM(A1)" in exported.text
    # What was exported imports again (the same address changes its own entry).
    again = await client.post(
        "/api/v1/focal-points/import", json={"csv": exported.text}, headers=secretariat
    )
    assert again.json() == {"imported": 1}
    listed = await client.get("/api/v1/focal-points", headers=secretariat)
    assert listed.json()["items"][0]["name"] == entry["name"]  # the guard undone
