"""Stored XSS, tried in a real browser: payloads from tests/data/xss-payload-list.txt
as contributions, as display names, and as a guiding question; the thread and session
pages load (and, with the live script, receive more of them live) without a dialog
opening, a canary script running, or a script-capable attribute reaching the page."""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e.harness import ROOT, Forum

if TYPE_CHECKING:
    from playwright.async_api import Page

    from tests.e2e.conftest import NewPage

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

PAYLOAD_FILE = ROOT / "tests" / "data" / "xss-payload-list.txt"
FIRES_BY_ITSELF = re.compile(
    r"onerror|onload|autofocus|<script|javascript:|srcdoc|ontoggle|onpageshow|onanimation|onbegin",
    re.IGNORECASE,
)
# Payloads of our own whose only effect, if they ran, is to set the canary.
CANARIES = [
    "<img src=x onerror=top.__pwned=true>",
    "<script>top.__pwned = true</script>",
    "[click me](javascript:top.__pwned=true)",
    "![x](javascript:top.__pwned=true)",
    "<svg><animate onbegin=top.__pwned=true attributeName=x dur=1s>",
    '<a href="jav&#x09;ascript:top.__pwned=true">tab</a>',
    "<details open ontoggle=top.__pwned=true>",
    '<iframe srcdoc="<script>top.__pwned=true</script>"></iframe>',
]
# Runs before any page script, in every frame: a payload that calls alert, confirm or
# prompt sets the canary too (and the dialog still opens, for the dialog counter).
CANARY_SCRIPT = """
window.__pwned = false;
for (const name of ["alert", "confirm", "prompt", "print"]) {
    const original = window[name];
    window[name] = function (...args) {
        try { top.__pwned = true; } catch (e) {}
        window.__pwned = true;
        return original.apply(this, args);
    };
}
"""
# What no user text may bring into the page, whether or not a script then runs.
DANGEROUS = """() => {
    const found = [];
    for (const el of document.querySelectorAll(".post-body *, .post-author *, h1 *, label")) {
        const tag = el.tagName.toLowerCase();
        if (["script", "iframe", "object", "embed", "frame", "base", "meta", "link",
             "style", "form", "input", "svg", "math"].includes(tag)) found.push(tag);
        for (const attr of el.attributes) {
            const name = attr.name.toLowerCase();
            const value = attr.value.replace(/\\s/g, "").toLowerCase();
            if (name.startsWith("on") || name === "style" || name === "srcdoc") {
                found.push(`${tag}[${name}]`);
            }
            if (/^(javascript|vbscript|data):/.test(value)) found.push(`${tag}[${name}=${value}]`);
        }
    }
    return found;
}"""


def payloads(count: int = 30) -> list[str]:
    """A representative, fixed sample: mostly payloads that fire without any user
    action (those would show here), spread over the whole file, and some others."""
    lines = [line for line in PAYLOAD_FILE.read_text().splitlines() if line.strip()]
    firing = [line for line in lines if FIRES_BY_ITSELF.search(line)]
    other = [line for line in lines if not FIRES_BY_ITSELF.search(line)]
    chosen = firing[:: len(firing) // 24][:24] + other[:: len(other) // 6][:6]
    return chosen[:count]


def names(count: int = 8) -> list[str]:
    """Payloads short enough to be display names (80 characters, one line)."""
    fitting = [p for p in payloads(200) if len(p.strip()) <= 80]
    picked = fitting[:: max(1, len(fitting) // count)][: count - 2]
    return [*picked, "<img src=x onerror=top.__pwned=true>", '"><script>alert(1)</script>']


async def watch(page: Page) -> list[str]:
    dialogs: list[str] = []

    async def dismiss(dialog: Any) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        await dialog.dismiss()

    page.on("dialog", dismiss)
    await page.add_init_script(CANARY_SCRIPT)
    return dialogs


async def pwned(page: Page) -> bool:
    for frame in page.frames:
        try:
            if await frame.evaluate("() => window.__pwned === true"):
                return True
        except Exception:  # a frame that went away ran nothing more
            continue
    return False


async def test_payloads_run_nowhere_in_the_browser(forum: Forum, new_page: NewPage):
    slug = await forum.space()
    session = await forum.session(slug, questions=["<img src=x onerror=alert('question')>"])
    thread_id = session["questions"][0]["thread_id"]
    authors = [await forum.person(name) for name in names()]
    bodies = payloads() + CANARIES
    first = await forum.post(authors[0], thread_id, bodies[0])
    await asyncio.gather(
        *(
            forum.post(authors[n % len(authors)], thread_id, body, parent_id=first["id"])
            for n, body in enumerate(bodies[1:], 1)
        )
    )

    viewer = await forum.person("Viewer")
    page = await new_page(viewer)
    dialogs = await watch(page)
    await page.goto(f"/threads/{thread_id}")
    assert await page.locator("article.post").count() == len(bodies)
    # Open every reply form (their labels carry the authors' names), then give
    # autofocus, animation and load handlers time to fire.
    await page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    await page.mouse.move(200, 300)
    await page.keyboard.press("Tab")
    await page.wait_for_timeout(500)

    # The same payloads arriving over the WebSocket and inserted by forum.js.
    live = [*CANARIES[:3], *payloads()[:3]]
    for body in live:
        await forum.post(authors[0], thread_id, body)
    await page.wait_for_function(
        f"document.querySelectorAll('article.post').length === {len(bodies) + len(live)}",
        timeout=5_000,
    )
    await page.wait_for_timeout(300)

    assert await page.evaluate(DANGEROUS) == []
    await page.goto(f"/sessions/{session['id']}")
    await page.wait_for_timeout(300)
    assert await page.evaluate(DANGEROUS) == []
    assert not dialogs, dialogs
    assert not await pwned(page)
    # The names and text are shown as text, not swallowed.
    await page.goto(f"/threads/{thread_id}")
    shown = await page.locator(".post-author strong").all_inner_texts()
    assert set(names()) <= {name.strip() for name in shown}
    assert not dialogs and not await pwned(page)


async def test_the_canary_would_notice_a_script_that_ran(new_page: NewPage):
    """The detector works: a page that does run a payload is caught."""
    page = await new_page()
    dialogs = await watch(page)
    await page.goto("/healthz")
    await page.evaluate("() => alert('ran')")
    assert dialogs == ["alert: ran"] and await pwned(page)
