"""Who moderates a session: checking appointees, and changing them after creation."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select

from forum_server import audit
from forum_server.accounts.models import User
from forum_server.accounts.queries import normalize_email, user_ids_by_email
from forum_server.db import Database, UnitOfWork
from forum_server.errors import Invalid
from forum_server.policy import Actor, check_may_appoint_moderators, load_session, require_caller
from forum_server.rooms.models import Membership, SessionModerator, Space
from forum_server.rooms.queries import session_detail
from forum_server.rooms.schemas import SessionModerators
from forum_server.rooms.space_views import SessionDetail
from forum_server.rooms.state import MEMBERS


async def checked_moderators(uow: UnitOfWork, space: Space, user_ids: Iterable[int]) -> list[int]:
    """The appointees, sorted and without repeats; Invalid (field `moderator_ids`) for
    an unknown user, or in a members space for someone who is not a member: they
    could not act there (the policy grants a session moderator's rights in a members
    space to members only), so appointing them would be a silent no-op."""
    ids = sorted(set(user_ids))
    if not ids:
        return ids
    rows = await uow.session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    names: dict[int, str] = {user_id: name for user_id, name in rows}
    missing = [uid for uid in ids if uid not in names]
    if missing:
        raise Invalid("No user with id %(id)s.", field="moderator_ids", params={"id": missing[0]})
    if space.visibility == MEMBERS:
        members = set(
            await uow.session.scalars(
                select(Membership.user_id).where(
                    Membership.space_id == space.id, Membership.user_id.in_(ids)
                )
            )
        )
        outside = [uid for uid in ids if uid not in members]
        if outside:
            raise Invalid(
                "%(name)s is not a member of this space: add them as a member "
                "before making them a moderator.",
                field="moderator_ids",
                params={"name": names[outside[0]]},
            )
    return ids


async def set_moderators(
    db: Database, actor: Actor, session_id: int, data: SessionModerators
) -> SessionDetail:
    """Replaces a session's moderators (the space's owners and moderators and the
    secretariat); audited, and announced as `session.updated`."""
    require_caller(actor)
    async with db.write() as uow:
        forum_session, access = await load_session(uow.session, actor, session_id)
        check_may_appoint_moderators(access.space)
        space = await uow.session.get(Space, forum_session.space_id)
        assert space is not None
        wanted = await checked_moderators(uow, space, data.moderator_ids)
        before = set(
            await uow.session.scalars(
                select(SessionModerator.user_id).where(SessionModerator.session_id == session_id)
            )
        )
        added, removed = sorted(set(wanted) - before), sorted(before - set(wanted))
        if not added and not removed:
            return await session_detail(uow.session, actor, session_id)
        if removed:
            await uow.session.execute(
                delete(SessionModerator).where(
                    SessionModerator.session_id == session_id,
                    SessionModerator.user_id.in_(removed),
                )
            )
        uow.session.add_all(SessionModerator(session_id=session_id, user_id=u) for u in added)
        audit.record(
            uow,
            actor,
            "session.moderators_changed",
            space_id=space.id,
            target_type="session",
            target_id=session_id,
            details={"added": added, "removed": removed},
        )
        uow.emit(
            "session.updated",
            {"session_id": session_id, "title": forum_session.title},
            space_id=space.id,
            session_id=session_id,
        )
        await uow.flush()
        return await session_detail(uow.session, actor, session_id)


async def moderators_by_email(db: Database, emails: list[str]) -> tuple[list[int], list[str]]:
    """The users with these addresses (for forms that name moderators by e-mail), and
    the addresses nobody has."""
    async with db.read() as session:
        found = await user_ids_by_email(session, emails)
    unknown = [email for email in emails if normalize_email(email) not in found]
    return sorted(set(found.values())), unknown
