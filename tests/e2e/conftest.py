"""Browser-test fixtures: one real uvicorn serving a seeded forum and one Chromium for
the whole run (both in pytest-asyncio's session loop), and a fresh browser context per
page a test opens.

Tests here skip when Chromium (/usr/bin/chromium, or FORUM_TEST_CHROMIUM) or Playwright
is missing, and fail instead when FORUM_TEST_BROWSER_REQUIRED=1, as in CI; the
accessibility tests also need axe-core (`npm ci` in tests/e2e, which dev.sh runs).
Every test module in this folder carries
`pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio

from tests.e2e.harness import (
    AXE_JS,
    CHROMIUM,
    LAUNCH_ARGS,
    Forum,
    Person,
    browser_missing,
    open_page,
    running_forum,
)

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

REQUIRED = os.environ.get("FORUM_TEST_BROWSER_REQUIRED") == "1"


def unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"FORUM_TEST_BROWSER_REQUIRED=1, but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_ready() -> None:
    if reason := browser_missing():
        unavailable(reason)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser(browser_ready: None) -> AsyncIterator[Browser]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        await launched.close()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def forum(
    browser_ready: None, sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Forum]:
    """One served forum for the whole run: the demo, a secretariat and a moderator.
    Tests add their own spaces, sessions and people, with unique names."""
    data_dir = tmp_path_factory.mktemp("e2e")
    database = data_dir / "forum.db"
    shutil.copy(sqlite_template, database)
    async with running_forum(data_dir, f"sqlite+aiosqlite:///{database}") as running:
        yield running


@pytest.fixture(scope="session")
def axe_script(browser_ready: None) -> Path:
    if not AXE_JS.exists():
        unavailable(f"{AXE_JS} is missing (run `npm ci` in tests/e2e)")
    return AXE_JS


NewPage = Callable[..., Awaitable["Page"]]


@pytest.fixture(scope="session")
def signed_in_states() -> dict[str, Any]:
    """Cookies of each person's browser sign-in, so that only their first page of the
    run goes through the sign-in form."""
    return {}


@pytest_asyncio.fixture(loop_scope="session")
async def new_page(
    browser: Browser, forum: Forum, signed_in_states: dict[str, Any]
) -> AsyncIterator[NewPage]:
    """`await new_page(who=None, js=True, **context_options)`: a page in a new browser
    context, signed in as `who` when given; contexts close after the test."""
    pages: list[Page] = []

    async def new(who: Person | None = None, *, js: bool = True, **options: Any) -> Page:
        page = await open_page(browser, forum, signed_in_states, who, js=js, **options)
        pages.append(page)
        return page

    yield new
    for page in pages:
        await page.context.close()
