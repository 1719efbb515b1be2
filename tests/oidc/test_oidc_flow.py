"""OpenID Connect sign-in against a real provider (npm's oidc-provider), driven through
its login and consent pages: the happy path, the account rules and the attacks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pytest
from sqlalchemy import func, select

from forum_server.accounts.models import LoginSession, OidcIdentity, User
from forum_server.db import Database
from forum_server.policy import Actor
from forum_server.rooms import invitations
from forum_server.settings import Settings, load_settings
from tests.helpers import BASE_URL, PASSWORD, client_for, csrf_from, sign_in
from tests.oidc.conftest import (
    CLIENT_ID,
    CLIENT_SECRET,
    Browser,
    RunningProvider,
    authorize,
    complete,
)

PROFILE = {"country": "KE", "organization": "Ministry of Environment", "affiliation": "party"}


@pytest.fixture
def settings(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    database_url: str,
    oidc_provider: RunningProvider,
) -> Settings:
    """The app configured with the test provider; `indirect` parameters override."""
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "database_url": database_url,
        "base_url": BASE_URL,
        "registration": "open",
        "secret_key": "test-secret-key-of-at-least-32-characters",
        "oidc_issuer": oidc_provider.issuer,
        "oidc_client_id": CLIENT_ID,
        "oidc_client_secret": CLIENT_SECRET,
        "oidc_name": "Test IdP",
    }
    values.update(getattr(request, "param", {}))
    environ = {
        "FORUM_OIDC_PARTNER_ISSUER": oidc_provider.issuer,
        "FORUM_OIDC_PARTNER_CLIENT_ID": CLIENT_ID,
        "FORUM_OIDC_PARTNER_CLIENT_SECRET": CLIENT_SECRET,
        "FORUM_OIDC_PARTNER_LABEL": "Partner Agency",
    }
    return load_settings(environ=environ, **values)


def closed(**extra: Any) -> Any:
    return pytest.mark.parametrize("settings", [{"registration": "closed", **extra}], indirect=True)


async def counts(db: Database) -> tuple[int, int]:
    async with db.read() as session:
        users = await session.scalar(select(func.count()).select_from(User))
        links = await session.scalar(select(func.count()).select_from(OidcIdentity))
    return int(users or 0), int(links or 0)


async def complete_profile(browser: Browser, answer: httpx.Response) -> httpx.Response:
    """The first sign-in's profile page: fill it in and submit it."""
    assert answer.status_code == 303 and answer.headers["location"] == "/auth/oidc/welcome"
    page = await browser.app.get("/auth/oidc/welcome")
    assert page.status_code == 200 and "Complete your profile" in page.text
    csrf = await csrf_from(browser.app, "/auth/oidc/welcome")
    return await browser.app.post(
        "/auth/oidc/welcome", data={"csrf_token": csrf, "display_name": "Ada L.", **PROFILE}
    )


def with_param(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


async def me(client: httpx.AsyncClient) -> dict[str, Any] | None:
    response = await client.get("/api/v1/me")
    return response.json() if response.status_code == 200 else None


# --- the happy path --------------------------------------------------------------------


async def test_first_sign_in_completes_the_profile_and_the_account_is_reused(
    browser: Browser, db: Database, oidc_provider: RunningProvider
):
    login = await browser.app.get("/login")
    assert 'href="/auth/oidc/login"' in login.text and "Sign in with Test IdP" in login.text

    answer = await complete(browser, "ada", next_path="/profile")
    assert await counts(db) == (0, 0)  # nothing is made before the profile is complete
    done = await complete_profile(browser, answer)
    assert done.status_code == 303 and done.headers["location"] == "/profile"
    assert "forum_oidc_signup" not in browser.app.cookies
    user = await me(browser.app)
    assert user is not None
    assert user["email"] == "ada@example.org" and user["display_name"] == "Ada L."
    assert (user["country"], user["organization"], user["affiliation"]) == (
        "KE",
        "Ministry of Environment",
        "party",
    )
    async with db.read() as session:
        link = (await session.scalars(select(OidcIdentity))).one()
    assert (link.issuer, link.subject, link.user_id) == (oidc_provider.issuer, "ada", user["id"])
    first_session = browser.app.cookies["forum_session"]
    # No password to change: the profile says how the account signs in instead.
    profile = (await browser.app.get("/profile")).text
    assert "You can sign in with Test IdP. This account has no password." in profile
    assert "Change password" not in profile
    csrf = await csrf_from(browser.app, "/profile")
    attempt = await browser.app.post(
        "/profile/password",
        data={"csrf_token": csrf, "current_password": "guess", "new_password": "a new passphrase"},
    )
    assert attempt.status_code == 409 and "has no password" in attempt.text

    csrf = await csrf_from(browser.app, "/")
    assert (await browser.app.post("/logout", data={"csrf_token": csrf})).status_code == 303
    assert await me(browser.app) is None

    again = await complete(browser, "ada")
    assert again.status_code == 303 and again.headers["location"] == "/"
    assert (await me(browser.app) or {}).get("id") == user["id"]
    assert browser.app.cookies["forum_session"] != first_session
    assert await counts(db) == (1, 1)


async def test_profile_page_checks_its_fields(browser: Browser, db: Database):
    answer = await complete(browser, "noname")
    assert answer.headers["location"] == "/auth/oidc/welcome"
    csrf = await csrf_from(browser.app, "/auth/oidc/welcome")
    refused = await browser.app.post(
        "/auth/oidc/welcome",
        data={"csrf_token": csrf, "display_name": "", "country": "Atlantis"},
    )
    assert refused.status_code == 422
    assert 'id="field-display_name-error"' in refused.text
    assert 'id="field-country-error"' in refused.text
    assert await counts(db) == (0, 0)


@pytest.mark.parametrize("settings", [{"oidc_providers": ("partner",)}], indirect=True)
async def test_each_provider_has_its_button_and_routes(browser: Browser, db: Database):
    login = await browser.app.get("/login?next=/profile")
    assert "Sign in with Test IdP" in login.text and "Sign in with Partner Agency" in login.text
    assert 'href="/auth/oidc/partner/login?next=/profile"' in login.text
    assert (await browser.app.get("/auth/oidc/default/login")).status_code == 404
    assert (await browser.app.get("/auth/oidc/nobody/login")).status_code == 404

    url = await authorize(browser, "grace", start="/auth/oidc/partner/login")
    assert url.startswith(f"{BASE_URL}/auth/oidc/partner/callback?")
    done = await complete_profile(browser, await browser.get(url))
    assert done.status_code == 303
    assert (await me(browser.app) or {}).get("email") == "grace@example.org"


# --- attacks -----------------------------------------------------------------------------


async def test_a_forged_state_is_refused(browser: Browser, db: Database):
    url = await authorize(browser, "ada")
    forged = await browser.get(with_param(url, state="forged-state"))
    assert forged.status_code == 400
    assert "does not belong to the sign-in started in this browser" in forged.text
    assert "forum_session" not in browser.app.cookies
    # The flow was consumed: the genuine answer cannot be used afterwards either.
    assert (await browser.get(url)).status_code == 400
    assert await counts(db) == (0, 0)


async def test_an_answer_for_another_browser_is_refused(browser: Browser, app: Any, db: Database):
    """Login CSRF: an attacker's own callback URL, planted in a victim's browser."""
    url = await authorize(browser, "attacker")
    async with client_for(app) as victim:
        answer = await victim.get(url)
    assert answer.status_code == 400 and "No sign-in was in progress" in answer.text
    assert "forum_session" not in answer.cookies
    assert await counts(db) == (0, 0)


async def test_a_replayed_code_is_refused(browser: Browser, db: Database, make_user):
    await make_user(email="rita-verified@example.org")
    url = await authorize(browser, "rita-verified")
    flow_cookie = browser.app.cookies["forum_oidc_flow"]
    first = await browser.get(url)
    assert first.status_code == 303 and first.headers["location"] == "/"

    # The same callback URL again: the browser's flow was used up.
    again = await browser.get(url)
    assert again.status_code == 400 and "No sign-in was in progress" in again.text
    # Even with the flow cookie put back, the provider redeems a code only once.
    replayed = await browser.app.get(url, headers={"cookie": f"forum_oidc_flow={flow_cookie}"})
    assert replayed.status_code == 400
    assert "did not accept this sign-in (invalid_grant)" in replayed.text
    assert "forum_session" not in replayed.cookies


async def test_an_answer_naming_another_issuer_is_refused(browser: Browser, db: Database):
    """Mix-up: the authorization response's `iss` (RFC 9207) must be our provider."""
    url = await authorize(browser, "ada")
    answer = await browser.get(with_param(url, iss="https://evil.example"))
    assert answer.status_code == 400
    assert "different sign-in service" in answer.text
    assert await counts(db) == (0, 0)


async def test_a_provider_whose_discovery_names_another_issuer_is_refused(
    tmp_path: Path, database_url: str, oidc_provider: RunningProvider
):
    """Configured as http://localhost:PORT, the provider says it is http://127.0.0.1:PORT:
    not the issuer we were told to trust, so nobody is sent there."""
    from forum_server.app import create_app

    settings = load_settings(
        environ={},
        data_dir=tmp_path / "data",
        database_url=database_url,
        base_url=BASE_URL,
        secret_key="test-secret-key-of-at-least-32-characters",
        oidc_issuer=f"http://localhost:{oidc_provider.port}",
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app), client_for(app) as client:
        answer = await client.get("/auth/oidc/login")
    assert answer.status_code == 502
    assert "its issuer does not match" in answer.text
    assert "forum_oidc_flow" not in answer.cookies


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/path", "/\\evil.example", "javascript:x"]
)
async def test_next_never_leaves_the_site(browser: Browser, make_user, target: str):
    await make_user(email="olga-verified@example.org")
    answer = await complete(browser, "olga-verified", next_path=target)
    assert answer.status_code == 303 and answer.headers["location"] == "/"


async def test_next_is_kept_to_a_local_path_through_the_profile_page(browser: Browser):
    answer = await complete(browser, "newbie", next_path="//evil.example/")
    done = await complete_profile(browser, answer)
    assert done.headers["location"] == "/"


async def test_a_planted_session_cookie_is_never_reused(browser: Browser, make_user, db: Database):
    """Session fixation: whatever session the browser brings is ended, and the sign-in
    gets a new one."""
    local = await make_user(email="lena@example.org")
    await sign_in(browser.app, local)
    planted = browser.app.cookies["forum_session"]
    await make_user(email="ivan-verified@example.org")
    answer = await complete(browser, "ivan-verified")
    assert answer.status_code == 303
    fresh = browser.app.cookies["forum_session"]
    assert fresh != planted
    assert (await me(browser.app) or {}).get("email") == "ivan-verified@example.org"
    async with db.read() as session:
        revoked = await session.scalar(
            select(LoginSession.revoked_at).where(LoginSession.user_id == local.id)
        )
    assert revoked is not None


# --- the account rules --------------------------------------------------------------------


async def test_a_verified_email_links_the_existing_account(
    browser: Browser, app: Any, make_user, db: Database, oidc_provider: RunningProvider
):
    existing = await make_user(email="grace-verified@example.org", display_name="Grace")
    answer = await complete(browser, "grace-verified")
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    assert (await me(browser.app) or {}).get("id") == existing.id
    async with db.read() as session:
        link = (await session.scalars(select(OidcIdentity))).one()
    assert (link.issuer, link.subject, link.user_id) == (
        oidc_provider.issuer,
        "grace-verified",
        existing.id,
    )
    assert link.email == "grace-verified@example.org"
    # The password still works beside it.
    async with client_for(app) as other:
        await sign_in(other, existing, PASSWORD)


async def test_an_unverified_email_never_links(browser: Browser, make_user, db: Database):
    await make_user(email="mallory@example.org")
    answer = await complete(browser, "mallory")
    assert answer.status_code == 409
    assert "has not confirmed that this address is yours" in answer.text
    assert "forum_session" not in browser.app.cookies
    assert await counts(db) == (1, 0)


@closed()
async def test_registration_closed_without_invitation_is_refused(browser: Browser, db: Database):
    answer = await complete(browser, "stranger")
    assert answer.status_code == 403
    assert "registration is closed" in answer.text
    assert "Sign in another way" in answer.text
    assert "forum_session" not in browser.app.cookies
    assert await counts(db) == (0, 0)


@closed()
async def test_registration_closed_still_links_a_verified_email(
    browser: Browser, make_user, db: Database
):
    existing = await make_user(email="vera-verified@example.org")
    answer = await complete(browser, "vera-verified")
    assert answer.status_code == 303
    assert (await me(browser.app) or {}).get("id") == existing.id


@closed()
async def test_an_invitation_lets_someone_new_in_when_registration_is_closed(
    browser: Browser, make_user, make_space, add_member, db: Database
):
    owner = await make_user()
    slug = await make_space(slug="liaison", visibility="members")
    await add_member(slug, owner.id, "owner")
    issued = await invitations.invite(
        db, Actor(user_id=owner.id), slug, invitations.InvitationCreate(email="ines@example.org")
    )
    path = f"/invitations/{issued.token}"

    answer = await complete(browser, "ines", next_path=path)
    done = await complete_profile(browser, answer)
    assert done.status_code == 303 and done.headers["location"] == "/spaces/liaison?notice=joined"
    assert (await me(browser.app) or {}).get("email") == "ines@example.org"
    assert (await browser.app.get("/spaces/liaison")).status_code == 200
    assert (await browser.app.get(path)).status_code == 404  # used


@closed()
async def test_an_invitation_for_another_address_does_not_open_the_door(
    browser: Browser, make_user, make_space, add_member, db: Database
):
    owner = await make_user()
    slug = await make_space(slug="liaison", visibility="members")
    await add_member(slug, owner.id, "owner")
    issued = await invitations.invite(
        db, Actor(user_id=owner.id), slug, invitations.InvitationCreate(email="someone@example.org")
    )
    answer = await complete(browser, "ines", next_path=f"/invitations/{issued.token}")
    assert answer.status_code == 403 and "This invitation is for someone@example.org" in answer.text
    assert await counts(db) == (1, 0)


async def test_a_provider_that_shares_no_email_is_refused_clearly(browser: Browser, db: Database):
    answer = await complete(browser, "noemail-nina")
    assert answer.status_code == 422
    assert "did not tell us your e-mail address" in answer.text
    assert await counts(db) == (0, 0)


# --- errors from the provider ---------------------------------------------------------------


async def test_a_provider_error_is_shown_on_the_sign_in_page(browser: Browser, db: Database):
    started = await browser.get("/auth/oidc/login")
    login_page = await browser.follow(started)
    assert "Sign-in" in login_page.text
    abort = re.search(r'href="([^"]+/abort)"', login_page.text)
    assert abort, login_page.text
    back = await browser.follow(await browser.get(abort.group(1)), until=f"{BASE_URL}/")
    answer = await browser.get(back.headers["location"])
    assert answer.status_code == 400
    assert 'id="sso-error"' in answer.text
    assert "Test IdP did not sign you in: End-User aborted interaction." in answer.text
    assert 'action="/login"' in answer.text  # still the sign-in page, other ways open
    assert await counts(db) == (0, 0)


async def test_a_forged_provider_error_does_not_speak_for_the_provider(browser: Browser):
    await browser.app.get("/auth/oidc/login")  # a flow is in progress in this browser
    answer = await browser.app.get(
        "/auth/oidc/callback?error=access_denied&error_description=Call+this+number&state=x"
    )
    assert answer.status_code == 400 and "Call this number" not in answer.text
