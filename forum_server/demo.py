"""`forum-server demo`: loads the example forum of `demo_content` through the
ordinary services, so the demo obeys every rule real data does: the public forum, the
liaison group's restricted workspace, and what waits for the moderators (a held
contribution, a flag, a running summary). It prints whom to sign in as."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update

from forum_server import demo_content as content
from forum_server.accounts import service as accounts
from forum_server.accounts.admin import COMMAND_LINE
from forum_server.accounts.schemas import UserCreate
from forum_server.db import Database
from forum_server.demo_build.board import load_board
from forum_server.demo_build.calls import load_calls
from forum_server.demo_build.conference import load_conference
from forum_server.demo_build.consent import load_consent
from forum_server.demo_build.deciding import load_deciding
from forum_server.demo_build.files import attached, load_library
from forum_server.demo_build.focal import load_focal_points
from forum_server.demo_build.participation import load_participation
from forum_server.demo_content import liaison
from forum_server.demo_content.model import DemoPerson
from forum_server.errors import Conflict
from forum_server.files import attachments
from forum_server.files.storage import LocalFileStore
from forum_server.moderation import flags, holding, summaries
from forum_server.moderation.schemas import SettingsUpdate
from forum_server.orm import utcnow
from forum_server.policy import Actor
from forum_server.rooms import members, posting, sessions, spaces
from forum_server.rooms.models import Post, Question, Space, Thread
from forum_server.rooms.schemas import PostCreate, SessionCreate, SpaceCreate
from forum_server.search.index import index_post

DEMO_PASSWORD = "demo forum passphrase"
# Both sessions opened this long ago, so their two weeks are well under way.
OPENED_AGO = timedelta(days=12)
# The workspace's session opened more recently: its discussion has just begun.
WORKSPACE_OPENED_AGO = timedelta(days=3)
# Participants worth signing in as: a workspace member, and one who is not.
SAMPLE_PARTICIPANTS = ("k_osei", "t_brenner")


@dataclass(frozen=True)
class DemoSummary:
    space_slug: str
    session_ids: list[int]
    people: int
    posts: int
    moderators: list[str]
    documents: int = 0
    conference_id: int = 0  # the live conference, in a space of its own
    workspace_slug: str = liaison.WORKSPACE_SLUG
    workspace_session_id: int = 0
    secretariat: str = liaison.SECRETARIAT.email
    participants: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(
            (
                f"space /spaces/{self.space_slug}, sessions {self.session_ids}, "
                f"{self.people} people, {self.posts} posts, {self.documents} library documents",
                f"members-only workspace /spaces/{self.workspace_slug} (a liaison group), "
                f"session {self.workspace_session_id}",
                f"a live conference: /sessions/{self.conference_id}/conference",
                "sign in as:",
                f"  the secretariat: {self.secretariat}",
                f"  moderators: {', '.join(self.moderators)}",
                f"  participants: {', '.join(self.participants)}",
            )
        )


async def load_demo(
    db: Database, *, now: datetime | None = None, store: LocalFileStore | None = None
) -> DemoSummary:
    """Creates the demo people, space, sessions, questions and posts, a proposal with
    votes and reactions, a live conference, the liaison group's workspace (with the
    participation its moderator expects), and a held post, a flag and a running summary;
    with a file store, the files attached to posts and the library's documents. Raises
    Conflict `demo_loaded` if the demo space exists already."""
    content.validate_content()
    now = now or utcnow()
    async with db.read() as session:
        if await session.scalar(select(Space.id).where(Space.slug == content.SPACE.slug)):
            raise Conflict("The demo forum is loaded already.", code="demo_loaded")
    user_ids = await _people(db)
    secretariat = await _person(db, liaison.SECRETARIAT, is_secretariat=True)
    await spaces.create_space(
        db,
        secretariat,
        SpaceCreate(
            slug=content.SPACE.slug,
            title=content.SPACE.title,
            description=content.SPACE.description,
            report_symbol=content.SPACE.report_symbol,
            report_distribution=content.SPACE.report_distribution,
        ),
    )
    opens_at = now - OPENED_AGO
    session_ids, posts, post_ids = [], 0, dict[str, int]()
    for demo_session in content.SESSIONS:
        session_id = await _session(
            db, secretariat, content.SPACE.slug, demo_session, user_ids, opens_at
        )
        session_ids.append(session_id)
        posts += await _posts(
            db, demo_session, session_id, user_ids, opens_at, now, post_ids, store
        )
    await load_board(db, now)
    await load_focal_points(db, session_ids[0])
    await load_deciding(db, session_ids[0], user_ids)
    workspace_session = await _workspace(db, secretariat, user_ids, now, post_ids)
    await load_calls(db, user_ids, now)
    await _moderation(db, user_ids, post_ids)
    await load_participation(db, user_ids, workspace_session)
    documents = await load_library(db, store, user_ids) if store is not None else 0
    conference_id = await load_conference(db, user_ids, now)
    await load_consent(db, secretariat, user_ids)
    emails = {p.key: p.email for p in content.PEOPLE}
    return DemoSummary(
        content.SPACE.slug,
        session_ids,
        len(user_ids) + 1,
        posts,
        [emails[s.moderator] for s in content.SESSIONS],
        documents=documents,
        conference_id=conference_id,
        workspace_session_id=workspace_session,
        participants=[emails[key] for key in SAMPLE_PARTICIPANTS],
    )


def _actor(user_ids: dict[str, int], key: str) -> Actor:
    names = {p.key: p.display_name for p in content.PEOPLE}
    return Actor(user_id=user_ids[key], display_name=names[key])


async def _person(db: Database, person: DemoPerson, *, is_secretariat: bool = False) -> Actor:
    data = UserCreate(
        email=person.email,
        password=DEMO_PASSWORD,
        display_name=person.display_name,
        country=person.country,
        organization=person.organization,
        affiliation=person.affiliation,  # type: ignore[arg-type]
        gender=person.gender,  # type: ignore[arg-type]
        is_secretariat=is_secretariat,
    )
    user = await accounts.create_user(db, COMMAND_LINE, data, registration_open=False)
    return Actor(user_id=user.id, display_name=user.display_name, is_secretariat=is_secretariat)


async def _workspace(
    db: Database,
    secretariat: Actor,
    user_ids: dict[str, int],
    now: datetime,
    post_ids: dict[str, int],
) -> int:
    """The liaison group's members-only workspace, its members (checked against the
    group's rule like any other), and its session with a discussion begun."""
    await spaces.create_space(
        db,
        secretariat,
        SpaceCreate(
            slug=liaison.WORKSPACE_SLUG,
            title=liaison.WORKSPACE_TITLE,
            description=liaison.WORKSPACE_DESCRIPTION,
            visibility="members",
            composition="liaison_group",
        ),
    )
    for member in liaison.MEMBERS:
        data = members.MemberPut(role=member.role, designation=member.designation)  # type: ignore[arg-type]
        await members.put_member(
            db, secretariat, liaison.WORKSPACE_SLUG, user_ids[member.person], data
        )
    opens_at = now - WORKSPACE_OPENED_AGO
    demo = liaison.WORKSPACE_SESSION
    session_id = await _session(db, secretariat, liaison.WORKSPACE_SLUG, demo, user_ids, opens_at)
    await _posts(db, demo, session_id, user_ids, opens_at, now, post_ids)
    return session_id


async def _moderation(db: Database, user_ids: dict[str, int], post_ids: dict[str, int]) -> None:
    """Something for the moderators' pages: first contributions held for review in the
    workspace (and one waiting), a flag, and a running summary."""
    plan = liaison.MODERATION
    moderator = _actor(user_ids, liaison.WORKSPACE_SESSION.moderator)
    await holding.change_holding_rules(
        db, moderator, liaison.WORKSPACE_SLUG, SettingsUpdate(hold_first_posts=1)
    )
    async with db.read() as session:
        thread_id = await session.scalar(
            select(Post.thread_id).where(Post.id == post_ids["lg_q1_open"])
        )
    assert thread_id is not None
    await posting.create_post(
        db,
        _actor(user_ids, plan.held_author),
        thread_id,
        PostCreate(body=plan.held_body, client_id="demo-held", lang="en"),
    )
    await flags.flag_post(
        db, _actor(user_ids, plan.flagged_by), post_ids[plan.flag_post], plan.flag_reason
    )
    async with db.read() as session:
        question_id = await session.scalar(
            select(Question.id)
            .join(Post, Post.thread_id == Question.thread_id)
            .where(Post.id == post_ids[plan.summary_post])
        )
    assert question_id is not None
    summary_by = next(
        s.moderator
        for s in content.SESSIONS
        if any(p.key == plan.summary_post for q in s.questions for p in q.posts)
    )
    await summaries.write_question_summary(
        db, _actor(user_ids, summary_by), question_id, plan.summary
    )


async def _people(db: Database) -> dict[str, int]:
    ids: dict[str, int] = {}
    for person in content.PEOPLE:
        actor = await _person(db, person)
        assert actor.user_id is not None
        ids[person.key] = actor.user_id
    return ids


async def _session(
    db: Database,
    secretariat: Actor,
    slug: str,
    demo: content.DemoSession,
    user_ids: dict[str, int],
    opens_at: datetime,
) -> int:
    data = SessionCreate(
        title=demo.title,
        description=demo.description,
        opens_at=opens_at,
        closes_at=opens_at + timedelta(hours=content.SESSION_HOURS),
        moderator_ids=[user_ids[demo.moderator]],
        questions=[q.text for q in demo.questions],
    )
    detail = await sessions.create_session(db, secretariat, slug, data)
    return detail.id


async def _posts(
    db: Database,
    demo: content.DemoSession,
    session_id: int,
    user_ids: dict[str, int],
    opens_at: datetime,
    now: datetime,
    post_ids: dict[str, int],
    store: LocalFileStore | None = None,
) -> int:
    """Posts the session's discussion as it stands `now`; records each post's id by its
    key in `post_ids`."""
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
        for demo_post in question.posts:
            written = opens_at + timedelta(hours=demo_post.hours_after_open)
            if written > now:
                continue
            author = Actor(user_id=user_ids[demo_post.author], display_name=names[demo_post.author])
            data = PostCreate(
                body=demo_post.body,
                parent_id=post_ids.get(demo_post.reply_to) if demo_post.reply_to else None,
                client_id=f"demo-{demo_post.key}",
                lang=demo_post.lang,
            )
            received = attached(store, demo_post.key)
            if store is not None and received is not None:
                posted = await attachments.create_post_with_files(
                    db, store, author, thread_id, data, [], received=received
                )
            else:
                posted = await posting.create_post(db, author, thread_id, data)
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
