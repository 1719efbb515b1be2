"""Accounts: who may sign in now, and who manages accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from forum_server.errors import Forbidden
from forum_server.policy.actors import Actor, require_caller


@dataclass(frozen=True)
class Standing:
    """What decides whether an account may sign in or use its tokens now."""

    active: bool
    # The site-wide suspension in force, if any: its reason and end (None: until lifted).
    suspended: bool = False
    suspension_reason: str = ""
    suspended_until: datetime | None = None


def may_sign_in(standing: Standing) -> bool:
    """Deactivated and site-wide suspended accounts neither sign in nor use API tokens."""
    return standing.active and not standing.suspended


def check_may_sign_in(standing: Standing) -> None:
    """Raises Forbidden `account_deactivated` or `suspended` (with the reason and end)."""
    if not standing.active:
        raise Forbidden(
            "This account is deactivated; ask the secretariat.", code="account_deactivated"
        )
    if not standing.suspended:
        return
    until, reason = standing.suspended_until, standing.suspension_reason
    if until is None:
        raise Forbidden(
            "This account is suspended: it may not sign in, use its API tokens or post "
            "anywhere on this site until the secretariat lifts the suspension. "
            "Reason: %(reason)s",
            code="suspended",
            params={"reason": reason},
        )
    raise Forbidden(
        "This account is suspended: it may not sign in, use its API tokens or post "
        "anywhere on this site until %(until)s UTC. Reason: %(reason)s",
        code="suspended",
        params={"until": until.strftime("%Y-%m-%d %H:%M"), "reason": reason},
    )


def may_manage_accounts(actor: Actor) -> bool:
    """List, deactivate and reactivate accounts: the secretariat (and the command line)."""
    return actor.is_secretariat


def check_may_manage_accounts(actor: Actor, target_id: int | None = None) -> None:
    """Raises Unauthorized for anonymous callers, Forbidden for everyone else but the
    secretariat, and Forbidden for a secretariat member acting on their own account
    (they would lock themselves out)."""
    require_caller(actor)
    if not may_manage_accounts(actor):
        raise Forbidden("Only the secretariat can manage accounts.")
    if target_id is not None and target_id == actor.user_id:
        raise Forbidden("You cannot deactivate your own account.", code="own_account")
