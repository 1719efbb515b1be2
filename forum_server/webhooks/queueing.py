"""Deliveries are queued in the transaction of the change that caused them (a hook
run before every commit), so a change is never committed without its deliveries,
nor a delivery queued for a change that was rolled back; a process killed after the
commit leaves them waiting in the table for the next one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from forum_server.db import UnitOfWork
from forum_server.events import EventRecord
from forum_server.policy.webhooks import may_carry
from forum_server.rooms.models import SessionPeriod, Space
from forum_server.webhooks import catalogue
from forum_server.webhooks.models import WebhookDelivery, WebhookEndpoint
from forum_server.webhooks.payloads import delivery_data


async def queue_deliveries(uow: UnitOfWork, *, site_url: str = "") -> None:
    """The unit of work's before-commit hook: a delivery for each endpoint that asked
    for one of the events it wrote and may carry it."""
    wanted = [r for r in uow.pending_events if catalogue.webhook_types(r)]
    if not wanted:
        return
    endpoints = (
        await uow.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.active))
    ).all()
    if not endpoints:
        return
    await uow.flush()  # the events' ids and times
    spaces = await _spaces(uow, {r.space_id for r in wanted if r.space_id is not None})
    scheduled = await _scheduled(uow, {r.session_id for r in wanted if r.session_id is not None})
    for record in wanted:
        slug, visibility = spaces.get(record.space_id or 0, (None, None))
        for name in catalogue.webhook_types(record):
            asking = [e for e in endpoints if name in e.types]
            if not asking:
                continue
            data = await delivery_data(
                uow.session, record, name, visibility=visibility or "", site_url=site_url
            )
            if data is not None:
                uow.session.add_all(
                    _deliveries(record, name, data, asking, (slug, visibility), scheduled)
                )


def _deliveries(
    record: EventRecord,
    name: str,
    data: dict[str, Any],
    endpoints: Sequence[WebhookEndpoint],
    space: tuple[str | None, str | None],
    scheduled: set[int],
) -> list[WebhookDelivery]:
    slug, visibility = space
    body = catalogue.body(
        event_id=record.id,
        type=name,
        time=record.created_at.isoformat(),
        space=slug,
        session_id=record.session_id,
        thread_id=record.thread_id,
        data=data,
    )
    found = []
    for endpoint in endpoints:
        if not may_carry(
            endpoint.space_id,
            record.space_id,
            visibility,
            # An event of the space itself (a call) belongs to no draft session.
            session_scheduled=record.session_id is None or record.session_id in scheduled,
        ):
            continue
        found.append(
            WebhookDelivery(
                endpoint_id=endpoint.id,
                event_id=record.id,
                event_type=name,
                space_id=record.space_id,
                session_id=record.session_id,
                body=body,
            )
        )
    return found


async def _spaces(uow: UnitOfWork, ids: set[int]) -> dict[int, tuple[str, str]]:
    if not ids:
        return {}
    rows = await uow.session.execute(
        select(Space.id, Space.slug, Space.visibility).where(Space.id.in_(ids))
    )
    return {space_id: (slug, visibility) for space_id, slug, visibility in rows}


async def _scheduled(uow: UnitOfWork, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    found = await uow.session.scalars(
        select(SessionPeriod.session_id).where(SessionPeriod.session_id.in_(ids)).distinct()
    )
    return set(found)
