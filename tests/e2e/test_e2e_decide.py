"""Deciding together in a real browser: a proposal voted with and without the script
(the other voter's page updates live), and a reaction that counts at once and reaches
another reader's open page."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.harness import Forum, tr

if TYPE_CHECKING:
    from tests.e2e.conftest import NewPage

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


async def test_a_proposal_voted_with_and_without_the_script(forum: Forum, new_page: NewPage):
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id = session["questions"][0]["thread_id"]
    poll = await forum.call(
        forum.moderator,
        "POST",
        f"/api/v1/sessions/{session['id']}/polls",
        json={"kind": "proposal", "title": "Adopt the regional plan", "thread_id": thread_id},
    )
    with_js, without_js = await forum.person("Scripted"), await forum.person("Plain")
    live = await new_page(with_js)
    await live.goto(f"/threads/{thread_id}")
    box = live.locator(f"#poll-{poll['id']}")
    await box.get_by_label(tr("en", "Agree"), exact=True).check()
    await box.get_by_label(tr("en", "Your reason (optional)")).fill("It is affordable.")
    await box.get_by_role("button", name=tr("en", "Vote"), exact=True).click()
    # In place: the results appear, the page was not reloaded.
    await box.locator(".poll-reasons li", has_text="It is affordable.").wait_for()
    assert live.url.endswith(f"/threads/{thread_id}")

    plain = await new_page(without_js, js=False, locale="fr")
    await plain.goto(f"/threads/{thread_id}")
    other = plain.locator(f"#poll-{poll['id']}")
    await other.get_by_label(tr("fr", "Block"), exact=True).check()
    await other.get_by_label(tr("fr", "Your reason (optional)")).fill("Pas de budget.")
    await other.get_by_role("button", name=tr("fr", "Vote"), exact=True).click()
    await plain.wait_for_url(f"**/threads/{thread_id}#poll-{poll['id']}")
    await other.locator(".poll-reasons li", has_text="Pas de budget.").wait_for()
    button = other.get_by_role("button", name=tr("fr", "Change your vote"), exact=True)
    assert await button.count() == 1
    # The scripted page learns of the second vote over the live feed.
    await box.locator(".poll-reasons li", has_text="Pas de budget.").wait_for(timeout=10_000)


async def test_a_reaction_counts_at_once_and_live(forum: Forum, new_page: NewPage):
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id = session["questions"][0]["thread_id"]
    author, reader, watcher = [await forum.person(n) for n in ("Author", "Reader", "Watcher")]
    post = await forum.post(author, thread_id, "Mentoring programmes worked.")
    watching = await new_page(watcher)
    await watching.goto(f"/threads/{thread_id}")
    page = await new_page(reader)
    await page.goto(f"/threads/{thread_id}")
    thanks = page.locator(f"#post-{post['id']} [data-reactions] button[data-kind='thanks']")
    await thanks.click()
    await page.locator(
        f"#post-{post['id']} button[data-kind='thanks'][aria-pressed='true']"
    ).wait_for()
    assert await thanks.locator("[data-count]").inner_text() == "1"
    seen = watching.locator(f"#post-{post['id']} button[data-kind='thanks'] [data-count]")
    await watching.wait_for_function(
        "el => el.textContent.trim() === '1'", arg=await seen.element_handle(), timeout=10_000
    )
    # Who reacted, under the buttons, without leaving the page.
    await page.locator(f"#post-{post['id']} [data-reaction-people]").click()
    await page.locator(f"#post-{post['id']} .reaction-people", has_text="Reader").wait_for()
    assert page.url.endswith(f"/threads/{thread_id}")
