"""National focal points: the register and its notifications are the secretariat's.

Focal points do not see the register, not even their own country's entries: it holds
other people's addresses, and what concerns a focal point reaches them as a message.
A focal point acts on a notification only through the link sent to them, as the
account of their own register entry."""

from __future__ import annotations

from forum_server.errors import Forbidden, Unauthorized
from forum_server.policy.actors import Actor, require_signed_in


def may_manage_focal_points(actor: Actor) -> bool:
    """Read and change the register, send notifications and reminders, read the record."""
    return actor.is_secretariat


def check_may_manage_focal_points(actor: Actor) -> None:
    if not may_manage_focal_points(actor):
        require_signed_in(actor)
        raise Forbidden("Only the secretariat can do this.")


def may_follow_focal_link(actor: Actor, account_id: int | None) -> bool:
    """A link acts for its register entry's account only: signed in as that account,
    or, where the entry has no account yet, signed out (the link then makes it)."""
    if account_id is None:
        return actor.user_id is None
    return actor.user_id == account_id


def check_may_follow_focal_link(actor: Actor, account_id: int | None) -> None:
    if may_follow_focal_link(actor, account_id):
        return
    if actor.user_id is None:
        raise Unauthorized("Sign in with the account of this address to use the link.")
    raise Forbidden("This link was sent to someone else: sign out to use it.")
