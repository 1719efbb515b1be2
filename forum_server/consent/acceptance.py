"""Accepting a space's participation terms: ahead of contributing (the space page,
the API), with a first contribution (the post form's box), and by guests with their
post. The secretariat reads who accepted which version when."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.models import User
from forum_server.consent.models import TermsAcceptance
from forum_server.consent.schemas import TermsAccept
from forum_server.consent.terms import accepted_version, consent_for, current_terms
from forum_server.consent.views import AcceptanceView, ConsentView
from forum_server.db import Database
from forum_server.errors import Conflict, NotFound
from forum_server.orm import utcnow
from forum_server.policy import (
    Actor,
    check_may_accept_terms,
    check_may_see_acceptances,
    check_terms_accepted,
    load_space,
)


async def record(session: AsyncSession, space_id: int, user_id: int, version: int) -> None:
    """Stores an acceptance once (accepting the same version again keeps the first time)."""
    exists = await session.scalar(
        select(TermsAcceptance.id).where(
            TermsAcceptance.space_id == space_id,
            TermsAcceptance.user_id == user_id,
            TermsAcceptance.version == version,
        )
    )
    if exists is None:
        session.add(
            TermsAcceptance(
                space_id=space_id, user_id=user_id, version=version, accepted_at=utcnow()
            )
        )


async def check_contribution(
    session: AsyncSession, space_id: int, actor: Actor, offered: int | None, *, write: bool
) -> int | None:
    """The rule for a new contribution: the current terms accepted before or with it
    (`offered`: the version its form or request accepts). Raises Invalid on the field
    `accept_terms` otherwise. With `write`, records an acceptance given with it; returns
    the version accepted (for a guest's post), or None where the space has no terms."""
    terms = await current_terms(session, space_id)
    if terms is None:
        return None
    before, _ = await accepted_version(session, space_id, actor.user_id)
    check_terms_accepted(terms.version, before, offered)
    if write and actor.user_id is not None and before != terms.version:
        await record(session, space_id, actor.user_id, terms.version)
    return terms.version


async def accept_on_joining(
    session: AsyncSession, space_id: int, user_id: int, offered: int | None
) -> None:
    """Records the acceptance a joining form gave (`offered`: the version it showed; None:
    not given, which joining does not need — the first contribution asks). Invalid on
    `accept_terms` when the terms changed since the form was shown."""
    terms = await current_terms(session, space_id)
    if offered is None or terms is None:
        return
    if offered != terms.version:
        check_terms_accepted(terms.version, None, offered)
    await record(session, space_id, user_id, terms.version)


async def accept_terms(db: Database, actor: Actor, slug: str, data: TermsAccept) -> ConsentView:
    """Accepts the space's current terms; Conflict `terms_changed` when the version read
    is no longer current, NotFound where the space has no terms."""
    async with db.write() as uow:
        space, access = await load_space(uow.session, actor, slug)
        check_may_accept_terms(access)
        assert actor.user_id is not None
        terms = await current_terms(uow.session, space.id)
        if terms is None:
            raise NotFound("This space has no participation terms.")
        if data.version != terms.version:
            raise Conflict(
                "The participation terms have changed; read version %(version)s and accept it.",
                params={"version": terms.version},
                code="terms_changed",
            )
        await record(uow.session, space.id, actor.user_id, terms.version)
        await uow.flush()
        return await consent_for(uow.session, actor, space)


async def acceptances(
    session: AsyncSession, actor: Actor, slug: str, *, limit: int = 50, after: int = 0
) -> tuple[list[AcceptanceView], int | None]:
    """Who accepted which version when, oldest first (the secretariat); a page and the
    cursor of the next."""
    space, access = await load_space(session, actor, slug)
    check_may_see_acceptances(access)
    limit = max(1, min(limit, 200))
    rows = list(
        await session.execute(
            select(TermsAcceptance, User.display_name)
            .join(User, User.id == TermsAcceptance.user_id)
            .where(TermsAcceptance.space_id == space.id, TermsAcceptance.id > after)
            .order_by(TermsAcceptance.id)
            .limit(limit + 1)
        )
    )
    items = [
        AcceptanceView(row.user_id, name, row.version, row.accepted_at)
        for row, name in rows[:limit]
    ]
    following = rows[limit - 1][0].id if len(rows) > limit else None
    return items, following
