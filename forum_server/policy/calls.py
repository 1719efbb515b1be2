"""Calls for submissions: who opens and manages calls, who names a country's or an
organization's submitters, who submits, and which submissions one sees. A restricted
submission is for the space's managers and those who submit for its country or
organization; to everyone else it is not there."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.calls.models import Call, CallSubmitter, Submission
from forum_server.errors import Forbidden, NotFound
from forum_server.policy.access import SpaceAccess
from forum_server.policy.actors import Actor, require_signed_in
from forum_server.policy.loading import load_space
from forum_server.rooms.models import Space


@dataclass(frozen=True)
class Designation:
    """What a designated submitter speaks for: a Party's or another government's country
    code, or an organization's name."""

    kind: str  # party | other_government | organization
    submitter: str


@dataclass(frozen=True)
class CallAccess:
    """What one actor may do with the calls of a space they may see."""

    space: SpaceAccess
    designation: Designation | None  # named a submitter in this space

    @property
    def actor(self) -> Actor:
        return self.space.actor

    @property
    def speaks_for(self) -> Designation | None:
        """The designation, while its holder is still a member of the space."""
        return self.designation if self.space.is_member else None


def may_manage_calls(access: CallAccess) -> bool:
    """Open, edit and order calls, see every submission, remind and download the
    compilation: the space's owners and the secretariat."""
    return access.space.can_manage


def check_may_manage_calls(access: CallAccess) -> None:
    if not may_manage_calls(access):
        require_signed_in(access.actor)
        raise Forbidden("Only the space's owners and the secretariat manage its calls.")


def may_name_submitters(access: CallAccess) -> bool:
    """Designate and remove a country's or organization's submitters: the space's owners
    and the secretariat."""
    return access.space.can_manage


def check_may_name_submitters(access: CallAccess) -> None:
    if not may_name_submitters(access):
        require_signed_in(access.actor)
        raise Forbidden("Only the space's owners and the secretariat designate submitters.")


def may_submit(access: CallAccess, addressed_to: tuple[str, ...]) -> bool:
    """Submit and edit the submission of one's country or organization: its designated
    submitters, still members, where the call is addressed to their kind (the deadline
    is checked apart)."""
    speaks = access.speaks_for
    return speaks is not None and speaks.kind in addressed_to


def check_may_submit(access: CallAccess, addressed_to: tuple[str, ...]) -> None:
    if not may_submit(access, addressed_to):
        require_signed_in(access.actor)
        raise Forbidden(
            "Only the designated submitters of a country or organization this call is "
            "addressed to can submit."
        )


def may_see_submission(access: CallAccess, public: bool, submitter: str) -> bool:
    """A public submission is for all who see the space; a restricted one for the
    managers and those who submit for its country or organization."""
    if public or may_manage_calls(access):
        return True
    speaks = access.speaks_for
    return speaks is not None and speaks.submitter == submitter


def check_may_see_submission(access: CallAccess, public: bool, submitter: str) -> None:
    if not may_see_submission(access, public, submitter):
        raise NotFound("No such submission.")


async def _designation(db: AsyncSession, actor: Actor, space_id: int) -> Designation | None:
    if actor.user_id is None:
        return None
    row = (
        await db.execute(
            select(CallSubmitter.kind, CallSubmitter.submitter).where(
                CallSubmitter.space_id == space_id, CallSubmitter.user_id == actor.user_id
            )
        )
    ).first()
    return Designation(row[0], row[1]) if row is not None else None


async def load_calls(db: AsyncSession, actor: Actor, slug: str) -> tuple[Space, CallAccess]:
    """The space and the actor's access to its calls; NotFound where it is not theirs."""
    space, access = await load_space(db, actor, slug)
    return space, CallAccess(access, await _designation(db, actor, space.id))


async def load_call(db: AsyncSession, actor: Actor, call_id: int) -> tuple[Call, Space, CallAccess]:
    """A call in a space the actor may see; NotFound otherwise, exactly as a missing one."""
    call = await db.get(Call, call_id)
    if call is None:
        raise NotFound("No such call.")
    slug = await db.scalar(select(Space.slug).where(Space.id == call.space_id))
    try:
        space, access = await load_calls(db, actor, slug or "")
    except NotFound:
        raise NotFound("No such call.") from None
    return call, space, access


async def load_submission(
    db: AsyncSession, actor: Actor, submission_id: int
) -> tuple[Submission, Call, Space, CallAccess]:
    """A submission the actor may see, with its call, space and access."""
    submission = await db.get(Submission, submission_id)
    if submission is None:
        raise NotFound("No such submission.")
    try:
        call, space, access = await load_call(db, actor, submission.call_id)
    except NotFound:
        raise NotFound("No such submission.") from None
    check_may_see_submission(access, submission.public, submission.submitter)
    return submission, call, space, access
