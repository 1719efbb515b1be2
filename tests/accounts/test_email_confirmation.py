"""Whose e-mail address is confirmed: accounts made by the secretariat, accounts that
accepted an invitation sent to their address, and accounts whose owner opened the link
sent to it. Single sign-on links only to those (tests/oidc/test_oidc_takeover.py)."""

from __future__ import annotations

import re
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import update
from starlette.applications import Starlette

from forum_server.accounts.models import User
from forum_server.db import Database
from tests.conftest import MakeUser
from tests.helpers import PASSWORD, bearer, csrf_from, sign_in, token_for

NEWCOMER = {
    "email": "kofi@example.org",
    "password": PASSWORD,
    "display_name": "Kofi",
    "country": "GH",
}


def outbox(app: Starlette) -> list[str]:
    """Each message written so far: its recipient, subject and decoded text."""
    folder: Path = app.state.ctx.settings.data_dir / "outbox"
    messages = []
    for path in sorted(folder.glob("*.eml")) if folder.exists() else []:
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        body = message.get_body(("plain",))
        assert body is not None
        text = body.get_content()  # type: ignore[attr-defined]
        messages.append(f"To: {message['To']}\nSubject: {message['Subject']}\n\n{text}")
    return messages


def link_in(mail: str) -> str:
    match = re.search(r"http://testserver(/confirm-email/[^\s]+)", mail)
    assert match, mail
    return match.group(1)


async def register(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.post("/api/v1/users", json=NEWCOMER)
    assert response.status_code == 201, response.text
    user: dict[str, Any] = response.json()
    return user


async def newcomer_token(client: httpx.AsyncClient) -> str:
    credentials = {"email": NEWCOMER["email"], "password": PASSWORD}
    response = await client.post("/api/v1/tokens", json=credentials)
    assert response.status_code == 201, response.text
    token: str = response.json()["token"]
    return token


async def me(client: httpx.AsyncClient, token: str) -> dict[str, Any]:
    body: dict[str, Any] = (await client.get("/api/v1/me", headers=bearer(token))).json()
    return body


async def test_self_registration_sends_a_link_that_confirms_the_address(
    app: Starlette, client: httpx.AsyncClient
):
    user = await register(client)
    assert user["email_verified"] is False
    [mail] = outbox(app)
    assert "To: kofi@example.org" in mail and "Confirm your e-mail address" in mail
    path = link_in(mail)
    token = path.rsplit("/", 1)[1]

    confirmed = await client.post("/api/v1/email-confirmations", json={"token": token})
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["email_verified"] is True
    api_token = await newcomer_token(client)
    assert (await me(client, api_token))["email_verified"] is True
    # Twice is harmless.
    again = await client.post("/api/v1/email-confirmations", json={"token": token})
    assert again.status_code == 200


async def test_the_link_page_confirms_only_when_its_button_is_pressed(
    app: Starlette, client: httpx.AsyncClient
):
    await register(client)
    path = link_in(outbox(app)[0])
    page = await client.get(path)
    assert page.status_code == 200 and "Confirm my address" in page.text
    token = await newcomer_token(client)
    assert (await me(client, token))["email_verified"] is False  # a GET changes nothing
    csrf = await csrf_from(client, path)
    done = await client.post(path, data={"csrf_token": csrf})
    assert done.status_code == 200 and "is confirmed as yours" in done.text
    assert (await me(client, token))["email_verified"] is True


async def test_forged_expired_or_outdated_links_are_refused(
    app: Starlette, client: httpx.AsyncClient, db: Database
):
    user = await register(client)
    token = link_in(outbox(app)[0]).rsplit("/", 1)[1]
    forged = await client.post("/api/v1/email-confirmations", json={"token": token[:-2] + "xx"})
    assert forged.status_code == 422 and forged.json()["error"]["code"] == "invalid_link"
    page = await client.post(
        f"/confirm-email/{token[:-2]}xx", data={"csrf_token": await csrf_from(client)}
    )
    assert page.status_code == 422 and "This confirmation link is not valid" in page.text
    # A link for an address the account no longer has confirms nothing.
    async with db.write() as uow:
        await uow.session.execute(
            update(User).where(User.id == user["id"]).values(email="kofi@example.net")
        )
    outdated = await client.post("/api/v1/email-confirmations", json={"token": token})
    assert outdated.status_code == 422


async def test_the_secretariats_accounts_are_confirmed_and_get_no_link(
    app: Starlette, client: httpx.AsyncClient, make_user: MakeUser
):
    user = await make_user()
    assert user.email_verified
    token = await token_for(client, user)
    assert (await me(client, token))["email_verified"] is True
    again = await client.post("/api/v1/me/email-confirmation", headers=bearer(token))
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_verified"
    assert outbox(app) == []


async def test_accepting_an_invitation_sent_to_the_address_confirms_it(
    app: Starlette, client: httpx.AsyncClient, make_user: MakeUser, make_space, add_member
):
    await register(client)
    token = await newcomer_token(client)
    owner = await make_user()
    slug = await make_space(visibility="members")
    await add_member(slug, owner.id, "owner")
    invited = await client.post(
        f"/api/v1/spaces/{slug}/invitations",
        json={"email": "kofi@example.org"},
        headers=bearer(await token_for(client, owner)),
    )
    link_token = invited.json()["link"].rsplit("/", 1)[1]
    accepted = await client.post(f"/api/v1/invitations/{link_token}/accept", headers=bearer(token))
    assert accepted.status_code == 200
    assert (await me(client, token))["email_verified"] is True


async def test_the_profile_page_sends_the_link_again_a_few_times_an_hour(
    app: Starlette, client: httpx.AsyncClient
):
    await register(client)
    user = type("U", (), {"email": NEWCOMER["email"]})()
    await sign_in(client, user)  # type: ignore[arg-type]
    profile = await client.get("/profile")
    assert "not confirmed yet" in profile.text and "Send me the link again" in profile.text
    notices = []
    for _ in range(4):
        csrf = await csrf_from(client, "/profile")
        sent = await client.post("/profile/confirm-email", data={"csrf_token": csrf})
        assert sent.status_code == 303
        notices.append((await client.get(sent.headers["location"])).text)
    assert all("A confirmation link is on its way" in text for text in notices[:2])
    assert "Several links were sent in the last hour" in notices[3]
    assert len(outbox(app)) == 3  # the first at registration, then two more
    await client.post(link_in(outbox(app)[-1]), data={"csrf_token": await csrf_from(client)})
    profile = await client.get("/profile")
    assert "(confirmed)" in profile.text and "Send me the link again" not in profile.text


async def test_the_registration_page_sends_the_link_to_whoever_it_registers(
    app: Starlette, client: httpx.AsyncClient, make_user: MakeUser
):
    form = {**NEWCOMER, "organization": "", "affiliation": "party", "gender": ""}
    page = await client.post("/register", data={**form, "csrf_token": await csrf_from(client)})
    assert page.status_code == 303 and page.headers["location"] == "/profile"
    # Someone signed in (not the secretariat) registering another person: that person
    # is sent a link too, as through the API.
    await sign_in(client, await make_user())
    other = {**form, "email": "ama@example.org", "display_name": "Ama"}
    page = await client.post("/register", data={**other, "csrf_token": await csrf_from(client)})
    assert page.status_code == 303 and page.headers["location"] == "/"
    assert sorted(mail.split("\n", 1)[0] for mail in outbox(app)) == [
        "To: ama@example.org",
        "To: kofi@example.org",
    ]
