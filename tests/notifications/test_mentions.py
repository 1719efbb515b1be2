"""Mentions: `@Name` and `@[Full Name]` link to participants who may read the thread,
tell them once, in the page and by e-mail; nobody else is named, linked or told."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import func, select

from forum_server.db import Database
from forum_server.mail.models import OutboxMessage
from forum_server.moderation import posts as moderation
from forum_server.notifications.models import Notification
from forum_server.rooms import editing, members
from forum_server.rooms.schemas import PostEdit
from tests.conftest import SECRETARIAT
from tests.helpers import bearer, token_for
from tests.notifications.conftest import actor_of


async def _notifications(db: Database, user_id: int) -> list[tuple[str, int | None]]:
    async with db.read() as session:
        rows = await session.execute(
            select(Notification.kind, Notification.post_id)
            .where(Notification.user_id == user_id)
            .order_by(Notification.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def _mails(db: Database, user_id: int) -> int:
    async with db.read() as session:
        return int(
            await session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.user_id == user_id, OutboxMessage.kind == "post")
            )
            or 0
        )


async def test_a_mention_links_the_participant_and_tells_them_once(
    db, make_user, make_space, make_session, question_threads, post_as
):
    slug = await make_space()
    session_id = await make_session(slug)
    [thread_id, _] = await question_threads(session_id)
    amina = await make_user(display_name="Amina Diallo")
    jean = await make_user(display_name="Jean")
    author = await make_user(display_name="Author")
    await post_as(amina, thread_id, "Hello.")
    await post_as(jean, thread_id, "Bonjour.")

    post = await post_as(author, thread_id, "Thanks @[amina  DIALLO] and @Jean, not `@Jean`.")
    assert f'<a href="/people/{amina.id}" class="mention"' in post.html
    assert "@Amina Diallo</a>" in post.html
    assert post.html.count(f'href="/people/{jean.id}"') == 1  # not in the code span
    assert await _notifications(db, amina.id) == [("mention", post.id)]
    assert await _notifications(db, jean.id) == [("mention", post.id)]
    assert await _mails(db, amina.id) == 1

    # An edit that keeps them and adds nobody tells nobody again.
    await editing.edit_post(
        db,
        actor_of(author),
        post.id,
        PostEdit(body="Thanks @[Amina Diallo] and @Jean!"),
        edit_window=timedelta(minutes=30),
    )
    assert await _notifications(db, amina.id) == [("mention", post.id)]
    assert await _mails(db, amina.id) == 1


async def test_an_edit_tells_only_the_people_it_adds(
    db, make_user, make_space, make_session, question_threads, post_as
):
    slug = await make_space()
    [thread_id, _] = await question_threads(await make_session(slug))
    first, second = await make_user(display_name="First"), await make_user(display_name="Second")
    author = await make_user(display_name="Author")
    for user in (first, second):
        await post_as(user, thread_id, "Present.")
    post = await post_as(author, thread_id, "Over to @First.")
    await editing.edit_post(
        db,
        actor_of(author),
        post.id,
        PostEdit(body="Over to @First and @Second."),
        edit_window=timedelta(minutes=30),
    )
    assert await _notifications(db, first.id) == [("mention", post.id)]
    assert await _notifications(db, second.id) == [("mention", post.id)]


async def test_people_who_cannot_read_are_neither_linked_nor_told(
    db, make_user, make_space, make_session, question_threads, post_as, add_member
):
    slug = await make_space(visibility="members")
    [thread_id, _] = await question_threads(await make_session(slug))
    member, author = await make_user(display_name="Member"), await make_user()
    outsider = await make_user(display_name="Outsider")
    removed = await make_user(display_name="Removed")
    for user in (member, author, removed):
        await add_member(slug, user.id)
    await post_as(removed, thread_id, "I was here.")
    await members.remove_member(db, SECRETARIAT, slug, removed.id)

    post = await post_as(author, thread_id, "@Member @Outsider @Removed @Nobody")
    assert f"/people/{member.id}" in post.html
    assert "</a> @Outsider @Removed @Nobody</p>" in post.html  # text, as for no such name
    assert "/people/" + str(outsider.id) not in post.html
    assert "/people/" + str(removed.id) not in post.html
    assert await _notifications(db, outsider.id) == []
    assert await _notifications(db, removed.id) == []
    assert await _mails(db, outsider.id) == 0 and await _mails(db, removed.id) == 0


async def test_a_held_post_tells_its_mentions_only_when_approved(
    db, make_user, make_space, make_session, question_threads, post_as, client: httpx.AsyncClient
):
    slug = await make_space(guest_posting=True)
    [thread_id, _] = await question_threads(await make_session(slug))
    named = await make_user(display_name="Named")
    await post_as(named, thread_id, "First.")
    held = await client.post(
        f"/api/v1/threads/{thread_id}/posts",
        json={"body": "A question for @Named.", "guest_name": "Visitor"},
    )
    assert held.status_code == 202, held.text
    post_id = held.json()["id"]
    assert await _notifications(db, named.id) == []
    await moderation.approve_post(db, SECRETARIAT, post_id)
    assert await _notifications(db, named.id) == [("mention", post_id)]


async def test_two_people_of_one_name_are_told_apart_by_number(
    db, make_user, make_space, make_session, question_threads, post_as, client: httpx.AsyncClient
):
    slug = await make_space()
    [thread_id, _] = await question_threads(await make_session(slug))
    one, two = await make_user(display_name="Li Wei"), await make_user(display_name="Li Wei")
    author = await make_user(display_name="Author")
    for user in (one, two):
        await post_as(user, thread_id, "Hi.")
    headers = bearer(await token_for(client, author))
    found = await client.get(
        f"/api/v1/threads/{thread_id}/mentionable", params={"q": "wei"}, headers=headers
    )
    assert found.status_code == 200
    mentions = sorted(item["mention"] for item in found.json()["items"])
    assert mentions == sorted([f"@[Li Wei#{one.id}]", f"@[Li Wei#{two.id}]"])
    post = await post_as(author, thread_id, f"@[Li Wei] and @[Li Wei#{two.id}]")
    assert f"/people/{two.id}" in post.html and f"/people/{one.id}" not in post.html
    assert await _notifications(db, one.id) == []


async def test_a_preview_in_a_thread_shows_its_mentions(
    db, client, make_user, make_space, make_session, question_threads, post_as
):
    slug = await make_space()
    [thread_id, _] = await question_threads(await make_session(slug))
    named, author = await make_user(display_name="Named"), await make_user()
    await post_as(named, thread_id, "Here.")
    headers = bearer(await token_for(client, author))
    shown = await client.post(
        "/api/v1/preview", json={"body": "@Named", "thread_id": thread_id}, headers=headers
    )
    assert f'href="/people/{named.id}" class="mention"' in shown.json()["html"]
    plain = await client.post("/api/v1/preview", json={"body": "@Named"}, headers=headers)
    assert plain.json()["html"] == "<p>@Named</p>\n"
    hidden = await client.post(
        "/api/v1/preview", json={"body": "@Named", "thread_id": 999999}, headers=headers
    )
    assert hidden.status_code == 404
    assert await _notifications(db, named.id) == []  # a preview tells nobody
