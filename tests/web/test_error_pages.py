"""Every error a browser meets is a page of the site, in the reader's language, that
says what to do next; the API keeps its JSON error format for the same refusals."""

from __future__ import annotations

import pytest

from forum_server.i18n import gettext, ngettext, using_language
from forum_server.rooms import preview
from forum_server.rooms.pages import threads
from forum_server.throttle import Limit
from tests.helpers import BASE_URL, bearer, client_for, sign_in, token_for
from tests.rooms.test_pages import new_session, new_space


def tr(language: str, message: str, **params: object) -> str:
    with using_language(language):
        return gettext(message, **params)


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
async def test_a_missing_page_says_what_to_do(client, language: str):
    answer = await client.get("/threads/987654", headers={"Accept-Language": language})
    assert answer.status_code == 404
    page = answer.text
    assert f'lang="{language}"' in page and 'class="site-header' in page  # the site's layout
    assert tr(language, "What you can do") in page
    assert tr(language, "Check the address for typing mistakes.") in page


async def test_an_expired_form_says_go_back_and_resend(client):
    form_page = f"{BASE_URL}/spaces/new"
    answer = await client.post(
        "/login", data={"email": "x@example.org"}, headers={"Referer": form_page}
    )
    assert answer.status_code == 403
    page = answer.text
    assert "data-error-message" in page
    assert 'href="/spaces/new"' in page and "send the form again" in page
    assert "Copy what you typed first" in page
    # Another site's address is never offered as the way back.
    foreign = await client.post(
        "/login", data={"email": "x"}, headers={"Referer": "https://evil.example/spaces/new"}
    )
    assert "evil.example" not in foreign.text


async def test_a_foreign_origin_is_refused_on_a_page_and_in_json(client):
    headers = {"Origin": "https://evil.example"}
    page = await client.post("/login", data={"email": "x"}, headers=headers)
    assert page.status_code == 403 and "What you can do" in page.text
    api = await client.post("/api/v1/preview", json={"body": "x"}, headers=headers)
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "csrf_failed"


async def test_too_large_says_send_something_smaller(client, app):
    huge = "x" * (app.state.ctx.settings.max_upload_bytes + 2_000_000)
    answer = await client.post("/login", content=huge, headers={"Content-Type": "text/plain"})
    assert answer.status_code == 413
    assert "a shorter text or a smaller file" in answer.text
    api = await client.post(
        "/api/v1/preview", content=huge, headers={"Content-Type": "application/json"}
    )
    assert api.status_code == 413 and api.json()["error"]["code"] == "too_large"


async def test_too_many_says_how_long_to_wait(client, make_user, monkeypatch, app):
    monkeypatch.setattr(preview, "ACCOUNT_LIMIT", Limit(1, preview.ACCOUNT_LIMIT.window))
    secretariat = await make_user(is_secretariat=True)
    api = bearer(await token_for(client, secretariat))
    await new_space(client, api)
    session = await new_session(client, api)
    thread = f"/threads/{session['questions'][0]['thread_id']}"
    async with client_for(app) as http:
        await sign_in(http, await make_user())
        page = (await http.get(thread)).text
        marker = 'name="csrf_token" value="'
        token = page[page.index(marker) + len(marker) :].split('"', 1)[0]
        data = {"csrf_token": token, "body": "Hi", "preview": "1"}
        assert (await http.post(f"{thread}/posts?csrf_token={token}", data=data)).status_code == 200
        refused = await http.post(f"{thread}/posts?csrf_token={token}", data=data)
    assert refused.status_code == 429
    wait = int(refused.headers["retry-after"])
    said = ngettext(
        "Wait %(num)s second, then try again.", "Wait %(num)s seconds, then try again.", wait
    ) % {"num": wait}
    assert said in refused.text


async def test_an_unexpected_failure_gives_a_reference(client, monkeypatch):
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(threads, "render_thread", broken)
    answer = await client.get("/threads/1", headers={"X-Request-Id": "abc123def456"})
    assert answer.status_code == 500
    assert "boom" not in answer.text
    assert "quote this reference: abc123def456" in answer.text
    assert "What you can do" in answer.text
