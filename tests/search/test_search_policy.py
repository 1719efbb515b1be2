"""The search's SQL clause and the policy's rules for one text agree, for every kind of
caller: findable_documents_clause selects exactly the texts of the sessions
load_session lets them see that may_find lets them find."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum_server.errors import NotFound
from forum_server.moderation import posts as moderation
from forum_server.moderation.holding import change_holding_rules
from forum_server.moderation.schemas import SettingsUpdate
from forum_server.policy import findable_documents_clause, load_session, may_find
from forum_server.rooms.models import Post
from forum_server.rooms.state import PUBLISHED
from forum_server.search.models import TOPIC, SearchDocument
from tests.conftest import SECRETARIAT
from tests.search.conftest import Forum

CALLERS = [
    "guest",
    "outsider",
    "removed",
    "other_mod",
    "member",
    "suspended",
    "ws_mod",
    "session_mod",
    "public_mod",
    "writer",
    "sec",
]


@pytest.fixture
async def every_state(forum: Forum, make_session) -> Forum:
    """Posts in every state in both places, and a draft session in each."""
    for place, mod in ((forum.public, "public_mod"), (forum.members, "ws_mod")):
        author = "writer" if place is forum.public else "member"
        await forum.post(author, place, "Published words.")
        hidden = await forum.post(author, place, "Hidden words.")
        await moderation.hide_post(forum.db, forum.actor(mod), hidden, "Reason.")
        await change_holding_rules(
            forum.db, SECRETARIAT, place.slug, SettingsUpdate(hold_first_posts=1000)
        )
        await forum.post(author, place, "Held words.")
        rejected = await forum.post(author, place, "Rejected words.")
        await moderation.reject_post(forum.db, forum.actor(mod), rejected, "Reason.")
        await make_session(place.slug, opens_at=None, closes_at=None, title="Draft session")
    return forum


async def _expected(forum: Forum, who: str, docs: list[SearchDocument]) -> set[tuple[str, int]]:
    actor = forum.actor(who)
    found: set[tuple[str, int]] = set()
    async with forum.db.read() as session:
        for doc in docs:
            try:
                _, access = await load_session(session, actor, doc.session_id)
            except NotFound:
                continue
            if doc.kind == TOPIC:
                statuses = await session.scalars(
                    select(Post.status).where(Post.thread_id == doc.thread_id)
                )
                if not any(may_find(access, status) for status in statuses):
                    continue
            if may_find(access, doc.status):
                found.add((doc.kind, doc.ref_id))
    return found


@pytest.mark.parametrize("who", CALLERS)
async def test_the_clause_is_the_rule(every_state: Forum, who: str) -> None:
    forum = every_state
    async with forum.db.read() as session:
        docs = list(await session.scalars(select(SearchDocument)))
        clause = findable_documents_clause(forum.actor(who))
        rows = await session.execute(
            select(SearchDocument.kind, SearchDocument.ref_id).where(clause)
        )
        selected = {(kind, ref_id) for kind, ref_id in rows}
    assert {d.status for d in docs} == {PUBLISHED, "pending", "hidden", "rejected"}
    expected = await _expected(forum, who, docs)
    assert selected == expected
    if who in {"guest", "outsider", "removed", "other_mod", "writer"}:
        assert not any(
            d.session_id == forum.members.session_id for d in docs if (d.kind, d.ref_id) in selected
        )
