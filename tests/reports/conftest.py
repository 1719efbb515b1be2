"""A known forum to report on: one session, two guiding questions and a topic, people
from four UN regions, replies two deep, a highlight, running summaries, and posts
that must never be in a report (hidden, pending, rejected) carrying canary strings.

Published posts, by day (UTC) and question:

| day        | Q1                                     | Q2                | topic |
| 2026-03-02 | p1 mod (ZA), p2 ana (BR)               |                   |       |
| 2026-03-03 | p3 ben (NO) ↳p2, p4 chen (CN) ↳p3      |                   |       |
| 2026-03-04 | p8 dan (KE) ↳p5 (hidden)               | q1 ana, q2 mod ↳q1 | t1 ben |

So: 8 posts from 5 participants; Africa 3 posts / 2 people (mod, dan), GRULAC 2/1,
WEOG 2/1, Asia-Pacific 1/1; per day 2/2, 2/2, 4/4; Q1 5/5, Q2 2/2, topic 1/1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select, update

from forum_server.accounts.queries import UserView
from forum_server.db import Database
from forum_server.policy import Actor
from forum_server.rooms import posting
from forum_server.rooms.models import Membership, Post, Question, Space
from forum_server.rooms.schemas import PostCreate, ThreadCreate
from forum_server.summaries import Summary
from tests.conftest import MakeUser

CANARIES = ("CANARY-HIDDEN-a81f", "CANARY-PENDING-b72e", "CANARY-REJECTED-c63d")
DAY1 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
DAY2 = datetime(2026, 3, 3, 11, 0, tzinfo=UTC)
DAY3 = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


@dataclass
class Forum:
    slug: str
    session_id: int
    users: dict[str, UserView]
    posts: dict[str, int] = field(default_factory=dict)
    threads: dict[str, int] = field(default_factory=dict)


def actor(user: UserView) -> Actor:
    return Actor(user_id=user.id, display_name=user.display_name)


async def build_forum(
    db: Database,
    make_user: MakeUser,
    make_space: Any,
    make_session: Any,
    *,
    visibility: str = "public",
) -> Forum:
    people = {
        "mod": dict(country="ZA", gender="female", affiliation="party", organization="DEA"),
        "ana": dict(country="BR", gender="female", affiliation="party", organization="MMA Brasil"),
        "ben": dict(country="NO", gender="male", affiliation="ngo", organization="=Nordic NGO"),
        "chen": dict(country="CN", affiliation="academia", organization="CAAS"),
        "dan": dict(country="KE", gender="prefer_not_to_say", affiliation="party"),
        "owner": dict(country="CH"),
        "member": dict(country="FR"),
        "outsider": dict(country="DE"),
        "sec": dict(country="CA", is_secretariat=True),
    }
    names = {
        "mod": "Nomvula Khumalo",
        "ana": "Ana Souza",
        "ben": "Bjørn Eriksen",
        "chen": "Chen Wei",
        "dan": "Daniel Otieno",
    }
    users = {
        key: await make_user(display_name=names.get(key, key.title()), **fields)
        for key, fields in people.items()
    }
    slug = await make_space(title="Online Forum on Capacity-building", visibility=visibility)
    # Members first: in a members space, session moderators are chosen among them.
    async with db.write() as uow:
        space_id = await uow.session.scalar(select(Space.id).where(Space.slug == slug))
        uow.session.add(Membership(space_id=space_id, user_id=users["owner"].id, role="owner"))
        uow.session.add(Membership(space_id=space_id, user_id=users["member"].id, role="member"))
        for key in ("mod", "ana", "ben", "chen", "dan"):
            uow.session.add(Membership(space_id=space_id, user_id=users[key].id, role="member"))
    session_id = await make_session(
        slug,
        title="Session I: NBSAPs & <planning>",
        moderator_ids=[users["mod"].id],
        participant_topics=True,
    )
    async with db.read() as session:
        rows = await session.execute(
            select(Question.number, Question.thread_id, Question.id).where(
                Question.session_id == session_id
            )
        )
        questions = {number: (thread_id, qid) for number, thread_id, qid in rows}
    forum = Forum(slug, session_id, users)
    forum.threads = {"q1": questions[1][0], "q2": questions[2][0]}

    async def post(key: str, who: str, thread: str, body: str, reply_to: str | None = None):
        parent = forum.posts[reply_to] if reply_to else None
        made = await posting.create_post(
            db, actor(users[who]), forum.threads[thread], PostCreate(body=body, parent_id=parent)
        )
        forum.posts[key] = made.post.id

    await post("p1", "mod", "q1", "Welcome to **question one**.\n\n- first point\n- second point")
    await post("p2", "ana", "q1", "In our country the NBSAP names biosafety. <b>raw</b> & more")
    await post("p3", "ben", "q1", "=1+2 is how our spreadsheet started", reply_to="p2")
    await post("p4", "chen", "q1", "Replying to Bjørn: agreed.", reply_to="p3")
    await post("p5", "dan", "q1", f"Something hidden {CANARIES[0]}")
    await post("p6", "dan", "q1", f"Something pending {CANARIES[1]}")
    await post("p7", "dan", "q1", f"Something rejected {CANARIES[2]}")
    await post("p8", "dan", "q1", "A reply to a post that will be hidden.", reply_to="p5")
    await post("q1", "ana", "q2", "+cmd|' /C calc'!A0 is a classic")
    await post("q2", "mod", "q2", "@SUM(1) thanks, noted.", reply_to="q1")
    topic_id, made = await posting.create_thread(
        db,
        actor(users["ben"]),
        session_id,
        ThreadCreate(title="-Funding ideas", body="Let us talk about funding."),
    )
    forum.threads["topic"] = topic_id
    forum.posts["t1"] = made.post.id

    days = {"p1": DAY1, "p2": DAY1, "p3": DAY2, "p4": DAY2, "p5": DAY2, "p6": DAY2, "p7": DAY2}
    async with db.write() as uow:
        for key, post_id in forum.posts.items():
            await uow.session.execute(
                update(Post).where(Post.id == post_id).values(created_at=days.get(key, DAY3))
            )
        for key, status in (("p5", "hidden"), ("p6", "pending"), ("p7", "rejected")):
            await uow.session.execute(
                update(Post).where(Post.id == forum.posts[key]).values(status=status)
            )
        await uow.session.execute(
            update(Post)
            .where(Post.id.in_([forum.posts["p2"], forum.posts["p5"]]))
            .values(highlighted=True)
        )
        uow.session.add(
            Summary(
                session_id=session_id,
                question_id=questions[1][1],
                body="Participants **agree** on integration.",
                html="<p>Participants <strong>agree</strong> on integration.</p>",
            )
        )
        uow.session.add(
            Summary(
                session_id=session_id,
                question_id=None,
                body="The session went well.",
                html="<p>The session went well.</p>",
            )
        )
    return forum


@pytest.fixture
async def forum(db: Database, make_user: MakeUser, make_space, make_session) -> Forum:
    return await build_forum(db, make_user, make_space, make_session)


@pytest.fixture
async def members_forum(db: Database, make_user: MakeUser, make_space, make_session) -> Forum:
    return await build_forum(db, make_user, make_space, make_session, visibility="members")
