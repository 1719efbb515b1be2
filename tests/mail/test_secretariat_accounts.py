"""The secretariat makes accounts and resets sign-ins from its accounts page, without
JavaScript: the new account's owner gets a link to choose a password; a reset ends
every sign-in, token and reply address, makes the password stop working, and sends a
link too. Each is audited; nobody else may do either."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import select

from forum_server.accounts.models import User
from forum_server.accounts.queries import UserView
from forum_server.audit import AuditEntry
from forum_server.db import Database
from tests.conftest import MakeUser
from tests.helpers import PASSWORD, bearer, client_for, csrf_from, deliver_mail, sign_in, token_for
from tests.mail.conftest import Relay, text_of

NEW_PASSWORD = "a much longer new passphrase"


@pytest.fixture
async def secretariat(make_user: MakeUser) -> UserView:
    return await make_user(is_secretariat=True, display_name="Secretariat")


async def audited(db: Database, action: str, user_id: int) -> bool:
    async with db.read() as session:
        found = await session.scalar(
            select(AuditEntry.id).where(
                AuditEntry.action == action,
                AuditEntry.target_type == "user",
                AuditEntry.target_id == user_id,
            )
        )
    return found is not None


async def link_in_mail(app, relay: Relay, address: str, about: str) -> str:
    await deliver_mail(app)
    [message] = relay.to(address, about)
    link = re.search(r"http://testserver(/reset-password/\S+)", text_of(message))
    assert link is not None
    return link.group(1)


async def choose_password(app, path: str) -> None:
    async with client_for(app) as http:
        token = await csrf_from(http, path)
        done = await http.post(path, data={"password": NEW_PASSWORD, "csrf_token": token})
        assert done.status_code == 200 and "Your new password is set" in done.text


async def test_the_secretariat_makes_an_account_from_the_page(
    app, relay: Relay, db: Database, secretariat: UserView
):
    async with client_for(app) as http:
        await sign_in(http, secretariat)
        page = (await http.get("/admin/users")).text
        assert 'action="/admin/users"' in page and 'name="display_name"' in page
        token = await csrf_from(http, "/admin/users")
        fields = {"csrf_token": token, "display_name": "Amina Diallo", "country": "SN"}
        made = await http.post("/admin/users", data={**fields, "email": "Amina@Example.org"})
        assert made.status_code == 303 and made.headers["location"].startswith(
            "/admin/users?notice=created#user-"
        )
        shown = (await http.get(made.headers["location"])).text
        assert "The account is made" in shown and "amina@example.org" in shown
        again = await http.post("/admin/users", data={**fields, "email": "amina@example.org"})
        assert again.status_code == 422 and "An account with this e-mail address exists" in (
            again.text
        )
        bad = await http.post("/admin/users", data={**fields, "email": "not an address"})
        assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text
    async with db.read() as session:
        user = await session.scalar(select(User).where(User.email == "amina@example.org"))
    assert user is not None and user.password_hash is None and user.region is not None
    assert user.email_verified_at is not None and not user.is_secretariat
    assert await audited(db, "user.created", user.id)

    path = await link_in_mail(app, relay, "amina@example.org", "choose a password")
    await choose_password(app, path)
    async with client_for(app) as http:
        response = await http.post(
            "/api/v1/tokens", json={"email": "amina@example.org", "password": NEW_PASSWORD}
        )
    assert response.status_code == 201


async def test_a_reset_ends_every_sign_in_and_sends_a_link(
    app, client: httpx.AsyncClient, relay: Relay, db: Database, secretariat, make_user
):
    user = await make_user(email="kofi@example.org", display_name="Kofi")
    old_token = await token_for(client, user)
    async with client_for(app) as theirs, client_for(app) as ours:
        await sign_in(theirs, user)
        assert (await theirs.get("/profile")).status_code == 200
        await sign_in(ours, secretariat)
        token = await csrf_from(ours, "/admin/users")
        assert (
            f'action="/admin/users/{user.id}/reset-sign-in"'
            in (await ours.get("/admin/users")).text
        )
        assert (
            f'action="/admin/users/{secretariat.id}/reset-sign-in"'
            not in (await ours.get("/admin/users")).text
        )
        reset = await ours.post(f"/admin/users/{user.id}/reset-sign-in", data={"csrf_token": token})
        assert reset.status_code == 303 and "notice=reset" in reset.headers["location"]
        own = await ours.post(
            f"/admin/users/{secretariat.id}/reset-sign-in", data={"csrf_token": token}
        )
        assert "error=own_sign_in" in own.headers["location"]
        assert (
            "You cannot reset your own sign-in." in (await ours.get(own.headers["location"])).text
        )
        # Their browser is signed out, their token ended, their password stopped working.
        assert (await theirs.get("/profile")).status_code in (302, 303, 401)
    assert (await client.get("/api/v1/me", headers=bearer(old_token))).status_code == 401
    old = await client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert old.status_code == 401
    async with db.read() as session:
        generation = await session.scalar(select(User.sign_in_generation).where(User.id == user.id))
    assert generation and generation > 0
    assert await audited(db, "user.sign_in_reset", user.id)

    path = await link_in_mail(app, relay, "kofi@example.org", "reset")
    await choose_password(app, path)
    again = await client.post(
        "/api/v1/tokens", json={"email": user.email, "password": NEW_PASSWORD}
    )
    assert again.status_code == 201


async def test_only_the_secretariat_makes_accounts_or_resets_sign_ins(
    app, client: httpx.AsyncClient, secretariat, make_user
):
    participant = await make_user(display_name="Participant")
    mine = bearer(await token_for(client, participant))
    body = {"email": "new@example.org", "display_name": "New"}
    assert (await client.post("/api/v1/accounts", json=body, headers=mine)).status_code == 403
    assert (await client.post("/api/v1/accounts", json=body)).status_code == 401
    reset = f"/api/v1/users/{secretariat.id}/reset-sign-in"
    assert (await client.post(reset, headers=mine)).status_code == 403
    async with client_for(app) as http:
        await sign_in(http, participant)
        token = await csrf_from(http, "/profile")
        page = await http.post("/admin/users", data={"csrf_token": token, **body})
        assert page.status_code == 403
    ours = bearer(await token_for(client, secretariat))
    made = await client.post("/api/v1/accounts", json=body, headers=ours)
    assert made.status_code == 201 and made.json()["email"] == "new@example.org"
    taken = await client.post("/api/v1/accounts", json=body, headers=ours)
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "email_taken"
    deactivated = made.json()["id"]
    await client.post(f"/api/v1/users/{deactivated}/deactivate", headers=ours)
    refused = await client.post(f"/api/v1/users/{deactivated}/reset-sign-in", headers=ours)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "account_deactivated"
