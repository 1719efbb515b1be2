"""Workspace pages: the member list, invitations by form, joining through a link."""

from __future__ import annotations

import re

import httpx
import pytest

from forum_server.app import create_app
from tests.conftest import MakeUser
from tests.helpers import client_for, csrf_from, make_settings, sign_in


@pytest.fixture
async def workspace(make_user: MakeUser, make_space, add_member):
    owner = await make_user(display_name="Owner Person", country="NO")
    slug = await make_space(slug="liaison", visibility="members", composition="liaison_group")
    await add_member(slug, owner.id, "owner")
    return {"slug": slug, "owner": owner}


async def test_owner_invites_by_form_and_sees_the_link(client: httpx.AsyncClient, workspace, app):
    await sign_in(client, workspace["owner"])
    page = await client.get("/spaces/liaison/members")
    assert page.status_code == 200
    assert "Owner Person" in page.text and "Balance of the group" in page.text
    token = await csrf_from(client, "/spaces/liaison/members")
    sent = await client.post(
        "/spaces/liaison/invitations",
        data={
            "email": "newcomer@example.org",
            "role": "member",
            "designation": "party_expert",
            "csrf_token": token,
        },
    )
    assert sent.status_code == 200
    link = re.search(r"http://testserver/invitations/[\w-]+", sent.text)
    assert link is not None
    mail = next((app.state.ctx.settings.data_dir / "outbox").glob("*.eml")).read_text()
    assert link.group(0) in mail
    assert "newcomer@example.org" in (await client.get("/spaces/liaison/members")).text


async def test_newcomer_joins_through_the_link_even_with_registration_closed(
    tmp_path, database_url, make_user
):
    settings = make_settings(tmp_path, database_url, registration="closed")
    app = create_app(settings)
    async with app.router.lifespan_context(app), client_for(app) as owner_browser:
        from forum_server.policy import Actor
        from forum_server.rooms import spaces
        from forum_server.rooms.models import Membership
        from forum_server.rooms.schemas import SpaceCreate

        db = app.state.ctx.db
        from forum_server.accounts import service
        from forum_server.accounts.schemas import UserCreate

        owner = await service.create_user(
            db,
            Actor(is_secretariat=True),
            UserCreate(
                email="owner@example.org",
                password="correct horse battery",
                display_name="Owner",
            ),
            registration_open=False,
        )
        space = await spaces.create_space(
            db,
            Actor(is_secretariat=True),
            SpaceCreate(slug="liaison", title="Liaison Group", visibility="members"),
        )
        async with db.write() as uow:
            uow.session.add(Membership(space_id=space.space.id, user_id=owner.id, role="owner"))
        await sign_in(owner_browser, owner)
        token = await csrf_from(owner_browser, "/spaces/liaison/members")
        sent = await owner_browser.post(
            "/spaces/liaison/invitations",
            data={"email": "newcomer@example.org", "role": "member", "csrf_token": token},
        )
        path = re.search(r"/invitations/[\w-]+", sent.text).group(0)
        async with client_for(app) as newcomer:
            assert (await newcomer.get("/register")).status_code in {303, 401}
            form = await newcomer.get(path)
            assert "Create your account" in form.text
            csrf = await csrf_from(newcomer, path)
            weak = await newcomer.post(
                path, data={"password": "short", "display_name": "N", "csrf_token": csrf}
            )
            assert weak.status_code == 422
            joined = await newcomer.post(
                path,
                data={
                    "password": "a long enough password",
                    "display_name": "Newcomer",
                    "country": "FJ",
                    "csrf_token": csrf,
                    "is_secretariat": "on",
                },
            )
            assert joined.status_code == 303
            assert joined.headers["location"] == "/spaces/liaison?notice=joined"
            me = (await newcomer.get("/api/v1/me")).json()
            assert me["email"] == "newcomer@example.org" and me["is_secretariat"] is False
            assert (await newcomer.get("/spaces/liaison")).status_code == 200
            used = await newcomer.get(path)
            assert used.status_code == 404


async def test_existing_account_is_sent_to_sign_in(client, workspace, make_user, db):
    from forum_server.rooms import invitations

    await make_user(email="known@example.org")
    owner_actor = __import__("forum_server.policy", fromlist=["Actor"]).Actor(
        user_id=workspace["owner"].id, display_name="Owner"
    )
    issued = await invitations.invite(
        db, owner_actor, "liaison", invitations.InvitationCreate(email="known@example.org")
    )
    path = f"/invitations/{issued.token}"
    page = await client.get(path)
    assert "Sign in to accept" in page.text
    token = await csrf_from(client, path)
    response = await client.post(path, data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")


async def test_outsiders_find_nothing_and_members_cannot_manage(
    client, workspace, make_user, add_member
):
    outsider = await make_user()
    await sign_in(client, outsider)
    assert (await client.get("/spaces/liaison/members")).status_code == 404
    assert (await client.get("/invitations/inv_made-up-token")).status_code == 404
    member = await make_user()
    await add_member("liaison", member.id)
    await sign_in(client, member)
    page = await client.get("/spaces/liaison/members")
    assert page.status_code == 200 and "Invite someone" not in page.text
    token = await csrf_from(client, "/spaces/liaison/members")
    refused = await client.post(
        f"/spaces/liaison/members/{outsider.id}",
        data={"role": "member", "designation": "", "csrf_token": token},
    )
    assert refused.status_code == 403


async def test_owner_adds_changes_and_removes_by_form(client, workspace, make_user):
    person = await make_user(email="person@example.org", display_name="Person Added")
    await sign_in(client, workspace["owner"])
    token = await csrf_from(client, "/spaces/liaison/members")
    unknown = await client.post(
        "/spaces/liaison/members/add",
        data={"email": "nobody@example.org", "role": "member", "csrf_token": token},
    )
    assert unknown.status_code == 422 and "send an invitation instead" in unknown.text
    added = await client.post(
        "/spaces/liaison/members/add",
        data={"email": "Person@Example.org", "role": "member", "csrf_token": token},
    )
    assert added.headers["location"] == "/spaces/liaison/members?notice=member_added"
    assert "Person Added" in (await client.get("/spaces/liaison/members")).text
    changed = await client.post(
        f"/spaces/liaison/members/{person.id}",
        data={"role": "moderator", "designation": "observer", "csrf_token": token},
    )
    assert changed.headers["location"] == "/spaces/liaison/members?notice=member_changed"
    removed = await client.post(
        f"/spaces/liaison/members/{person.id}", data={"remove": "1", "csrf_token": token}
    )
    assert removed.headers["location"] == "/spaces/liaison/members?notice=member_removed"
    assert "Person Added" not in (await client.get("/spaces/liaison/members")).text


async def test_owner_revokes_by_form(client, workspace, db):
    from forum_server.policy import Actor
    from forum_server.rooms import invitations

    owner = Actor(user_id=workspace["owner"].id, display_name="Owner")
    issued = await invitations.invite(
        db, owner, "liaison", invitations.InvitationCreate(email="late@example.org")
    )
    await sign_in(client, workspace["owner"])
    token = await csrf_from(client, "/spaces/liaison/members")
    path = f"/spaces/liaison/invitations/{issued.id}/revoke"
    revoked = await client.post(path, data={"csrf_token": token})
    assert revoked.headers["location"] == "/spaces/liaison/members?notice=invitation_revoked"
    again = await client.post(path, data={"csrf_token": token})
    assert again.status_code == 409 and "no longer pending" in again.text
    assert (await client.get(f"/invitations/{issued.token}")).status_code == 404


async def test_a_weak_password_is_shown_on_the_invitation_form(client, workspace, db):
    from forum_server.policy import Actor
    from forum_server.rooms import invitations

    owner = Actor(user_id=workspace["owner"].id, display_name="Owner")
    issued = await invitations.invite(
        db, owner, "liaison", invitations.InvitationCreate(email="new@example.org")
    )
    path = f"/invitations/{issued.token}"
    token = await csrf_from(client, path)
    weak = await client.post(
        path,
        data={"password": "new@example.org", "display_name": "Newcomer", "csrf_token": token},
    )
    # The form again, with what they typed (never the password) and what is wrong.
    assert weak.status_code == 422 and "Create your account" in weak.text
    assert 'value="Newcomer"' in weak.text and "The password" in weak.text
    assert (await client.get(path)).status_code == 200  # still usable
