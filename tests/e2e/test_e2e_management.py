"""Management pages in Chromium, as the secretariat and a moderator use them, with and
without the script: the secretariat makes an account; a moderator schedules a
re-opening ("re-open on 1 July for two weeks"), which the page then shows; axe finds
no serious or critical problem on the pages on the way."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from forum_server.orm import utcnow
from tests.e2e.harness import Forum, tr
from tests.e2e.test_e2e_accessibility import check

if TYPE_CHECKING:
    from tests.e2e.conftest import NewPage

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


@pytest.mark.parametrize(("js", "lang"), [(True, "en"), (False, "fr")])
async def test_the_secretariat_makes_an_account(
    forum: Forum, new_page: NewPage, axe_script: Path, js: bool, lang: str
):
    page = await new_page(forum.secretariat, js=js, locale=lang, bypass_csp=True)
    await page.goto("/admin/users")
    await page.get_by_text(tr(lang, "Make an account"), exact=True).click()
    email = f"{forum.unique('made')}@example.org"
    await page.get_by_label(tr(lang, "E-mail address"), exact=True).fill(email)
    await page.get_by_label(tr(lang, "Name shown to others"), exact=True).fill("Marie Dubois")
    await page.get_by_label(tr(lang, "Country (optional)")).select_option("FR")
    async with page.expect_navigation():
        await page.get_by_role("button", name=tr(lang, "Make the account"), exact=True).click()
    assert "notice=created" in page.url
    main = await page.inner_text("main")
    assert tr(lang, "The account is made; a link to choose a password is on its way to it.") in main
    row = page.locator("tr", has_text=email)
    assert await row.count() == 1
    assert await row.get_by_role("button", name=tr(lang, "Reset sign-in")).count() == 1
    if js:  # axe is a script: it runs where scripts do
        await check(page, axe_script, f"accounts after making one ({lang})")


@pytest.mark.parametrize(("js", "lang"), [(True, "en"), (False, "es")])
async def test_a_moderator_schedules_a_reopening(
    forum: Forum, new_page: NewPage, axe_script: Path, js: bool, lang: str
):
    slug = await forum.space()
    now = utcnow()
    session = await forum.session(
        slug,
        opens_at=(now - timedelta(days=20)).isoformat(),
        closes_at=(now - timedelta(days=6)).isoformat(),
    )
    page = await new_page(forum.moderator, js=js, locale=lang, bypass_csp=True)
    await page.goto(f"/sessions/{session['id']}")
    if js:
        await check(page, axe_script, f"closed session, moderator ({lang})")
    first_of_july = f"{now.year + 1}-07-01T09:00"
    await page.get_by_label(tr(lang, "Re-open on (UTC)"), exact=True).fill(first_of_july)
    await page.get_by_label(tr(lang, "For how many days"), exact=True).fill("14")
    async with page.expect_navigation():
        await page.get_by_role("button", name=tr(lang, "Re-open"), exact=True).click()
    assert "notice=reopening_scheduled" in page.url
    main = await page.inner_text("main")
    assert tr(lang, "The re-opening is scheduled.") in main
    assert await page.get_by_role("button", name=tr(lang, "Cancel the re-opening")).count() == 1
    detail = await forum.call(forum.moderator, "GET", f"/api/v1/sessions/{session['id']}")
    assert detail["state"] == "scheduled"
    coming = detail["periods"][-1]
    assert coming["opens_at"].startswith(f"{now.year + 1}-07-01T09:00")
    assert coming["closes_at"].startswith(f"{now.year + 1}-07-15T09:00")
    if js:
        await check(page, axe_script, f"re-opening scheduled ({lang})")
    # A reader sees it coming too.
    reader = await new_page(forum.secretariat, js=js, locale=lang, bypass_csp=True)
    await reader.goto(f"/sessions/{session['id']}")
    assert await reader.locator(".session-status time").count() >= 1
