"""Polls and proposals through the API: who starts them, voting and changing a vote,
one vote a person whatever races, closing, outcomes, hidden results, anonymity."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import httpx
from sqlalchemy import func, select

from forum_server.db import Database
from forum_server.decide import polls
from forum_server.decide.models import PollBallot, PollVoter
from forum_server.decide.schemas import PollCreate, VoteInput
from forum_server.events import EventRecord
from forum_server.orm import utcnow
from forum_server.policy import Actor
from tests.decide.conftest import Forum

SECRET = "test-secret-key-of-at-least-32-characters"  # tests/helpers.make_settings


async def start(client: httpx.AsyncClient, forum: Forum, who: str = "secretariat", **fields):
    body = {"kind": "proposal", "title": "Adopt the draft work plan", **fields}
    return await client.post(
        f"/api/v1/sessions/{forum.session_id}/polls", json=body, headers=forum.headers[who]
    )


async def vote(client: httpx.AsyncClient, forum: Forum, poll_id: int, who: str, **body):
    return await client.put(f"/api/v1/polls/{poll_id}/vote", json=body, headers=forum.headers[who])


async def test_a_proposal_is_voted_changed_closed_and_concluded(
    client: httpx.AsyncClient, forum: Forum
):
    created = await start(client, forum, thread_id=forum.thread_id)
    assert created.status_code == 201, created.text
    poll = created.json()
    assert poll["open"] and poll["votes"] == 0
    # It closes with the session unless told otherwise.
    session = (await client.get(f"/api/v1/sessions/{forum.session_id}")).json()
    assert poll["closes_at"] == session["closes_at"]

    assert (await vote(client, forum, poll["id"], "ana", position="agree")).status_code == 200
    ben = await vote(client, forum, poll["id"], "ben", position="block", reason="Too costly.")
    assert ben.status_code == 200
    changed = await vote(client, forum, poll["id"], "ana", position="abstain", reason="Unsure.")
    assert changed.json()["my_vote"] == {"choices": [], "position": "abstain", "reason": "Unsure."}

    shown = (await client.get(f"/api/v1/polls/{poll['id']}")).json()
    assert shown["votes"] == 2
    by_position = {o["key"]: o for o in shown["results"]["options"]}
    assert {k: o["count"] for k, o in by_position.items()} == {
        "agree": 0,
        "abstain": 1,
        "disagree": 0,
        "block": 1,
    }
    assert by_position["block"]["reasons"] == [{"name": "User 3", "reason": "Too costly."}]
    assert by_position["abstain"]["voters"] == ["User 2"]

    # Only moderators write the outcome, and only once it is closed.
    early = await client.put(
        f"/api/v1/polls/{poll['id']}/outcome", json={"outcome": "x"}, headers=forum.headers["ana"]
    )
    assert early.status_code == 403
    closed = await client.post(
        f"/api/v1/polls/{poll['id']}/close", headers=forum.headers["secretariat"]
    )
    assert closed.status_code == 200 and not closed.json()["open"]
    late = await vote(client, forum, poll["id"], "ben", position="agree")
    assert late.status_code == 409 and late.json()["error"]["code"] == "poll_closed"
    outcome = await client.put(
        f"/api/v1/polls/{poll['id']}/outcome",
        json={"outcome": "Not adopted: one block. Revised plan next week."},
        headers=forum.headers["secretariat"],
    )
    assert outcome.status_code == 200
    assert outcome.json()["outcome"].startswith("Not adopted")


async def test_a_poll_past_its_time_refuses_votes_and_is_announced(
    client: httpx.AsyncClient, forum: Forum, db: Database
):
    soon = (utcnow() + timedelta(seconds=1)).isoformat()
    poll = (
        await start(client, forum, kind="single", options=["Monday", "Friday"], closes_at=soon)
    ).json()
    await asyncio.sleep(1.1)
    late = await vote(client, forum, poll["id"], "ana", choices=[0])
    assert late.status_code == 409 and late.json()["error"]["code"] == "poll_closed"
    assert await polls.close_due_polls(db) == 1
    async with db.read() as session:
        types = list(await session.scalars(select(EventRecord.type)))
    assert types.count("poll.closed") == 1


async def test_choices_are_checked_against_the_kind(client: httpx.AsyncClient, forum: Forum):
    single = (await start(client, forum, kind="single", options=["A", "B", "C"])).json()
    multiple = (await start(client, forum, kind="multiple", options=["A", "B", "C"])).json()
    assert (await vote(client, forum, single["id"], "ana", choices=[0, 1])).status_code == 422
    assert (await vote(client, forum, single["id"], "ana", choices=[3])).status_code == 422
    assert (await vote(client, forum, single["id"], "ana", position="agree")).status_code == 422
    both = await vote(client, forum, multiple["id"], "ana", choices=[0, 2])
    assert [o["count"] for o in both.json()["results"]["options"]] == [1, 0, 1]
    assert (await start(client, forum, kind="single", options=["Only one"])).status_code == 422


async def test_two_tabs_voting_at_once_leave_one_vote(forum: Forum, db: Database):
    created = await polls.create_poll(
        db,
        Actor(user_id=forum.user_ids["secretariat"], is_secretariat=True),
        forum.session_id,
        PollCreate(kind="single", title="Where next?", options=["Nairobi", "Lima"], anonymous=True),
        secret=SECRET,
    )
    ana = Actor(user_id=forum.user_ids["ana"])
    ballots = [VoteInput(choices=[n % 2]) for n in range(6)]
    await asyncio.gather(*(polls.vote(db, ana, created.id, b, secret=SECRET) for b in ballots))
    async with db.read() as session:
        voters = await session.scalar(select(func.count()).select_from(PollVoter))
        kept = await session.scalar(select(func.count()).select_from(PollBallot))
    assert (voters, kept) == (1, 1)


async def test_results_wait_for_ones_vote_where_the_creator_chose(
    client: httpx.AsyncClient, forum: Forum
):
    poll = (await start(client, forum, hide_results=True)).json()
    await vote(client, forum, poll["id"], "ana", position="agree")
    for who in ("ben", "secretariat", "guest"):  # moderators are not shown them either
        seen = await client.get(f"/api/v1/polls/{poll['id']}", headers=forum.headers[who])
        assert seen.json()["results"] is None and seen.json()["votes"] == 1
    voted = await vote(client, forum, poll["id"], "ben", position="disagree")
    assert voted.json()["results"] is not None
    await client.post(f"/api/v1/polls/{poll['id']}/close", headers=forum.headers["secretariat"])
    after = await client.get(f"/api/v1/polls/{poll['id']}")
    assert after.json()["results"]["votes"] == 2


async def test_an_anonymous_poll_never_says_who_voted_what(
    client: httpx.AsyncClient, forum: Forum, db: Database
):
    poll = (await start(client, forum, anonymous=True)).json()
    await vote(client, forum, poll["id"], "ana", position="block", reason="A reason.")
    await vote(client, forum, poll["id"], "ben", position="agree")
    await vote(client, forum, poll["id"], "ben", position="disagree")  # changed
    for who in ("secretariat", "ana", "guest"):
        shown = await client.get(f"/api/v1/polls/{poll['id']}", headers=forum.headers[who])
        options = shown.json()["results"]["options"]
        assert all(o["voters"] == [] for o in options)
        assert [r["name"] for o in options for r in o["reasons"]] == [None]
        assert "User" not in json.dumps(options)
    assert {o["key"]: o["count"] for o in options}["disagree"] == 1
    page = await client.get(f"/polls/{poll['id']}", headers=forum.headers["secretariat"])
    assert "User 2" not in page.text and "User 3" not in page.text
    async with db.read() as session:
        ballots = list(await session.scalars(select(PollBallot)))
        events = list(await session.scalars(select(EventRecord.data)))
    assert len(ballots) == 2 and all(b.user_id is None for b in ballots)
    assert not any(b.voter_key.startswith("user:") for b in ballots)
    assert all("user" not in data for data in events if '"id":' + str(poll["id"]) in data)
    # Once closed, not even the server can tell whose a ballot was.
    await client.post(f"/api/v1/polls/{poll['id']}/close", headers=forum.headers["secretariat"])
    async with db.read() as session:
        keys = list(await session.scalars(select(PollBallot.voter_key)))
    assert all(key.startswith("closed:") for key in keys)
    mine = await client.get(f"/api/v1/polls/{poll['id']}", headers=forum.headers["ana"])
    assert mine.json()["voted"] is True and mine.json()["my_vote"] is None


async def test_who_starts_polls_and_who_votes(client: httpx.AsyncClient, forum: Forum):
    # A participant of a public forum does not start one; a member of a members space does.
    assert (await start(client, forum, who="ana")).status_code == 403
    assert (await start(client, forum, who="guest")).status_code == 401
    in_workspace = await client.post(
        f"/api/v1/sessions/{forum.members_session_id}/polls",
        json={"kind": "proposal", "title": "Meet in May"},
        headers=forum.headers["member"],
    )
    assert in_workspace.status_code == 201
    poll = (await start(client, forum)).json()
    assert (await vote(client, forum, poll["id"], "guest", position="agree")).status_code == 401


async def test_a_vote_racing_the_close_is_unlinked_or_refused(forum: Forum, db: Database):
    secretariat = Actor(user_id=forum.user_ids["secretariat"], is_secretariat=True)
    created = await polls.create_poll(
        db,
        secretariat,
        forum.session_id,
        PollCreate(kind="proposal", title="Meet in May?", anonymous=True),
        secret=SECRET,
    )
    voters = [Actor(user_id=forum.user_ids[who]) for who in ("ana", "ben", "member")]
    ballot = VoteInput(position="agree")
    outcomes = await asyncio.gather(
        *(polls.vote(db, voter, created.id, ballot, secret=SECRET) for voter in voters),
        polls.close_poll(db, secretariat, created.id, secret=SECRET),
        return_exceptions=True,
    )
    assert all(not isinstance(o, Exception) or "closed" in str(o) for o in outcomes), outcomes
    async with db.read() as session:
        keys = list(await session.scalars(select(PollBallot.voter_key)))
    assert all(key.startswith("closed:") for key in keys)
