"""`forum-server demo`: loads the example forum of `demo_content` through the
ordinary services, so the demo obeys every rule real data does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from forum_server import demo_content as content
from forum_server.accounts import service as accounts
from forum_server.accounts.admin import COMMAND_LINE
from forum_server.accounts.schemas import UserCreate
from forum_server.db import Database
from forum_server.errors import Conflict
from forum_server.orm import utcnow
from forum_server.policy import Actor
from forum_server.rooms import posting, sessions, spaces
from forum_server.rooms.models import Post, Question, Space, Thread
from forum_server.rooms.schemas import PostCreate, SessionCreate, SpaceCreate
from forum_server.search.index import index_post

DEMO_PASSWORD = "demo forum passphrase"
# Both sessions opened this long ago, so their two weeks are well under way.
OPENED_AGO = timedelta(days=12)


@dataclass(frozen=True)
class DemoSummary:
    space_slug: str
    session_ids: list[int]
    people: int
    posts: int
    moderators: list[str]

    def __str__(self) -> str:
        return (
            f"space /spaces/{self.space_slug}, sessions {self.session_ids}, "
            f"{self.people} people, {self.posts} posts; moderators: {', '.join(self.moderators)}"
        )


async def load_demo(db: Database, *, now: datetime | None = None) -> DemoSummary:
    """Creates the demo people, space, sessions, questions and posts.
    Raises Conflict `demo_loaded` if the demo space exists already."""
    content.validate_content()
    now = now or utcnow()
    async with db.read() as session:
        if await session.scalar(select(Space.id).where(Space.slug == content.SPACE.slug)):
            raise Conflict("The demo forum is loaded already.", code="demo_loaded")
    user_ids = await _people(db)
    await spaces.create_space(
        db,
        COMMAND_LINE,
        SpaceCreate(
            slug=content.SPACE.slug,
            title=content.SPACE.title,
            description=content.SPACE.description,
            report_symbol=content.SPACE.report_symbol,
            report_distribution=content.SPACE.report_distribution,
        ),
    )
    opens_at = now - OPENED_AGO
    session_ids, posts = [], 0
    for demo_session in content.SESSIONS:
        session_id = await _session(db, demo_session, user_ids, opens_at)
        session_ids.append(session_id)
        posts += await _posts(db, demo_session, session_id, user_ids, opens_at, now)
    moderators = [
        next(p.email for p in content.PEOPLE if p.key == s.moderator) for s in content.SESSIONS
    ]
    return DemoSummary(content.SPACE.slug, session_ids, len(user_ids), posts, moderators)


async def _people(db: Database) -> dict[str, int]:
    ids: dict[str, int] = {}
    for person in content.PEOPLE:
        data = UserCreate(
            email=person.email,
            password=DEMO_PASSWORD,
            display_name=person.display_name,
            country=person.country,
            organization=person.organization,
            affiliation=person.affiliation,  # type: ignore[arg-type]
            gender=person.gender,  # type: ignore[arg-type]
        )
        user = await accounts.create_user(db, COMMAND_LINE, data, registration_open=False)
        ids[person.key] = user.id
    return ids


async def _session(
    db: Database, demo: content.DemoSession, user_ids: dict[str, int], opens_at: datetime
) -> int:
    data = SessionCreate(
        title=demo.title,
        description=demo.description,
        opens_at=opens_at,
        closes_at=opens_at + timedelta(hours=content.SESSION_HOURS),
        moderator_ids=[user_ids[demo.moderator]],
        questions=[q.text for q in demo.questions],
    )
    detail = await sessions.create_session(db, COMMAND_LINE, content.SPACE.slug, data)
    return detail.id


async def _posts(
    db: Database,
    demo: content.DemoSession,
    session_id: int,
    user_ids: dict[str, int],
    opens_at: datetime,
    now: datetime,
) -> int:
    async with db.read() as session:
        threads = dict(
            (
                await session.execute(
                    select(Question.number, Question.thread_id).where(
                        Question.session_id == session_id
                    )
                )
            ).all()
        )
    names = {p.key: p.display_name for p in content.PEOPLE}
    count = 0
    for number, question in enumerate(demo.questions, start=1):
        thread_id = threads[number]
        post_ids: dict[str, int] = {}
        for demo_post in question.posts:
            written = opens_at + timedelta(hours=demo_post.hours_after_open)
            if written > now:
                continue
            author = Actor(user_id=user_ids[demo_post.author], display_name=names[demo_post.author])
            posted = await posting.create_post(
                db,
                author,
                thread_id,
                PostCreate(
                    body=demo_post.body,
                    parent_id=post_ids.get(demo_post.reply_to) if demo_post.reply_to else None,
                    client_id=f"demo-{demo_post.key}",
                    lang=demo_post.lang,
                ),
            )
            post_ids[demo_post.key] = posted.post.id
            # The service stamps posts with the current time; the demo's story has its own.
            async with db.write() as uow:
                post = await uow.session.get(Post, posted.post.id)
                assert post is not None
                post.created_at = written
                await index_post(uow, post)
                await uow.session.execute(
                    update(Thread).where(Thread.id == thread_id).values(last_post_at=written)
                )
            count += 1
    return count
