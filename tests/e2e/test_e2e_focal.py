"""The secretariat adds a national focal point and sends the focal points of one
region a notification inviting them to a session; the focal point, who has no
account, follows the link in the message: it makes their account, signs them in and
lands on the session; the link does not work a second time. With and without
JavaScript; every page axe-clean."""

from __future__ import annotations

import asyncio
import re
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.e2e.harness import Forum
from tests.e2e.test_e2e_accessibility import check

if TYPE_CHECKING:
    from playwright.async_api import Page

    from tests.e2e.conftest import NewPage

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

LINK = re.compile(r"http://127\.0\.0\.1:\d+(/focal-links/fp_[A-Za-z0-9_-]+)")


async def link_sent_to(forum: Forum, address: str) -> str:
    """The link in the message the background sender wrote for `address`."""
    outbox = forum.server.settings.data_dir / "outbox"
    for _ in range(100):
        for path in sorted(outbox.glob("*.eml")) if outbox.exists() else []:
            raw = await asyncio.to_thread(Path(path).read_bytes)
            message = BytesParser(policy=policy.default).parsebytes(raw)
            if str(message["To"]) == address:
                body = message.get_body(preferencelist=("plain",))
                assert body is not None
                found = LINK.search(str(body.get_content()))
                assert found, body.get_content()
                return found.group(1)
        await asyncio.sleep(0.2)
    raise AssertionError(f"no message to {address}")


async def axe_clean(page: Page, script: Path, js: bool, label: str) -> None:
    """axe runs inside the page: where scripts are off, the same HTML was checked with
    them on."""
    if js:
        await check(page, script, label)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
async def test_a_focal_point_without_an_account_follows_the_link(
    forum: Forum, new_page: NewPage, axe_script: Path, js: bool
) -> None:
    slug = await forum.space()
    session = await forum.session(slug, title=forum.unique("Forum on risk assessment"))
    name = forum.unique("Sefo Tuilagi")
    address = f"{name.lower().replace(' ', '.')}@example.org"

    page = await new_page(forum.secretariat, js=js, bypass_csp=True)
    await page.goto("/focal-points")
    await axe_clean(page, axe_script, js, "the register")
    await page.get_by_label("Country", exact=True).select_option("WS")
    await page.get_by_label("Name", exact=True).fill(name)
    await page.get_by_label("E-mail address", exact=True).fill(address)
    await page.get_by_label("Primary focal point of the country").check()
    await page.get_by_role("button", name="Add the focal point").click()
    await page.get_by_role("link", name=name).wait_for()

    await page.goto(f"/focal-notifications?session={session['id']}")
    await axe_clean(page, axe_script, js, "composing a notification")
    await page.get_by_label("Subject", exact=True).fill("Online forum on risk assessment")
    await page.get_by_label("Message", exact=True).fill("Please take part.")
    await page.get_by_label("Asia-Pacific States").check()
    await page.get_by_role("button", name="Send", exact=True).click()
    await page.get_by_role("heading", name="Who it went to, and when").wait_for()
    assert address in await page.inner_text("main")
    await axe_clean(page, axe_script, js, "the record of a notification")

    link = await link_sent_to(forum, address)
    focal = await new_page(js=js, bypass_csp=True)
    await focal.goto(link)
    assert name in await focal.inner_text("main")
    await axe_clean(focal, axe_script, js, "the link's page")
    await focal.get_by_role("button", name="Continue to the session").click()
    await focal.get_by_role("heading", name=session["title"]).wait_for()
    assert focal.url.endswith(f"/sessions/{session['id']}")
    me = await focal.request.get("/api/v1/me")
    assert (await me.json())["email"] == address

    again = await new_page(js=js)
    answer = await again.goto(link)
    assert answer is not None and answer.status == 404
    assert "not valid" in await again.inner_text("main")
