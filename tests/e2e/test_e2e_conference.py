"""Three people in one conference, each in their own Chromium context: messages typed
in one page appear in the others without a reload, a reply quotes what it answers,
"Here now" follows who comes and goes, and the moderator's move along the agenda
reaches every page."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.harness import Forum, tr

if TYPE_CHECKING:
    from playwright.async_api import Page

    from tests.e2e.conftest import NewPage

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


async def send(page: Page, text: str) -> None:
    box = page.get_by_label(tr("en", "Your message"), exact=True)
    await box.fill(text)
    await box.press("Enter")  # Enter sends, as in any chat


async def shows(page: Page, text: str) -> None:
    await page.locator("[data-messages] .message", has_text=text).wait_for(timeout=10_000)


async def here_now(page: Page, names: list[str]) -> None:
    await page.wait_for_function(
        """names => [...document.querySelectorAll('[data-presence-people] li')]
            .map(li => li.textContent.trim()).join('|') === names.join('|')""",
        arg=names,
        timeout=10_000,
    )


async def test_three_participants_talk_live_and_follow_the_agenda(forum: Forum, new_page: NewPage):
    slug = await forum.space()
    session = await forum.session(slug, format="conference")
    sid = session["id"]
    ana, ben, cleo = (
        await forum.person("Ana Live"),
        await forum.person("Ben Live"),
        await forum.person("Cleo Live"),
    )
    pages = {}
    for who in (ana, ben):
        pages[who.display_name] = page = await new_page(who)
        await page.goto(f"/sessions/{sid}/conference")
    await here_now(pages["Ana Live"], ["Ana Live", "Ben Live"])
    pages["Cleo Live"] = cleo_page = await new_page(cleo)
    await cleo_page.goto(f"/sessions/{sid}/conference")
    for page in pages.values():
        await here_now(page, ["Ana Live", "Ben Live", "Cleo Live"])
    urls = {name: page.url for name, page in pages.items()}

    await send(pages["Ana Live"], "Good morning, everyone.")
    await send(pages["Ben Live"], "Morning! Ready for item one.")
    for page in pages.values():
        await shows(page, "Good morning, everyone.")
        await shows(page, "Ready for item one.")
    # Newest at the bottom, in the order they were sent, on every page.
    for page in pages.values():
        texts = await page.locator("[data-messages] .message .post-body").all_inner_texts()
        assert texts[-2:] == ["Good morning, everyone.", "Morning! Ready for item one."]

    # Cleo replies to Ana: the reply quotes her inline, not nested.
    ana_message = cleo_page.locator("[data-messages] .message", has_text="Good morning")
    await ana_message.get_by_role("link", name=tr("en", "Reply")).click()
    await send(cleo_page, "Hello Ana!")
    for page in pages.values():
        reply = page.locator("[data-messages] .message", has_text="Hello Ana!")
        await reply.wait_for()
        quote = reply.locator(".message-quote")
        assert "Ana Live" in await quote.inner_text()
        assert "Good morning" in await quote.inner_text()

    # The moderator moves to item 2: every page's pinned item follows.
    await forum.call(forum.moderator, "POST", f"/api/v1/sessions/{sid}/agenda", json={"number": 2})
    second = tr("en", "Agenda item %(number)s", number=2)
    for page in pages.values():
        await page.locator("[data-now-number]", has_text=second).wait_for(timeout=10_000)
        assert await page.locator("[data-now-text]").inner_text() == session["questions"][1]["text"]
    await send(pages["Ben Live"], "On the second item now.")
    for page in pages.values():
        await shows(page, "On the second item now.")
        marker = page.locator("[data-item-marker='2']")
        assert await marker.count() == 1
    assert {name: page.url for name, page in pages.items()} == urls, "no page was reloaded"

    # Cleo leaves: the others' lists follow.
    await cleo_page.close()
    for name in ("Ana Live", "Ben Live"):
        await here_now(pages[name], ["Ana Live", "Ben Live"])


async def test_without_the_script_a_message_returns_to_the_bottom(forum: Forum, new_page: NewPage):
    slug = await forum.space()
    sid = (await forum.session(slug, format="conference"))["id"]
    page = await new_page(await forum.person("Plain Reader"), js=False)
    await page.goto(f"/sessions/{sid}/conference")
    await page.get_by_label(tr("en", "Your message"), exact=True).fill("Sent the plain way.")
    await page.get_by_role("button", name=tr("en", "Send"), exact=True).click()
    await shows(page, "Sent the plain way.")
    assert "#m-" in page.url
    assert await page.get_by_role("link", name=tr("en", "Refresh to see new messages")).is_visible()
