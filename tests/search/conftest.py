"""A small forum to search: a public forum, a members-only workspace full of words that
appear nowhere else, and a third space with a moderator of its own. Each caller that
must find nothing in the workspace is here: a guest, someone signed in, a member who
was removed, another space's moderator; and those who must: a member (one of them
suspended from posting), the workspace's moderator, a session moderator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from forum_server.accounts.queries import UserView
from forum_server.db import Database
from forum_server.moderation.schemas import SuspensionCreate
from forum_server.moderation.suspensions import suspend_in_space
from forum_server.policy import Actor
from forum_server.rooms import members, posting
from forum_server.rooms.schemas import PostCreate, ThreadCreate
from forum_server.search import queries
from forum_server.search.views import SearchHit
from tests.conftest import SECRETARIAT, MakeUser
from tests.helpers import bearer, token_for
from tests.rooms.conftest import browser

# Words found only in the workspace: each would betray it.
CANARY_WORDS = ("zorblaxite", "quendrilith", "mavrotekton")
CANARY_BODY = (
    "Our zorblaxite assessment of the quendrilith protocol: mavrotekton findings "
    "remain confidential."
)
CANARY_TOPIC = "Quendrilith working paper"
CANARY_QUESTION = "How should zorblaxite oversight work?"
CANARY_AUTHOR = "Xanthippe Vorloq"
__all__ = ["browser"]  # the rooms tests' fixture: a second browser, signed in


@dataclass
class Place:
    slug: str
    session_id: int
    thread_id: int  # question 1's thread
    question_id: int


@dataclass
class Forum:
    public: Place
    members: Place
    other: Place
    users: dict[str, UserView]
    db: Database

    def actor(self, who: str) -> Actor:
        if who == "guest":
            return Actor()
        user = self.users[who]
        return Actor(
            user_id=user.id, display_name=user.display_name, is_secretariat=user.is_secretariat
        )

    async def post(self, who: str, place: Place, body: str) -> int:
        posted = await posting.create_post(
            self.db, self.actor(who), place.thread_id, PostCreate(body=body)
        )
        return posted.post.id

    async def find(
        self, who: str, q: str, *, order: str = "newest", **fields: str
    ) -> list[SearchHit]:
        """Every hit, following the cursor to the end, one result a page."""
        hits: list[SearchHit] = []
        cursor = None
        for _ in range(200):
            async with self.db.read() as session:
                _, page = await queries.search(
                    session, self.actor(who), q, fields, order=order, cursor=cursor, limit=1
                )
            hits += page.hits
            if page.next is None:
                return hits
            cursor = page.next
        raise AssertionError("the cursor never ended")


async def place_of(db: Database, slug: str, session_id: int) -> Place:
    from forum_server.rooms.queries import session_detail

    async with db.read() as session:
        detail = await session_detail(session, SECRETARIAT, session_id)
    first = detail.questions[0]
    return Place(slug, session_id, first.thread_id, first.id)


@pytest.fixture
async def forum(db: Database, make_user: MakeUser, make_space, make_session, add_member) -> Forum:
    users = {
        "member": await make_user(display_name=CANARY_AUTHOR),
        "suspended": await make_user(display_name="Suspended Member"),
        "removed": await make_user(display_name="Removed Member"),
        "outsider": await make_user(display_name="Outsider"),
        "other_mod": await make_user(display_name="Other Moderator"),
        "ws_mod": await make_user(display_name="Workspace Moderator"),
        "session_mod": await make_user(display_name="Session Moderator"),
        "public_mod": await make_user(display_name="Public Moderator"),
        "writer": await make_user(display_name="Public Writer"),
        "sec": await make_user(display_name="Secretariat", is_secretariat=True),
    }
    public = await make_space(slug="open-forum")
    workspace = await make_space(slug="workspace", visibility="members")
    other = await make_space(slug="other-space", visibility="members")
    for who in ("member", "suspended", "removed", "session_mod"):
        await add_member(workspace, users[who].id)
    await add_member(workspace, users["ws_mod"].id, "moderator")
    await add_member(other, users["other_mod"].id, "moderator")
    await add_member(public, users["public_mod"].id, "moderator")
    ws_session = await make_session(
        workspace,
        title="Quendrilith oversight session",
        participant_topics=True,
        moderator_ids=[users["session_mod"].id],
        questions=[CANARY_QUESTION, "What else?"],
    )
    forum = Forum(
        public=await place_of(db, public, await make_session(public, participant_topics=True)),
        members=await place_of(db, workspace, ws_session),
        other=await place_of(db, other, await make_session(other)),
        users=users,
        db=db,
    )
    await forum.post("member", forum.members, CANARY_BODY)
    await posting.create_thread(
        db,
        forum.actor("member"),
        ws_session,
        ThreadCreate(title=CANARY_TOPIC, body="See mavrotekton annex."),
    )
    await forum.post("writer", forum.public, "Public notes on national biosafety frameworks.")
    await members.remove_member(db, SECRETARIAT, workspace, users["removed"].id)
    await suspend_in_space(
        db,
        SECRETARIAT,
        workspace,
        SuspensionCreate(user_id=users["suspended"].id, reason="Off-topic posts."),
    )
    return forum


async def headers_for(client: httpx.AsyncClient, forum: Forum, who: str) -> dict[str, str]:
    if who == "guest":
        return {}
    return bearer(await token_for(client, forum.users[who]))


async def api_search(
    client: httpx.AsyncClient, headers: dict[str, str], **params: Any
) -> list[dict[str, Any]]:
    """Every item the API gives, page by page (one a page)."""
    items: list[dict[str, Any]] = []
    params = {"limit": "1", **params}
    for _ in range(200):
        response = await client.get("/api/v1/search", params=params, headers=headers)
        assert response.status_code == 200, response.text
        data = response.json()
        items += data["items"]
        if data["next"] is None:
            return items
        params["cursor"] = data["next"]
    raise AssertionError("the cursor never ended")
