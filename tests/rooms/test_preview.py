"""Preview before posting: the page's "Preview" button shows the text rendered above
the form it came from, the text kept and nothing posted; the API's preview answers
the same sanitized HTML a post would show, to signed-in users only."""

from __future__ import annotations

import pytest

from forum_server.accounts.queries import UserView
from forum_server.rooms import preview
from forum_server.throttle import Limit
from tests.conftest import MakeUser
from tests.helpers import bearer, token_for
from tests.rooms.test_pages import new_session, new_space, post_ids, submit, text_of


@pytest.fixture
async def secretariat(make_user: MakeUser) -> UserView:
    return await make_user(is_secretariat=True, display_name="Secretariat")


@pytest.fixture
async def api(client, secretariat: UserView) -> dict[str, str]:
    return bearer(await token_for(client, secretariat))


@pytest.fixture
async def thread_id(client, api) -> int:
    await new_space(client, api)
    session = await new_session(client, api)
    return int(session["questions"][0]["thread_id"])


async def test_the_preview_button_shows_the_rendered_text_above_the_form(
    browser, make_user, thread_id
):
    reader = await make_user(display_name="Writer")
    page = f"/threads/{thread_id}"
    async with browser(reader) as http:
        shown = await submit(http, page, f"{page}/posts", body="Some **bold** idea.", preview="1")
        assert shown.status_code == 200
        html = shown.text
        preview = html.index('class="preview"')
        assert preview < html.index('id="field-body"')  # above the form
        assert "<strong>bold</strong>" in html[preview : html.index("</section>", preview)]
        assert "Some **bold** idea.</textarea>" in html  # the text kept, to post or change
        assert post_ids((await http.get(page)).text) == []  # nothing posted


async def test_a_reply_preview_opens_above_its_own_reply_form(
    client, browser, make_user, thread_id
):
    writer = await make_user(display_name="Writer")
    first = await client.post(
        f"/api/v1/threads/{thread_id}/posts",
        json={"body": "A start."},
        headers=bearer(await token_for(client, writer)),
    )
    post_id = first.json()["id"]
    page = f"/threads/{thread_id}"
    async with browser(writer) as http:
        shown = await submit(
            http, page, f"{page}/posts", {"parent_id": str(post_id)}, body="_Agreed_", preview="1"
        )
    html = shown.text
    reply = html.index(f'id="reply-{post_id}"')
    assert html.index('class="preview"') < reply
    assert "<em>Agreed</em>" in html and "_Agreed_</textarea>" in html[reply:]


async def test_an_empty_preview_is_refused_with_a_message(browser, make_user, thread_id):
    page = f"/threads/{thread_id}"
    async with browser(await make_user()) as http:
        shown = await submit(http, page, f"{page}/posts", body=" ", preview="1")
    assert shown.status_code == 422
    assert "Your contribution" in text_of(shown.text)


async def test_the_api_preview_is_sanitized_like_a_post(client, make_user):
    headers = bearer(await token_for(client, await make_user()))
    body = 'Hello <script>alert("x")</script> **there** [a](javascript:alert(1))'
    answer = await client.post("/api/v1/preview", json={"body": body}, headers=headers)
    assert answer.status_code == 200, answer.text
    html = answer.json()["html"]
    assert "<strong>there</strong>" in html
    assert "<script" not in html.lower()  # shown as text at most, never run
    assert 'href="javascript:' not in html.lower()
    assert list(answer.json()) == ["html"]


async def test_the_api_preview_needs_an_account_and_a_text(client, make_user):
    anonymous = await client.post("/api/v1/preview", json={"body": "Hi"})
    assert anonymous.status_code == 401
    headers = bearer(await token_for(client, await make_user()))
    blank = await client.post("/api/v1/preview", json={"body": "  "}, headers=headers)
    assert blank.status_code == 422 and blank.json()["error"]["field"] == "body"


async def test_a_new_topic_previews_above_its_form(client, api, browser, make_user):
    await new_space(client, api)
    session = await new_session(client, api, participant_topics=True)
    page = f"/sessions/{session['id']}"
    async with browser(await make_user()) as http:
        shown = await submit(
            http, page, f"{page}/threads", title="Seed banks", body="A **bold** start.", preview="1"
        )
    assert shown.status_code == 200
    html = shown.text
    assert html.index('class="preview"') < html.index(f'action="{page}/threads"')
    assert "<strong>bold</strong>" in html and "A **bold** start.</textarea>" in html
    assert 'value="Seed banks"' in html  # the title kept too
    threads = (await client.get(f"/api/v1/sessions/{session['id']}/threads")).json()["items"]
    assert all(t["title"] != "Seed banks" for t in threads)  # nothing started


async def test_a_guest_previews_in_an_open_forum_only(client, api, browser):
    await new_space(client, api, slug="open", guest_posting=True)
    session = await new_session(client, api, slug="open")
    thread = session["questions"][0]["thread_id"]
    page = f"/threads/{thread}/guest-post"
    async with browser() as guest:
        shown = await submit(guest, page, page, guest_name="Visitor", body="_Hello_", preview="1")
        assert shown.status_code == 200 and "<em>Hello</em>" in shown.text
        assert 'value="Visitor"' in shown.text
    await new_space(client, api, slug="closed")
    other = await new_session(client, api, slug="closed")
    closed = f"/threads/{other['questions'][0]['thread_id']}/guest-post"
    async with browser() as guest:
        form_page = await guest.get(page)
        refused = await guest.post(
            closed,
            data={"csrf_token": csrf_of(form_page.text), "body": "_Hello_", "preview": "1"},
        )
        assert refused.status_code in {401, 403} and "<em>Hello</em>" not in refused.text


def csrf_of(html: str) -> str:
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


async def test_previews_are_rate_limited(client, make_user, monkeypatch):
    monkeypatch.setattr(preview, "ACCOUNT_LIMIT", Limit(3, preview.ACCOUNT_LIMIT.window))
    headers = bearer(await token_for(client, await make_user()))
    for _ in range(3):
        fine = await client.post("/api/v1/preview", json={"body": "Hi"}, headers=headers)
        assert fine.status_code == 200
    refused = await client.post("/api/v1/preview", json={"body": "Hi"}, headers=headers)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["retry-after"]) > 0
    # Another account is counted on its own.
    other = bearer(await token_for(client, await make_user()))
    assert (
        await client.post("/api/v1/preview", json={"body": "Hi"}, headers=other)
    ).status_code == 200
