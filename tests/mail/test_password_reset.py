"""Choosing a new password by mail: the same answer for every address, a link that
works once within the hour, and every other sign-in ended."""

from __future__ import annotations

import re

import httpx

from tests.helpers import PASSWORD, bearer, csrf_from, deliver_mail, sign_in, token_for
from tests.mail.conftest import Relay, text_of

NEW_PASSWORD = "a much longer new passphrase"


async def test_password_reset_end_to_end(app, client: httpx.AsyncClient, relay: Relay, make_user):
    user = await make_user(email="ama@example.org")
    old_token = await token_for(client, user)
    asked = await client.post("/api/v1/password-reset-requests", json={"email": "AMA@example.org"})
    unknown = await client.post(
        "/api/v1/password-reset-requests", json={"email": "nobody@example.org"}
    )
    assert asked.status_code == unknown.status_code == 202
    assert asked.json() == unknown.json()  # says nothing about the address
    await deliver_mail(app)
    assert relay.to("nobody@example.org") == []
    [message] = relay.to("ama@example.org")
    link = re.search(r"http://testserver(/reset-password/\S+)", text_of(message))
    assert link is not None
    path = link.group(1)

    page = await client.get(path)
    assert page.status_code == 200 and "Choose a new password" in page.text
    done = await client.post(
        path, data={"password": NEW_PASSWORD, "csrf_token": await csrf_from(client, path)}
    )
    assert done.status_code == 200 and "Your new password is set" in done.text
    # Other sign-ins ended; the old password no longer works, the new one does.
    assert (await client.get("/api/v1/me", headers=bearer(old_token))).status_code == 401
    old = await client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert old.status_code == 401
    await sign_in(client, user, NEW_PASSWORD)
    # The link works once.
    client.cookies.clear()
    again = await client.post(
        "/api/v1/password-resets",
        json={"token": path.rsplit("/", 1)[1], "password": "yet another passphrase"},
    )
    assert again.status_code == 422 and again.json()["error"]["code"] == "invalid_link"


async def test_asking_is_throttled_per_address(client: httpx.AsyncClient, make_user):
    for _ in range(3):
        response = await client.post(
            "/api/v1/password-reset-requests", json={"email": "x@example.org"}
        )
        assert response.status_code == 202
    refused = await client.post("/api/v1/password-reset-requests", json={"email": "x@example.org"})
    assert refused.status_code == 429


async def test_a_forged_link_is_refused(client: httpx.AsyncClient):
    refused = await client.post(
        "/api/v1/password-resets", json={"token": "forged", "password": NEW_PASSWORD}
    )
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "token"
