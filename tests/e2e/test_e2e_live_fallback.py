"""Where WebSocket upgrades fail (a proxy or firewall that blocks them), the thread
page follows the session over Server-Sent Events instead: someone else's post still
appears without a reload, once. Later, once WebSockets get through again, the page
goes back to one, from the same cursor."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest

from tests.e2e.harness import Forum

if TYPE_CHECKING:
    from playwright.async_api import Request

    from tests.e2e.conftest import NewPage

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

# A WebSocket that never opens: the browser's view of an upgrade refused on the way.
BLOCKED_WEBSOCKET = """
window.WebSocket = function () {
  var socket = this;
  setTimeout(function () {
    if (socket.onerror) socket.onerror(new Event("error"));
    if (socket.onclose) socket.onclose({ code: 1006, reason: "", wasClean: false });
  }, 10);
};
window.WebSocket.prototype.send = function () { throw new Error("not open"); };
"""


async def test_a_post_appears_live_when_websockets_are_blocked(forum: Forum, new_page: NewPage):
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id = session["questions"][0]["thread_id"]
    await forum.post(forum.moderator, thread_id, "Welcome, over any transport.")
    page = await new_page(await forum.person("Behind a firewall"))
    await page.add_init_script(BLOCKED_WEBSOCKET)
    streams: list[str] = []
    following = asyncio.Event()

    def seen(request: Request) -> None:
        if "/api/v1/live/events" in request.url:
            streams.append(request.url)
            following.set()

    page.on("request", seen)
    await page.goto(f"/threads/{thread_id}")
    await page.wait_for_function("() => document.querySelectorAll('article.post').length === 1")
    # Once the page follows the stream (after two failed upgrades), post from elsewhere.
    await asyncio.wait_for(following.wait(), 15)
    await forum.post(forum.moderator, thread_id, "Arrived over the event stream.")
    await page.locator("article.post", has_text="Arrived over the event stream").wait_for()
    await page.wait_for_function(
        "() => document.querySelectorAll('article.post').length === 2"
        " && /2/.test(document.getElementById('posts-heading').textContent)"
    )
    assert streams and f"session_id={session['id']}" in streams[0]


# Blocked until the page sets `window.unblockWebSockets`; tried again every second.
BLOCKED_FOR_A_WHILE = """
window.forumWebSocketAgainMs = 1000;
window.socketsOpened = 0;
var RealWebSocket = window.WebSocket;
window.WebSocket = function (url) {
  if (window.unblockWebSockets) {
    window.socketsOpened += 1;
    return new RealWebSocket(url);
  }
  var socket = this;
  setTimeout(function () {
    if (socket.onerror) socket.onerror(new Event("error"));
    if (socket.onclose) socket.onclose({ code: 1006, reason: "", wasClean: false });
  }, 10);
};
window.WebSocket.prototype.send = function () { throw new Error("not open"); };
"""


async def test_the_page_goes_back_to_a_websocket_once_it_gets_through(
    forum: Forum, new_page: NewPage
):
    slug = await forum.space()
    session = await forum.session(slug)
    thread_id = session["questions"][0]["thread_id"]
    page = await new_page(await forum.person("Behind a firewall, for a while"))
    await page.add_init_script(BLOCKED_FOR_A_WHILE)
    following = asyncio.Event()
    page.on(
        "request",
        lambda request: following.set() if "/api/v1/live/events" in request.url else None,
    )
    await page.goto(f"/threads/{thread_id}")
    await asyncio.wait_for(following.wait(), 15)
    await forum.post(forum.moderator, thread_id, "Arrived over the event stream.")
    await page.locator("article.post", has_text="Arrived over the event stream").wait_for()
    # The firewall lets WebSockets through: within a few tries the page is on one.
    await page.evaluate("() => { window.unblockWebSockets = true; }")
    await page.wait_for_function("() => window.socketsOpened >= 2", timeout=15_000)
    await asyncio.sleep(0.5)  # the probe's socket gave way to the ordinary one
    await forum.post(forum.moderator, thread_id, "Arrived over the WebSocket.")
    await page.locator("article.post", has_text="Arrived over the WebSocket").wait_for()
    # Each post once, though the stream and the socket overlapped.
    await page.wait_for_function(
        "() => document.querySelectorAll('article.post').length === 2"
        " && /2/.test(document.getElementById('posts-heading').textContent)"
    )
