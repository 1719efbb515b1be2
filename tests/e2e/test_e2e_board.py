"""A member of a members space posts on its bulletin board without JavaScript, as an
editor named by the owner: the form refuses an end date before the start date beside
the field, keeps what was typed, then lists the notice and shows it in the feed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.harness import Forum, tr

if TYPE_CHECKING:
    from tests.e2e.conftest import NewPage

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_an_editor_posts_a_notice_without_javascript(
    forum: Forum, new_page: NewPage, lang: str
) -> None:
    slug = await forum.space(visibility="members")
    editor = await forum.person("Board editor")
    await forum.add_member(slug, editor)
    named = await forum.call(
        forum.secretariat,
        "POST",
        f"/api/v1/spaces/{slug}/board/editors",
        json={"user_id": editor.id},
    )
    assert named["user_id"] == editor.id
    title = forum.unique("Wetland restoration training")
    page = await new_page(editor, js=False, locale=lang)
    await page.goto(f"/spaces/{slug}/board")
    await page.get_by_role("link", name=tr(lang, "New notice"), exact=True).click()
    await page.get_by_label(tr(lang, "Kind"), exact=True).select_option("opportunity")
    await page.get_by_label(tr(lang, "Category (opportunities only)")).select_option("training")
    await page.get_by_label(tr(lang, "Title"), exact=True).fill(title)
    await page.get_by_label(tr(lang, "Countries"), exact=True).fill("KE UG")
    await page.get_by_label(tr(lang, "Start date"), exact=True).fill("2026-06-01")
    await page.get_by_label(tr(lang, "End date"), exact=True).fill("2026-05-01")
    await page.get_by_role("button", name=tr(lang, "Post"), exact=True).click()
    error = page.locator("#field-end_date-error")
    await error.wait_for()
    assert (
        tr(lang, "must not be before the start date")[:10].lower()
        in (await error.inner_text()).lower()
    )
    assert await page.get_by_label(tr(lang, "Title"), exact=True).input_value() == title
    await page.get_by_label(tr(lang, "End date"), exact=True).fill("2026-08-31")
    await page.get_by_role("button", name=tr(lang, "Post"), exact=True).click()
    await page.get_by_role("heading", name=title).wait_for()
    assert "/notices/" in page.url
    await page.goto(f"/spaces/{slug}/board?country=UG")
    await page.get_by_role("link", name=title).wait_for()
    feed = await page.request.get(f"/api/v1/spaces/{slug}/board/feed")
    assert feed.ok and title in await feed.text()
