"""An author corrects their contribution within the edit window: in place with the
script, on the edit page without it; the page then shows the new text and "edited"."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.harness import Forum, tr

if TYPE_CHECKING:
    from tests.e2e.conftest import NewPage

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


@pytest.mark.parametrize(("js", "lang"), [(True, "en"), (False, "fr"), (True, "ar")])
async def test_an_author_edits_within_the_window(
    forum: Forum, new_page: NewPage, js: bool, lang: str
):
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id = session["questions"][0]["thread_id"]
    author = await forum.person("Corrector")
    post = await forum.post(author, thread_id, "Regional centers work well.")
    page = await new_page(author, js=js, locale=lang)
    await page.goto(f"/threads/{thread_id}")
    article = page.locator(f"#post-{post['id']}")
    await article.get_by_role("link", name=tr(lang, "Edit"), exact=True).click()
    label = tr(lang, "Edit your contribution" if js else "Your contribution")
    box = page.get_by_label(label, exact=True)
    assert await box.input_value() == "Regional centers work well."
    await box.fill("Regional **centres** work well.")
    await page.get_by_role("button", name=tr(lang, "Save changes"), exact=True).click()
    await article.locator("strong", has_text="centres").wait_for()
    # In place with the script; without it, back from the edit page to the post.
    ending = f"/threads/{thread_id}" if js else f"/threads/{thread_id}#post-{post['id']}"
    assert page.url.endswith(ending)
    footer = article.locator(".post-footer [data-edited]")
    await footer.wait_for()
    assert await footer.locator("time[datetime]").count() == 1
    await page.reload()
    assert "centres" in await article.locator(".post-body").inner_text()
