"""Who may manage and see a space's members and invitations: the same answer from
every route, 401 first for anonymous callers (then 404 for what they may not know
of, else 403)."""

from __future__ import annotations

import httpx
import pytest

from forum_server.app import create_app
from tests.conftest import MakeUser
from tests.helpers import bearer, client_for, make_settings, sign_in, token_for


@pytest.fixture
async def forum(client: httpx.AsyncClient, make_user: MakeUser, make_space, add_member):
    """A public space with an owner, a member and a pending invitation."""
    owner, member = await make_user(), await make_user()
    slug = await make_space(slug="open-forum")
    await add_member(slug, owner.id, "owner")
    await add_member(slug, member.id)
    headers = bearer(await token_for(client, owner))
    invited = await client.post(
        f"/api/v1/spaces/{slug}/invitations", json={"email": "new@example.org"}, headers=headers
    )
    assert invited.status_code == 201
    return {"slug": slug, "member": member, "invitation": invited.json()}


def manager_calls(forum: dict) -> list[tuple[str, str, dict | None]]:
    base = f"/api/v1/spaces/{forum['slug']}"
    member_id, invitation_id = forum["member"].id, forum["invitation"]["id"]
    return [
        ("PUT", f"{base}/members/{member_id}", {"role": "moderator"}),
        ("DELETE", f"{base}/members/{member_id}", None),
        ("POST", f"{base}/invitations", {"email": "other@example.org"}),
        ("GET", f"{base}/invitations", None),
        ("DELETE", f"{base}/invitations/{invitation_id}", None),
    ]


async def test_anonymous_callers_are_asked_to_sign_in_by_every_manager_route(client, forum):
    for method, path, body in manager_calls(forum):
        response = await client.request(method, path, json=body)
        assert response.status_code == 401, (method, path, response.text)
        assert response.json()["error"]["code"] == "not_signed_in"


async def test_signed_in_non_owners_are_refused_by_every_manager_route(client, forum):
    headers = bearer(await token_for(client, forum["member"]))
    for method, path, body in manager_calls(forum):
        response = await client.request(method, path, json=body, headers=headers)
        assert response.status_code == 403, (method, path, response.text)


async def test_anonymous_callers_are_asked_to_sign_in_for_a_public_member_list(client, forum):
    response = await client.get(f"/api/v1/spaces/{forum['slug']}/members")
    assert response.status_code == 401
    page = await client.get(f"/spaces/{forum['slug']}/members")
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


async def test_anonymous_callers_are_asked_to_sign_in_to_accept(client, forum):
    token = forum["invitation"]["link"].rsplit("/", 1)[1]
    response = await client.post(f"/api/v1/invitations/{token}/accept")
    assert response.status_code == 401


async def test_the_members_page_shows_management_to_owners_only(client, forum, make_user):
    await sign_in(client, forum["member"])
    page = await client.get(f"/spaces/{forum['slug']}/members")
    assert page.status_code == 200
    assert "new@example.org" not in page.text and "Pending invitations" not in page.text


async def test_closed_registration_refuses_signed_in_people_with_403(
    tmp_path, database_url, make_user
):
    """Signed in, they need no sign-in: they may not register (anonymous: 401)."""
    app = create_app(make_settings(tmp_path, database_url, registration="closed"))
    async with app.router.lifespan_context(app), client_for(app) as client:
        assert (await client.get("/register")).headers["location"].startswith("/login")
        from forum_server.accounts import service
        from forum_server.accounts.schemas import UserCreate
        from forum_server.policy import Actor

        user = await service.create_user(
            app.state.ctx.db,
            Actor(is_secretariat=True),
            UserCreate(email="p@example.org", password="correct horse battery", display_name="P"),
            registration_open=False,
        )
        await sign_in(client, user)
        assert (await client.get("/register")).status_code == 403
