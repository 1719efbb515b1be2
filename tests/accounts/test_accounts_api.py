"""The account calls of the JSON API, errors included, as API.md describes them."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select

from forum_server.accounts.models import User
from forum_server.db import Database
from tests.conftest import MakeUser
from tests.helpers import PASSWORD, bearer, token_for


async def count_users(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(User)) or 0)


def error_of(response: httpx.Response) -> dict[str, str]:
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["message"], body
    error: dict[str, str] = body["error"]
    return error


async def test_token_for_valid_credentials_and_me(client: httpx.AsyncClient, make_user: MakeUser):
    user = await make_user(email="ana@example.org", country="br", organization="Embrapa")
    response = await client.post(
        "/api/v1/tokens", json={"email": "ANA@example.org", "password": PASSWORD}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["user"]["id"] == user.id
    me = await client.get("/api/v1/me", headers=bearer(body["token"]))
    assert me.status_code == 200
    assert me.json() | {} == {
        **me.json(),
        "email": "ana@example.org",
        "country": "BR",
        "region": "grulac",
        "organization": "Embrapa",
        "is_secretariat": False,
    }


async def test_wrong_password_and_unknown_email_get_the_same_answer(
    client: httpx.AsyncClient, make_user: MakeUser
):
    user = await make_user()
    wrong = await client.post("/api/v1/tokens", json={"email": user.email, "password": "nope" * 3})
    unknown = await client.post(
        "/api/v1/tokens", json={"email": "nobody@example.org", "password": "nope" * 3}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert error_of(wrong) == error_of(unknown)
    assert error_of(wrong)["code"] == "invalid_credentials"


async def test_repeated_failures_are_rate_limited(
    client: httpx.AsyncClient, make_user: MakeUser, app
):
    user = await make_user()
    limit = app.state.ctx.settings.login_attempts
    for _ in range(limit):
        response = await client.post(
            "/api/v1/tokens", json={"email": user.email, "password": "wrong password"}
        )
        assert response.status_code == 401
    blocked = await client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    assert error_of(blocked)["code"] == "rate_limited"


async def test_revoked_token_is_refused(client: httpx.AsyncClient, make_user: MakeUser):
    token = await token_for(client, await make_user())
    assert (await client.delete("/api/v1/tokens/current", headers=bearer(token))).status_code == 204
    again = await client.get("/api/v1/me", headers=bearer(token))
    assert again.status_code == 401
    assert error_of(again)["code"] == "invalid_token"


async def test_made_up_token_and_no_token(client: httpx.AsyncClient):
    made_up = await client.get("/api/v1/me", headers=bearer("fst_not-a-real-token"))
    assert made_up.status_code == 401 and error_of(made_up)["code"] == "invalid_token"
    anonymous = await client.get("/api/v1/me")
    assert anonymous.status_code == 401 and error_of(anonymous)["code"] == "not_signed_in"


async def test_expired_token_is_refused(client: httpx.AsyncClient, make_user: MakeUser, db):
    from datetime import timedelta

    from sqlalchemy import update

    from forum_server.accounts.models import ApiToken
    from forum_server.orm import utcnow

    token = await token_for(client, await make_user())
    async with db.write() as uow:
        await uow.session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(1)))
    assert (await client.get("/api/v1/me", headers=bearer(token))).status_code == 401


async def test_self_registration_where_open(client: httpx.AsyncClient, db: Database):
    response = await client.post(
        "/api/v1/users",
        json={
            "email": "Kofi@Example.org",
            "password": "a long enough password",
            "display_name": "Kofi",
            "country": "gh",
            "affiliation": "ngo",
            "gender": "male",
        },
    )
    assert response.status_code == 201, response.text
    user = response.json()
    assert user["email"] == "kofi@example.org"
    assert user["region"] == "africa"
    assert user["is_secretariat"] is False
    assert await count_users(db) == 1


async def test_only_the_secretariat_creates_secretariat_accounts(
    client: httpx.AsyncClient, make_user: MakeUser, db: Database
):
    new = {"email": "x@example.org", "password": "a long enough password", "display_name": "X"}
    refused = await client.post("/api/v1/users", json={**new, "is_secretariat": True})
    assert refused.status_code == 403
    admin = await make_user(is_secretariat=True)
    created = await client.post(
        "/api/v1/users",
        json={**new, "is_secretariat": True},
        headers=bearer(await token_for(client, admin)),
    )
    assert created.status_code == 201
    assert created.json()["is_secretariat"] is True


@pytest.fixture
def closed_settings(tmp_path, database_url):
    from tests.helpers import make_settings

    return make_settings(tmp_path, database_url, registration="closed")


async def test_closed_registration_refuses_strangers(closed_settings):
    from forum_server.app import create_app
    from tests.helpers import client_for

    app = create_app(closed_settings)
    async with app.router.lifespan_context(app), client_for(app) as client:
        response = await client.post(
            "/api/v1/users",
            json={
                "email": "x@example.org",
                "password": "a long enough password",
                "display_name": "X",
            },
        )
        assert response.status_code == 401
        assert await count_users(app.state.ctx.db) == 0


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"email": "not-an-address"}, 422, "invalid", "email"),
        ({"country": "XX"}, 422, "invalid", "country"),
        ({"country": 12}, 422, "invalid", "country"),
        ({"display_name": 7}, 422, "invalid", "display_name"),
        ({"display_name": "Evil\u202eman"}, 422, "invalid", "display_name"),
        ({"display_name": ""}, 422, "invalid", "display_name"),
        ({"password": "short"}, 422, "invalid", "password"),
        ({"password": "1234567890"}, 422, "invalid", "password"),
        ({"affiliation": "pirates"}, 422, "invalid", "affiliation"),
        ({"is_secretariat": "yes"}, 422, "invalid", "is_secretariat"),
        ({"favourite_colour": "blue"}, 422, "invalid", "favourite_colour"),
        ({"email": None}, 422, "invalid", "email"),
    ],
)
async def test_bad_user_input_is_named_and_nothing_is_written(
    client: httpx.AsyncClient, db: Database, body, status, code, field
):
    good = {"email": "ok@example.org", "password": "a long enough password", "display_name": "Ok"}
    response = await client.post("/api/v1/users", json={**good, **body})
    assert response.status_code == status, response.text
    error = error_of(response)
    assert error["code"] == code
    assert error["field"] == field
    assert await count_users(db) == 0


async def test_missing_field_is_named(client: httpx.AsyncClient):
    response = await client.post("/api/v1/users", json={"email": "a@example.org"})
    assert response.status_code == 422
    assert error_of(response)["field"] in {"password", "display_name"}


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b"\xff\xfe", b'"text"'])
async def test_malformed_json_is_400(client: httpx.AsyncClient, raw: bytes):
    response = await client.post(
        "/api/v1/users", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "malformed_json"


async def test_duplicate_email_conflicts(
    client: httpx.AsyncClient, make_user: MakeUser, db: Database
):
    await make_user(email="dup@example.org")
    response = await client.post(
        "/api/v1/users",
        json={
            "email": "DUP@example.org",
            "password": "a long enough password",
            "display_name": "D",
        },
    )
    assert response.status_code == 409
    assert error_of(response)["code"] == "email_taken"
    assert await count_users(db) == 1
