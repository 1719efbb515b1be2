"""Reads of the board, through the policy: the filtered listing, one notice, the
suggestions awaiting review, the editors, and the matches of a capacity need."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.countries import region_for, regional_groups
from forum_server.accounts.models import User
from forum_server.board.models import PENDING, PUBLISHED, BoardEditor, Notice
from forum_server.board.schemas import NoticeFilter
from forum_server.board.views import BoardListing, EditorView, NoticeView, notice_view
from forum_server.orm import utcnow
from forum_server.policy import (
    MEMBER,
    Actor,
    check_may_see_members,
    check_may_suggest_notice,
    load_board,
    load_notice,
    may_edit_board,
    may_name_board_editors,
    may_suggest_notice,
)
from forum_server.rooms.members_queries import members_of

MAX_LIMIT = 200
# A need is matched against this many of the board's newest notices at most.
MATCH_SCAN = 2000
MATCHING_KINDS = ("project", "opportunity")


def _filter_clause(f: NoticeFilter, today: date) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    for column, value in (
        (Notice.kind, f.kind),
        (Notice.category, f.category),
        (Notice.status, f.status),
        (Notice.language, f.language),
    ):
        if value is not None:
            where.append(column == value)
    if f.country is not None:
        where.append(Notice.countries.like(f"%,{f.country},%"))
    if f.region is not None:
        # Named as the region, or covering one of its countries.
        members = [code for code, group in regional_groups().items() if group == f.region]
        where.append(
            or_(Notice.region == f.region, *(Notice.countries.like(f"%,{c},%") for c in members))
        )
    if f.start is not None:
        where.append(or_(Notice.end_date.is_(None), Notice.end_date >= f.start))
    if f.end is not None:
        where.append(or_(Notice.start_date.is_(None), Notice.start_date <= f.end))
    live = or_(Notice.expires_on.is_(None), Notice.expires_on >= today)
    if f.expired == "":
        where.append(live)
    elif f.expired == "only":
        where.append(and_(Notice.expires_on.is_not(None), Notice.expires_on < today))
    return where


async def board(
    db: AsyncSession,
    actor: Actor,
    slug: str,
    filters: NoticeFilter,
    *,
    limit: int = 50,
    offset: int = 0,
    review: str = PUBLISHED,
) -> BoardListing:
    """The space's notices that match, pinned first, newest next. `review="pending"`
    lists the suggestions awaiting review (for those who review; others get their own)."""
    space, access = await load_board(db, actor, slug)
    today = utcnow().date()
    editor = may_edit_board(access)
    query = select(Notice).where(
        Notice.space_id == space.id, Notice.removed_at.is_(None), Notice.review == review
    )
    if review != PUBLISHED and not editor:
        query = query.where(Notice.author_id == actor.user_id)
    limit = max(1, min(limit, MAX_LIMIT))
    rows = list(
        await db.scalars(
            query.where(*_filter_clause(filters, today))
            .order_by(Notice.pinned.desc(), Notice.created_at.desc(), Notice.id.desc())
            .offset(offset)
            .limit(limit + 1)
        )
    )
    pending = 0
    if editor:
        pending = (
            await db.scalar(
                select(func.count(Notice.id)).where(
                    Notice.space_id == space.id,
                    Notice.removed_at.is_(None),
                    Notice.review == PENDING,
                )
            )
        ) or 0
    return BoardListing(
        space.slug,
        space.title,
        tuple(notice_view(n, space.slug, today, access) for n in rows[:limit]),
        offset + limit if len(rows) > limit else None,
        editor,
        may_suggest_notice(access),
        pending,
    )


async def notice_detail(db: AsyncSession, actor: Actor, notice_id: int) -> NoticeView:
    notice, space, access = await load_notice(db, actor, notice_id)
    return notice_view(notice, space.slug, utcnow().date(), access)


def _regions_of(notice: Notice | NoticeView) -> set[str]:
    countries = notice.countries
    codes = (
        countries if isinstance(countries, tuple) else tuple(c for c in countries.split(",") if c)
    )
    found = {region for region in map(region_for, codes) if region}
    if notice.region:
        found.add(notice.region)
    return found


async def matches(
    db: AsyncSession, actor: Actor, notice_id: int
) -> tuple[NoticeView, tuple[NoticeView, ...]]:
    """For a capacity need: the board's current projects and opportunities that cover
    one of its countries or its region (a need of Brazil matches a project for Latin
    America and the Caribbean, and the other way round)."""
    need, space, access = await load_notice(db, actor, notice_id)
    today = utcnow().date()
    view = notice_view(need, space.slug, today, access)
    if need.kind != "need":
        return view, ()
    countries, regions = set(view.countries), _regions_of(view)
    candidates = await db.scalars(
        select(Notice)
        .where(
            Notice.space_id == space.id,
            Notice.removed_at.is_(None),
            Notice.review == PUBLISHED,
            Notice.kind.in_(MATCHING_KINDS),
            or_(Notice.expires_on.is_(None), Notice.expires_on >= today),
        )
        .order_by(Notice.pinned.desc(), Notice.created_at.desc(), Notice.id.desc())
        .limit(MATCH_SCAN)
    )
    found = [
        notice_view(n, space.slug, today, access)
        for n in candidates
        if countries & set(c for c in n.countries.split(",") if c) or regions & _regions_of(n)
    ]
    return view, tuple(found)


async def editors(db: AsyncSession, actor: Actor, slug: str) -> tuple[EditorView, ...]:
    """The board's named editors, for those who see the space's members."""
    space, access = await load_board(db, actor, slug)
    check_may_see_members(access.space)
    rows = await db.execute(
        select(User.id, User.display_name)
        .join(BoardEditor, BoardEditor.user_id == User.id)
        .where(BoardEditor.space_id == space.id)
        .order_by(User.display_name, User.id)
    )
    return tuple(EditorView(user_id, name) for user_id, name in rows)


async def check_may_post(db: AsyncSession, actor: Actor, slug: str) -> bool:
    """Raises unless the actor may post or suggest here; whether they post outright."""
    _, access = await load_board(db, actor, slug)
    check_may_suggest_notice(access)
    return may_edit_board(access)


@dataclass(frozen=True)
class EditorsPage:
    space_slug: str
    space_title: str
    editors: tuple[EditorView, ...]
    candidates: tuple[EditorView, ...]  # members who could be named (plain members)
    may_name: bool


async def editors_page(db: AsyncSession, actor: Actor, slug: str) -> EditorsPage:
    """The editors and, for those who name them, the members who could be named (the
    owners and moderators post anyway)."""
    space, access = await load_board(db, actor, slug)
    named = await editors(db, actor, slug)
    may_name = may_name_board_editors(access)
    candidates: tuple[EditorView, ...] = ()
    if may_name:
        taken = {e.user_id for e in named}
        members = (await members_of(db, actor, slug)).members
        candidates = tuple(
            EditorView(m.user_id, m.display_name)
            for m in members
            if m.role == MEMBER and m.user_id not in taken
        )
    return EditorsPage(space.slug, space.title, named, candidates, may_name)
