"""Who a token or cookie stands for is remembered a few seconds per process, and never
past the change that ends it: in the process that made the change, from the very next
request; in another, once its event arrives."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from starlette.applications import Starlette

from forum_server.accounts import credentials, service
from forum_server.accounts.identities import Identities
from forum_server.accounts.models import User
from forum_server.accounts.schemas import PasswordChange, ProfileUpdate
from forum_server.app import create_app
from forum_server.db import Database
from forum_server.orm import utcnow
from forum_server.policy import Actor
from forum_server.settings import Settings
from tests.conftest import MakeUser
from tests.helpers import PASSWORD, bearer, client_for, sign_in, token_for


def identities(app: Starlette) -> Identities:
    found: Identities = app.state.ctx.identities
    return found


def count_lookups(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    calls = {"bearer": 0, "cookie": 0}
    by_token, by_cookie = credentials.api_token_identity, credentials.login_session_identity

    async def api_token_identity(*args: Any, **kwargs: Any) -> Any:
        calls["bearer"] += 1
        return await by_token(*args, **kwargs)

    async def login_session_identity(*args: Any, **kwargs: Any) -> Any:
        calls["cookie"] += 1
        return await by_cookie(*args, **kwargs)

    monkeypatch.setattr(credentials, "api_token_identity", api_token_identity)
    monkeypatch.setattr(credentials, "login_session_identity", login_session_identity)
    return calls


async def me(client: httpx.AsyncClient, token: str | None = None) -> httpx.Response:
    return await client.get("/api/v1/me", headers=bearer(token) if token else {})


async def test_a_token_and_a_cookie_are_looked_up_once_then_remembered(
    app: Starlette, client: httpx.AsyncClient, make_user: MakeUser, monkeypatch: pytest.MonkeyPatch
):
    user = await make_user()
    token = await token_for(client, user)
    calls = count_lookups(monkeypatch)
    for _ in range(3):
        assert (await me(client, token)).json()["id"] == user.id
    async with client_for(app) as browser:
        await sign_in(browser, user)
        for _ in range(3):
            assert (await me(browser)).json()["id"] == user.id
    assert calls == {"bearer": 1, "cookie": 1}


async def test_a_revoked_token_is_refused_at_once(client: httpx.AsyncClient, make_user: MakeUser):
    token = await token_for(client, await make_user())
    assert (await me(client, token)).status_code == 200
    revoked = await client.delete("/api/v1/tokens/current", headers=bearer(token))
    assert revoked.status_code == 204
    refused = await me(client, token)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "invalid_token"


async def test_a_signed_out_cookie_is_refused_at_once(app: Starlette, make_user: MakeUser):
    user = await make_user()
    async with client_for(app) as browser:
        await sign_in(browser, user)
        cookies = dict(browser.cookies)
        assert (await me(browser)).status_code == 200
        page = await browser.get("/profile")
        marker = 'name="csrf-token" content="'
        csrf = page.text.split(marker, 1)[1].split('"', 1)[0]
        assert (await browser.post("/logout", data={"csrf_token": csrf})).status_code == 303
    async with client_for(app) as stolen:  # the old cookie, replayed
        stolen.cookies.update(cookies)
        assert (await me(stolen)).status_code == 401


async def test_a_password_change_ends_remembered_tokens_and_cookies(
    app: Starlette, client: httpx.AsyncClient, db: Database, make_user: MakeUser
):
    user = await make_user()
    token = await token_for(client, user)
    async with client_for(app) as browser:
        await sign_in(browser, user)
        assert (await me(browser)).status_code == 200
        assert (await me(client, token)).status_code == 200
        change = PasswordChange(current_password=PASSWORD, new_password="another long passphrase")
        await service.change_password(db, Actor(user_id=user.id), change)
        assert (await me(client, token)).status_code == 401
        assert (await me(browser)).status_code == 401


async def test_a_site_wide_suspension_refuses_a_remembered_token_at_once(
    app: Starlette, client: httpx.AsyncClient, make_user: MakeUser
):
    secretariat = bearer(await token_for(client, await make_user(is_secretariat=True)))
    user = await make_user()
    token = await token_for(client, user)
    async with client_for(app) as browser:
        await sign_in(browser, user)
        assert (await me(browser)).status_code == 200
        assert (await me(client, token)).status_code == 200
        suspended = await client.post(
            "/api/v1/suspensions", json={"user_id": user.id, "reason": "spam"}, headers=secretariat
        )
        assert suspended.status_code == 201, suspended.text
        refused = await me(client, token)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "suspended"
        assert (await me(browser)).status_code == 401


async def test_a_deactivated_account_is_refused_at_once(
    app: Starlette, client: httpx.AsyncClient, make_user: MakeUser
):
    secretariat = bearer(await token_for(client, await make_user(is_secretariat=True)))
    user = await make_user()
    token = await token_for(client, user)
    async with client_for(app) as browser:
        await sign_in(browser, user)
        assert (await me(browser)).status_code == 200
        assert (await me(client, token)).status_code == 200
        ended = await client.post(f"/api/v1/users/{user.id}/deactivate", headers=secretariat)
        assert ended.status_code == 200
        assert (await me(client, token)).status_code == 401
        assert (await me(browser)).status_code == 401


async def test_a_demoted_secretariat_member_loses_it_at_once(
    client: httpx.AsyncClient, db: Database, make_user: MakeUser
):
    member = await make_user(is_secretariat=True)
    token = await token_for(client, member)
    assert (await client.get("/api/v1/users", headers=bearer(token))).status_code == 200
    # However the flag is changed, the write that changes it drops what was remembered.
    async with db.write() as uow:
        user = await uow.session.scalar(select(User).where(User.id == member.id))
        assert user is not None
        user.is_secretariat = False
    assert (await client.get("/api/v1/users", headers=bearer(token))).status_code == 403


async def test_a_new_interface_language_shows_on_the_next_page(
    app: Starlette, db: Database, make_user: MakeUser
):
    user = await make_user()
    async with client_for(app) as browser:
        await sign_in(browser, user)
        assert '<html lang="en"' in (await browser.get("/profile")).text
        profile = ProfileUpdate(display_name=user.display_name, country="KE", language="fr")
        await service.update_profile(db, Actor(user_id=user.id), profile)
        assert '<html lang="fr"' in (await browser.get("/profile")).text


# --- the table itself ---------------------------------------------------------------


def fake_lookup(
    monkeypatch: pytest.MonkeyPatch, answer: Any, gate: asyncio.Event | None = None
) -> list[str]:
    calls: list[str] = []

    async def api_token_identity(_db: Database, token: str) -> Any:
        calls.append(token)
        if gate is not None:
            await gate.wait()
        return answer

    monkeypatch.setattr(credentials, "api_token_identity", api_token_identity)
    return calls


async def test_a_lookup_begun_before_a_revocation_is_not_kept(
    db: Database, monkeypatch: pytest.MonkeyPatch
):
    gate = asyncio.Event()
    calls = fake_lookup(monkeypatch, (Actor(user_id=7), None), gate)
    table = Identities(db, seconds=60)
    lookup = asyncio.create_task(table.for_api_token("t"))
    await asyncio.sleep(0)
    table.forget([7])  # the revocation commits while the lookup is under way
    gate.set()
    assert (await lookup).user_id == 7  # that request was in before it
    assert len(table) == 0
    await table.for_api_token("t")
    assert len(calls) == 2 and len(table) == 1


async def test_an_entry_does_not_outlive_its_credential(
    db: Database, monkeypatch: pytest.MonkeyPatch
):
    calls = fake_lookup(monkeypatch, (Actor(user_id=7), utcnow() + timedelta(seconds=0.05)))
    table = Identities(db, seconds=60)
    await table.for_api_token("t")
    await table.for_api_token("t")
    assert len(calls) == 1
    await asyncio.sleep(0.1)
    await table.for_api_token("t")
    assert len(calls) == 2


async def test_refusals_are_not_kept_and_the_table_is_bounded(
    db: Database, monkeypatch: pytest.MonkeyPatch
):
    calls = fake_lookup(monkeypatch, None)
    table = Identities(db, seconds=60, max_entries=3)
    assert await table.for_api_token("t") is None
    assert await table.for_api_token("t") is None
    assert len(calls) == 2 and len(table) == 0
    fake_lookup(monkeypatch, (Actor(user_id=7), None))
    for n in range(5):
        await table.for_api_token(f"t{n}")
    assert len(table) == 3
    table.forget([7])
    assert len(table) == 0


async def test_nothing_is_kept_when_the_setting_is_zero(
    db: Database, monkeypatch: pytest.MonkeyPatch
):
    calls = fake_lookup(monkeypatch, (Actor(user_id=7), None))
    table = Identities(db, seconds=0)
    await table.for_api_token("t")
    await table.for_api_token("t")
    assert len(calls) == 2 and len(table) == 0


# --- two processes ------------------------------------------------------------------


@pytest.fixture
async def two_apps(settings: Settings) -> AsyncIterator[tuple[Starlette, Starlette]]:
    """Two server processes' apps on one database, each with its own broker, hub and
    table; remembering for ten minutes, so only the event can end an entry."""
    shared = replace(settings, identity_cache_seconds=600)
    first, second = create_app(shared), create_app(shared, periodic=False)
    async with (
        first.router.lifespan_context(first),
        second.router.lifespan_context(second),
    ):
        yield first, second


async def test_another_process_forgets_once_the_event_arrives(
    two_apps: tuple[Starlette, Starlette],
):
    here, there = two_apps
    async with client_for(here) as client_here, client_for(there) as client_there:
        made = await client_here.post(
            "/api/v1/users",
            json={
                "email": "ana@example.org",
                "password": PASSWORD,
                "display_name": "Ana",
                "country": "KE",
            },
        )
        assert made.status_code == 201, made.text
        answer = await client_here.post(
            "/api/v1/tokens", json={"email": "ana@example.org", "password": PASSWORD}
        )
        token = answer.json()["token"]
        assert (await me(client_there, token)).status_code == 200
        assert len(identities(there)) == 1

        revoked = await client_here.delete("/api/v1/tokens/current", headers=bearer(token))
        assert revoked.status_code == 204
        assert (await me(client_here, token)).status_code == 401

        # The other process has not heard yet (separate memory brokers): its feed
        # reads the event from the table, and the entry goes with it.
        await there.state.hub.catch_up()
        assert len(identities(there)) == 0
        assert (await me(client_there, token)).status_code == 401
