"""Reads for the webhook pages and API: the endpoints one manages, and an
endpoint's deliveries with every attempt."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.policy import Actor
from forum_server.rooms.models import Space
from forum_server.webhooks.access import check_may_manage, load_endpoint
from forum_server.webhooks.endpoints import view_of
from forum_server.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from forum_server.webhooks.views import AttemptView, DeliveryView, WebhookView

DELIVERIES_SHOWN = 50


async def endpoints(db: AsyncSession, actor: Actor, space_slug: str | None) -> list[WebhookView]:
    """A space's endpoints (its managers), or with no space every endpoint of the
    site (the secretariat)."""
    space_id = await check_may_manage(db, actor, space_slug)
    query = (
        select(WebhookEndpoint, Space.slug, Space.title)
        .outerjoin(Space, Space.id == WebhookEndpoint.space_id)
        .order_by(WebhookEndpoint.id)
    )
    if space_id is not None:
        query = query.where(WebhookEndpoint.space_id == space_id)
    rows = (await db.execute(query)).all()
    return [view_of(endpoint, slug, title) for endpoint, slug, title in rows]


async def endpoint(db: AsyncSession, actor: Actor, endpoint_id: int) -> WebhookView:
    found, slug = await load_endpoint(db, actor, endpoint_id)
    return view_of(found, slug)


async def deliveries(
    db: AsyncSession, actor: Actor, endpoint_id: int, *, limit: int = DELIVERIES_SHOWN
) -> list[DeliveryView]:
    """The endpoint's newest deliveries, each with its attempts, oldest attempt first."""
    await load_endpoint(db, actor, endpoint_id)
    rows = (
        await db.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == endpoint_id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    ).all()
    attempts: dict[int, list[AttemptView]] = {row.id: [] for row in rows}
    if rows:
        found = await db.scalars(
            select(WebhookAttempt)
            .where(WebhookAttempt.delivery_id.in_(attempts))
            .order_by(WebhookAttempt.id)
        )
        for attempt in found:
            attempts[attempt.delivery_id].append(
                AttemptView(
                    attempt.attempted_at, attempt.status_code, attempt.error, attempt.latency_ms
                )
            )
    return [
        DeliveryView(
            id=row.id,
            event_id=row.event_id,
            event_type=row.event_type,
            status=row.status,
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at if row.status == "queued" else None,
            last_status_code=row.last_status_code,
            created_at=row.created_at,
            delivered_at=row.delivered_at,
            log=tuple(attempts[row.id]),
        )
        for row in rows
    ]
