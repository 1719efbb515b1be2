"""What a notification can point at, as a kind and an id, and what following its
link does there.

A kind is one `Target` registered in `TARGETS` below, its name in
`schemas.TARGET_KINDS`: `check` (it exists, for the secretariat composing),
`describe` (its title and page), `act` (what the link does for the focal point's
account) and `responded` (the countries that answered). Nothing else in the focal
package names a kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server import audit
from forum_server.accounts.models import User
from forum_server.calls.models import Call, CallSubmitter, Submission
from forum_server.calls.queries import call_addressees
from forum_server.db import UnitOfWork
from forum_server.errors import Invalid, NotFound
from forum_server.orm import utcnow
from forum_server.policy import Actor, load_call, load_session
from forum_server.rooms.members import add_invited_member
from forum_server.rooms.models import ForumSession, Membership, Post, SessionPeriod, Space


@dataclass(frozen=True)
class Described:
    title: str
    path: str  # where the focal point lands after the link


class Target(Protocol):
    async def check(self, db: AsyncSession, actor: Actor, target_id: int) -> Described: ...

    async def describe(self, db: AsyncSession, target_id: int) -> Described | None: ...

    async def act(
        self, uow: UnitOfWork, actor: Actor, user: User, target_id: int, *, country: str
    ) -> str: ...

    async def responded(self, db: AsyncSession, target_id: int, since: datetime) -> set[str]: ...


class SessionTarget:
    """A session: the link joins its space as a participant and lands on it."""

    async def check(self, db: AsyncSession, actor: Actor, target_id: int) -> Described:
        try:
            forum_session, _ = await load_session(db, actor, target_id)
        except NotFound:
            raise Invalid("No such session.", code="invalid_target", field="target_id") from None
        scheduled = await db.scalar(
            select(SessionPeriod.id).where(SessionPeriod.session_id == target_id).limit(1)
        )
        if scheduled is None:  # a draft: only those who prepare it may see it
            raise Invalid(
                "This session is a draft: schedule it first.",
                code="invalid_target",
                field="target_id",
            )
        return Described(forum_session.title, f"/sessions/{forum_session.id}")

    async def describe(self, db: AsyncSession, target_id: int) -> Described | None:
        forum_session = await db.get(ForumSession, target_id)
        if forum_session is None:
            return None
        return Described(forum_session.title, f"/sessions/{forum_session.id}")

    async def act(
        self, uow: UnitOfWork, actor: Actor, user: User, target_id: int, *, country: str
    ) -> str:
        forum_session = await uow.session.get(ForumSession, target_id)
        if forum_session is None:
            raise NotFound("The session this link led to no longer exists.")
        await _join(uow, actor, user, forum_session.space_id)
        return f"/sessions/{forum_session.id}"

    async def responded(self, db: AsyncSession, target_id: int, since: datetime) -> set[str]:
        """Countries with someone who posted in the session, or joined its space since
        the notification went out."""
        space_id = select(ForumSession.space_id).where(ForumSession.id == target_id)
        posted = select(Post.author_id).where(Post.session_id == target_id)
        joined = select(Membership.user_id).where(
            Membership.space_id.in_(space_id.scalar_subquery()), Membership.created_at >= since
        )
        rows = await db.scalars(
            select(User.country)
            .where(or_(User.id.in_(posted), User.id.in_(joined)), User.country.is_not(None))
            .distinct()
        )
        return {country for country in rows if country}


class CallTarget:
    """A call for submissions: the link joins its space, designates the account to
    submit for the focal point's country (unless it already submits for someone) and
    lands on the call, where the country's one submission is made or edited."""

    async def check(self, db: AsyncSession, actor: Actor, target_id: int) -> Described:
        try:
            call, _, _ = await load_call(db, actor, target_id)
        except NotFound:
            raise Invalid("No such call.", code="invalid_target", field="target_id") from None
        if call.deadline <= utcnow():
            raise Invalid(
                "This call is closed: its deadline has passed.",
                code="invalid_target",
                field="target_id",
            )
        return Described(call.title, f"/calls/{call.id}")

    async def describe(self, db: AsyncSession, target_id: int) -> Described | None:
        call = await db.get(Call, target_id)
        return None if call is None else Described(call.title, f"/calls/{call.id}")

    async def act(
        self, uow: UnitOfWork, actor: Actor, user: User, target_id: int, *, country: str
    ) -> str:
        call = await uow.session.get(Call, target_id)
        if call is None:
            raise NotFound("The call this link led to no longer exists.")
        await _join(uow, actor, user, call.space_id)
        addressed = call_addressees(call)
        kind = next((k for k in ("party", "other_government") if k in addressed), None)
        designated = await uow.session.get(CallSubmitter, (call.space_id, user.id))
        if kind is not None and designated is None:
            uow.session.add(
                CallSubmitter(
                    space_id=call.space_id,
                    user_id=user.id,
                    kind=kind,
                    submitter=country,
                    added_at=utcnow(),
                )
            )
            audit.record(
                uow,
                actor,
                "call.submitter_added",
                space_id=call.space_id,
                target_type="user",
                target_id=user.id,
                details={"kind": kind, "submitter": country, "through": "focal_link"},
            )
        return f"/calls/{call.id}"

    async def responded(self, db: AsyncSession, target_id: int, since: datetime) -> set[str]:
        """Countries that have made their submission (whenever: one per country)."""
        rows = await db.scalars(
            select(Submission.submitter).where(
                Submission.call_id == target_id,
                Submission.kind.in_(("party", "other_government")),
            )
        )
        return set(rows)


async def _join(uow: UnitOfWork, actor: Actor, user: User, space_id: int) -> None:
    space = await uow.session.get(Space, space_id)
    assert space is not None  # what is in a space is removed with it
    member = await uow.session.scalar(
        select(Membership.id).where(Membership.space_id == space.id, Membership.user_id == user.id)
    )
    if member is None:
        # The secretariat's notification is the authority for this one addition.
        await add_invited_member(uow, actor, space, user, "member", None)


TARGETS: dict[str, Target] = {"session": SessionTarget(), "call": CallTarget()}


def target(kind: str) -> Target:
    return TARGETS[kind]
