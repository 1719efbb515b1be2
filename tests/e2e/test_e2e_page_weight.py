"""Page weight and speed for readers on slow, expensive connections: what a session page
and a thread of 50 contributions transfer (compressed, as Chromium counts it), that
static files are compressed and cached for good, that nothing comes from another
origin, and how long the posts take to become readable on an emulated slow 3G link.
The figures are recorded in docs/performance.md."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio

from forum_server import demo_content
from tests.e2e.harness import Forum, Person

if TYPE_CHECKING:
    from playwright.async_api import CDPSession, Page

    from tests.e2e.conftest import NewPage

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

BUDGET = 60 * 1024  # bytes on the wire for the session page and the thread page together
POSTS = 50
SLOW_3G = {  # Chromium's throughput is in bytes per second
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400 * 1024 // 8,
    "uploadThroughput": 400 * 1024 // 8,
}


@dataclass
class Session50:
    session_id: int
    thread_id: int
    reader: Person


def demo_bodies() -> Iterator[str]:
    """Real contributions (from the demo forum), none twice: compression gets no help."""
    for session in demo_content.SESSIONS:
        for question in session.questions:
            for post in question.posts:
                yield post.body


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def session50(forum: Forum) -> Session50:
    """An open session whose first question has 50 contributions (every fourth a reply),
    written by ten participants from different countries."""
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id = session["questions"][0]["thread_id"]
    countries = ["BR", "KE", "IN", "DE", "MX", "ZA", "PH", "EG", "PL", "FJ"]
    people = [
        await forum.person(
            f"Participant {n}", country=country, organization="Ministry of Environment"
        )
        for n, country in enumerate(countries, 1)
    ]
    bodies = list(itertools.islice(demo_bodies(), POSTS))
    replies = range(3, POSTS, 4)
    tops = [n for n in range(POSTS) if n not in replies]
    top_posts = []
    for start in range(0, len(tops), len(people)):  # ten at a time, roughly in order
        batch = tops[start : start + len(people)]
        top_posts += await asyncio.gather(
            *(forum.post(people[n % len(people)], thread_id, bodies[n]) for n in batch)
        )
    ids = dict(zip(tops, (post["id"] for post in top_posts), strict=True))
    await asyncio.gather(
        *(forum.post(people[n % len(people)], thread_id, bodies[n], ids[n - 1]) for n in replies)
    )
    return Session50(session["id"], thread_id, await forum.person("Reader"))


@dataclass(frozen=True)
class Row:
    url: str
    mime: str
    headers: dict[str, str]
    wire: int  # bytes on the wire: headers and compressed body
    decoded: int  # the body's size once decompressed


@dataclass
class Transfer:
    """What Chromium received, per request, as the DevTools protocol reports it."""

    responses: dict[str, dict[str, Any]] = field(default_factory=dict)
    decoded: dict[str, int] = field(default_factory=dict)
    finished: dict[str, int] = field(default_factory=dict)

    def listen(self, cdp: CDPSession) -> None:
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished", self._finished)

    def _response(self, event: dict[str, Any]) -> None:
        self.responses[event["requestId"]] = event["response"]

    def _data(self, event: dict[str, Any]) -> None:
        rid = event["requestId"]
        self.decoded[rid] = self.decoded.get(rid, 0) + int(event["dataLength"])

    def _finished(self, event: dict[str, Any]) -> None:
        self.finished[event["requestId"]] = int(event["encodedDataLength"])

    def rows(self) -> list[Row]:
        return [
            Row(
                response["url"],
                response["mimeType"],
                {name.lower(): value for name, value in response["headers"].items()},
                wire,
                self.decoded.get(rid, 0),
            )
            for rid, wire in self.finished.items()
            if (response := self.responses.get(rid))
        ]

    @property
    def total(self) -> int:
        return sum(row.wire for row in self.rows())


async def measured(page: Page) -> Transfer:
    transfer = Transfer()
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("Network.enable")
    transfer.listen(cdp)
    return transfer


def report(title: str, transfer: Transfer) -> None:
    print(f"\n{title}: {transfer.total} bytes ({transfer.total / 1024:.1f} KB)")
    for row in transfer.rows():
        path = row.url.split("/", 3)[-1]
        print(f"  {row.wire:7d} on the wire, {row.decoded:7d} decoded  {row.mime:24} /{path}")


async def read_session_then_thread(page: Page, session_id: int) -> None:
    await page.goto(f"/sessions/{session_id}")
    async with page.expect_navigation():
        await page.get_by_role("link", name="Question 1", exact=True).click()
    await page.locator("article.post").first.wait_for()
    await page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("signed_in", [True, False], ids=["participant", "guest"])
async def test_session_and_thread_of_50_posts_stay_under_60_kb(
    forum: Forum, new_page: NewPage, session50: Session50, signed_in: bool
):
    reader = session50.reader if signed_in else None
    if reader is not None:
        await new_page(reader)  # signs in once; the page measured starts with a cold cache
    page = await new_page(reader)
    requested: list[str] = []
    kinds: set[str] = set()
    page.on("request", lambda request: requested.append(request.url))
    page.on("request", lambda request: kinds.add(request.resource_type))
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    transfer = await measured(page)

    await read_session_then_thread(page, session50.session_id)
    assert await page.locator("article.post").count() == POSTS
    report(f"Session page + thread of {POSTS} posts ({page.url})", transfer)
    assert transfer.total < BUDGET, f"{transfer.total} bytes transferred, budget {BUDGET}"

    origin = forum.base_url
    ws_origin = origin.replace("http://", "ws://", 1)
    assert all(url.startswith(origin + "/") for url in requested), requested
    assert all(url.startswith(ws_origin + "/") for url in sockets), sockets
    assert "font" not in kinds, "no web fonts"
    rows = transfer.rows()
    for row in rows:
        if row.mime in {"text/html", "text/css", "text/javascript"} and row.decoded > 1400:
            assert row.headers.get("content-encoding") == "gzip", (row.url, row.headers)
        if "/static/" in row.url:
            assert "?v=" in row.url, row.url
            cache = row.headers.get("cache-control", "")
            assert "max-age=31536000" in cache and "immutable" in cache, (row.url, cache)
    # The thread page came with nothing but its HTML: stylesheet and script were cached.
    static = [row.url for row in rows if "/static/" in row.url and row.wire > 0]
    assert len(static) == len(set(static)), static
    stylesheet = await forum.http.get("/static/forum.css")
    assert "@font-face" not in stylesheet.text and "@import" not in stylesheet.text


# Resolves, in the page, at the first frame drawn with the element on screen (frames wait
# for the render-blocking stylesheet): milliseconds since the navigation started.
FIRST_PAINTED = """selector => new Promise(resolve => {
    const check = () => {
        const el = document.querySelector(selector);
        if (el && el.getBoundingClientRect().height > 0) {
            requestAnimationFrame(() => resolve(performance.now()));
        } else {
            requestAnimationFrame(check);
        }
    };
    check();
})"""


async def test_slow_3g_time_until_posts_are_readable(
    forum: Forum, new_page: NewPage, session50: Session50
):
    timings: dict[str, float] = {}
    for name, path, ready in (
        ("session page: first question", f"/sessions/{session50.session_id}", "ol.questions > li"),
        ("thread page: first post", f"/threads/{session50.thread_id}", "article.post"),
    ):
        page = await new_page()  # a guest with a cold cache
        cdp = await page.context.new_cdp_session(page)
        await cdp.send("Network.enable")
        await cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        await page.goto(path, wait_until="commit", timeout=60_000)
        timings[f"{name} painted"] = await page.evaluate(FIRST_PAINTED, ready) / 1000
        await page.wait_for_load_state("load", timeout=60_000)
        timings[f"{name}, load event"] = (
            await page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000
        )
    print("\nSlow 3G (400 ms latency, 400 kbit/s each way), cold cache, since navigation start:")
    for name, seconds in timings.items():
        print(f"  {name:45} {seconds:5.2f} s")
