"""Where registration is open, anyone may register someone else's address with a
password of their own. Single sign-on must not then deliver that person into the
account: a provider identity is linked by e-mail only to an account whose own address
was confirmed (made by the secretariat, joined through an invitation sent to it, or
confirmed by a link sent to it)."""

from __future__ import annotations

import re
from email import policy
from email.parser import BytesParser
from typing import Any

import httpx
from sqlalchemy import select
from starlette.applications import Starlette

from forum_server.accounts.models import OidcIdentity
from forum_server.db import Database
from tests.helpers import PASSWORD, csrf_from, sign_in
from tests.oidc.conftest import Browser, complete
from tests.oidc.test_oidc_flow import counts, me, settings

__all__ = ["settings"]  # the app configured with the test provider

VICTIM = "grace-verified"  # the provider says grace-verified@example.org is verified


async def register_as(client: httpx.AsyncClient, email: str, name: str) -> dict[str, Any]:
    body = {"email": email, "password": PASSWORD, "display_name": name}
    response = await client.post("/api/v1/users", json=body)
    assert response.status_code == 201, response.text
    user: dict[str, Any] = response.json()
    return user


async def test_a_self_registered_unconfirmed_address_is_not_linked(
    browser: Browser, app: Starlette, db: Database
):
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as attacker:
        planted = await register_as(attacker, f"{VICTIM}@example.org", "Mallory")
    answer = await complete(browser, VICTIM)
    assert answer.status_code == 409
    assert "has not been confirmed as its owner" in answer.text
    assert "confirm your address from your profile page" in answer.text
    assert "Sign in another way" in answer.text  # the styled refusal page
    assert "forum_session" not in browser.app.cookies
    assert await me(browser.app) is None
    assert await counts(db) == (1, 0)  # nothing linked to the planted account
    assert planted["email_verified"] is False


async def test_the_owner_confirms_the_address_then_single_sign_on_links(
    browser: Browser, app: Starlette, db: Database
):
    owner = await register_as(browser.app, f"{VICTIM}@example.org", "Grace")
    refused = await complete(browser, VICTIM)
    assert refused.status_code == 409

    # The link sent at registration, opened and confirmed.
    mail_path = next((app.state.ctx.settings.data_dir / "outbox").glob("*.eml"))
    message = BytesParser(policy=policy.default).parsebytes(mail_path.read_bytes())
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    match = re.search(r"http://testserver(/confirm-email/\S+)", text)
    assert match, text
    csrf = await csrf_from(browser.app, match.group(1))
    confirmed = await browser.app.post(match.group(1), data={"csrf_token": csrf})
    assert confirmed.status_code == 200 and "is confirmed as yours" in confirmed.text

    answer = await complete(browser, VICTIM)
    assert answer.status_code == 303, answer.text
    assert (await me(browser.app) or {}).get("id") == owner["id"]
    async with db.read() as session:
        link = (await session.scalars(select(OidcIdentity))).one()
    assert link.user_id == owner["id"]


async def test_an_account_that_accepted_an_invitation_to_its_address_links(
    browser: Browser, app: Starlette, db: Database, make_user, make_space, add_member
):
    from forum_server.policy import Actor
    from forum_server.rooms import invitations

    owner = await register_as(browser.app, f"{VICTIM}@example.org", "Grace")
    inviter = await make_user()
    slug = await make_space(visibility="members")
    await add_member(slug, inviter.id, "owner")
    issued = await invitations.invite(
        db,
        Actor(user_id=inviter.id),
        slug,
        invitations.InvitationCreate(email=f"{VICTIM}@example.org"),
    )
    user = type("U", (), {"email": f"{VICTIM}@example.org"})()
    await sign_in(browser.app, user)  # type: ignore[arg-type]
    csrf = await csrf_from(browser.app, f"/invitations/{issued.token}")
    joined = await browser.app.post(f"/invitations/{issued.token}", data={"csrf_token": csrf})
    assert joined.status_code == 303
    await browser.app.post("/logout", data={"csrf_token": await csrf_from(browser.app, "/")})

    answer = await complete(browser, VICTIM)
    assert answer.status_code == 303, answer.text
    assert (await me(browser.app) or {}).get("id") == owner["id"]


async def test_a_site_wide_suspension_refuses_single_sign_on_too(
    browser: Browser, db: Database, make_user
):
    from forum_server.moderation import suspensions
    from forum_server.moderation.schemas import SuspensionCreate
    from tests.conftest import SECRETARIAT

    grace = await make_user(email=f"{VICTIM}@example.org")
    data = SuspensionCreate(user_id=grace.id, reason="Impersonating a delegate")
    await suspensions.suspend_site_wide(db, SECRETARIAT, data)
    answer = await complete(browser, VICTIM)
    assert answer.status_code == 403
    assert "Impersonating a delegate" in answer.text and "Sign in another way" in answer.text
    assert "forum_session" not in browser.app.cookies
