"""Where WebSocket upgrades fail (a proxy or firewall that blocks them), the thread
page follows the session over Server-Sent Events instead: someone else's post still
appears without a reload, once."""

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
