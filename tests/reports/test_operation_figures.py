"""The secretariat's figures by year, across every space: counted right, members-only
workspaces included, for the secretariat alone."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import httpx

from forum_server.db import Database
from forum_server.orm import utcnow
from forum_server.policy import Actor
from forum_server.rooms import posting
from forum_server.rooms.queries import session_detail
from forum_server.rooms.schemas import PostCreate
from tests.conftest import SECRETARIAT, MakeUser
from tests.helpers import bearer, token_for


async def test_figures_by_year(
    client: httpx.AsyncClient,
    db: Database,
    make_user: MakeUser,
    make_space,
    make_session,
    add_member,
) -> None:
    kenya = await make_user(country="KE")
    chile = await make_user(country="CL")
    public = await make_space(slug="open")
    workspace = await make_space(slug="ws", visibility="members")
    await add_member(workspace, kenya.id)
    last_year = utcnow().replace(month=6, day=1) - timedelta(days=365)
    await make_session(public, opens_at=last_year, closes_at=last_year + timedelta(days=14))
    sessions = [await make_session(public), await make_session(workspace)]
    for session_id, people in zip(sessions, ([kenya, chile], [kenya]), strict=True):
        async with db.read() as session:
            thread = (await session_detail(session, SECRETARIAT, session_id)).questions[0].thread_id
        for person in people:
            actor = Actor(user_id=person.id, display_name=person.display_name)
            await posting.create_post(db, actor, thread, PostCreate(body="A contribution."))

    secretariat = await token_for(client, await make_user(is_secretariat=True))
    years = (await client.get("/api/v1/statistics", headers=bearer(secretariat))).json()["years"]
    this_year, earlier = years
    assert this_year["year"] == utcnow().year and earlier["year"] == last_year.year
    assert (this_year["sessions"], this_year["workspace_sessions"], this_year["spaces"]) == (
        2,
        1,
        2,
    )
    assert (this_year["posts"], this_year["participants"]) == (3, 2)
    assert (this_year["countries"], this_year["regions"]) == (2, 2)
    assert (earlier["sessions"], earlier["posts"]) == (1, 0)

    exported = await client.get("/api/v1/statistics?format=csv", headers=bearer(secretariat))
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert rows[0]["year"] == str(utcnow().year) and rows[0]["posts"] == "3"

    participant = await token_for(client, kenya)
    assert (await client.get("/api/v1/statistics", headers=bearer(participant))).status_code == 403
    assert (await client.get("/api/v1/statistics")).status_code == 401
