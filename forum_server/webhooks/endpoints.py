"""Commands on endpoints: register, change, remove, send a test event. Each owns
its transaction and its access check; the address is checked (form and where its
name resolves) before the transaction, and its form again inside."""

from __future__ import annotations

import json
from dataclasses import dataclass

from forum_server import audit
from forum_server.db import Database, UnitOfWork
from forum_server.orm import utcnow
from forum_server.policy import Actor, require_caller
from forum_server.settings import Settings
from forum_server.webhooks import catalogue
from forum_server.webhooks.access import check_may_manage, load_endpoint
from forum_server.webhooks.addresses import Resolver, check_destination, resolve
from forum_server.webhooks.models import WebhookDelivery, WebhookEndpoint
from forum_server.webhooks.schemas import WebhookCreate, WebhookUpdate
from forum_server.webhooks.signing import new_secret
from forum_server.webhooks.views import WebhookView


@dataclass(frozen=True)
class Destinations:
    """Where endpoints may point: the site's own rule and names (settings)."""

    allow_private: bool
    own_hosts: tuple[str, ...]
    resolver: Resolver = resolve

    async def check(self, url: str) -> None:
        await check_destination(
            url,
            allow_private=self.allow_private,
            own_hosts=self.own_hosts,
            resolver=self.resolver,
        )


def view_of(endpoint: WebhookEndpoint, slug: str | None, title: str | None = None) -> WebhookView:
    return WebhookView(
        id=endpoint.id,
        space=slug,
        space_title=title,
        url=endpoint.url,
        description=endpoint.description,
        event_types=tuple(sorted(endpoint.types)),
        active=endpoint.active,
        disabled_reason=endpoint.disabled_reason,
        failing_since=endpoint.failing_since,
        created_at=endpoint.created_at,
        secret=endpoint.secret,
    )


def _audit(uow: UnitOfWork, actor: Actor, action: str, endpoint: WebhookEndpoint) -> None:
    audit.record(
        uow,
        actor,
        action,
        space_id=endpoint.space_id,
        target_type="webhook",
        target_id=endpoint.id,
        details={"url": endpoint.url, "event_types": sorted(endpoint.types)},
    )


async def register_endpoint(
    db: Database, actor: Actor, data: WebhookCreate, destinations: Destinations
) -> WebhookView:
    require_caller(actor)
    async with db.read() as session:
        await check_may_manage(session, actor, data.space)
    await destinations.check(data.url)
    async with db.write() as uow:
        space_id = await check_may_manage(uow.session, actor, data.space)
        endpoint = WebhookEndpoint(
            space_id=space_id,
            created_by=actor.user_id,
            url=data.url,
            description=data.description,
            secret=new_secret(),
            event_types=json.dumps(data.event_types),
            created_at=utcnow(),
        )
        uow.session.add(endpoint)
        await uow.flush()
        _audit(uow, actor, "webhook.added", endpoint)
        return view_of(endpoint, data.space)


async def change_endpoint(
    db: Database, actor: Actor, endpoint_id: int, data: WebhookUpdate, destinations: Destinations
) -> WebhookView:
    require_caller(actor)
    async with db.read() as session:
        await load_endpoint(session, actor, endpoint_id)
    if data.url is not None:
        await destinations.check(data.url)
    async with db.write() as uow:
        endpoint, slug = await load_endpoint(uow.session, actor, endpoint_id)
        if data.url is not None:
            endpoint.url = data.url
        if data.description is not None:
            endpoint.description = data.description
        if data.event_types is not None:
            endpoint.event_types = json.dumps(data.event_types)
        if data.active is not None:
            endpoint.active = data.active
            if data.active:  # switched on again: a fresh start
                endpoint.disabled_reason, endpoint.failing_since = None, None
        _audit(uow, actor, "webhook.changed", endpoint)
        return view_of(endpoint, slug)


async def remove_endpoint(db: Database, actor: Actor, endpoint_id: int) -> None:
    require_caller(actor)
    async with db.write() as uow:
        endpoint, _ = await load_endpoint(uow.session, actor, endpoint_id)
        _audit(uow, actor, "webhook.removed", endpoint)
        await uow.session.delete(endpoint)


async def send_test(db: Database, actor: Actor, endpoint_id: int) -> int:
    """Queues a `ping` delivery to the endpoint; returns its id."""
    require_caller(actor)
    async with db.write() as uow:
        endpoint, slug = await load_endpoint(uow.session, actor, endpoint_id)
        now = utcnow()
        delivery = WebhookDelivery(
            endpoint_id=endpoint.id,
            event_id=None,
            event_type=catalogue.TEST,
            space_id=endpoint.space_id,
            session_id=None,
            body=catalogue.body(
                event_id=None,
                type=catalogue.TEST,
                time=now.isoformat(),
                space=slug,
                session_id=None,
                thread_id=None,
                data={"webhook_id": endpoint.id},
            ),
            next_attempt_at=now,
            created_at=now,
        )
        uow.session.add(delivery)
        await uow.flush()
        return delivery.id


def destinations_for(settings: Settings) -> Destinations:
    return Destinations(settings.webhooks_allow_private, (settings.site_host,))
