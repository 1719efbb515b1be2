"""The actions under a post and what a page says when something goes wrong, in
Chromium with and without the script: a moderator hides a contribution after a
confirmation and undoes it; a participant flags one; a post's number is a link that
lands on it; an error page says what to do next, in the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.e2e.harness import Forum, tr
from tests.e2e.test_e2e_accessibility import check

if TYPE_CHECKING:
    from playwright.async_api import Page

    from tests.e2e.conftest import NewPage

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

SECRET = "Rude words CANARY-7d1e"


@pytest.mark.parametrize(("js", "lang"), [(True, "en"), (False, "en"), (True, "fr")])
async def test_a_moderator_hides_with_confirmation_and_undoes(
    forum: Forum, new_page: NewPage, axe_script: Path, js: bool, lang: str
):
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id = session["questions"][0]["thread_id"]
    author = await forum.person("Loud Writer")
    post = await forum.post(author, thread_id, SECRET)
    page = await new_page(forum.moderator, js=js, locale=lang, bypass_csp=True)
    await page.goto(f"/threads/{thread_id}")
    article = page.locator(f"#post-{post['id']}")
    await article.get_by_role("link", name=tr(lang, "Hide"), exact=True).click()
    # It asks first: in a dialog with the script, on its own page without it.
    asked = page.locator("dialog[open]") if js else page.locator("main")
    await asked.get_by_text(tr(lang, "Hide this contribution?")).wait_for()
    if not js:
        assert page.url.endswith(f"/moderation/posts/{post['id']}/hide")
    await asked.get_by_label(tr(lang, "Reason, shown to readers")).fill("Personal attack")
    await asked.get_by_role("button", name=tr(lang, "Hide"), exact=True).click()
    said = article.locator("[data-outcome]")
    await said.get_by_text(tr(lang, "Contribution hidden.")).wait_for()
    if js:
        assert page.url.endswith(f"/threads/{thread_id}")  # never left the page
    else:
        assert f"#post-{post['id']}" in page.url
    # The moderator can still read it, folded; a reader sees the note only.
    await article.get_by_text(tr(lang, "Show the hidden text")).click()
    await article.get_by_text(SECRET).wait_for()
    if js:  # axe runs in the page's script
        await check(page, axe_script, "thread after hiding, with the dialog's outcome")
    reader_page = await new_page(author)
    await reader_page.goto(f"/threads/{thread_id}")
    assert SECRET not in await reader_page.content()
    # Undo restores it for everyone.
    await said.get_by_role("button", name=tr(lang, "Undo")).click()
    await article.get_by_text(tr(lang, "Contribution restored: everyone sees it again.")).wait_for()
    await reader_page.reload()
    await reader_page.get_by_text(SECRET).wait_for()


@pytest.mark.parametrize("js", [True, False])
async def test_a_participant_flags_and_is_told(forum: Forum, new_page: NewPage, js: bool):
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id = session["questions"][0]["thread_id"]
    post = await forum.post(await forum.person("Claimant"), thread_id, "A contested claim.")
    page = await new_page(await forum.person("Careful Reader"), js=js)
    await page.goto(f"/threads/{thread_id}")
    article = page.locator(f"#post-{post['id']}")
    await article.get_by_role("link", name="Flag", exact=True).click()
    asked = page.locator("dialog[open]") if js else page.locator("main")
    await asked.get_by_label("Why should a moderator look at this?").fill("Not accurate.")
    await asked.get_by_role("button", name="Send to the moderators").click()
    await article.get_by_text("Sent to the moderators. Thank you.").wait_for()


@pytest.mark.parametrize("js", [True, False])
async def test_a_post_number_is_a_link_that_lands_on_it(forum: Forum, new_page: NewPage, js: bool):
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id = session["questions"][0]["thread_id"]
    writer = await forum.person("Numbered")
    posts = [await forum.post(writer, thread_id, f"Point {n}.") for n in range(1, 4)]
    page = await new_page(js=js)
    await page.goto(f"/threads/{thread_id}#post-{posts[1]['id']}")
    article = page.locator(f"#post-{posts[1]['id']}")
    number = article.locator("a.post-number")
    assert await number.inner_text() == "#2"
    assert await number.get_attribute("href") == f"#post-{posts[1]['id']}"
    # The post the address names is marked, and in view.
    assert await page.evaluate("() => document.querySelector(':target')?.id") == (
        f"post-{posts[1]['id']}"
    )
    assert await article.is_visible()
    when = article.locator("time[data-ago]")
    assert await when.get_attribute("title")  # the full date and zone on hover
    assert "ago" in await when.inner_text() or "now" in await when.inner_text()
    assert "Kenya" in await article.locator(".post-author").inner_text()


@pytest.mark.parametrize(("js", "lang"), [(True, "en"), (False, "es")])
async def test_an_error_page_says_what_to_do_next(
    forum: Forum, new_page: NewPage, axe_script: Path, js: bool, lang: str
):
    page = await new_page(js=js, locale=lang, bypass_csp=True)
    response = await page.goto("/threads/999999")
    assert response is not None and response.status == 404
    main = page.locator("main")
    await main.get_by_role("heading", name=tr(lang, "What you can do")).wait_for()
    await main.get_by_text(tr(lang, "Check the address for typing mistakes.")).wait_for()
    assert await page.locator("header").count() >= 1  # the site's own layout
    if js:
        await check(page, axe_script, f"error page ({lang})")


async def test_counts_and_arrivals_update_live(forum: Forum, new_page: NewPage):
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id = session["questions"][0]["thread_id"]
    reader, writer = await forum.person("Watcher"), await forum.person("Writer")
    page = await new_page(reader)
    await page.goto(f"/sessions/{session['id']}")
    await page.wait_for_function("() => !!document.querySelector('[data-unread-thread]')")
    await page.wait_for_timeout(500)  # subscribed
    await forum.post(writer, thread_id, "First news.")
    await forum.post(writer, thread_id, "Second news.")
    count = page.locator(f'[data-unread-thread="{thread_id}"] strong')
    await count.filter(has_text="2 new").wait_for()
    # On the thread, a contribution that arrives is marked for a moment.
    await page.goto(f"/threads/{thread_id}")
    await page.wait_for_timeout(500)
    arrived = await forum.post(writer, thread_id, "Third news.")
    await page.locator(f"#post-{arrived['id']}.arrived").wait_for()
    assert await page.locator(f"#post-{arrived['id']} a.post-number").inner_text() == "#3"


async def test_a_post_that_arrives_live_has_the_same_actions_as_the_others(
    forum: Forum, new_page: NewPage
):
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id = session["questions"][0]["thread_id"]
    reader, writer = await forum.person("Careful Reader"), await forum.person("Late Writer")
    earlier = await forum.post(writer, thread_id, "Here when the pages load.")
    moderating = await new_page(forum.moderator)
    reading = await new_page(reader)
    for page in (moderating, reading):
        await page.goto(f"/threads/{thread_id}")
    await reading.wait_for_timeout(500)  # subscribed
    arrived = await forum.post(writer, thread_id, "Arrived while they read.")
    own = await forum.post(reader, thread_id, "My own, sent from elsewhere.")

    async def actions(page: Page, post_id: int) -> list[tuple[str, str]]:
        found = page.locator(f"#post-{post_id} .post-actions").locator(
            "summary:visible, a:visible, button:visible"
        )
        await found.first.wait_for()
        named = []
        for n in range(await found.count()):
            item = found.nth(n)
            target = await item.get_attribute("href") or await item.evaluate(
                "b => b.form ? b.form.getAttribute('action') : ''"
            )
            text = (await item.inner_text()).strip()
            named.append((text, (target or "").replace(str(post_id), "N")))
        return named

    for page in (moderating, reading):
        await page.locator(f"#post-{arrived['id']}").wait_for()
        assert await actions(page, arrived["id"]) == await actions(page, earlier["id"])
    assert ("Hide", "/moderation/posts/N/hide") in await actions(moderating, arrived["id"])
    assert ("Flag", "/moderation/posts/N/flag") in await actions(reading, arrived["id"])
    await reading.locator(f"#post-{own['id']}").wait_for()
    assert await reading.locator(f"#post-{own['id']}").get_by_text("Flag").count() == 0

    mod_view = moderating.locator(f"#post-{arrived['id']}")
    await mod_view.get_by_role("button", name="Highlight for the report").click()
    await mod_view.locator("[data-outcome]").wait_for()  # it acted on the one that arrived
    reader_view = reading.locator(f"#post-{arrived['id']}")
    await reader_view.get_by_role("link", name="Flag", exact=True).click()
    asked = reading.locator("dialog[open]")
    await asked.get_by_label("Why should a moderator look at this?").fill("Off topic.")
    await asked.get_by_role("button", name="Send to the moderators").click()
    await reader_view.get_by_text("Sent to the moderators. Thank you.").wait_for()


async def test_a_hide_by_another_moderator_shows_as_moderators_see_it(
    forum: Forum, new_page: NewPage
):
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id = session["questions"][0]["thread_id"]
    post = await forum.post(await forum.person("Loud Writer"), thread_id, SECRET)
    reader = await new_page(await forum.person("Quiet Reader"))
    moderator = await new_page(forum.moderator)
    for page in (reader, moderator):
        await page.goto(f"/threads/{thread_id}")
    await moderator.wait_for_timeout(500)  # subscribed
    hide = f"/api/v1/posts/{post['id']}/hide"
    await forum.call(forum.secretariat, "POST", hide, json={"reason": "Personal attack"})

    article = moderator.locator(f"#post-{post['id']}")
    await article.get_by_role("button", name="Restore").wait_for()
    await article.get_by_text("Show the hidden text").click()
    await article.get_by_text(SECRET).wait_for()
    await reader.locator(f"#post-{post['id']}").get_by_text(SECRET).wait_for(state="detached")

    await forum.call(forum.secretariat, "POST", f"/api/v1/posts/{post['id']}/restore")
    await article.get_by_role("link", name="Hide", exact=True).wait_for()
    await reader.locator(f"#post-{post['id']}").get_by_text(SECRET).wait_for()


async def test_what_was_done_stays_when_the_page_refreshes_its_parts(
    forum: Forum, new_page: NewPage
):
    """A live change of the session (here its closing time) fetches the page's parts
    again; the post hidden from here keeps the notice of it, with its Undo."""
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id = session["questions"][0]["thread_id"]
    post = await forum.post(await forum.person("Loud Writer"), thread_id, SECRET)
    page = await new_page(forum.moderator)
    await page.goto(f"/threads/{thread_id}")
    article = page.locator(f"#post-{post['id']}")
    await article.get_by_role("link", name="Hide", exact=True).click()
    asked = page.locator("dialog[open]")
    await asked.get_by_label("Reason, shown to readers").fill("Personal attack")
    await asked.get_by_role("button", name="Hide", exact=True).click()
    said = article.locator("[data-outcome]")
    await said.get_by_text("Contribution hidden.").wait_for()

    later = (datetime.now(UTC) + timedelta(days=9)).isoformat(timespec="seconds")
    path = f"/api/v1/sessions/{session['id']}"
    await forum.call(forum.secretariat, "PATCH", path, json={"closes_at": later})
    await page.get_by_text("The closing time is changed.").wait_for()
    await page.wait_for_timeout(2500)  # the parts are fetched within 1.75 s
    await said.get_by_role("button", name="Undo").click()
    await article.get_by_text("Contribution restored: everyone sees it again.").wait_for()
