"""The actions under a post without JavaScript: confirmation pages for what takes
something away, outcomes said on the thread page with an Undo, and a hidden post's
text on the page for its session's moderators only — never for readers, by any route,
and nothing of a members workspace for outsiders."""

from __future__ import annotations

import pytest

from forum_server.web.outcomes import with_outcome
from tests.moderation.conftest import World, post, published
from tests.moderation.test_moderation_pages import browser_as, forms_on, submit

__all__ = ["browser_as"]  # the fixture, shared with the moderation pages' tests

SECRET = "CANARY-hidden-5be0"


async def hide(browser_as, world: World, post_id: int, user: str = "mod_a") -> None:
    page = f"/moderation/posts/{post_id}/hide"
    async with browser_as(world.users[user]) as moderator:
        hidden = await submit(moderator, page, page, reason="Off topic")
        assert hidden.status_code == 303, hidden.text


async def test_a_moderator_reads_the_hidden_text_folded_readers_never(
    client, world: World, browser_as
):
    post_id = await published(client, world, body=f"Words {SECRET}")
    await hide(browser_as, world, post_id)
    thread = f"/threads/{world.a.thread_id}"
    async with browser_as(world.users["mod_a"]) as moderator:
        page = (await moderator.get(thread)).text
        folded = page[page.index('class="hidden-text"') :]
        assert SECRET in folded[: folded.index("</details>")]
        assert "Show the hidden text" in page
        api = await moderator.get(f"/api/v1/threads/{world.a.thread_id}/posts")
    for who in (None, world.users["ben"], world.users["ana"], world.users["mod_b"]):
        async with browser_as(who) as reader:
            assert SECRET not in (await reader.get(thread)).text
            assert (
                SECRET not in (await reader.get(f"/api/v1/threads/{world.a.thread_id}/posts")).text
            )
            # The flag page of a hidden post (signed in) shows its placeholder at most.
            flag_page = await reader.get(f"/moderation/posts/{post_id}/flag")
            assert SECRET not in flag_page.text
            refused = await reader.get(f"/moderation/posts/{post_id}/hide")
            assert refused.status_code in {401, 403, 303} and SECRET not in refused.text
    assert api.status_code == 200


@pytest.mark.parametrize("action", ["hide", "reject", "flag", "suspend-author"])
async def test_a_workspace_post_has_no_confirmation_page_for_outsiders(
    client, world: World, browser_as, action: str
):
    created = await post(client, world.m.thread_id, world.h("ana"), body=f"Inside {SECRET}")
    post_id = created.json()["id"]
    missing = f"/moderation/posts/{post_id + 1000}/{action}"
    for who in (None, world.users["ben"], world.users["mod_b"]):
        async with browser_as(who) as outsider:
            answer = await outsider.get(f"/moderation/posts/{post_id}/{action}")
            if who is None and answer.status_code == 303:
                continue  # asked to sign in first, told nothing
            like_missing = await outsider.get(missing)
            assert answer.status_code == like_missing.status_code == 404
            assert SECRET not in answer.text
    async with browser_as(world.users["mod_b"]) as outsider:
        lock = await outsider.get(f"/moderation/threads/{world.m.thread_id}/lock")
        assert lock.status_code == 404
    async with browser_as(world.users["mod_m"]) as moderator:
        if action != "flag":  # a moderator flags nothing: they act
            shown = await moderator.get(f"/moderation/posts/{post_id}/{action}")
            assert shown.status_code == 200 and SECRET in shown.text


async def test_confirmation_pages_refuse_participants(client, world: World, browser_as):
    post_id = await published(client, world, who="ana")
    async with browser_as(world.users["ben"]) as ben:
        for action in ("hide", "reject", "suspend-author"):
            assert (await ben.get(f"/moderation/posts/{post_id}/{action}")).status_code == 403
        assert (await ben.get(f"/moderation/threads/{world.a.thread_id}/lock")).status_code == 403
        assert (await ben.get(f"/moderation/posts/{post_id}/flag")).status_code == 200
        assert (await ben.get(f"/moderation/posts/{post_id}/nonsense")).status_code == 404


async def test_undo_restores_and_says_so(client, world: World, browser_as):
    post_id = await published(client, world, body=f"Words {SECRET}")
    thread = f"/threads/{world.a.thread_id}"
    page = f"/moderation/posts/{post_id}/hide"
    async with browser_as(world.users["mod_a"]) as moderator:
        hidden = await submit(moderator, page, page, reason="Off topic")
        said = (await moderator.get(hidden.headers["location"])).text
        [undo] = [
            f
            for f in forms_on(said)
            if f["action"].endswith("/restore") and "post_id" in f["hidden"]
        ]
        restored = await moderator.post(undo["action"], data=undo["hidden"])
        assert restored.status_code == 303
        back = restored.headers["location"]
        assert back == f"{thread}?done=restored&post={post_id}#post-{post_id}"
        assert "Contribution restored: everyone sees it again." in (await moderator.get(back)).text
    assert SECRET in (await client.get(thread)).text


async def test_the_thread_page_never_echoes_an_outcome_it_was_not_given(
    client, world: World, browser_as
):
    post_id = await published(client, world)
    thread = f"/threads/{world.a.thread_id}"
    for query in (
        "done=<script>alert(1)</script>",
        f"done=hidden&post={post_id}x",
        "done=hidden",  # about a post, but none named
        "done=locked&post=%F0%9F%92%A5",
    ):
        page = (await client.get(f"{thread}?{query}")).text
        assert "notice-success outcome" not in page, query
        assert "<script>alert(1)" not in page
    # A locked outcome is about the thread and needs no post; a moderator's outcome
    # (and its Undo) is said to moderators only.
    async with browser_as(world.users["mod_a"]) as moderator:
        locked = await moderator.get(f"{thread}?done=locked&lang=en")
        assert "Thread locked: no more contributions." in locked.text
    for who in (None, world.users["ben"]):
        async with browser_as(who) as reader:
            page = (await reader.get(f"{thread}?done=hidden&post={post_id}")).text
            assert "Contribution hidden." not in page and ">Undo<" not in page
            flagged = (await reader.get(f"{thread}?done=flagged&post={post_id}")).text
            assert "Sent to the moderators. Thank you." in flagged


async def test_post_numbers_and_in_reply_to_beyond_the_indent(client, world: World):
    first = await published(client, world, body="Top.")
    parent = first
    for depth in range(1, 7):
        made = await post(
            client, world.a.thread_id, world.h("ana" if depth % 2 else "ben"), parent_id=parent
        )
        parent = made.json()["id"]
    page = (await client.get(f"/threads/{world.a.thread_id}")).text
    assert f'<a class="post-number" href="#post-{first}"' in page
    assert ">#1</a>" in page and ">#7</a>" in page
    # Beyond the fourth level, the reply names whom it answers, linked to that post.
    assert page.count("In reply to") == 2
    assert 'href="#post-' in page[page.index("In reply to") - 80 :]
    assert 'title="' in page[page.index("data-ago") - 200 : page.index("data-ago")]


def test_an_outcome_keeps_the_page_address_it_returns_to() -> None:
    target = with_outcome("/threads/3?lang=fr&done=old&post=9#post-4", "hidden", post=4)
    assert target == "/threads/3?lang=fr&done=hidden&post=4#post-4"
