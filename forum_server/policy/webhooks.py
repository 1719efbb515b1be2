"""Webhooks: who registers them, and which events an endpoint may carry."""

from __future__ import annotations

from forum_server.errors import Forbidden
from forum_server.policy.access import SpaceAccess
from forum_server.policy.actors import Actor, require_signed_in
from forum_server.rooms.state import PUBLIC


def may_manage_site_webhooks(actor: Actor) -> bool:
    """Endpoints for every public space: the secretariat."""
    return actor.is_secretariat


def check_may_manage_site_webhooks(actor: Actor) -> None:
    if not may_manage_site_webhooks(actor):
        require_signed_in(actor)
        raise Forbidden("Only the secretariat can do this.")


def may_manage_space_webhooks(access: SpaceAccess) -> bool:
    """Endpoints for one space: its owners and the secretariat."""
    return access.can_manage


def check_may_manage_space_webhooks(access: SpaceAccess) -> None:
    if not may_manage_space_webhooks(access):
        require_signed_in(access.actor)
        raise Forbidden("Only the space's owners and the secretariat can do this.")


def may_carry(
    endpoint_space_id: int | None,
    event_space_id: int | None,
    space_visibility: str | None,
    *,
    session_scheduled: bool,
) -> bool:
    """Whether an endpoint may be sent an event (already one every reader of the
    space sees): an endpoint of a space gets that space's events only; a site-wide
    one those of public spaces only, so a members space's events reach nobody but
    endpoints registered for it. Nothing of a draft session, which only those who
    prepare it see. Asked when the delivery is queued and again before each try."""
    if event_space_id is None or space_visibility is None or not session_scheduled:
        return False
    if endpoint_space_id is not None:
        return endpoint_space_id == event_space_id
    return space_visibility == PUBLIC
