"""The new-space form offers the liaison-group composition rule; a space's owners and
the secretariat change its title and description from its page (audited), nobody
else, and a members-only space stays invisible to outsiders trying."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum_server.accounts.queries import UserView
from forum_server.audit import AuditEntry
from tests.conftest import MakeUser
from tests.helpers import bearer, csrf_from, token_for
from tests.rooms.test_pages import forms_on, new_space, submit, text_of


@pytest.fixture
async def secretariat(make_user: MakeUser) -> UserView:
    return await make_user(is_secretariat=True, display_name="Secretariat")


@pytest.fixture
async def api(client, secretariat: UserView) -> dict[str, str]:
    return bearer(await token_for(client, secretariat))


async def test_the_new_space_form_offers_the_liaison_group_rule(client, api, browser, secretariat):
    async with browser(secretariat) as http:
        form = (await http.get("/spaces/new")).text
        assert 'name="composition"' in form and 'value="liaison_group"' in form
        made = await submit(
            http,
            "/spaces/new",
            "/spaces/new",
            slug="liaison",
            title="Liaison Group on Capacity-building",
            visibility="members",
            composition="liaison_group",
        )
        assert made.status_code == 303
        shown = text_of((await http.get(made.headers["location"])).text)
        assert "A liaison group: at most 15 experts from Parties" in shown
        wrong = await submit(
            http, "/spaces/new", "/spaces/new", slug="other", title="Other", composition="jury"
        )
        assert wrong.status_code == 422
    space = (await client.get("/api/v1/spaces/liaison", headers=api)).json()
    assert space["composition"] == "liaison_group"


async def test_owners_and_the_secretariat_edit_a_space(
    client, api, browser, make_user, add_member, db
):
    await new_space(client, api, "workspace", title="Workspace", visibility="members")
    owner, member, outsider = (
        await make_user(display_name="Owner"),
        await make_user(display_name="Member"),
        await make_user(display_name="Outsider"),
    )
    await add_member("workspace", owner.id, "owner")
    await add_member("workspace", member.id, "member")
    page = "/spaces/workspace"
    async with browser(owner) as http:
        edited = await submit(
            http, page, f"{page}/edit", title="Expert workspace", description="Read **this**."
        )
        assert edited.status_code == 303
        shown = (await http.get(edited.headers["location"])).text
        assert "The space is changed." in shown and "<strong>this</strong>" in shown
        assert "Expert workspace" in shown
        empty = await submit(http, page, f"{page}/edit", title="", description="")
        assert empty.status_code == 422 and "Title" in text_of(empty.text)
    async with browser(member) as http:
        assert not [f for f in forms_on((await http.get(page)).text) if "/edit" in f["action"]]
        token = await csrf_from(http, page)
        refused = await http.post(f"{page}/edit", data={"csrf_token": token, "title": "Mine"})
        assert refused.status_code == 403
    outsider_api = bearer(await token_for(client, outsider))
    hidden = await client.patch(
        "/api/v1/spaces/workspace", json={"title": "Taken"}, headers=outsider_api
    )
    assert hidden.status_code == 404 and "Workspace" not in hidden.text
    by_api = await client.patch(
        "/api/v1/spaces/workspace", json={"description": "Updated."}, headers=api
    )
    assert by_api.status_code == 200 and by_api.json()["title"] == "Expert workspace"
    nothing = await client.patch("/api/v1/spaces/workspace", json={}, headers=api)
    assert nothing.status_code == 422
    async with db.read() as session:
        entries = list(
            await session.scalars(
                select(AuditEntry.actor_name).where(AuditEntry.action == "space.updated")
            )
        )
    assert entries == ["Owner", "Secretariat"]
