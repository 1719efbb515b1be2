"""A draft session (no period yet) and its questions are for those who prepare it:
the session's moderators, the space's owners and moderators, and the secretariat.
Everyone else is told it does not exist, on the pages, over the API and live."""

from __future__ import annotations

import httpx
import pytest

from forum_server.accounts.queries import UserView
from forum_server.db import Database
from forum_server.live.access import load_access
from forum_server.policy import ANONYMOUS, Actor
from tests.conftest import MakeUser
from tests.helpers import bearer, token_for

HIDDEN = ("guest", "participant", "member")
SHOWN = ("owner", "spacemod", "mod", "sec")


@pytest.fixture
async def people(make_user: MakeUser) -> dict[str, UserView]:
    return {
        name: await make_user(display_name=name.title(), is_secretariat=name == "sec")
        for name in ("participant", "member", "owner", "spacemod", "mod", "sec")
    }


@pytest.fixture
async def draft(make_space, make_session, add_member, people: dict[str, UserView]) -> int:
    slug = await make_space(slug="forum")
    await add_member(slug, people["member"].id)
    await add_member(slug, people["owner"].id, "owner")
    await add_member(slug, people["spacemod"].id, "moderator")
    session_id: int = await make_session(
        slug,
        title="Draft in the making",
        opens_at=None,
        closes_at=None,
        moderator_ids=[people["mod"].id],
        questions=["Secret question in preparation?"],
    )
    return session_id


async def headers_of(client: httpx.AsyncClient, people: dict[str, UserView], who: str) -> dict:
    return {} if who == "guest" else bearer(await token_for(client, people[who]))


async def test_a_draft_is_for_those_who_prepare_it_over_the_api(client, people, draft: int):
    for who in HIDDEN + SHOWN:
        headers = await headers_of(client, people, who)
        detail = await client.get(f"/api/v1/sessions/{draft}", headers=headers)
        threads = await client.get(f"/api/v1/sessions/{draft}/threads", headers=headers)
        listed = (await client.get("/api/v1/spaces/forum", headers=headers)).json()["sessions"]
        if who in HIDDEN:
            assert detail.status_code == threads.status_code == 404, who
            assert "Secret question" not in detail.text + threads.text
            assert listed == [], who
        else:
            assert detail.status_code == threads.status_code == 200, who
            assert detail.json()["questions"][0]["text"] == "Secret question in preparation?"
            assert [s["id"] for s in listed] == [draft], who


async def test_a_draft_question_thread_is_not_found(client, people, draft: int):
    sec = await headers_of(client, people, "sec")
    thread_id = (await client.get(f"/api/v1/sessions/{draft}", headers=sec)).json()["questions"][0][
        "thread_id"
    ]
    for who in HIDDEN:
        headers = await headers_of(client, people, who)
        posts = await client.get(f"/api/v1/threads/{thread_id}/posts", headers=headers)
        assert posts.status_code == 404, who
    opened = await client.post(f"/api/v1/sessions/{draft}/open", headers=sec)
    assert opened.status_code == 200
    # Once open, it is everyone's to read.
    assert (await client.get(f"/api/v1/sessions/{draft}")).status_code == 200
    assert (await client.get(f"/api/v1/threads/{thread_id}/posts")).status_code == 200


async def test_a_draft_page_is_not_found(people, draft: int, browser):
    for who in HIDDEN + SHOWN:
        async with browser(None if who == "guest" else people[who]) as http:
            page = await http.get(f"/sessions/{draft}")
            space = (await http.get("/spaces/forum")).text
        if who in HIDDEN:
            assert page.status_code == 404, who
            assert "Draft in the making" not in page.text + space, who
        else:
            assert page.status_code == 200, who
            assert "Secret question in preparation?" in page.text
            assert "Draft in the making" in space, who


async def test_a_draft_has_no_live_subscribers_but_its_preparers(db: Database, people, draft):
    for who in HIDDEN + SHOWN:
        user = people.get(who)
        actor = (
            ANONYMOUS
            if user is None
            else Actor(user_id=user.id, display_name=user.display_name, is_secretariat=who == "sec")
        )
        access = await load_access(db, actor, draft)
        assert (access is None) == (who in HIDDEN), who


async def test_a_space_report_leaves_drafts_to_those_who_prepare_them(
    client, make_space, make_session, add_member, people
):
    slug = await make_space(slug="workspace", visibility="members")
    await add_member(slug, people["owner"].id, "owner")
    await add_member(slug, people["member"].id)
    await make_session(slug, title="Running session")
    await make_session(
        slug, title="Draft in the making", opens_at=None, closes_at=None, questions=["Secret?"]
    )
    owner = await headers_of(client, people, "owner")
    allowed = await client.patch(
        f"/api/v1/spaces/{slug}/report-settings",
        json={"members_may_download_reports": True},
        headers=owner,
    )
    assert allowed.status_code == 200, allowed.text
    url = f"/api/v1/spaces/{slug}/report?format=md"
    as_member = await client.get(url, headers=await headers_of(client, people, "member"))
    assert as_member.status_code == 200
    assert "Running session" in as_member.text and "Draft in the making" not in as_member.text
    as_owner = await client.get(url, headers=owner)
    assert "Running session" in as_owner.text and "Draft in the making" in as_owner.text
