"""Moderation in the browser without JavaScript: plain forms with their CSRF token,
each answered with a redirect back."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from forum_server.accounts.queries import UserView
from tests.helpers import client_for, csrf_from, sign_in
from tests.moderation.conftest import GUEST_EMAIL, World, guest_post, published

SECRET = "CANARY-page-text-91c2"


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and a.get("method") == "post":
            self.forms.append({"action": a.get("action"), "hidden": {}})
        elif tag == "input" and self.forms and a.get("type") == "hidden" and a.get("name"):
            self.forms[-1]["hidden"][a["name"]] = a.get("value") or ""


def forms_on(page: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(page)
    return parser.forms


async def submit(
    browser: httpx.AsyncClient, page: str, action: str, **values: str
) -> httpx.Response:
    """Load `page`, find the form posting to `action` and send it as a browser would."""
    for form in forms_on((await browser.get(page)).text):
        if form["action"].split("?")[0] == action:
            return await browser.post(action, data={**form["hidden"], **values})
    raise AssertionError(f"no form posting to {action} on {page}")


@pytest.fixture
def browser_as(app: Starlette):
    @asynccontextmanager
    async def open_as(user: UserView | None) -> AsyncIterator[httpx.AsyncClient]:
        async with client_for(app) as browser:
            if user is not None:
                await sign_in(browser, user)
            yield browser

    return open_as


async def test_a_guest_takes_part_from_the_page(client, world: World, browser_as):
    thread = f"/threads/{world.a.thread_id}"
    async with browser_as(None) as guest:
        page = await guest.get(thread)
        assert f'href="{thread}/guest-post"' in page.text
        response = await submit(
            guest,
            f"{thread}/guest-post",
            f"{thread}/guest-post",
            guest_name="Visiting Expert",
            guest_email=GUEST_EMAIL,
            body="Regional centres help.",
        )
        assert response.status_code == 303
        assert response.headers["location"] == f"{thread}/guest-post?received=1"
        received = await guest.get(response.headers["location"])
        assert "awaiting review" in received.text
        assert "Regional centres help." not in (await guest.get(thread)).text
        nameless = await submit(
            guest, f"{thread}/guest-post", f"{thread}/guest-post", guest_name="", body="x"
        )
        assert nameless.status_code == 422 and "Your name" in nameless.text
    async with browser_as(None) as guest:
        closed = await guest.get(f"/threads/{world.b.thread_id}/guest-post")
        assert "Sign in" in closed.text and "<textarea" not in closed.text
        assert (await guest.get(f"/threads/{world.m.thread_id}/guest-post")).status_code == 404

    async with browser_as(world.users["mod_a"]) as moderator:
        queue = await moderator.get("/moderation")
        assert "Regional centres help." in queue.text and GUEST_EMAIL not in queue.text
        [approve] = [f for f in forms_on(queue.text) if f["action"].endswith("/approve")]
        approved = await submit(moderator, "/moderation", approve["action"])
        assert approved.status_code == 303 and approved.headers["location"] == "/moderation"
        assert "Nothing is waiting for review" in (await moderator.get("/moderation")).text
    assert "Regional centres help." in (await client.get(thread)).text


async def test_hide_and_restore_from_the_thread_page(client, world: World, browser_as):
    post_id = await published(client, world, body=f"Rude words {SECRET}")
    thread = f"/threads/{world.a.thread_id}"
    hide = f"/moderation/posts/{post_id}/hide"
    async with browser_as(world.users["mod_a"]) as moderator:
        # The thread's Hide leads to a page that asks first, then hides.
        assert f'href="{hide}"' in (await moderator.get(thread)).text
        confirm = (await moderator.get(hide)).text
        assert "Hide this contribution?" in confirm and SECRET in confirm
        hidden = await submit(moderator, hide, hide, reason="Personal attack")
        assert hidden.status_code == 303
        back = f"{thread}?done=hidden&post={post_id}#post-{post_id}"
        assert hidden.headers["location"] == back
        as_moderator = (await moderator.get(back)).text
        assert SECRET in as_moderator and "Personal attack" in as_moderator
        # It says what it did, with an Undo that restores.
        assert "Contribution hidden." in as_moderator
        restoring = [f for f in forms_on(as_moderator) if f["action"].endswith("/restore")]
        assert len(restoring) == 2  # the notice's Undo and the post's own Restore
        assert ">Undo</button>" in as_moderator
    for who in (None, world.users["ana"]):
        async with browser_as(who) as reader:
            page = (await reader.get(thread)).text
            assert SECRET not in page
            assert "hidden by a moderator" in page and "Personal attack" in page
            assert f"/moderation/posts/{post_id}/restore" not in page
    async with browser_as(world.users["mod_a"]) as moderator:
        restored = await submit(moderator, thread, f"/moderation/posts/{post_id}/restore")
        assert restored.status_code == 303
    assert SECRET in (await client.get(thread)).text


async def test_flag_from_the_page_and_dismiss_from_the_queue(client, world: World, browser_as):
    post_id = await published(client, world, body="Contested claim")
    thread = f"/threads/{world.a.thread_id}"
    async with browser_as(world.users["ana"]) as ana:
        page = await ana.get(thread)
        assert f"/moderation/posts/{post_id}/hide" not in page.text
        flag = f"/moderation/posts/{post_id}/flag"
        assert f'href="{flag}"' in page.text
        flagged = await submit(ana, flag, flag, reason="Untrue")
        assert flagged.status_code == 303
        said = (await ana.get(flagged.headers["location"])).text
        assert "Sent to the moderators." in said
        assert (await ana.get(f"/moderation/posts/{post_id}/hide")).status_code == 403
        refused = await ana.post(
            f"/moderation/posts/{post_id}/hide",
            data={"csrf_token": await csrf_from(ana, thread), "reason": "mine"},
        )
        assert refused.status_code == 403
    async with browser_as(None) as anonymous:
        assert f"/moderation/posts/{post_id}/flag" not in (await anonymous.get(thread)).text
    async with browser_as(world.users["mod_a"]) as moderator:
        queue = (await moderator.get("/moderation")).text
        assert "Untrue" in queue and "Flagged by Ana" in queue
        [dismiss] = [f for f in forms_on(queue) if f["action"].endswith("/dismiss")]
        assert (await submit(moderator, "/moderation", dismiss["action"])).status_code == 303
        assert "No open flags" in (await moderator.get("/moderation")).text
    async with browser_as(world.users["mod_b"]) as other:
        assert "Contested claim" not in (await other.get("/moderation")).text
    async with browser_as(world.users["ben"]) as ben:
        assert (await ben.get("/moderation")).status_code == 403


async def test_lock_highlight_and_suspend_from_the_thread_page(client, world: World, browser_as):
    post_id = await published(client, world, who="ana")
    thread = f"/threads/{world.a.thread_id}"
    async with browser_as(world.users["mod_a"]) as moderator:
        assert (
            await submit(moderator, thread, f"/moderation/posts/{post_id}/highlight")
        ).status_code == 303
        assert f"/moderation/posts/{post_id}/unhighlight" in (await moderator.get(thread)).text
        suspend = f"/moderation/posts/{post_id}/suspend-author"
        assert f'href="{suspend}"' in (await moderator.get(thread)).text
        suspended = await submit(
            moderator,
            suspend,
            f"/moderation/spaces/{world.a.slug}/suspensions",
            reason="Cool off",
            until="2099-01-01T09:00",
        )
        assert suspended.status_code == 303
        said = (await moderator.get(suspended.headers["location"])).text
        assert "The author is suspended in this space." in said
        assert any(f["action"].endswith("/lift") for f in forms_on(said))
        lock = f"/moderation/threads/{world.a.thread_id}/lock"
        locked = await submit(moderator, lock, lock)
        assert locked.status_code == 303 and locked.headers["location"] == f"{thread}?done=locked"
        assert (
            f"/moderation/threads/{world.a.thread_id}/unlock" in (await moderator.get(thread)).text
        )
    refused = await client.post(
        f"/api/v1/threads/{world.a.other_thread_id}/posts",
        json={"body": "x"},
        headers=world.h("ana"),
    )
    assert refused.json()["error"]["code"] == "suspended"
    assert "Cool off" in refused.json()["error"]["message"]
    assert "until Jan 1, 2099, 9:00:00\u202fAM UTC" in refused.json()["error"]["message"]
    threads = (await client.get(f"/api/v1/sessions/{world.a.session_id}/threads")).json()
    assert next(t for t in threads["items"] if t["id"] == world.a.thread_id)["locked"] is True


async def test_summaries_from_the_pages(client, world: World, browser_as):
    session_page = f"/sessions/{world.a.session_id}/summary"
    async with browser_as(world.users["mod_a"]) as moderator:
        saved = await submit(moderator, session_page, session_page, body="Two views emerged.")
        assert saved.status_code == 303 and saved.headers["location"] == session_page
        await submit(moderator, session_page, session_page, body="Three views emerged.")
        page = (await moderator.get(session_page)).text
        assert "Three views emerged." in page and "Earlier versions" in page
        question = await moderator.post(
            f"/moderation/threads/{world.a.thread_id}/summary",
            data={
                "csrf_token": await csrf_from(moderator, session_page),
                "body": "Training works.",
                "next": f"/threads/{world.a.thread_id}",
            },
        )
        assert question.status_code == 303
    public = await client.get(session_page)
    assert "Three views emerged." in public.text and "<form" not in re.sub(
        r'<form class="(inline-form|language-switcher)" method="post" '
        r'action="/(logout|language)".*?</form>'
        r'|<form class="site-search" role="search".*?</form>',  # every page's own
        "",
        public.text,
        flags=re.S,
    )
    summary = await client.get(f"/api/v1/questions/{world.a.question_id}/summary")
    assert summary.json()["summary"]["body"] == "Training works."


async def test_a_summary_too_long_and_a_bad_audit_cursor_are_refused_clearly(
    world: World, browser_as
):
    session_page = f"/sessions/{world.a.session_id}/summary"
    async with browser_as(world.users["mod_a"]) as moderator:
        too_long = await submit(moderator, session_page, session_page, body="x" * 20_001)
        assert too_long.status_code == 422
        audit = await moderator.get(f"/spaces/{world.a.slug}/audit?after=abc")
        assert audit.status_code == 422 and "after must be a whole number" in audit.text


async def test_forms_without_the_csrf_token_are_refused(client, world: World, browser_as):
    post_id = await published(client, world)
    async with browser_as(world.users["mod_a"]) as moderator:
        response = await moderator.post(
            f"/moderation/posts/{post_id}/hide", data={"reason": "no token"}
        )
        assert response.status_code == 403
    [shown] = (await client.get(f"/api/v1/threads/{world.a.thread_id}/posts")).json()["items"]
    assert shown["status"] == "published"


async def test_a_held_guest_post_is_hidden_from_other_guests(client, world: World):
    held = await guest_post(client, world.a.thread_id, body=f"Held {SECRET}")
    assert held.status_code == 202
    assert SECRET not in (await client.get(f"/threads/{world.a.thread_id}")).text


async def test_moderators_change_holding_and_posting_limits_on_a_page(
    browser_as, client: httpx.AsyncClient, world: World
) -> None:
    page = f"/spaces/{world.a.slug}/moderation"
    async with browser_as(world.users["ben"]) as ben:
        assert (await ben.get(page)).status_code == 403
    async with browser_as(world.users["mod_a"]) as moderator:
        shown = await moderator.get(page)
        assert shown.status_code == 200
        assert 'name="account_post_limit"' in shown.text and 'value="30"' in shown.text
        bad = await submit(
            moderator,
            page,
            page,
            hold_first_posts="0",
            account_post_limit="0",
            guest_post_limit="5",
        )
        assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text
        saved = await submit(
            moderator,
            page,
            page,
            hold_first_posts="2",
            account_post_limit="12",
            guest_post_limit="3",
            hold_guest_posts="1",
        )
        assert saved.status_code == 303
    rules = await client.get(f"/api/v1/spaces/{world.a.slug}/moderation", headers=world.h("mod_a"))
    assert {
        k: rules.json()[k]
        for k in ("hold_first_posts", "account_post_limit", "guest_post_limit", "hold_guest_posts")
    } == {
        "hold_first_posts": 2,
        "account_post_limit": 12,
        "guest_post_limit": 3,
        "hold_guest_posts": True,
    }
