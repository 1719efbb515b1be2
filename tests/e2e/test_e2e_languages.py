"""forum.js in the reader's language, in real Chromium: its own words come from the
page, times are written as the page's language writes them, live posts are marked
with their own language and direction, and a draft outlives a change of language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e.harness import Forum

if TYPE_CHECKING:
    from playwright.async_api import Page

    from tests.e2e.conftest import NewPage

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


async def a_thread(forum: Forum) -> int:
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id: int = session["questions"][0]["thread_id"]
    return thread_id


async def in_language(page: Page, forum: Forum, code: str) -> None:
    """As the footer's language switcher leaves a browser."""
    await page.context.add_cookies([{"name": "forum_lang", "value": code, "url": forum.base_url}])


async def test_a_draft_outlives_a_change_of_language(forum: Forum, new_page: NewPage):
    thread_id = await a_thread(forum)
    writer = await forum.person("Drafting Writer")
    page = await new_page(writer)
    await page.goto(f"/threads/{thread_id}")
    draft = "Half a thought about regional centres, not sent yet."
    await page.get_by_role("textbox", name="Your contribution").fill(draft)
    await page.locator("#field-lang").select_option("es")

    await page.locator("#language-choice").select_option("fr")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Change", exact=True).click()
    assert await page.locator("html").get_attribute("lang") == "fr"
    assert await page.get_by_role("textbox", name="Votre contribution").input_value() == draft
    assert await page.locator("#field-lang").input_value() == "es"

    # Once posted, the text is gone from the form, and from what a later page brings back.
    await page.get_by_role("button", name="Publier", exact=True).click()
    await page.locator("article.post", has_text=draft).wait_for()
    await page.locator("#language-choice").select_option("en")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Changer", exact=True).click()
    assert await page.get_by_role("textbox", name="Your contribution").input_value() == ""
    body = page.locator("article.post", has_text=draft).locator(".post-body")
    assert await body.get_attribute("lang") == "es"


async def test_live_posts_arrive_marked_with_their_language(forum: Forum, new_page: NewPage):
    thread_id = await a_thread(forum)
    reader = await new_page()
    await in_language(reader, forum, "fr")
    await reader.goto(f"/threads/{thread_id}")
    assert await reader.locator("html").get_attribute("dir") == "ltr"

    writer = await forum.person("Arabic Writer")
    post: dict[str, Any] = await forum.call(
        writer,
        "POST",
        f"/api/v1/threads/{thread_id}/posts",
        json={"body": "التدريب على المستوى الإقليمي كان مفيدًا.", "lang": "ar"},
    )
    article = reader.locator(f"#post-{post['id']}")
    await article.wait_for(timeout=5_000)
    body = article.locator(".post-body")
    assert await body.get_attribute("lang") == "ar"
    assert await body.get_attribute("dir") == "auto"
    assert "العربية" in await article.locator(".post-author").inner_text()
    # The page's own words are French, from the strings the page carries.
    await reader.locator("[data-live-announcer]", has_text="Nouvelles contributions").wait_for()

    await forum.call(
        forum.secretariat, "POST", f"/api/v1/posts/{post['id']}/hide", json={"reason": "Doublon"}
    )
    await body.locator("em", has_text="Cette contribution a été masquée").wait_for(timeout=5_000)
    assert await body.get_attribute("lang") is None
    assert "Motif : Doublon" in await body.inner_text()


async def test_times_are_written_in_the_pages_language(forum: Forum, new_page: NewPage):
    thread_id = await a_thread(forum)
    post = await forum.post(forum.moderator, thread_id, "Bienvenue.")
    for code in ("fr", "ar", "zh"):
        page = await new_page()
        await in_language(page, forum, code)
        await page.goto(f"/threads/{thread_id}")
        time = page.locator(f"#post-{post['id']} time")
        await page.wait_for_function(
            "el => el.dataset.localised === '1'", arg=await time.element_handle()
        )
        # How long ago, in the page's language; the full date and zone on hover.
        shown, expected, title, full = await time.evaluate(
            """(el, code) => {
                const when = new Date(el.getAttribute("datetime"));
                const minutes = Math.round((when.getTime() - Date.now()) / 60000);
                const ago = new Intl.RelativeTimeFormat(code, {numeric: "auto"});
                return [el.textContent,
                        minutes ? ago.format(minutes, "minute") : ago.format(0, "second"),
                        el.title,
                        when.toLocaleString(code, {dateStyle: "full", timeStyle: "long"})];
            }""",
            code,
        )
        assert shown == expected, code
        assert title == full, code
