"""What's new: a signed-in reader's position in each thread moves when they view it;
the session page counts what they have not read (only posts they may see, never their
own), and the thread page marks where the new posts begin."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum_server.accounts.queries import UserView
from forum_server.rooms.reading import ReadPosition
from tests.conftest import MakeUser
from tests.helpers import bearer, token_for
from tests.rooms.test_pages import new_session, new_space, text_of


@pytest.fixture
async def secretariat(make_user: MakeUser) -> UserView:
    return await make_user(is_secretariat=True, display_name="Secretariat")


@pytest.fixture
async def api(client, secretariat: UserView) -> dict[str, str]:
    return bearer(await token_for(client, secretariat))


async def _post(client, headers, thread_id: int, body: str) -> dict:
    response = await client.post(
        f"/api/v1/threads/{thread_id}/posts", json={"body": body}, headers=headers
    )
    assert response.status_code in (201, 202), response.text
    return response.json()


async def test_viewing_a_thread_records_the_last_post_read_and_counts_fall(
    app, client, api, browser, make_user
):
    await new_space(client, api)
    session = await new_session(client, api)
    thread_id = session["questions"][0]["thread_id"]
    other_thread = session["questions"][1]["thread_id"]
    reader, writer = await make_user(display_name="Reader"), await make_user()
    writer_api = bearer(await token_for(client, writer))
    reader_api = bearer(await token_for(client, reader))
    first = await _post(client, writer_api, thread_id, "First thoughts.")
    await _post(client, writer_api, other_thread, "Elsewhere.")
    page = f"/sessions/{session['id']}"
    async with browser(reader) as http:
        # A first visit: everything is new, counted per question.
        counts = text_of((await http.get(page)).text)
        assert counts.count("1 new") == 2

        thread = (await http.get(f"/threads/{thread_id}")).text
        assert "New since your last visit" not in thread  # nothing to mark on a first visit
        async with app.state.ctx.db.read() as db:
            saved = await db.scalar(select(ReadPosition.last_post_id))
        assert saved == first["id"]
        assert text_of((await http.get(page)).text).count("1 new") == 1

        # Two more, one of them the reader's own: one is new to them.
        newer = await _post(client, writer_api, thread_id, "Second thoughts.")
        await _post(client, reader_api, thread_id, "My own answer.")
        assert text_of((await http.get(page)).text).count("1 new") == 2
        again = (await http.get(f"/threads/{thread_id}")).text
        assert "New since your last visit" in again
        marker = again.index("data-first-unread")
        assert (
            again.index(f'id="post-{first["id"]}"')
            < marker
            < again.index(f'id="post-{newer["id"]}"')
        )
        assert f'href="#post-{newer["id"]}"' in again  # the jump link
        assert text_of((await http.get(page)).text).count("1 new") == 1


async def test_counts_cover_only_posts_the_reader_may_see(client, api, browser, make_user):
    await new_space(client, api)
    session = await new_session(client, api)
    rules = await client.put(
        "/api/v1/spaces/forum/moderation", json={"hold_first_posts": 1}, headers=api
    )
    assert rules.status_code == 200, rules.text
    thread_id = session["questions"][0]["thread_id"]
    writer = await make_user()
    held = await _post(client, bearer(await token_for(client, writer)), thread_id, "Held back.")
    assert held["status"] == "pending"
    async with browser(await make_user()) as http:
        assert 'class="unread"' not in (await http.get(f"/sessions/{session['id']}")).text
    async with browser() as anonymous:
        page = (await anonymous.get(f"/sessions/{session['id']}")).text
        assert 'class="unread"' not in page


async def test_the_space_page_counts_what_is_new_in_each_session(client, api, browser, make_user):
    await new_space(client, api)
    first = await new_session(client, api, title="First session")
    second = await new_session(client, api, title="Second session")
    writer = bearer(await token_for(client, await make_user()))
    for thread in (first["questions"][0]["thread_id"], first["questions"][1]["thread_id"]):
        await _post(client, writer, thread, "News.")
    await _post(client, writer, second["questions"][0]["thread_id"], "More news.")
    reader = await make_user(display_name="Reader")
    async with browser(reader) as http:
        page = text_of((await http.get("/spaces/forum")).text)
        assert "First session Open · 2 new" in page and "Second session Open · 1 new" in page
        await http.get(f"/threads/{second['questions'][0]['thread_id']}")
        page = text_of((await http.get("/spaces/forum")).text)
        assert "Second session Open · 1 new" not in page and "· 2 new" in page
        # The session page marks each thread's count for the script to keep current.
        session_page = (await http.get(f"/sessions/{first['id']}")).text
        thread = first["questions"][0]["thread_id"]
        assert f'data-unread-thread="{thread}" data-unread="1"' in session_page
    async with browser() as anonymous:
        assert 'class="unread"' not in (await anonymous.get("/spaces/forum")).text
