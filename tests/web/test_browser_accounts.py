"""Signing in, out and up in the browser: cookies, CSRF, fixation, revocation."""

from __future__ import annotations

import httpx
import pytest

from forum_server.web.auth import SESSION_COOKIE
from tests.conftest import MakeUser
from tests.helpers import PASSWORD, bearer, csrf_from, sign_in, token_for


async def test_sign_in_page_then_profile(client: httpx.AsyncClient, make_user: MakeUser):
    user = await make_user(display_name="Amina Diallo")
    assert (await client.get("/login")).status_code == 200
    await sign_in(client, user)
    profile = await client.get("/profile")
    assert profile.status_code == 200
    assert "Amina Diallo" in profile.text
    assert user.email in profile.text


async def test_wrong_password_shows_the_form_again(client: httpx.AsyncClient, make_user: MakeUser):
    user = await make_user()
    token = await csrf_from(client)
    response = await client.post(
        "/login", data={"email": user.email, "password": "wrong password", "csrf_token": token}
    )
    assert response.status_code == 401
    assert "wrong" in response.text
    assert SESSION_COOKIE not in client.cookies


async def test_an_oversized_sign_in_is_refused_like_a_wrong_password(
    client: httpx.AsyncClient,
):
    token = await csrf_from(client)
    for fields in ({"email": "x" * 400 + "@example.org"}, {"password": "p" * 5000}):
        data = {"email": "a@example.org", "password": "pw", "csrf_token": token, **fields}
        response = await client.post("/login", data=data)
        assert response.status_code == 401 and "wrong" in response.text


async def test_form_without_csrf_token_is_refused(client: httpx.AsyncClient, make_user: MakeUser):
    user = await make_user()
    await client.get("/login")
    response = await client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert SESSION_COOKIE not in client.cookies


async def test_cross_site_post_with_cookie_is_refused(
    client: httpx.AsyncClient, make_user: MakeUser
):
    user = await make_user()
    await sign_in(client, user)
    token = await csrf_from(client, "/profile")
    response = await client.post(
        "/profile",
        data={"display_name": "Hijacked", "csrf_token": token},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert "Hijacked" not in (await client.get("/profile")).text


async def test_cookie_json_change_needs_the_csrf_header(
    client: httpx.AsyncClient, make_user: MakeUser
):
    admin = await make_user(is_secretariat=True)
    await sign_in(client, admin)
    body = {"email": "n@example.org", "password": "a long enough password", "display_name": "N"}
    refused = await client.post("/api/v1/users", json=body)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    token = await csrf_from(client, "/profile")
    accepted = await client.post("/api/v1/users", json=body, headers={"X-CSRF-Token": token})
    assert accepted.status_code == 201


async def test_another_cookie_of_the_site_does_not_blind_the_csrf_check(
    client: httpx.AsyncClient, make_user: MakeUser
):
    """A cookie with a space in its value (set by some other app on the domain) once
    made the check see no cookies at all: forms failed, JSON skipped the check."""
    admin = await make_user(is_secretariat=True)
    await sign_in(client, admin)
    client.cookies.set("tracker", "a b", domain="testserver.local")
    body = {"email": "t@example.org", "password": "a long enough password", "display_name": "T"}
    refused = await client.post("/api/v1/users", json=body)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
    token = await csrf_from(client, "/profile")
    saved = await client.post("/profile", data={"display_name": "Renamed", "csrf_token": token})
    assert saved.status_code == 303


async def test_a_forged_non_ascii_token_is_refused_not_a_crash(
    client: httpx.AsyncClient, make_user: MakeUser
):
    await client.get("/login")
    for headers, data in (({"X-CSRF-Token": "é".encode()}, {}), ({}, {"csrf_token": "é"})):
        response = await client.post("/login", data={"email": "x", **data}, headers=headers)
        assert response.status_code == 403


async def test_a_session_the_browser_brought_is_ended_at_sign_in(app, make_user: MakeUser):
    """Signing in as B in a browser holding A's (or a planted) session ends that one:
    whoever knows the old cookie does not stay signed in."""
    from tests.helpers import client_for

    first, second = await make_user(), await make_user()
    async with client_for(app) as browser:
        await sign_in(browser, first)
        earlier = browser.cookies.get(SESSION_COOKIE)
        await sign_in(browser, second)
        assert browser.cookies.get(SESSION_COOKIE) not in (None, earlier)
        assert (await browser.get("/api/v1/me")).json()["id"] == second.id
    async with client_for(app) as holder_of_the_old_cookie:
        holder_of_the_old_cookie.cookies.set(SESSION_COOKIE, earlier, domain="testserver.local")
        assert (await holder_of_the_old_cookie.get("/api/v1/me")).status_code == 401


async def test_sign_out_ends_the_session_for_good(app, make_user: MakeUser):
    from tests.helpers import client_for

    user = await make_user()
    async with client_for(app) as browser:
        await sign_in(browser, user)
        stolen = browser.cookies.get(SESSION_COOKIE)
        token = await csrf_from(browser, "/profile")
        assert (await browser.post("/logout", data={"csrf_token": token})).status_code == 303
    async with client_for(app) as attacker:
        attacker.cookies.set(SESSION_COOKIE, stolen, domain="testserver.local")
        assert (await attacker.get("/api/v1/me")).status_code == 401
        assert (await attacker.get("/profile")).status_code == 303


async def test_password_change_signs_out_other_browsers(app, make_user: MakeUser):
    from tests.helpers import client_for

    user = await make_user()
    async with client_for(app) as laptop, client_for(app) as phone:
        api_token = await token_for(laptop, user)
        await sign_in(laptop, user)
        await sign_in(phone, user)
        token = await csrf_from(laptop, "/profile")
        changed = await laptop.post(
            "/profile/password",
            data={
                "current_password": PASSWORD,
                "new_password": "a brand new passphrase",
                "csrf_token": token,
            },
        )
        assert changed.status_code == 303
        assert (await laptop.get("/api/v1/me")).status_code == 200
        assert (await phone.get("/api/v1/me")).status_code == 401
        # An API token minted with the old password ends with it.
        assert (await laptop.get("/api/v1/me", headers=bearer(api_token))).status_code == 401
    async with client_for(app) as again:
        await sign_in(again, user, "a brand new passphrase")


async def test_profile_edit_validates_and_saves(client: httpx.AsyncClient, make_user: MakeUser):
    user = await make_user()
    await sign_in(client, user)
    token = await csrf_from(client, "/profile")
    bad = await client.post(
        "/profile", data={"display_name": "Z", "country": "QQ", "csrf_token": token}
    )
    assert bad.status_code == 422
    assert "Unknown country code" in bad.text
    good = await client.post(
        "/profile",
        data={
            "display_name": "Zhang Wei",
            "country": "CN",
            "organization": "CAAS",
            "affiliation": "academia",
            "gender": "",
            "csrf_token": token,
        },
    )
    assert good.status_code == 303
    me = (await client.get("/api/v1/me")).json()
    assert (me["display_name"], me["country"], me["region"]) == ("Zhang Wei", "CN", "asia_pacific")


async def test_register_page_creates_account_and_signs_in(client: httpx.AsyncClient):
    token = await csrf_from(client, "/register")
    response = await client.post(
        "/register",
        data={
            "email": "new@example.org",
            "password": "a long enough password",
            "display_name": "Newcomer",
            "country": "PE",
            "organization": "",
            "affiliation": "party",
            "gender": "female",
            "csrf_token": token,
        },
    )
    assert response.status_code == 303
    assert (await client.get("/api/v1/me")).json()["region"] == "grulac"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"]
)
async def test_sign_in_never_redirects_off_site(
    client: httpx.AsyncClient, make_user: MakeUser, target: str
):
    user = await make_user()
    token = await csrf_from(client)
    response = await client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token, "next": target},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/"


async def test_sign_in_follows_a_local_next(client: httpx.AsyncClient, make_user: MakeUser):
    user = await make_user()
    token = await csrf_from(client)
    response = await client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token, "next": "/profile"},
    )
    assert response.headers["location"] == "/profile"


async def test_pages_needing_sign_in_send_you_to_it(client: httpx.AsyncClient):
    response = await client.get("/profile")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/profile"
