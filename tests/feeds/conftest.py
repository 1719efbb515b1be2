"""A public forum and a members workspace with a session each, a member of the
workspace, an outsider, and a held and a hidden post among the published ones."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from starlette.applications import Starlette

from forum_server.accounts.queries import UserView
from forum_server.db import Database
from forum_server.feeds.keys import feed_key_of
from forum_server.policy import Actor
from forum_server.rooms import posting
from forum_server.rooms.queries import session_detail
from forum_server.rooms.schemas import PostCreate
from tests.conftest import SECRETARIAT, MakeUser


@dataclass
class Places:
    public_slug: str
    public_session: int
    public_thread: int
    members_slug: str
    members_session: int
    members_thread: int
    member: UserView
    outsider: UserView
    db: Database


def actor(user: UserView) -> Actor:
    return Actor(user_id=user.id, display_name=user.display_name)


async def first_thread(db: Database, session_id: int) -> int:
    async with db.read() as session:
        detail = await session_detail(session, SECRETARIAT, session_id)
    return detail.questions[0].thread_id


@pytest.fixture
async def places(db: Database, make_user: MakeUser, make_space, make_session, add_member) -> Places:
    member = await make_user(display_name="Ngozi Member")
    outsider = await make_user(display_name="Olaf Outsider")
    public = await make_space(slug="open-forum", title="Open forum")
    workspace = await make_space(slug="workspace", title="Liaison group", visibility="members")
    await add_member(workspace, member.id)
    public_session = await make_session(public, title="Public consultation")
    members_session = await make_session(workspace, title="Confidential drafting")
    found = Places(
        public_slug=public,
        public_session=public_session,
        public_thread=await first_thread(db, public_session),
        members_slug=workspace,
        members_session=members_session,
        members_thread=await first_thread(db, members_session),
        member=member,
        outsider=outsider,
        db=db,
    )
    await posting.create_post(
        db, actor(member), found.members_thread, PostCreate(body="Zorblaxite drafting notes.")
    )
    return found


async def personal_base(app: Starlette, db: Database, user: UserView) -> str:
    key = await feed_key_of(db, app.state.ctx.settings.secret_key, actor(user))
    return f"/api/v1/feeds/{key}"


def feed_key_in(page: str) -> str:
    found = re.search(r"/api/v1/feeds/([a-z2-7]+)/calendar\.ics", page)
    assert found, "the page shows a personal calendar address"
    return found.group(1)
