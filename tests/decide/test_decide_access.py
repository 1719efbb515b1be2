"""A poll and a reacted-to post in a members space leak nothing — not the poll, its
title, its counts, nor the reactions — to a guest, a signed-in non-member, a removed
member or the moderator of another space, by any route; and the forms without the
script work for those who may use them."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import delete, select

from forum_server.db import Database
from forum_server.rooms.models import Membership, Space
from tests.decide.conftest import Forum
from tests.helpers import csrf_from

CANARY = "Canary-7f3a proposal on the confidential budget"


async def members_poll(client: httpx.AsyncClient, forum: Forum) -> tuple[int, int]:
    member = forum.headers["member"]
    post = await client.post(
        f"/api/v1/threads/{forum.members_thread_id}/posts",
        json={"body": "Inside the workspace."},
        headers=member,
    )
    post_id = post.json()["id"]
    await client.put(f"/api/v1/posts/{post_id}/reactions/agree", headers=member)
    poll = await client.post(
        f"/api/v1/sessions/{forum.members_session_id}/polls",
        json={"kind": "proposal", "title": CANARY, "thread_id": forum.members_thread_id},
        headers=member,
    )
    assert poll.status_code == 201, poll.text
    await client.put(
        f"/api/v1/polls/{poll.json()['id']}/vote", json={"position": "agree"}, headers=member
    )
    return poll.json()["id"], post_id


async def remove(db: Database, forum: Forum, who: str) -> None:
    async with db.write() as uow:
        space_id = await uow.session.scalar(
            select(Space.id).where(Space.slug == forum.members_slug)
        )
        await uow.session.execute(
            delete(Membership).where(
                Membership.space_id == space_id, Membership.user_id == forum.user_ids[who]
            )
        )


@pytest.mark.parametrize("who", ["guest", "outsider", "removed", "other_mod"])
async def test_outsiders_learn_nothing_of_a_members_space_poll(
    client: httpx.AsyncClient, forum: Forum, db: Database, who: str
):
    poll_id, post_id = await members_poll(client, forum)
    await remove(db, forum, "removed")
    headers = forum.headers[who]
    sid = forum.members_session_id
    answers = [
        await client.get(f"/api/v1/polls/{poll_id}", headers=headers),
        await client.get(f"/api/v1/sessions/{sid}/polls", headers=headers),
        await client.put(
            f"/api/v1/polls/{poll_id}/vote", json={"position": "block"}, headers=headers
        ),
        await client.post(f"/api/v1/polls/{poll_id}/close", headers=headers),
        await client.put(
            f"/api/v1/polls/{poll_id}/outcome", json={"outcome": "x"}, headers=headers
        ),
        await client.get(f"/api/v1/posts/{post_id}/reactions", headers=headers),
        await client.put(f"/api/v1/posts/{post_id}/reactions/agree", headers=headers),
        await client.post(
            f"/api/v1/sessions/{sid}/polls",
            json={"kind": "proposal", "title": "x"},
            headers=headers,
        ),
        await client.get(f"/polls/{poll_id}", headers=headers),
        await client.get(f"/posts/{post_id}/reactions", headers=headers),
    ]
    for answer in answers:
        # Anonymous callers of a write are asked to sign in first; everything else is 404.
        assert answer.status_code in ({401, 404} if who == "guest" else {404}), answer.request.url
        assert CANARY not in answer.text
        assert "Inside the workspace" not in answer.text
    # The member's own view has it, counted.
    inside = await client.get(f"/api/v1/polls/{poll_id}", headers=forum.headers["member"])
    assert inside.json()["title"] == CANARY and inside.json()["votes"] == 1


async def test_a_proposal_started_and_voted_without_the_script(
    client: httpx.AsyncClient, forum: Forum, browser
):
    async with browser(forum.users["secretariat"]) as sec:
        new = f"/sessions/{forum.session_id}/polls/new?thread_id={forum.thread_id}"
        token = await csrf_from(sec, new)
        started = await sec.post(
            f"/sessions/{forum.session_id}/polls/new",
            data={
                "csrf_token": token,
                "kind": "proposal",
                "title": "Adopt the work plan",
                "thread_id": str(forum.thread_id),
                "anonymous": "on",
            },
        )
        assert started.status_code == 303, started.text
        place = started.headers["location"]
        assert place.startswith(f"/threads/{forum.thread_id}#poll-")
        poll_id = int(place.rsplit("-", 1)[1])
    async with browser(forum.users["ana"]) as ana:
        page = await ana.get(f"/threads/{forum.thread_id}")
        assert f'action="/polls/{poll_id}/vote"' in page.text
        token = await csrf_from(ana, f"/threads/{forum.thread_id}")
        voted = await ana.post(
            f"/polls/{poll_id}/vote",
            data={"csrf_token": token, "position": "disagree", "reason": "Needs a budget."},
        )
        assert voted.status_code == 303
        again = await ana.get(f"/polls/{poll_id}")
        assert "Needs a budget." in again.text and 'value="disagree" required checked' in again.text
        refused = await ana.post(f"/polls/{poll_id}/vote", data={"csrf_token": token})
        assert refused.status_code == 422  # no position chosen: said on the page
        assert f'id="poll-{poll_id}"' in refused.text


async def test_a_poll_on_the_session_page(client: httpx.AsyncClient, forum: Forum, browser):
    created = await client.post(
        f"/api/v1/sessions/{forum.session_id}/polls",
        json={"kind": "multiple", "title": "Which dates suit you?", "options": ["May", "June"]},
        headers=forum.headers["secretariat"],
    )
    poll_id = created.json()["id"]
    start = f"/sessions/{forum.session_id}/polls/new"
    async with browser(forum.users["ana"]) as ana:
        page = (await ana.get(f"/sessions/{forum.session_id}")).text
        assert f'action="/polls/{poll_id}/vote"' in page and 'name="choice-1"' in page
        assert start not in page  # participants of a public forum do not start polls
        token = await csrf_from(ana, f"/sessions/{forum.session_id}")
        voted = await ana.post(
            f"/polls/{poll_id}/vote", data={"csrf_token": token, "choice-0": "on", "choice-1": "on"}
        )
        assert voted.headers["location"] == f"/sessions/{forum.session_id}#poll-{poll_id}"
    async with browser() as guest:
        page = (await guest.get(f"/sessions/{forum.session_id}")).text
        assert "Which dates suit you?" in page and f"/polls/{poll_id}/vote" not in page
    async with browser(forum.users["secretariat"]) as sec:
        assert start in (await sec.get(f"/sessions/{forum.session_id}")).text
