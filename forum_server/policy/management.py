"""The management pages' rules: changing a session's text and schedule, a space's
title and description, the secretariat's hand on sign-ins, and the list of every
suspension on the site."""

from __future__ import annotations

from forum_server.errors import Forbidden
from forum_server.policy.access import SessionAccess, SpaceAccess
from forum_server.policy.actors import Actor, require_caller, require_signed_in


def may_edit_session(access: SessionAccess) -> bool:
    """Title, description, times and a re-opening scheduled ahead: whoever moderates
    the session (its moderators, the space's moderators and owners, the secretariat)."""
    return access.can_moderate


def check_may_edit_session(access: SessionAccess) -> None:
    if not may_edit_session(access):
        access.require_moderator()


def may_edit_space(access: SpaceAccess) -> bool:
    """A space's title and description: its owners and the secretariat."""
    return access.can_manage


def check_may_edit_space(access: SpaceAccess) -> None:
    if not may_edit_space(access):
        require_signed_in(access.actor)
        raise Forbidden("Only the space's owners and the secretariat can do this.")


def may_reset_sign_in(actor: Actor, target_id: int | None = None) -> bool:
    """End an account's sign-ins and send it a link to choose a new password: the
    secretariat, for any account but their own (they would sign themselves out)."""
    return actor.is_secretariat and (target_id is None or target_id != actor.user_id)


def check_may_reset_sign_in(actor: Actor, target_id: int | None = None) -> None:
    require_caller(actor)
    if not actor.is_secretariat:
        raise Forbidden("Only the secretariat can manage accounts.")
    if not may_reset_sign_in(actor, target_id):
        raise Forbidden("You cannot reset your own sign-in.", code="own_sign_in")


def may_see_all_suspensions(actor: Actor) -> bool:
    """Every suspension on the site, in every space: the secretariat."""
    return actor.is_secretariat


def check_may_see_all_suspensions(actor: Actor) -> None:
    require_caller(actor)
    if not may_see_all_suspensions(actor):
        raise Forbidden("Only the secretariat can see every suspension.")
