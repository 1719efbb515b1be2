"""A space's participation terms: writing a new version (the secretariat), reading the
current one with where the caller stands, and every version kept."""

from __future__ import annotations

import asyncio
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server import audit
from forum_server.consent.models import TermsAcceptance, TermsVersion
from forum_server.consent.schemas import TermsInput
from forum_server.consent.views import ConsentView, TermsVersionView
from forum_server.db import Database
from forum_server.errors import NotFound
from forum_server.orm import utcnow
from forum_server.policy import Actor, SpaceAccess, check_may_set_terms, load_space
from forum_server.rooms.markdown import render_markdown
from forum_server.rooms.models import Space


def _view(row: TermsVersion) -> TermsVersionView:
    return TermsVersionView(row.version, row.body, row.html, row.created_at)


async def current_terms(session: AsyncSession, space_id: int) -> TermsVersion | None:
    row: TermsVersion | None = await session.scalar(
        select(TermsVersion)
        .where(TermsVersion.space_id == space_id)
        .order_by(TermsVersion.version.desc())
        .limit(1)
    )
    return row


async def accepted_version(
    session: AsyncSession, space_id: int, user_id: int | None
) -> tuple[int | None, datetime | None]:
    """The latest version of the space's terms the account accepted, and when."""
    if user_id is None:
        return None, None
    row = (
        await session.execute(
            select(TermsAcceptance.version, TermsAcceptance.accepted_at)
            .where(TermsAcceptance.space_id == space_id, TermsAcceptance.user_id == user_id)
            .order_by(TermsAcceptance.version.desc())
            .limit(1)
        )
    ).first()
    return (row[0], row[1]) if row is not None else (None, None)


async def consent_for(session: AsyncSession, actor: Actor, space: Space) -> ConsentView:
    """The space's attribution and terms, and the caller's acceptance (for a space the
    caller was allowed to load)."""
    terms = await current_terms(session, space.id)
    version, at = await accepted_version(session, space.id, actor.user_id)
    return ConsentView(
        space.slug,
        space.report_attribution,
        _view(terms) if terms is not None else None,
        version,
        at,
        space.title,
    )


async def consent(session: AsyncSession, actor: Actor, slug: str) -> ConsentView:
    space, _ = await load_space(session, actor, slug)
    return await consent_for(session, actor, space)


async def consent_with_access(
    session: AsyncSession, actor: Actor, slug: str
) -> tuple[ConsentView, SpaceAccess]:
    """As `consent`, with the caller's access (what the terms page offers them)."""
    space, access = await load_space(session, actor, slug)
    return await consent_for(session, actor, space), access


async def versions(session: AsyncSession, actor: Actor, slug: str) -> list[TermsVersionView]:
    """Every version of the terms, newest first: whoever sees the space may read what
    others accepted."""
    space, _ = await load_space(session, actor, slug)
    rows = await session.scalars(
        select(TermsVersion)
        .where(TermsVersion.space_id == space.id)
        .order_by(TermsVersion.version.desc())
    )
    return [_view(row) for row in rows]


async def version(session: AsyncSession, actor: Actor, slug: str, number: int) -> TermsVersionView:
    space, _ = await load_space(session, actor, slug)
    row = await session.scalar(
        select(TermsVersion).where(
            TermsVersion.space_id == space.id, TermsVersion.version == number
        )
    )
    if row is None:
        raise NotFound("No such version of the terms.")
    return _view(row)


async def set_terms(db: Database, actor: Actor, slug: str, data: TermsInput) -> TermsVersionView:
    """A new version of the space's terms (the secretariat): the earlier ones are kept,
    and everyone accepts the new one before contributing again."""
    html = await asyncio.to_thread(render_markdown, data.body)
    async with db.write() as uow:
        space, access = await load_space(uow.session, actor, slug)
        check_may_set_terms(access)
        last = await uow.session.scalar(
            select(func.max(TermsVersion.version)).where(TermsVersion.space_id == space.id)
        )
        row = TermsVersion(
            space_id=space.id,
            version=(last or 0) + 1,
            body=data.body,
            html=html,
            created_at=utcnow(),
            created_by=actor.user_id,
        )
        uow.session.add(row)
        await uow.flush()
        audit.record(
            uow,
            actor,
            "terms.changed",
            space_id=space.id,
            target_type="space",
            target_id=space.id,
            details={"version": row.version},
        )
        return _view(row)
