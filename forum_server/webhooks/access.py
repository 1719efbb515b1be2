"""Loading an endpoint for someone who may manage it; anyone else is told it does
not exist (an endpoint's address and secret are its managers' only)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from forum_server.errors import DomainError, NotFound
from forum_server.policy import Actor
from forum_server.policy.loading import load_space
from forum_server.policy.webhooks import (
    check_may_manage_site_webhooks,
    check_may_manage_space_webhooks,
)
from forum_server.rooms.models import Space
from forum_server.webhooks.models import WebhookEndpoint


async def check_may_manage(db: AsyncSession, actor: Actor, space_slug: str | None) -> int | None:
    """The space's id (None: site-wide) if the actor may manage its endpoints."""
    if space_slug is None:
        check_may_manage_site_webhooks(actor)
        return None
    space, access = await load_space(db, actor, space_slug)
    check_may_manage_space_webhooks(access)
    return space.id


async def load_endpoint(
    db: AsyncSession, actor: Actor, endpoint_id: int
) -> tuple[WebhookEndpoint, str | None]:
    """The endpoint and its space's slug; NotFound unless the actor manages it."""
    endpoint = await db.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise NotFound("No such webhook.")
    slug = None
    if endpoint.space_id is not None:
        space = await db.get(Space, endpoint.space_id)
        slug = space.slug if space else None
    try:
        await check_may_manage(db, actor, slug)
    except DomainError:
        raise NotFound("No such webhook.") from None
    return endpoint, slug
