"""Reads for the secretariat: the register, notifications and the record of each."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.accounts.countries import REGIONS, normalize_country
from forum_server.accounts.models import User
from forum_server.calls.models import Call
from forum_server.errors import Invalid, NotFound
from forum_server.files.models import Document
from forum_server.focal.models import FocalDelivery, FocalNotification, FocalPoint
from forum_server.focal.register import view_of
from forum_server.focal.sending import regions_of
from forum_server.focal.targets import target
from forum_server.focal.views import FocalPointView, NotificationView, RecipientView
from forum_server.i18n import gettext
from forum_server.orm import utcnow
from forum_server.policy import Actor, check_may_manage_focal_points
from forum_server.rooms.models import ForumSession, SessionPeriod, Space


async def focal_points(
    db: AsyncSession, actor: Actor, *, country: str | None = None, region: str | None = None
) -> list[FocalPointView]:
    """The register by country, each country's primary first."""
    check_may_manage_focal_points(actor)
    accounts = select(User.id).where(func.lower(User.email) == FocalPoint.email).exists()
    query = select(FocalPoint, accounts).order_by(
        FocalPoint.country, FocalPoint.is_primary.desc(), FocalPoint.name, FocalPoint.id
    )
    if country:
        query = query.where(FocalPoint.country == country.upper())
    views = [view_of(entry, bool(has)) for entry, has in (await db.execute(query)).all()]
    return [v for v in views if region is None or v.region == region]


async def focal_point(db: AsyncSession, actor: Actor, entry_id: int) -> FocalPointView:
    check_may_manage_focal_points(actor)
    entry = await db.get(FocalPoint, entry_id)
    if entry is None:
        raise NotFound("No such focal point.")
    has = await db.scalar(select(User.id).where(func.lower(User.email) == entry.email))
    return view_of(entry, has is not None)


async def _view(db: AsyncSession, n: FocalNotification, *, full: bool) -> NotificationView:
    title = path = None
    responded: set[str] = set()
    if n.target_kind is not None and n.target_id is not None:
        described = await target(n.target_kind).describe(db, n.target_id)
        if described is not None:
            title, path = described.title, described.path
            if full:
                responded = await target(n.target_kind).responded(db, n.target_id, n.created_at)
    rows = (
        await db.scalars(
            select(FocalDelivery)
            .where(FocalDelivery.notification_id == n.id)
            .order_by(FocalDelivery.id)
        )
    ).all()
    reached = {row.country for row in rows}
    return NotificationView(
        id=n.id,
        subject=n.subject,
        body=n.body,
        regions=tuple(regions_of(n)),
        target_kind=n.target_kind,
        target_id=n.target_id,
        target_title=title,
        target_path=path,
        documents=tuple(int(d) for d in n.documents.split(",") if d),
        created_at=n.created_at,
        remind_at=n.remind_at,
        reminded_at=n.reminded_at,
        responded=tuple(sorted(reached & responded)),
        waiting=tuple(sorted(reached - responded)) if n.target_kind else (),
        recipients=tuple(
            RecipientView(
                r.focal_point_id, r.name, r.email, r.country, r.reminder, r.sent_at, r.used_at
            )
            for r in rows
        ),
    )


async def notifications(db: AsyncSession, actor: Actor) -> list[NotificationView]:
    """Every notification, newest first, with its record."""
    check_may_manage_focal_points(actor)
    found = await db.scalars(select(FocalNotification).order_by(FocalNotification.id.desc()))
    return [await _view(db, n, full=False) for n in found]


async def notification(db: AsyncSession, actor: Actor, notification_id: int) -> NotificationView:
    check_may_manage_focal_points(actor)
    found = await db.get(FocalNotification, notification_id)
    if found is None:
        raise NotFound("No such notification.")
    return await _view(db, found, full=True)


def filters(params: Mapping[str, str]) -> tuple[str | None, str | None]:
    """The register's filters from a query string, checked: Invalid naming the field."""
    country, region = params.get("country") or None, params.get("region") or None
    if country is not None:
        try:
            country = normalize_country(country)
        except ValueError as exc:
            raise Invalid(str(exc), field="country") from None
    if region is not None and region not in REGIONS:
        raise Invalid("No such region.", field="region")
    return country, region


CHOICES_SHOWN = 100


async def composing_choices(
    db: AsyncSession, actor: Actor
) -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    """What the composing form offers: what it may link to (scheduled sessions, then
    calls for submissions still open, as ("session:7", "title — space")) and library
    documents, newest first."""
    check_may_manage_focal_points(actor)
    scheduled = select(SessionPeriod.session_id)
    sessions = await db.execute(
        select(ForumSession.id, ForumSession.title, Space.title)
        .join(Space, Space.id == ForumSession.space_id)
        .where(ForumSession.id.in_(scheduled))
        .order_by(ForumSession.id.desc())
        .limit(CHOICES_SHOWN)
    )
    calls = await db.execute(
        select(Call.id, Call.title, Space.title)
        .join(Space, Space.id == Call.space_id)
        .where(Call.deadline > utcnow())
        .order_by(Call.id.desc())
        .limit(CHOICES_SHOWN)
    )
    documents = await db.execute(
        select(Document.id, Document.title, Space.title)
        .join(Space, Space.id == Document.space_id)
        .where(Document.removed_at.is_(None))
        .order_by(Document.id.desc())
        .limit(CHOICES_SHOWN)
    )
    targets = [
        (f"session:{i}", gettext("Session: %(title)s — %(space)s", title=title, space=space))
        for i, title, space in sessions
    ] + [
        (f"call:{i}", gettext("Call: %(title)s — %(space)s", title=title, space=space))
        for i, title, space in calls
    ]
    return targets, [(i, f"{title} — {space}") for i, title, space in documents]
