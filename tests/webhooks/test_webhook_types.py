"""The webhook types that say more than their stored event: a closed poll carries its
results as any reader sees them, and a session's close is also `report.ready`, with
a download address for every format of its report."""

from __future__ import annotations

import httpx

from forum_server.db import Database
from forum_server.decide import polls
from forum_server.decide.schemas import PollCreate, VoteInput
from forum_server.policy import Actor
from forum_server.reports.formats import FORMATS
from forum_server.rooms import sessions
from forum_server.settings import Settings
from tests.conftest import SECRETARIAT, MakeUser
from tests.helpers import bearer
from tests.webhooks.receiver import Receiver
from tests.webhooks.test_webhook_delivery import register, secretariat_token

SECRET = "poll-secret"


async def test_a_closed_poll_arrives_with_its_results_and_no_one_elses_vote(
    client: httpx.AsyncClient,
    db: Database,
    make_user: MakeUser,
    make_space,
    make_session,
    receiver: Receiver,
) -> None:
    token = await secretariat_token(client, make_user)
    await register(client, token, receiver.url, ["poll.closed"])
    session_id = await make_session(await make_space(slug="bch-forum"))
    staff = await make_user(is_secretariat=True)
    chair = Actor(user_id=staff.id, is_secretariat=True)
    data = PollCreate(kind="single", title="Where next?", options=["Nairobi", "Lima"])
    poll = await polls.create_poll(db, chair, session_id, data, secret=SECRET)
    for n in range(3):
        voter = await make_user(display_name=f"Voter {n}")
        ballot = VoteInput(choices=[0 if n else 1])
        await polls.vote(db, Actor(user_id=voter.id), poll.id, ballot, secret=SECRET)
    await polls.close_poll(db, chair, poll.id, secret=SECRET)

    await receiver.wait_for(1)
    [delivery] = [r.json for r in receiver.received]
    assert delivery["type"] == "poll.closed" and delivery["session_id"] == session_id
    body = delivery["data"]
    assert body["title"] == "Where next?" and body["closed_at"] is not None
    assert [o["count"] for o in body["results"]["options"]] == [2, 1]
    assert body["voted"] is False and body["my_vote"] is None


async def test_a_close_is_also_report_ready_with_every_formats_address(
    client: httpx.AsyncClient,
    db: Database,
    settings: Settings,
    make_user: MakeUser,
    make_space,
    make_session,
    receiver: Receiver,
) -> None:
    token = await secretariat_token(client, make_user)
    await register(client, token, receiver.url, ["report.ready", "session.closed"])
    session_id = await make_session(await make_space(slug="bch-forum"))
    await sessions.close_now(db, SECRETARIAT, session_id)

    await receiver.wait_for(2)
    got = {r.json["type"]: r.json for r in receiver.received}
    assert set(got) == {"session.closed", "report.ready"}
    assert got["report.ready"]["id"] == got["session.closed"]["id"], "one event, two types"
    reports = got["report.ready"]["data"]["reports"]
    base = f"{settings.base_url.rstrip('/')}/api/v1/sessions/{session_id}/report"
    assert reports == {fmt: f"{base}?format={fmt}" for fmt in FORMATS}
    assert "reports" not in got["session.closed"]["data"]
    markdown = reports["md"].removeprefix(settings.base_url.rstrip("/"))
    download = await client.get(markdown, headers=bearer(token))
    assert download.status_code == 200 and "text/markdown" in download.headers["content-type"]
