"""A thread page left open while its session closes and opens again: what was typed
stays, and every place that shows the session's state says the same, without a
reload."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from forum_server.orm import utcnow
from tests.e2e.harness import Forum, tr

if TYPE_CHECKING:
    from tests.e2e.conftest import NewPage

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_a_close_while_typing_keeps_the_text_and_a_reopen_gives_the_form_back(
    forum: Forum, new_page: NewPage, lang: str
):
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id = session["questions"][0]["thread_id"]
    await forum.post(forum.moderator, thread_id, "Welcome to this session.")
    page = await new_page(await forum.person("Typist"), locale=lang)
    await page.goto(f"/threads/{thread_id}")
    assert "1" in await page.locator("#posts-heading").inner_text()

    typed = "A long thought about regional centres, half written."
    box = page.get_by_label(tr(lang, "Your contribution"), exact=True)
    await box.fill(typed)
    post_button = page.get_by_role("button", name=tr(lang, "Post"), exact=True)
    url = page.url

    await forum.call(forum.moderator, "POST", f"/api/v1/sessions/{session['id']}/close")
    await page.get_by_text(tr(lang, "The session is closed: no more contributions.")).wait_for()
    badge = page.locator(".session-status .badge")
    await page.wait_for_function(
        "name => document.querySelector('.session-status .badge').textContent.trim() === name",
        arg=tr(lang, "Closed"),
    )
    # The text is still there, readable and copyable; it just cannot be sent.
    assert await box.is_visible() and await box.input_value() == typed
    assert await box.get_attribute("readonly") is not None
    assert await post_button.is_disabled()
    assert await page.get_by_text(tr(lang, "Your text, so you can keep a copy")).is_visible()
    assert page.url == url, "the page was not reloaded"

    closes = (utcnow() + timedelta(days=2)).isoformat()
    await forum.call(
        forum.moderator,
        "POST",
        f"/api/v1/sessions/{session['id']}/reopen",
        json={"closes_at": closes},
    )
    await page.wait_for_function(
        "name => document.querySelector('.session-status .badge').textContent.trim() === name",
        arg=tr(lang, "Open"),
    )
    assert await badge.inner_text() == tr(lang, "Open")
    assert not await post_button.is_disabled()
    assert await box.input_value() == typed
    await post_button.click()
    await page.locator("article.post", has_text="regional centres").wait_for()
    await page.wait_for_function(
        "() => document.querySelectorAll('article.post').length === 2"
        " && /2/.test(document.getElementById('posts-heading').textContent)"
    )
    assert page.url == url


async def test_a_page_opened_while_closed_gets_its_forms_on_reopen(forum: Forum, new_page: NewPage):
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id = session["questions"][0]["thread_id"]
    first = await forum.post(forum.moderator, thread_id, "Before the close.")
    await forum.call(forum.moderator, "POST", f"/api/v1/sessions/{session['id']}/close")
    page = await new_page(await forum.person("Latecomer"))
    await page.goto(f"/threads/{thread_id}")
    assert await page.get_by_text("This session is closed.").is_visible()
    assert await page.locator("form[data-post-form]").count() == 0

    await forum.call(forum.moderator, "POST", f"/api/v1/sessions/{session['id']}/reopen", json={})
    await page.get_by_role("button", name="Post", exact=True).wait_for()
    assert await page.locator(".session-status .badge").inner_text() == "Open"
    assert await page.get_by_text("This session is closed.").count() == 0
    # Reply forms came with the refreshed list of posts.
    await page.locator(f"#post-{first['id']} summary", has_text="Reply").wait_for()


async def test_a_returning_participant_lands_on_the_first_unread_post(
    forum: Forum, new_page: NewPage
):
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id = session["questions"][0]["thread_id"]
    for n in range(12):
        await forum.post(forum.moderator, thread_id, f"Earlier contribution {n}. " * 20)
    page = await new_page(await forum.person("Returning"))
    await page.goto(f"/threads/{thread_id}")  # read everything there is
    new = await forum.post(forum.moderator, thread_id, "Something new since then.")
    await page.goto(f"/threads/{thread_id}")
    marker = page.get_by_text("New since your last visit")
    await marker.wait_for()
    assert await page.locator(f"#post-{new['id']}").is_visible()
    assert await page.evaluate("() => window.scrollY") > 0, "the page starts at the new post"
    link = page.get_by_role("link", name="Jump to the first unread contribution")
    assert await link.get_attribute("href") == f"#post-{new['id']}"
