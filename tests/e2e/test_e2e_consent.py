"""A participant's first contribution in a space with participation terms, with and
without JavaScript: sent without ticking the box it is refused beside the box, the text
kept; ticked, it is posted, the acceptance is recorded and the box is gone. The form
passes axe with the terms and the box on it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.e2e.harness import Forum, tr
from tests.e2e.test_e2e_accessibility import check

if TYPE_CHECKING:
    from tests.e2e.conftest import NewPage

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


@pytest.mark.parametrize("js", [True, False], ids=["js", "plain"])
async def test_accepting_the_terms_on_a_first_post(
    forum: Forum, new_page: NewPage, axe_script: Path, js: bool
) -> None:
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id = session["questions"][0]["thread_id"]
    await forum.call(
        forum.secretariat,
        "POST",
        f"/api/v1/spaces/{slug}/terms",
        json={"body": "Contributions may be **quoted** in the report."},
    )
    person = await forum.person(f"First poster {'js' if js else 'plain'}")
    page = await new_page(person, js=js, bypass_csp=True)  # for axe's script
    await page.goto(f"/threads/{thread_id}")
    box = page.get_by_label(
        tr("en", "I accept the participation terms (version %(version)s)", version=1)
    )
    await box.wait_for()
    if js:  # axe is a script: it runs where scripts do (the page is the same without)
        await check(page, axe_script, "terms on the post form")
        await page.goto(f"/threads/{thread_id}")  # axe opened every <details>
    text = f"My first contribution ({'js' if js else 'plain'})."
    await page.get_by_label(tr("en", "Your contribution"), exact=True).fill(text)
    await page.get_by_role("button", name=tr("en", "Post"), exact=True).click()
    error = page.locator("#field-accept_terms-error")
    await error.wait_for()
    assert "accept the participation terms" in (await error.inner_text()).lower()
    field = page.get_by_label(tr("en", "Your contribution"), exact=True)
    assert await field.input_value() == text  # what was typed is kept
    mine = await forum.call(person, "GET", f"/api/v1/spaces/{slug}/terms")
    assert mine["accepted_version"] is None
    await box.check()
    await page.get_by_role("button", name=tr("en", "Post"), exact=True).click()
    await page.locator("article.post", has_text=text).first.wait_for()
    await page.locator("[data-terms-accept]").first.wait_for(state="detached")
    mine = await forum.call(person, "GET", f"/api/v1/spaces/{slug}/terms")
    assert mine["accepted_version"] == 1 and mine["must_accept"] is False
