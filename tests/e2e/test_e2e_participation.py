"""A moderator opens a session's participation, sees who has not taken part, and sends
them a reminder: without JavaScript through the confirmation page, with it through the
dialog, the dashboard then saying so in place. The dashboard and the dialog pass axe
(checked with JavaScript, which axe needs)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e.harness import Forum, tr
from tests.e2e.test_e2e_accessibility import check

if TYPE_CHECKING:
    from pathlib import Path

    from tests.e2e.conftest import NewPage

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


async def workspace(forum: Forum) -> tuple[dict[str, Any], str, str]:
    """A members space with a session under way: one member took part, one did not."""
    slug = await forum.space(visibility="members")
    await forum.add_member(slug, forum.moderator)
    active = await forum.person(forum.unique("Active"))
    quiet = await forum.person(forum.unique("Quiet"))
    for member in (active, quiet):
        await forum.add_member(slug, member)
    session = await forum.session(slug)
    await forum.post(active, session["questions"][0]["thread_id"], "What worked for us.")
    return session, active.display_name, quiet.display_name


async def last_reminder(forum: Forum, session_id: int) -> Any:
    found = await forum.call(forum.moderator, "GET", f"/api/v1/sessions/{session_id}/participation")
    return found["last_reminder"]


async def test_a_reminder_without_javascript(forum: Forum, new_page: NewPage) -> None:
    session, active, quiet = await workspace(forum)
    page = await new_page(forum.moderator, js=False)
    await page.goto(f"/sessions/{session['id']}")
    await page.get_by_role(
        "link", name=tr("en", "Participation: who has taken part, and who not yet")
    ).click()
    missing = page.locator("[data-not-taken-part]")
    await missing.get_by_text(quiet).wait_for()
    assert active not in await missing.inner_text()
    await page.get_by_role("link", name=tr("en", "Send a reminder")).click()
    await page.get_by_role("heading", name=tr("en", "Send a reminder")).wait_for()
    await page.get_by_role("button", name=tr("en", "Send the reminder")).click()
    await page.get_by_text(tr("en", "Reminder sent.")).wait_for()
    assert page.url.endswith("/participation?done=reminded")
    assert (await last_reminder(forum, session["id"]))["recipients"] == 1


async def test_a_reminder_with_javascript(
    forum: Forum, new_page: NewPage, axe_script: Path
) -> None:
    session, _, quiet = await workspace(forum)
    page = await new_page(forum.moderator, bypass_csp=True)  # axe's script is inline
    await page.goto(f"/sessions/{session['id']}/participation")
    await page.locator("[data-not-taken-part]").get_by_text(quiet).wait_for()
    await check(page, axe_script, "participation")
    address = page.url
    await page.get_by_role("link", name=tr("en", "Send a reminder")).click()
    dialog = page.get_by_role("dialog")
    await dialog.wait_for()
    await check(page, axe_script, "reminder dialog")
    await dialog.get_by_role("button", name=tr("en", "Send the reminder")).click()
    await page.get_by_text(tr("en", "Reminder sent.")).wait_for()
    assert page.url == address  # done in place
    assert (await last_reminder(forum, session["id"]))["recipients"] == 1
    assert await page.get_by_role("link", name=tr("en", "Send a reminder")).count() == 0
    await check(page, axe_script, "participation after a reminder")
