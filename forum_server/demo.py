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
from forum_server.decide import polls, reactions
from forum_server.decide.schemas import PollCreate, VoteInput
from forum_server.demo_content import conference as demo_conference
from forum_server.demo_content import deciding
from forum_server.demo_content.files import ATTACHMENTS
from forum_server.demo_content.library import DOCUMENTS
from forum_server.errors import Conflict
from forum_server.files import attachments, library
from forum_server.files.ingest import ReadForm, Received, ReceivedFile
from forum_server.files.storage import LocalFileStore
from forum_server.orm import utcnow
from forum_server.policy import Actor
from forum_server.rooms import conference, posting, sessions, spaces
from forum_server.rooms import members as rooms_members
from forum_server.rooms.members import MemberPut
from forum_server.rooms.models import ForumSession, Post, Question, Space, Thread
from forum_server.rooms.schemas import (
    AgendaMove,
    PostCreate,
    QuestionCreate,
    SessionCreate,
    SpaceCreate,
)
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
    documents: int = 0
    conference_id: int = 0  # the live conference, in a space of its own

    def __str__(self) -> str:
        return (
            f"space /spaces/{self.space_slug}, sessions {self.session_ids}, "
            f"{self.people} people, {self.posts} posts, {self.documents} library documents; "
            f"moderators: {', '.join(self.moderators)}"
        )


# A named poll's ballots are keyed by the voter's id: no secret takes part.
NAMED_POLL = ""


async def load_demo(
    db: Database, *, now: datetime | None = None, store: LocalFileStore | None = None
) -> DemoSummary:
    """Creates the demo people, space, sessions, questions and posts, a proposal with
    votes and reactions, and with a file store the files attached to posts and the
    library's documents. Raises Conflict `demo_loaded` if the demo space exists
    already."""
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
        ),
    )
    opens_at = now - OPENED_AGO
    session_ids, posts = [], 0
    for demo_session in content.SESSIONS:
        session_id = await _session(db, demo_session, user_ids, opens_at)
        session_ids.append(session_id)
        posts += await _posts(db, demo_session, session_id, user_ids, opens_at, now, store)
    await _deciding(db, session_ids[0], user_ids)
    moderators = [
        next(p.email for p in content.PEOPLE if p.key == s.moderator) for s in content.SESSIONS
    ]
    documents = await _library(db, store, user_ids) if store is not None else 0
    conference_id = await _conference(db, user_ids, now)
    return DemoSummary(
        content.SPACE.slug,
        session_ids,
        len(user_ids),
        posts,
        moderators,
        documents=documents,
        conference_id=conference_id,
    )


async def _library(db: Database, store: LocalFileStore, user_ids: dict[str, int]) -> int:
    """The library's documents, shared by the first session's moderator, who keeps the
    forum's library as one of its moderators."""
    keeper = next(p for p in content.PEOPLE if p.key == content.SESSIONS[0].moderator)
    keeper_id = user_ids[keeper.key]
    await rooms_members.put_member(
        db, COMMAND_LINE, content.SPACE.slug, keeper_id, MemberPut(role="moderator")
    )
    actor = Actor(user_id=keeper_id, display_name=keeper.display_name)
    for document in DOCUMENTS:
        fields = {
            "title": document.title,
            "description": document.description,
            "folder": document.folder,
            "language": "en",
        }
        read = _form(store, fields, document.text.encode(), document.file_name)
        await library.create_document(db, store, actor, content.SPACE.slug, read)
    return len(DOCUMENTS)


def _form(store: LocalFileStore, fields: dict[str, str], data: bytes, name: str) -> ReadForm:
    """What an upload form would have sent: these fields and this file."""

    async def read() -> Received:
        return _received(store, data, name, fields)

    return read


def _received(
    store: LocalFileStore, data: bytes, name: str, fields: dict[str, str] | None = None
) -> Received:
    """A file on disk as a form would have sent it (it goes through the same checks as
    any upload), with the form's fields."""
    incoming = store.incoming()
    incoming.write(data)
    return Received(fields or {}, [ReceivedFile(incoming, name)])


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


async def _conference(db: Database, user_ids: dict[str, int], now: datetime) -> int:
    """The live conference: its agenda with planned times, moved on to item 2, and a
    conversation with replies, dated as the story tells it."""
    demo = demo_conference
    opens_at = now - timedelta(minutes=demo.OPENED_MINUTES_AGO)
    await spaces.create_space(
        db,
        COMMAND_LINE,
        SpaceCreate(slug=demo.SLUG, title=demo.SPACE_TITLE, description=demo.DESCRIPTION),
    )
    data = SessionCreate(
        title=demo.TITLE,
        description=demo.DESCRIPTION,
        opens_at=opens_at,
        closes_at=opens_at + timedelta(hours=demo.HOURS),
        moderator_ids=[user_ids[demo.MODERATOR]],
        questions=[
            QuestionCreate(
                text=item.text,
                planned_at=opens_at + timedelta(minutes=item.minutes_after_open),
            )
            for item in demo.AGENDA
        ],
        format="conference",
    )
    session_id = (await sessions.create_session(db, COMMAND_LINE, demo.SLUG, data)).id
    names = {p.key: p.display_name for p in content.PEOPLE}
    moderator = Actor(user_id=user_ids[demo.MODERATOR], display_name=names[demo.MODERATOR])
    await conference.move_agenda(db, moderator, session_id, AgendaMove(number=1))
    sent: dict[str, int] = {}
    for message in demo.MESSAGES:
        if message.item == 2 and message.item != (await _current_item(db, session_id)):
            await conference.move_agenda(db, moderator, session_id, AgendaMove(number=2))
        author = Actor(user_id=user_ids[message.author], display_name=names[message.author])
        posted = await conference.send_message(
            db,
            author,
            session_id,
            PostCreate(
                body=message.body,
                parent_id=sent.get(message.reply_to) if message.reply_to else None,
                client_id=f"demo-conference-{message.key}",
                lang="en",
            ),
        )
        sent[message.key] = posted.post.id
        async with db.write() as uow:
            post = await uow.session.get(Post, posted.post.id)
            assert post is not None
            post.created_at = opens_at + timedelta(minutes=message.minutes_after_open)
            await index_post(uow, post)
    # The story's times, not the loader's: item 1 from the opening, item 2 since the move.
    moved = opens_at + timedelta(minutes=demo.MOVED_TO_2_AFTER)
    async with db.write() as uow:
        for number, started, ended in ((1, opens_at, moved), (2, moved, None)):
            await uow.session.execute(
                update(Question)
                .where(Question.session_id == session_id, Question.number == number)
                .values(started_at=started, ended_at=ended)
            )
    return session_id


async def _current_item(db: Database, session_id: int) -> int | None:
    async with db.read() as session:
        return await session.scalar(
            select(ForumSession.agenda_item).where(ForumSession.id == session_id)
        )


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
    store: LocalFileStore | None,
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
            data = PostCreate(
                body=demo_post.body,
                parent_id=post_ids.get(demo_post.reply_to) if demo_post.reply_to else None,
                client_id=f"demo-{demo_post.key}",
                lang=demo_post.lang,
            )
            received = _attached(store, demo_post.key)
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


def _attached(store: LocalFileStore | None, post_key: str) -> Received | None:
    """The files of a demo post, received as a form would send them (they go through
    the same checks as any upload)."""
    if store is None or post_key not in ATTACHMENTS:
        return None
    name, text = ATTACHMENTS[post_key]
    return _received(store, text.encode(), name)


async def _deciding(db: Database, session_id: int, user_ids: dict[str, int]) -> None:
    """A named proposal with its positions, and reactions to the first contributions of
    the session's first question (see demo_content/deciding.py)."""
    async with db.read() as session:
        thread_id = await session.scalar(
            select(Question.thread_id).where(
                Question.session_id == session_id, Question.number == 1
            )
        )
        first_posts = list(
            await session.scalars(
                select(Post.id).where(Post.thread_id == thread_id).order_by(Post.id).limit(4)
            )
        )
    moderator = Actor(user_id=user_ids[deciding.PROPOSAL_MODERATOR])
    proposal = await polls.create_poll(
        db,
        moderator,
        session_id,
        PollCreate(
            kind="proposal",
            title=deciding.PROPOSAL_TITLE,
            details=deciding.PROPOSAL_DETAILS,
            thread_id=thread_id,
        ),
        secret=NAMED_POLL,
    )
    for person, position, reason in deciding.POSITIONS:
        ballot = VoteInput(position=position, reason=reason)  # type: ignore[arg-type]
        await polls.vote(
            db, Actor(user_id=user_ids[person]), proposal.id, ballot, secret=NAMED_POLL
        )
    for post_id, (person, kind) in zip(first_posts, deciding.REACTIONS, strict=False):
        await reactions.set_reaction(db, Actor(user_id=user_ids[person]), post_id, kind, on=True)
