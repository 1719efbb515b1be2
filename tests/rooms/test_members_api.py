"""Members, composition rules and invitations over the API."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update

from forum_server.audit import AuditEntry
from forum_server.orm import utcnow
from forum_server.rooms.models import Invitation
from tests.conftest import MakeUser
from tests.helpers import bearer, token_for


@pytest.fixture
async def group(client: httpx.AsyncClient, make_user: MakeUser, make_space, add_member):
    """A liaison-group workspace with an owner."""
    owner = await make_user(display_name="Owner")
    slug = await make_space(slug="liaison", visibility="members", composition="liaison_group")
    await add_member(slug, owner.id, "owner")
    return {"slug": slug, "owner": bearer(await token_for(client, owner)), "owner_id": owner.id}


async def put(client, group, user_id, headers=None, **body):
    return await client.put(
        f"/api/v1/spaces/{group['slug']}/members/{user_id}",
        json=body,
        headers=headers or group["owner"],
    )


async def test_owner_adds_changes_and_removes_members(client, group, make_user, db):
    expert = await make_user(country="PE", gender="female")
    added = await put(client, group, expert.id, role="member", designation="party_expert")
    assert added.status_code == 200
    assert added.json()["designation"] == "party_expert"
    expert_headers = bearer(await token_for(client, expert))
    assert (await client.get("/api/v1/spaces/liaison", headers=expert_headers)).status_code == 200
    changed = await put(client, group, expert.id, role="moderator", designation="party_expert")
    assert changed.json()["role"] == "moderator"
    listing = (await client.get("/api/v1/spaces/liaison/members", headers=expert_headers)).json()
    assert {m["user"]["id"] for m in listing["items"]} == {group["owner_id"], expert.id}
    assert listing["balance"]["by_region"]["grulac"] == 1
    assert listing["balance"]["by_gender"]["female"] == 1
    removed = await client.delete(
        f"/api/v1/spaces/liaison/members/{expert.id}", headers=group["owner"]
    )
    assert removed.status_code == 204
    assert (await client.get("/api/v1/spaces/liaison", headers=expert_headers)).status_code == 404
    async with db.read() as session:
        actions = list(await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["member.added", "member.changed", "member.removed"]


async def test_only_owners_and_secretariat_manage(client, group, make_user, add_member):
    member = await make_user()
    await add_member(group["slug"], member.id)
    stranger = await make_user()
    member_headers = bearer(await token_for(client, member))
    refused = await put(client, group, stranger.id, headers=member_headers)
    assert refused.status_code == 403
    outsider = bearer(await token_for(client, stranger))
    hidden = await put(client, group, member.id, headers=outsider)
    assert hidden.status_code == 404
    assert (await client.get("/api/v1/spaces/liaison/members", headers=outsider)).status_code == 404
    admin = bearer(await token_for(client, await make_user(is_secretariat=True)))
    assert (await put(client, group, stranger.id, headers=admin)).status_code == 200


async def test_at_most_fifteen_party_experts(client, group, make_user):
    for _ in range(15):
        user = await make_user()
        assert (await put(client, group, user.id, designation="party_expert")).status_code == 200
    sixteenth = await make_user()
    refused = await put(client, group, sixteenth.id, designation="party_expert")
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "composition_rule" and "15" in error["message"]
    observer = await put(client, group, sixteenth.id, designation="observer")
    assert observer.status_code == 200
    secretariat = await make_user(is_secretariat=True)
    staff = await put(client, group, secretariat.id, designation="party_expert")
    assert staff.status_code == 200  # secretariat staff do not count


async def test_organization_experts_at_most_a_third(client, group, make_user):
    for _ in range(3):
        user = await make_user()
        await put(client, group, user.id, designation="party_expert")
    first = await make_user()
    assert (
        await put(client, group, first.id, designation="organization_expert")
    ).status_code == 200
    second = await make_user()
    refused = await put(client, group, second.id, designation="organization_expert")
    assert refused.status_code == 409 and "one third" in refused.json()["error"]["message"]
    # Removing a Party expert tips the balance, but access must be able to end at once.
    removed = await client.delete(
        f"/api/v1/spaces/liaison/members/{user.id}", headers=group["owner"]
    )
    assert removed.status_code == 204


async def test_a_space_keeps_an_owner(client, group):
    response = await client.delete(
        f"/api/v1/spaces/liaison/members/{group['owner_id']}", headers=group["owner"]
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "last_owner"


async def test_public_space_member_list_is_for_members(client, make_space, make_user):
    await make_space(slug="open-forum")
    participant = bearer(await token_for(client, await make_user()))
    response = await client.get("/api/v1/spaces/open-forum/members", headers=participant)
    assert response.status_code == 403


async def invite(client, group, email, **fields):
    return await client.post(
        "/api/v1/spaces/liaison/invitations",
        json={"email": email, **fields},
        headers=group["owner"],
    )


async def test_invitation_is_mailed_and_accepted_once(client, group, make_user, app):
    invited = await make_user(email="expert@example.org")
    response = await invite(client, group, "Expert@Example.org", designation="party_expert")
    assert response.status_code == 201
    link = response.json()["link"]
    outbox = list((app.state.ctx.settings.data_dir / "outbox").glob("*.eml"))
    assert len(outbox) == 1 and link in outbox[0].read_text()
    pending = (
        await client.get("/api/v1/spaces/liaison/invitations", headers=group["owner"])
    ).json()
    assert [p["email"] for p in pending["items"]] == ["expert@example.org"]
    token = link.rsplit("/", 1)[1]
    other = bearer(await token_for(client, await make_user()))
    wrong = await client.post(f"/api/v1/invitations/{token}/accept", headers=other)
    assert wrong.status_code == 403
    headers = bearer(await token_for(client, invited))
    accepted = await client.post(f"/api/v1/invitations/{token}/accept", headers=headers)
    assert accepted.status_code == 200
    assert (await client.get("/api/v1/spaces/liaison", headers=headers)).status_code == 200
    again = await client.post(f"/api/v1/invitations/{token}/accept", headers=headers)
    assert again.status_code == 404


async def test_revoked_and_expired_invitations_do_not_work(client, group, make_user, db):
    user = await make_user(email="late@example.org")
    headers = bearer(await token_for(client, user))
    revoked = (await invite(client, group, "late@example.org")).json()
    assert (
        await client.delete(
            f"/api/v1/spaces/liaison/invitations/{revoked['id']}", headers=group["owner"]
        )
    ).status_code == 204
    token = revoked["link"].rsplit("/", 1)[1]
    assert (
        await client.post(f"/api/v1/invitations/{token}/accept", headers=headers)
    ).status_code == 404
    expired = (await invite(client, group, "late@example.org")).json()
    async with db.write() as uow:
        await uow.session.execute(
            update(Invitation)
            .where(Invitation.id == expired["id"])
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    token = expired["link"].rsplit("/", 1)[1]
    assert (
        await client.post(f"/api/v1/invitations/{token}/accept", headers=headers)
    ).status_code == 404


async def test_inviting_a_member_again_conflicts(client, group, make_user):
    member = await make_user(email="in@example.org")
    await put(client, group, member.id)
    response = await invite(client, group, "in@example.org")
    assert response.status_code == 409 and response.json()["error"]["code"] == "already_member"
    bad = await invite(client, group, "not-an-address")
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "email"
