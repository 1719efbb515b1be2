"""Sign-in throttling: attempts are counted before their password is checked, so
guesses sent together cannot slip through, and an attacker at one address cannot lock
the owner out from another."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from forum_server.settings import Settings
from tests.conftest import MakeUser
from tests.helpers import BASE_URL, PASSWORD, csrf_from, make_settings


@asynccontextmanager
async def from_address(app: Starlette, address: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client whose requests come from `address`."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        yield client


async def guess(client: httpx.AsyncClient, email: str, password: str) -> int:
    response = await client.post("/api/v1/tokens", json={"email": email, "password": password})
    return response.status_code


async def test_guesses_sent_at_once_never_exceed_the_limit(app: Starlette, make_user: MakeUser):
    user = await make_user()
    limit = app.state.ctx.settings.login_attempts
    async with from_address(app, "203.0.113.9") as attacker:
        answers = Counter(
            await asyncio.gather(
                *(guess(attacker, user.email, f"wrong guess {n}") for n in range(3 * limit))
            )
        )
        assert answers == {401: limit, 429: 2 * limit}
        # Once the limit is reached, the right password is refused too.
        assert await guess(attacker, user.email, PASSWORD) == 429


async def test_the_right_password_among_many_at_once_is_checked_only_within_the_limit(
    app: Starlette, make_user: MakeUser
):
    user = await make_user()
    limit = app.state.ctx.settings.login_attempts
    passwords = [f"wrong guess {n}" for n in range(6 * limit)]
    passwords.insert(3 * limit, PASSWORD)
    async with from_address(app, "203.0.113.9") as attacker:
        answers = Counter(
            await asyncio.gather(*(guess(attacker, user.email, p) for p in passwords))
        )
    # Only `limit` passwords were looked at; all the others were refused unchecked.
    assert answers[401] + answers[201] == limit
    assert answers[429] == len(passwords) - limit


async def test_the_owner_signs_in_from_another_address_after_an_attackers_failures(
    app: Starlette, make_user: MakeUser
):
    user = await make_user()
    limit = app.state.ctx.settings.login_attempts
    async with from_address(app, "203.0.113.9") as attacker:
        for n in range(limit):
            assert await guess(attacker, user.email, f"wrong guess {n}") == 401
        assert await guess(attacker, user.email, PASSWORD) == 429
    async with from_address(app, "198.51.100.7") as owner:
        assert await guess(owner, user.email, PASSWORD) == 201
        # The sign-in page too.
        csrf = await csrf_from(owner)
        page = await owner.post(
            "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": csrf}
        )
        assert page.status_code == 303
    async with from_address(app, "203.0.113.9") as attacker:
        assert await guess(attacker, user.email, PASSWORD) == 429  # still held back


async def test_a_right_password_forgives_the_owners_own_mistakes(
    app: Starlette, make_user: MakeUser
):
    user = await make_user()
    limit = app.state.ctx.settings.login_attempts
    async with from_address(app, "198.51.100.7") as owner:
        for round_ in range(3):
            for n in range(limit - 1):
                assert await guess(owner, user.email, f"typo {round_} {n}") == 401
            assert await guess(owner, user.email, PASSWORD) == 201


class TestAccountLimit:
    """With 2 attempts per account and address, the account takes 20 failures an hour
    from all addresses together; then it is held back for everyone."""

    @pytest.fixture
    def settings(self, tmp_path: Path, database_url: str) -> Settings:
        return make_settings(tmp_path, database_url, login_attempts=2)

    async def test_many_addresses_guessing_one_account_meet_the_slower_account_limit(
        self, app: Starlette, make_user: MakeUser
    ):
        user, bystander = await make_user(), await make_user()
        for n in range(10):
            async with from_address(app, f"203.0.113.{n + 1}") as attacker:
                for m in range(2):
                    assert await guess(attacker, user.email, f"guess {n} {m}") == 401
                assert await guess(attacker, user.email, "one more") == 429
        async with from_address(app, "198.51.100.7") as owner:
            assert await guess(owner, user.email, PASSWORD) == 429
            # Other accounts are not affected.
            assert await guess(owner, bystander.email, PASSWORD) == 201
