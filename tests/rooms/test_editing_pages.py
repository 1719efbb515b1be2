"""Editing from the thread page without the script: the author's "Edit" within the
window, the form with the text, a clear refusal once the window has passed (the text
kept), nobody else offered it or let in, and the earlier texts for moderators."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from forum_server.accounts.queries import UserView
from forum_server.orm import utcnow
from forum_server.rooms.models import Post
from tests.conftest import MakeUser
from tests.helpers import bearer, token_for
from tests.rooms.test_pages import forms_on, new_session, new_space, submit, text_of


@pytest.fixture
async def secretariat(make_user: MakeUser) -> UserView:
    return await make_user(is_secretariat=True, display_name="Secretariat")


@pytest.fixture
async def api(client, secretariat: UserView) -> dict[str, str]:
    return bearer(await token_for(client, secretariat))


@pytest.fixture
async def written(client, api, make_user) -> tuple[UserView, int, int]:
    """An author and their post in an open session's thread: (author, thread, post)."""
    await new_space(client, api)
    session = await new_session(client, api)
    thread_id = session["questions"][0]["thread_id"]
    author = await make_user(display_name="Author")
    response = await client.post(
        f"/api/v1/threads/{thread_id}/posts",
        json={"body": "First *draft*."},
        headers=bearer(await token_for(client, author)),
    )
    assert response.status_code == 201, response.text
    return author, thread_id, response.json()["id"]


async def _age(db, post_id: int, minutes: int) -> None:
    async with db.write() as uow:
        await uow.session.execute(
            update(Post)
            .where(Post.id == post_id)
            .values(created_at=utcnow() - timedelta(minutes=minutes))
        )


async def test_the_author_edits_within_the_window(browser, written):
    author, thread_id, post_id = written
    async with browser(author) as http:
        page = (await http.get(f"/threads/{thread_id}")).text
        assert f'href="/posts/{post_id}/edit"' in page
        form = (await http.get(f"/posts/{post_id}/edit")).text
        assert "First *draft*." in form  # the text to change, as written
        response = await submit(
            http, f"/posts/{post_id}/edit", f"/posts/{post_id}/edit", body="Final **text**."
        )
        assert response.status_code == 303
        assert response.headers["location"] == f"/threads/{thread_id}#post-{post_id}"
        page = (await http.get(f"/threads/{thread_id}")).text
    assert "<strong>text</strong>" in page and "draft" not in page
    edited = page[page.index("data-edited") :]
    assert "edited" in text_of(edited[: edited.index("</span>")])
    assert "<time datetime=" in edited[: edited.index("</span>")]


async def test_a_blank_text_is_refused_next_to_the_field(browser, written):
    author, _, post_id = written
    async with browser(author) as http:
        response = await submit(http, f"/posts/{post_id}/edit", f"/posts/{post_id}/edit", body=" ")
    assert response.status_code == 422
    assert 'class="field-error" id="field-body-error"' in response.text


async def test_after_the_window_editing_is_refused_clearly_and_the_text_kept(db, browser, written):
    author, thread_id, post_id = written
    async with browser(author) as http:
        form = forms_on((await http.get(f"/posts/{post_id}/edit")).text)
        await _age(db, post_id, 31)  # FORUM_EDIT_WINDOW_MINUTES is 30 by default
        page = (await http.get(f"/threads/{thread_id}")).text
        assert f"/posts/{post_id}/edit" not in page  # no longer offered
        late = await http.get(f"/posts/{post_id}/edit")
        assert late.status_code == 409
        assert "The time for editing this post has passed." in text_of(late.text)
        hidden = next(f for f in form if f["action"] == f"/posts/{post_id}/edit")["hidden"]
        sent = await http.post(
            f"/posts/{post_id}/edit", data={**hidden, "body": "A late second thought."}
        )
    assert sent.status_code == 409
    error = sent.text[sent.text.index('id="field-body-error"') :]
    assert "The time for editing this post has passed." in text_of(error[: error.index("</p>")])
    assert "A late second thought.</textarea>" in sent.text


async def test_others_are_never_offered_the_form_nor_let_in(
    client, api, browser, written, make_user
):
    _, thread_id, post_id = written
    other = await make_user(display_name="Other")
    async with browser(other) as http:
        page = (await http.get(f"/threads/{thread_id}")).text
        assert "/edit" not in page
        assert (await http.get(f"/posts/{post_id}/edit")).status_code == 403
        token = forms_on(page)[0]["hidden"]["csrf_token"]
        sent = await http.post(
            f"/posts/{post_id}/edit", data={"csrf_token": token, "body": "Vandalised."}
        )
        assert sent.status_code == 403
    async with browser() as anonymous:
        assert "/edit" not in (await anonymous.get(f"/threads/{thread_id}")).text
        assert (await anonymous.get(f"/posts/{post_id}/edit")).status_code in (401, 303)
    shown = await client.get(f"/api/v1/threads/{thread_id}/posts")
    assert "Vandalised" not in shown.text


async def test_moderators_see_the_earlier_texts_and_the_author_does_not(
    client, api, browser, written, secretariat
):
    author, thread_id, post_id = written
    async with browser(author) as http:
        await submit(http, f"/posts/{post_id}/edit", f"/posts/{post_id}/edit", body="Second.")
        own = (await http.get(f"/threads/{thread_id}")).text
    assert "post-versions" not in own and "draft" not in own
    async with browser(secretariat) as http:
        page = (await http.get(f"/threads/{thread_id}")).text
    versions = page[page.index('class="post-versions"') :]
    versions = versions[: versions.index("</details>")]
    assert "1 earlier version" in text_of(versions)
    assert "<em>draft</em>" in versions and "Replaced" in text_of(versions)


async def test_the_edit_form_previews_without_saving(browser, written):
    author, thread_id, post_id = written
    async with browser(author) as http:
        shown = await submit(
            http,
            f"/posts/{post_id}/edit",
            f"/posts/{post_id}/edit",
            body="New _take_.",
            preview="1",
        )
        assert shown.status_code == 200
        assert "<em>take</em>" in shown.text and "New _take_.</textarea>" in shown.text
        page = (await http.get(f"/threads/{thread_id}")).text
    assert "<em>draft</em>" in page and "data-edited" not in page
