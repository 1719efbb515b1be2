"""A participant mentions another with the autocomplete; the person mentioned sees the
badge in the header, finds the notification and follows it to the post."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.harness import Forum, tr

if TYPE_CHECKING:
    from tests.e2e.conftest import NewPage

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


async def test_a_mention_reaches_its_person_who_follows_it_to_the_post(
    forum: Forum, new_page: NewPage
):
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id = session["questions"][0]["thread_id"]
    named = await forum.person(forum.unique("Zanele Mokoena"))
    await forum.post(named, thread_id, "Community seed banks helped us.")
    author = await forum.person(forum.unique("Tomás"))

    # The person to be mentioned has a page open already: no badge yet.
    reader = await new_page(named)
    await reader.goto("/")
    assert await reader.locator("[data-unread-badge]").count() == 0

    page = await new_page(author)
    await page.goto(f"/threads/{thread_id}")
    box = page.get_by_role("textbox", name=tr("en", "Your contribution"), exact=True)
    await box.click()
    await box.press_sequentially("Thank you @zan")
    option = page.get_by_role("option", name=named.display_name)
    await option.wait_for()
    await box.press("Enter")
    assert await box.input_value() == f"Thank you @[{named.display_name}] "
    await box.press_sequentially("for this.")
    await page.get_by_role("button", name=tr("en", "Post"), exact=True).click()
    mention = page.locator("a.mention", has_text=f"@{named.display_name}")
    article = page.locator("article.post", has=mention)
    await article.wait_for()
    assert await article.locator("a.mention").get_attribute("href") == f"/people/{named.id}"
    post_id = int((await article.get_attribute("id") or "").removeprefix("post-"))

    # Coming back to that tab counts again, without a reload.
    await reader.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    badge = reader.locator("[data-unread-badge]")
    await badge.wait_for()
    assert (await badge.inner_text()).strip().startswith("1")
    await reader.locator('header a[href="/notifications"]').click()
    said = tr(
        "en",
        "%(author)s mentioned you in %(place)s",
        author=author.display_name,
        place=tr(
            "en", "Question %(number)s: %(text)s", number=1, text="What has worked well, and why?"
        ),
    )
    item = reader.locator(".notification", has_text=said)
    await item.get_by_role("link", name=tr("en", "Go to the contribution")).click()
    await reader.wait_for_url(f"**/threads/{thread_id}#post-{post_id}")
    await reader.locator(f"#post-{post_id} a.mention").wait_for()
    await reader.goto("/")
    assert await reader.locator("[data-unread-badge]").count() == 0
