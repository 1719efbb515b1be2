"""The home page of a signed-in reader leads with the sessions open for them now (with
what they have not read and the time left), those closing within two days, and their
members workspaces; a non-member never sees a restricted workspace there, and a guest
(no account) gets the home page as before."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum_server.accounts.queries import UserView
from tests.conftest import MakeUser
from tests.helpers import bearer, token_for
from tests.rooms.test_pages import iso, new_session, new_space, text_of


@pytest.fixture
async def secretariat(make_user: MakeUser) -> UserView:
    return await make_user(is_secretariat=True, display_name="Secretariat")


@pytest.fixture
async def api(client, secretariat: UserView) -> dict[str, str]:
    return bearer(await token_for(client, secretariat))


def section(page: str, name: str) -> str:
    start = page.index(f'data-home="{name}"')
    return text_of(page[start : page.index("</section>", start)])


async def test_home_leads_with_open_sessions_closing_soon_and_workspaces(
    client, api, browser, make_user
):
    member, outsider = await make_user(display_name="Member"), await make_user()
    await new_space(client, api, "forum")
    await new_space(client, api, "liaison", title="Liaison Group", visibility="members")
    added = await client.put(
        f"/api/v1/spaces/liaison/members/{member.id}", json={"role": "member"}, headers=api
    )
    assert added.status_code in (200, 201), added.text
    long = await new_session(client, api, "forum", title="Long debate")
    await new_session(client, api, "forum", title="Last call", closes_at=iso(timedelta(hours=5)))
    await new_session(client, api, "liaison", title="Group work")
    await new_session(
        client,
        api,
        "forum",
        title="Not yet",
        opens_at=iso(timedelta(days=1)),
        closes_at=iso(timedelta(days=2)),
    )
    writer = bearer(await token_for(client, await make_user()))
    posted = await client.post(
        f"/api/v1/threads/{long['questions'][0]['thread_id']}/posts",
        json={"body": "A thought."},
        headers=writer,
    )
    assert posted.status_code == 201

    async with browser(member) as http:
        page = (await http.get("/")).text
    open_now, soon = section(page, "open-now"), section(page, "closing-soon")
    assert "Long debate" in open_now and "1 new" in open_now and "closes in 3 days" in open_now
    assert "Group work" in open_now and "Not yet" not in page
    assert "Last call" in soon and "closes in 4 hours" in soon and "Last call" not in open_now
    assert "Liaison Group" in section(page, "workspaces")
    assert page.index('data-home="open-now"') < page.index('id="spaces-heading"')

    async with browser(outsider) as http:
        page = (await http.get("/")).text
    assert "Long debate" in section(page, "open-now")
    assert "Group work" not in page and "Liaison Group" not in page
    assert 'data-home="workspaces"' not in page

    async with browser() as guest:
        page = (await guest.get("/")).text
    assert "data-home" not in page and "Long debate" not in page
    assert 'href="/spaces/forum"' in page
