"""Sending what is queued: each delivery is claimed, checked again (the endpoint is
still on, may still carry the event, and its name still resolves to an address it
may reach), posted with its signature, and recorded with every attempt. Failures are
tried again with exponential back-off for a little over a day; an endpoint that has
failed for days is switched off and its owner told by e-mail. Deliveries of one
endpoint about one session go one at a time, in order."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import ColumnElement, and_, exists, or_, select, update
from sqlalchemy.orm import aliased

from forum_server.accounts.models import User
from forum_server.db import Database, UnitOfWork
from forum_server.errors import Invalid
from forum_server.mail.outbox import Outgoing, queue
from forum_server.orm import utcnow
from forum_server.policy.webhooks import may_carry
from forum_server.rooms.models import SessionPeriod, Space
from forum_server.settings import Settings
from forum_server.webhooks import catalogue
from forum_server.webhooks.addresses import Resolver, check_destination, resolve
from forum_server.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from forum_server.webhooks.signing import HEADER, signature

LEASE = timedelta(minutes=2)
FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(hours=4)
GIVE_UP_AFTER = timedelta(hours=26)  # tried for at least a day
DISABLE_AFTER = timedelta(days=3)  # every delivery failing for this long
TIMEOUT = httpx.Timeout(10.0)
BATCH = 20
USER_AGENT = "forum_server-webhooks/1"


@dataclass(frozen=True)
class Sender:
    """How deliveries go out: the HTTP client, and the destination rule."""

    client: httpx.AsyncClient
    allow_private: bool
    own_hosts: tuple[str, ...]
    resolver: Resolver = resolve


def sender_for(settings: Settings) -> Sender:
    """The server's sender: no redirects followed (a redirect could lead anywhere the
    address check did not look), ten seconds for an answer."""
    client = httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False)
    return Sender(client, settings.webhooks_allow_private, (settings.site_host,))


@dataclass(frozen=True)
class Claimed:
    id: int
    endpoint_id: int
    event_type: str
    space_id: int | None
    session_id: int | None
    body: str
    attempts: int
    created_at: datetime
    url: str
    secret: str
    endpoint_space_id: int | None
    endpoint_active: bool


@dataclass(frozen=True)
class Result:
    status_code: int | None
    error: str | None
    latency_ms: int

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def next_attempt(attempts: int, now: datetime) -> datetime:
    """30 s, 1 min, 2 min … capped at four hours."""
    return now + min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LAST_RETRY)


def _waiting_behind_earlier() -> ColumnElement[bool]:
    """SQL condition on WebhookDelivery: an earlier delivery to the same endpoint
    about the same session (or both about none) is not finished."""
    earlier = aliased(WebhookDelivery)
    same_session = or_(
        earlier.session_id == WebhookDelivery.session_id,
        and_(earlier.session_id.is_(None), WebhookDelivery.session_id.is_(None)),
    )
    return exists(
        select(earlier.id).where(
            earlier.endpoint_id == WebhookDelivery.endpoint_id,
            earlier.id < WebhookDelivery.id,
            earlier.status.in_(("queued", "sending")),
            same_session,
        )
    )


async def claim_due(db: Database, now: datetime, *, limit: int = BATCH) -> list[Claimed]:
    async with db.write() as uow:
        due = or_(
            and_(WebhookDelivery.status == "queued", WebhookDelivery.next_attempt_at <= now),
            and_(WebhookDelivery.status == "sending", WebhookDelivery.claimed_until < now),
        )
        query = (
            select(WebhookDelivery.id)
            .where(due, ~_waiting_behind_earlier())
            .order_by(WebhookDelivery.id)
            .limit(limit)
        )
        if uow.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        ids = list(await uow.session.scalars(query))
        if not ids:
            return []
        await uow.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id.in_(ids))
            .values(status="sending", claimed_until=now + LEASE)
        )
        rows = await uow.session.execute(
            select(WebhookDelivery, WebhookEndpoint)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .where(WebhookDelivery.id.in_(ids))
            .order_by(WebhookDelivery.id)
        )
        return [
            Claimed(
                id=d.id,
                endpoint_id=d.endpoint_id,
                event_type=d.event_type,
                space_id=d.space_id,
                session_id=d.session_id,
                body=d.body,
                attempts=d.attempts,
                created_at=d.created_at,
                url=e.url,
                secret=e.secret,
                endpoint_space_id=e.space_id,
                endpoint_active=e.active,
            )
            for d, e in rows
        ]


async def _may_still_carry(db: Database, item: Claimed) -> bool:
    if item.event_type == catalogue.TEST:
        return True
    async with db.read() as session:
        visibility = await session.scalar(select(Space.visibility).where(Space.id == item.space_id))
        # An event of the space itself (a call) belongs to no draft session.
        scheduled = item.session_id is None or (
            await session.scalar(
                select(SessionPeriod.id).where(SessionPeriod.session_id == item.session_id).limit(1)
            )
            is not None
        )
    return may_carry(item.endpoint_space_id, item.space_id, visibility, session_scheduled=scheduled)


async def _post(sender: Sender, item: Claimed, now: datetime) -> Result:
    began = time.perf_counter()

    def took() -> int:
        return int((time.perf_counter() - began) * 1000)

    try:
        await check_destination(
            item.url,
            allow_private=sender.allow_private,
            own_hosts=sender.own_hosts,
            resolver=sender.resolver,
        )
    except Invalid as refused:
        return Result(None, f"address refused: {refused.message}", took())
    body = item.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        HEADER: signature(item.secret, int(now.timestamp()), body),
        "Forum-Event": item.event_type,
        "Forum-Delivery": str(item.id),
    }
    try:
        response = await sender.client.post(item.url, content=body, headers=headers)
    except httpx.HTTPError as failure:
        return Result(None, f"{type(failure).__name__}: {failure}"[:500], took())
    return Result(response.status_code, None, took())


async def _attempt(db: Database, sender: Sender, item: Claimed, now: datetime) -> None:
    if not item.endpoint_active:
        result = Result(None, "the endpoint is switched off", 0)
    elif not await _may_still_carry(db, item):
        result = Result(None, "no longer for this endpoint", 0)
    else:
        result = await _post(sender, item, now)
    await _record(db, item, result, now)


async def _record(db: Database, item: Claimed, result: Result, now: datetime) -> None:
    final_refusal = result.error in ("the endpoint is switched off", "no longer for this endpoint")
    async with db.write() as uow:
        uow.session.add(
            WebhookAttempt(
                delivery_id=item.id,
                attempted_at=now,
                status_code=result.status_code,
                error=result.error,
                latency_ms=result.latency_ms,
            )
        )
        attempts = item.attempts + 1
        values: dict[str, object] = {
            "attempts": attempts,
            "last_status_code": result.status_code,
            "last_error": result.error,
            "claimed_until": None,
        }
        if result.delivered:
            values.update(status="delivered", delivered_at=now)
        elif final_refusal or now - item.created_at >= GIVE_UP_AFTER:
            values.update(status="failed")
        else:
            values.update(status="queued", next_attempt_at=next_attempt(attempts, now))
        # Only while the claim is still ours: one taken over after expiry is not.
        await uow.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == item.id, WebhookDelivery.status == "sending")
            .values(**values)
        )
        if not final_refusal:
            await _endpoint_health(uow, item.endpoint_id, result.delivered, now)


async def _endpoint_health(
    uow: UnitOfWork, endpoint_id: int, delivered: bool, now: datetime
) -> None:
    endpoint = await uow.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        return
    if delivered:
        endpoint.failing_since = None
        return
    endpoint.failing_since = endpoint.failing_since or now
    if endpoint.active and now - endpoint.failing_since >= DISABLE_AFTER:
        endpoint.active = False
        endpoint.disabled_reason = "failing since " + endpoint.failing_since.isoformat()
        await _tell_owner(uow, endpoint)


async def _tell_owner(uow: UnitOfWork, endpoint: WebhookEndpoint) -> None:
    if endpoint.created_by is None:
        return
    owner = await uow.session.get(User, endpoint.created_by)
    if owner is None or not owner.is_active:
        return
    context = {"url": endpoint.url, "path": f"/webhooks/{endpoint.id}"}
    await queue(uow, [Outgoing("webhook_disabled", owner.email, context, user_id=owner.id)])


async def _in_order(db: Database, sender: Sender, items: list[Claimed], now: datetime) -> None:
    for item in items:
        await _attempt(db, sender, item, now)


async def deliver_due(db: Database, sender: Sender, now: datetime | None = None) -> int:
    """Tries every delivery due now, a batch at a time; returns how many were tried.
    Different endpoints are tried at once; one endpoint's in order."""
    tried = 0
    while True:
        moment = now or utcnow()
        claimed = await claim_due(db, moment)
        if not claimed:
            return tried
        by_endpoint: dict[int, list[Claimed]] = {}
        for item in claimed:
            by_endpoint.setdefault(item.endpoint_id, []).append(item)

        await asyncio.gather(
            *(_in_order(db, sender, items, moment) for items in by_endpoint.values())
        )
        tried += len(claimed)
        if now is not None:  # a fixed clock (tests): one pass
            return tried


async def run_webhooks(
    db: Database, sender: Sender, stop: asyncio.Event, *, interval: float = 1.0
) -> None:
    from forum_server.periodic import repeat

    await repeat(lambda: deliver_due(db, sender), stop, every=interval, what="webhook delivery")
