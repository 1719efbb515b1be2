"""A call for submissions in a real browser, with and without JavaScript: a designated
submitter fills in the form with a document, is told what is wrong beside the field,
submits, edits; the secretariat orders the submissions and, after the deadline,
downloads the compilation in Word from the call's page. The pages pass axe on the way."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e.harness import Forum
from tests.e2e.test_e2e_accessibility import check as axe_check

if TYPE_CHECKING:
    from playwright.async_api import Page

    from tests.e2e.conftest import NewPage

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


async def check(page: Page, axe_script: Path, label: str) -> None:
    """axe is a script: it runs on the pages of the run with JavaScript only."""
    if "js=True" in label:
        await axe_check(page, axe_script, label)


async def _call(forum: Forum) -> tuple[str, dict[str, Any], Any]:
    slug = await forum.space(visibility="members")
    submitter = await forum.person("Brazil focal point")
    await forum.add_member(slug, submitter)
    await forum.call(
        forum.secretariat,
        "POST",
        f"/api/v1/spaces/{slug}/call-submitters",
        json={"user_id": submitter.id, "kind": "party", "country": "BR"},
    )
    deadline = datetime.now(UTC) + timedelta(days=5)
    call = await forum.call(
        forum.secretariat,
        "POST",
        f"/api/v1/spaces/{slug}/calls",
        json={
            "title": forum.unique("Views on risk assessment"),
            "text": "Parties are invited to submit their views.",
            "addressed_to": ["party"],
            "deadline": deadline.isoformat(timespec="seconds"),
            "symbol": "CBD/CP/RA/INF/9",
        },
    )
    return slug, call, submitter


@pytest.mark.parametrize("js", [False, True], ids=["without-js", "with-js"])
async def test_submit_to_a_call_and_download_the_compilation(
    forum: Forum, new_page: NewPage, axe_script: Path, js: bool, tmp_path: Path
) -> None:
    _, call, submitter = await _call(forum)
    page = await new_page(submitter, js=js, bypass_csp=True)
    await page.goto(f"/calls/{call['id']}")
    await check(page, axe_script, f"call page for a submitter (js={js})")
    await page.get_by_role("button", name="Submit", exact=True).click()
    error = page.locator("#field-text-error")
    await error.wait_for()
    await check(page, axe_script, f"submission form with its error (js={js})")
    annex = tmp_path / "annex.txt"
    annex.write_text("Annex: national experiences")
    await page.get_by_label("Your submission", exact=True).fill(
        "Brazil's views on risk assessment."
    )
    await page.get_by_label("Documents (optional)").set_input_files(str(annex))
    await page.get_by_role("button", name="Submit", exact=True).click()
    await page.get_by_role("heading", name="Brazil").wait_for()
    assert "/submissions/" in page.url
    await page.get_by_role("link", name="annex.txt").wait_for()
    await check(page, axe_script, f"submission page (js={js})")
    await page.get_by_label("Your submission", exact=True).fill("Brazil's revised views.")
    await page.get_by_role("button", name="Save", exact=True).click()
    await page.get_by_text("Brazil's revised views.").first.wait_for()

    manager = await new_page(forum.secretariat, js=js, bypass_csp=True)
    await manager.goto(f"/calls/{call['id']}")
    await check(manager, axe_script, f"call page for the secretariat (js={js})")
    # The deadline passes (moved into the past, as the secretariat may).
    body = {k: call[k] for k in ("title", "text", "addressed_to", "reminder_days", "symbol")}
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat(timespec="seconds")
    await forum.call(
        forum.secretariat, "PUT", f"/api/v1/calls/{call['id']}", json={**body, "deadline": past}
    )
    await manager.reload()
    async with manager.expect_download() as info:
        await manager.get_by_role("link", name="Word (.docx)").click()
    download = await info.value
    assert download.suggested_filename.endswith("-compilation.docx")
    saved = tmp_path / download.suggested_filename
    await download.save_as(str(saved))
    xml = zipfile.ZipFile(io.BytesIO(saved.read_bytes())).read("word/document.xml").decode()
    assert "revised views" in xml and "annex.txt" in xml and "CBD/CP/RA/INF/9" in xml
    # The submitter's page no longer offers the edit form.
    await page.reload()
    assert await page.get_by_role("button", name="Save", exact=True).count() == 0
