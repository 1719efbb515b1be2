"""Watching: who follows what by mail, at which level, and the defaults.

Levels: `post` (a message for every post), `digest` (the daily digest) and `none`.
A thread's own setting wins over its session's; without either, the defaults apply:
members of a members-only space follow its sessions post by post, authors are sent
the replies to their posts, and nobody else is sent anything. Unwatching records
`none`, so it also stops what the defaults would send.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import model_validator
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypedDict

from forum_server.accounts.models import User
from forum_server.db import Database, UnitOfWork
from forum_server.errors import Invalid, NotFound
from forum_server.i18n import gettext
from forum_server.mail.compose import Target, read_unsubscribe_token
from forum_server.mail.models import Watch
from forum_server.orm import utcnow
from forum_server.policy import Actor, load_session, load_thread, require_signed_in
from forum_server.rooms.models import ForumSession, Membership, Question, Space, Thread
from forum_server.schemas import Input, validate

Level = Literal["post", "digest", "none"]


class WatchTarget(Input):
    """One session or one thread (a guiding question's thread, or a topic)."""

    session_id: int | None = None
    thread_id: int | None = None

    @model_validator(mode="after")
    def _one(self) -> WatchTarget:
        if (self.session_id is None) == (self.thread_id is None):
            raise ValueError("give either session_id or thread_id")
        return self

    @property
    def target(self) -> Target:
        if self.session_id is not None:
            return Target("session", self.session_id)
        assert self.thread_id is not None
        return Target("thread", self.thread_id)


class WatchCreate(WatchTarget):
    level: Level = "post"


class WatchJson(TypedDict):
    target_type: str
    target_id: int
    level: str
    title: str
    link: str
    default: bool


@dataclass(frozen=True)
class WatchView:
    target_type: str
    target_id: int
    level: str
    title: str
    link: str
    default: bool = False  # followed because of a default, not a choice

    def as_json(self) -> WatchJson:
        return {
            "target_type": self.target_type,
            "target_id": self.target_id,
            "level": self.level,
            "title": self.title,
            "link": self.link,
            "default": self.default,
        }


async def _describe(session: AsyncSession, actor: Actor, target: Target) -> tuple[str, str]:
    """Title and link of a target the actor may see (NotFound otherwise)."""
    if target.type == "session":
        forum_session, _ = await load_session(session, actor, target.id)
        return forum_session.title, f"/sessions/{target.id}"
    thread, _ = await load_thread(session, actor, target.id)
    question = await session.scalar(select(Question).where(Question.thread_id == thread.id))
    if question is None:
        return thread.title, f"/threads/{thread.id}"
    title = gettext("Question %(number)s: %(text)s", number=question.number, text=question.text)
    return title, f"/threads/{thread.id}"


async def set_level(uow: UnitOfWork, user_id: int, target: Target, level: str) -> None:
    """Records the person's choice for the target (replacing an earlier one)."""
    watch = await uow.session.scalar(
        select(Watch).where(
            Watch.user_id == user_id,
            Watch.target_type == target.type,
            Watch.target_id == target.id,
        )
    )
    if watch is None:
        uow.session.add(
            Watch(user_id=user_id, target_type=target.type, target_id=target.id, level=level)
        )
    else:
        watch.level, watch.created_at = level, utcnow()
    await uow.flush()


async def watch(db: Database, actor: Actor, data: WatchCreate) -> WatchView:
    """Follows a session or thread the actor may see, at the level asked."""
    user_id = require_signed_in(actor)
    for attempt in (1, 2):
        try:
            async with db.write() as uow:
                title, link = await _describe(uow.session, actor, data.target)
                await set_level(uow, user_id, data.target, data.level)
                return WatchView(data.target.type, data.target.id, data.level, title, link)
        except IntegrityError:  # two requests raced to create the row; the second updates
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


async def unwatch(db: Database, actor: Actor, data: WatchTarget) -> WatchView:
    """Stops mail about the target, the defaults' included."""
    return await watch(db, actor, WatchCreate(**data.model_dump(), level="none"))


async def my_watches(db: Database, actor: Actor) -> list[WatchView]:
    """What the actor follows: their choices, then the sessions the defaults follow."""
    user_id = require_signed_in(actor)
    async with db.read() as session:
        views, chosen = [], set()
        for row in await session.scalars(
            select(Watch).where(Watch.user_id == user_id).order_by(Watch.id)
        ):
            chosen.add((row.target_type, row.target_id))
            target = Target(row.target_type, row.target_id)
            if target.type == "moderation":
                title = gettext("Moderation")
                views.append(WatchView(target.type, 0, row.level, title, "/moderation"))
                continue
            try:
                title, link = await _describe(session, actor, target)
            except NotFound:  # no longer visible, or gone: not listed
                continue
            views.append(WatchView(target.type, target.id, row.level, title, link))
        defaults = await session.execute(
            select(ForumSession.id, ForumSession.title)
            .join(Space, Space.id == ForumSession.space_id)
            .join(Membership, Membership.space_id == Space.id)
            .where(Membership.user_id == user_id, Space.visibility == "members")
            .order_by(ForumSession.id)
        )
        for session_id, title in defaults:
            if ("session", session_id) not in chosen:
                views.append(
                    WatchView("session", session_id, "post", title, f"/sessions/{session_id}", True)
                )
        return views


@dataclass(frozen=True)
class Unsubscribed:
    """What a one-click link stopped: `what` is the target's type (session, thread,
    moderation, digest); `title` the session's or thread's ("" once it is gone)."""

    what: str
    title: str = ""


async def unsubscribe(db: Database, secret_key: str, token: str) -> Unsubscribed:
    """The one-click link of a message: no sign-in, the signed token is the authority.
    Invalid `invalid_link` for a token that is not ours."""
    found = read_unsubscribe_token(secret_key, token)
    if found is None:
        raise Invalid("This link is not valid.", code="invalid_link", field="token")
    user_id, target = found
    async with db.write() as uow:
        if await uow.session.get(User, user_id) is None:
            raise Invalid("This link is not valid.", code="invalid_link", field="token")
        if target.type == "digest":  # the digest of several sessions: every digest watch
            rows = await uow.session.scalars(
                select(Watch).where(Watch.user_id == user_id, Watch.level == "digest")
            )
            for row in rows:
                row.level = "none"
            return Unsubscribed("digest")
        await set_level(uow, user_id, target, "none")
        return Unsubscribed(target.type, await _title(uow, target))


async def _title(uow: UnitOfWork, target: Target) -> str:
    if target.type == "session":
        forum_session = await uow.session.get(ForumSession, target.id)
        return forum_session.title if forum_session else ""
    if target.type == "thread":
        thread = await uow.session.get(Thread, target.id)
        return thread.title if thread else ""
    return ""


def watch_from_form(form: dict[str, str]) -> WatchCreate:
    """A page's watch button: ids arrive as text; Invalid for anything else."""
    data: dict[str, Any] = {"level": form.get("level", "post")}
    for name in ("session_id", "thread_id"):
        value = form.get(name, "")
        if value:
            if not value.isdigit():
                raise Invalid("%(name)s: expected a number.", params={"name": name}, field=name)
            data[name] = int(value)
    return validate(WatchCreate, data)


@dataclass(frozen=True)
class WatchState:
    """What a page's watch form shows: the level in force and where it comes from."""

    target_type: str
    target_id: int
    level: str  # post | digest | none
    source: str  # chosen | session (a thread following its session) | member | default


async def watch_state(session: AsyncSession, actor: Actor, target: Target) -> WatchState | None:
    """The actor's level for a session or thread they may see (the page checked that);
    None for anonymous visitors, who cannot watch."""
    if actor.user_id is None:
        return None
    chosen = dict(
        (row.target_type, row.level)
        for row in await session.scalars(
            select(Watch).where(
                Watch.user_id == actor.user_id,
                ((Watch.target_type == target.type) & (Watch.target_id == target.id))
                | ((Watch.target_type == "session") & (Watch.target_id == _session_of(target))),
            )
        )
    )
    if target.type in chosen:
        return WatchState(target.type, target.id, chosen[target.type], "chosen")
    if "session" in chosen:
        return WatchState(target.type, target.id, chosen["session"], "session")
    member = await session.scalar(
        select(Membership.id)
        .join(Space, Space.id == Membership.space_id)
        .join(ForumSession, ForumSession.space_id == Space.id)
        .where(
            Membership.user_id == actor.user_id,
            Space.visibility == "members",
            ForumSession.id == _session_of(target),
        )
    )
    return WatchState(
        target.type, target.id, "post" if member else "none", "member" if member else "default"
    )


def _session_of(target: Target) -> Any:
    """SQL for the id of the target's session."""
    if target.type == "session":
        return target.id
    return select(Thread.session_id).where(Thread.id == target.id).scalar_subquery()
