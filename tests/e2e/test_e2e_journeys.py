"""The main journeys, in real Chromium, through the pages and their forms: each also
without JavaScript where that makes sense (every action is a plain form), and each in
French and in Arabic (right to left), found by the words a reader of the page sees."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from forum_server.orm import utcnow
from tests.e2e.harness import Forum, Person, tr

if TYPE_CHECKING:
    from playwright.async_api import Download, Locator, Page

    from tests.e2e.conftest import NewPage

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

# English with and without scripts, French with them, Arabic without.
JS = pytest.mark.parametrize(
    ("js", "lang"),
    [(True, "en"), (False, "en"), (True, "fr"), (False, "ar")],
    ids=["js-en", "no-js-en", "js-fr", "no-js-ar"],
)


async def download_text(download: Download) -> str:
    saved = await download.path()
    return await asyncio.to_thread(saved.read_text, encoding="utf-8")


POSTS = """els => els.map(e => ({
    id: Number(e.id.replace("post-", "")),
    depth: Number((e.className.match(/depth-(\\d+)/) || [0, 0])[1]),
}))"""


async def posts_in_order(page: Page) -> list[dict[str, int]]:
    rows: list[dict[str, int]] = await page.eval_on_selector_all("article.post", POSTS)
    return rows


def post_id_from(url: str) -> int:
    found = re.search(r"#post-(\d+)$", url)
    assert found, f"expected to land on the new post, got {url}"
    return int(found.group(1))


async def state_of(page: Page) -> str:
    return (await page.locator(".session-status .badge").first.inner_text()).strip()


async def submit(page: Page, button: str) -> None:
    """Clicks a form's submit button (named in the page's language) and waits for the
    page the server answers with."""
    async with page.expect_navigation():
        await page.get_by_role("button", name=button, exact=True).click()


async def contribute(page: Page, form_scope: Page | Locator, button: str, text: str) -> int:
    """Submits a contribution form and finds the new post on the page: without
    JavaScript the server answers with the thread again; with it, forum.js posts in the
    background and inserts the post. Returns the post's id."""
    await form_scope.get_by_role("button", name=button, exact=True).click()
    article = page.locator("article.post", has_text=text)
    await article.wait_for()
    return int((await article.get_attribute("id") or "").removeprefix("post-"))


# --- 1. a participant reads a session and replies ------------------------------------


@JS
async def test_participant_reads_a_session_and_replies(
    forum: Forum, new_page: NewPage, js: bool, lang: str
):
    participant = await forum.person(f"Participant {'JS' if js else 'plain'} {lang}")
    page = await new_page(participant, js=js, locale=lang)

    await page.goto("/")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Online Forum on Capacity-building").first.click()
    session_link = page.locator(f'a[href="/sessions/{forum.demo.session_ids[0]}"]')
    async with page.expect_navigation():
        await session_link.click()
    assert await page.get_attribute("html", "lang") == lang
    assert await state_of(page) == tr(lang, "Open")
    async with page.expect_navigation():
        await page.get_by_role(
            "link", name=tr(lang, "Question %(number)s", number=1), exact=True
        ).click()
    assert page.url.split("/")[-2] == "threads"

    before = await posts_in_order(page)
    assert len(before) >= 3, "the demo thread has contributions to read"
    parent = before[0]
    article = page.locator(f"#post-{parent['id']}")
    await article.locator("summary", has_text=tr(lang, "Reply")).click()
    text = f"A reply from the {'script' if js else 'plain'} {lang} browser: peer learning worked."
    await article.get_by_role("textbox").fill(text)
    reply_id = await contribute(page, article, tr(lang, "Post reply"), text)
    if not js:
        assert post_id_from(page.url) == reply_id

    after = await posts_in_order(page)
    ids = [row["id"] for row in after]
    assert reply_id in ids and len(after) == len(before) + 1
    at, parent_at = ids.index(reply_id), ids.index(parent["id"])
    assert at > parent_at
    assert after[at]["depth"] == min(parent["depth"] + 1, 4)
    # Between the parent and the reply only the parent's other replies (deeper) stand.
    assert all(row["depth"] > parent["depth"] for row in after[parent_at + 1 : at])
    reply = page.locator(f"#post-{reply_id}")
    assert text in await reply.locator(".post-body").inner_text()
    assert participant.display_name in await reply.locator(".post-author").inner_text()


# --- 2. a second browser sees the reply appear live ----------------------------------


async def test_second_browser_sees_the_reply_live(forum: Forum, new_page: NewPage):
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id = session["questions"][0]["thread_id"]
    first = await forum.post(forum.moderator, thread_id, "Welcome to this session.")
    writer, watcher = await forum.person("Writer"), await forum.person("Watcher")
    watching = await new_page(watcher)
    await watching.goto(f"/threads/{thread_id}")
    writing = await new_page(writer)
    await writing.goto(f"/threads/{thread_id}")

    article = writing.locator(f"#post-{first['id']}")
    await article.locator("summary", has_text="Reply").click()
    await article.get_by_role("textbox").fill("Seen live, I hope.")
    reply_id = await contribute(writing, article, "Post reply", "Seen live, I hope.")

    url_before = watching.url
    await watching.locator(f"article#post-{reply_id}").wait_for(timeout=5_000)
    assert watching.url == url_before, "the watching page was not reloaded"
    assert "Seen live" in await watching.locator(f"#post-{reply_id}").inner_text()


# --- 3. a moderator opens, closes, re-opens a session and adds a question ------------


@JS
async def test_moderator_opens_closes_reopens_and_adds_a_question(
    forum: Forum, new_page: NewPage, js: bool, lang: str
):
    slug = await forum.space()
    session = await forum.session(slug, state="draft", questions=["What has worked?"])
    page = await new_page(forum.moderator, js=js, locale=lang)
    await page.goto(f"/sessions/{session['id']}")
    assert await state_of(page) == tr(lang, "Draft")

    await submit(page, tr(lang, "Open now"))
    assert await state_of(page) == tr(lang, "Open")
    await submit(page, tr(lang, "Close now"))
    assert await state_of(page) == tr(lang, "Closed")
    assert tr(lang, "Add a guiding question") not in await page.inner_text("main")

    closes = (utcnow() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    await page.get_by_label(tr(lang, "Closing time of the new period (UTC)")).fill(closes)
    await submit(page, tr(lang, "Re-open"))
    assert await state_of(page) == tr(lang, "Open")
    periods = page.locator("section[aria-labelledby=periods-heading] li")
    assert await periods.count() == 2
    reopened = tr(lang, "Re-opened: %(start)s – %(end)s", start="\0", end="\0").split("\0")[0]
    assert reopened in await periods.nth(1).inner_text()

    question = "Which regional networks should the Liaison Group work with?"
    await page.get_by_label(tr(lang, "Add a guiding question")).fill(question)
    await submit(page, tr(lang, "Add the question"))
    card = page.locator("#question-2")
    assert question in await card.inner_text()
    async with page.expect_navigation():
        await card.get_by_role("link", name=tr(lang, "Question %(number)s", number=2)).click()
    assert question in await page.inner_text("h1")


# --- 4. a workspace member takes part; an outsider finds nothing ---------------------


async def _workspace(forum: Forum, member: Person) -> tuple[str, dict]:
    slug = await forum.space("members", slug="expert-group", title="Expert group on indicators")
    await forum.add_member(slug, member)
    await forum.add_member(slug, forum.moderator)  # a members space's moderators are members
    return slug, await forum.session(slug, title="Indicators for capacity-building")


@JS
async def test_member_takes_part_in_the_workspace(
    forum: Forum, new_page: NewPage, js: bool, lang: str
):
    member = await forum.person("Member")
    slug, _ = await _workspace(forum, member)

    page = await new_page(member, js=js, locale=lang)
    await page.goto("/")
    # The home page leads with the reader's workspaces, then lists every space.
    mine = page.get_by_role("region", name=tr(lang, "Your workspaces"))
    assert await mine.locator(f'a[href="/spaces/{slug}"]').count() == 1
    listed = page.locator("li.card", has=page.locator(f'a[href="/spaces/{slug}"]')).last
    assert tr(lang, "Restricted") in await listed.inner_text()
    space_link = listed.locator(f'a[href="/spaces/{slug}"]')
    async with page.expect_navigation():
        await space_link.click()
    async with page.expect_navigation():
        await page.get_by_role("link", name="Indicators for capacity-building").click()
    async with page.expect_navigation():
        await page.get_by_role(
            "link", name=tr(lang, "Question %(number)s", number=1), exact=True
        ).click()
    text = "Our regional network tracks three indicators."
    await page.get_by_role("textbox", name=tr(lang, "Your contribution")).fill(text)
    post_id = await contribute(page, page, tr(lang, "Post"), text)
    assert member.display_name in await page.locator(f"#post-{post_id}").inner_text()


async def test_outsider_and_guest_find_nothing_of_the_workspace(forum: Forum, new_page: NewPage):
    member, outsider = await forum.person("Member"), await forum.person("Outsider")
    slug, session = await _workspace(forum, member)
    thread_id = session["questions"][0]["thread_id"]
    secret = "Canary: the draft indicator list is confidential."
    await forum.post(member, thread_id, secret)

    missing = await new_page()
    answer = await missing.goto("/spaces/no-such-space")
    assert answer is not None and answer.status == 404
    not_found = await missing.inner_text("h1")
    paths = [
        f"/spaces/{slug}",
        f"/spaces/{slug}/members",
        f"/spaces/{slug}/sessions/new",
        f"/sessions/{session['id']}",
        f"/threads/{thread_id}",
    ]
    # A signed-in outsider with scripts on (the live script must not fetch anything
    # either), and a guest without them.
    for who, js in ((outsider, True), (None, False)):
        page = await new_page(who, js=js)
        await page.goto("/")
        assert f"/spaces/{slug}" not in await page.content()
        for path in paths:
            answer = await page.goto(path)
            if who is None and path.endswith("/sessions/new"):
                # A managers' form asks a guest to sign in first, whatever the space.
                assert answer is not None and "/login?" in answer.url, path
            else:
                assert answer is not None and answer.status == 404, path
                assert await page.inner_text("h1") == not_found, path
            body = (await page.content()).lower()
            assert "indicators" not in body and "canary" not in body, path


# --- 5. the secretariat creates a forum and downloads a report -----------------------


async def create_forum_through_the_forms(forum: Forum, page: Page, lang: str = "en") -> int:
    """Space, then session, through the secretariat's forms; returns the session id."""
    slug = forum.unique("biosafety-forum")
    await page.goto("/")
    async with page.expect_navigation():
        await page.get_by_role("link", name=tr(lang, "New space")).click()
    await page.get_by_label(tr(lang, "Short name for the address")).fill(slug)
    await page.get_by_label(tr(lang, "Title"), exact=True).fill(
        "Online forum on biosafety capacity"
    )
    await page.get_by_label(tr(lang, "Description")).fill("Two weeks, two sessions, **moderated**.")
    await submit(page, tr(lang, "Create space"))
    assert page.url.split("?")[0].endswith(f"/spaces/{slug}")
    assert "Online forum on biosafety capacity" in await page.inner_text("h1")

    async with page.expect_navigation():
        await page.get_by_role("link", name=tr(lang, "New session")).click()
    now = utcnow()
    await page.get_by_label(tr(lang, "Title"), exact=True).fill("Session 1: national needs")
    await page.get_by_label(tr(lang, "Opens at (UTC)")).fill(
        (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    await page.get_by_label(tr(lang, "Closes at (UTC)")).fill(
        (now + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")
    )
    await page.get_by_label(tr(lang, "Moderators")).fill(forum.moderator.email)
    await page.get_by_label(tr(lang, "Guiding questions")).fill(
        "What are your country's priority needs?\nWhich support has worked best?"
    )
    await submit(page, tr(lang, "Create session"))
    assert re.search(r"/sessions/\d+", page.url), await page.inner_text("main")
    assert await page.inner_text("h1") == "Session 1: national needs"
    assert await state_of(page) == tr(lang, "Open")
    assert await page.locator("ol.questions > li").count() == 2
    assert forum.moderator.display_name in await page.inner_text("main")
    found = re.search(r"/sessions/(\d+)", page.url)
    assert found, page.url
    return int(found.group(1))


@JS
async def test_secretariat_creates_a_forum_through_the_forms(
    forum: Forum, new_page: NewPage, js: bool, lang: str
):
    page = await new_page(forum.secretariat, js=js, locale=lang)
    session_id = await create_forum_through_the_forms(forum, page, lang)
    detail = await forum.call(forum.secretariat, "GET", f"/api/v1/sessions/{session_id}")
    assert [m["id"] for m in detail["moderators"]] == [forum.moderator.id]


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
async def test_secretariat_downloads_a_report(forum: Forum, new_page: NewPage, lang: str):
    page = await new_page(forum.secretariat, locale=lang)
    session_id = await create_forum_through_the_forms(forum, page, lang)
    detail = await forum.call(forum.secretariat, "GET", f"/api/v1/sessions/{session_id}")
    words = "Our national biosafety framework needs trained inspectors."
    await forum.post(forum.moderator, detail["questions"][0]["thread_id"], words)

    await page.reload()
    # Fails at once (not after a timeout) while the session page offers no report.
    download_button = page.get_by_role("button", name=tr(lang, "Download report"))
    assert await download_button.count() == 1
    await page.get_by_label(tr(lang, "Format")).select_option("md")
    async with page.expect_download() as download_info:
        await download_button.click()
    download = await download_info.value
    assert download.suggested_filename.endswith(".md"), download.suggested_filename
    text = (await download_text(download)).strip()
    assert words in text and "What are your country's priority needs?" in text

    response = await page.request.get(f"/api/v1/sessions/{session_id}/report?format=json")
    assert response.status == 200
    assert "attachment" in response.headers.get("content-disposition", "")
    assert words in await response.text()
