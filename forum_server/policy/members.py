"""Members, invitations and new accounts."""

from __future__ import annotations

from forum_server.errors import Forbidden, Unauthorized
from forum_server.policy.access import SpaceAccess
from forum_server.policy.actors import Actor, require_signed_in


def check_may_create_user(actor: Actor, *, registration_open: bool, as_secretariat: bool) -> None:
    """Raises unless may_create_user (below): Forbidden for secretariat accounts asked by
    others; where registration is closed, Unauthorized for anonymous callers and
    Forbidden for everyone else."""
    if may_create_user(actor, registration_open=registration_open, as_secretariat=as_secretariat):
        return
    if as_secretariat:
        raise Forbidden("Only the secretariat can create secretariat accounts.")
    if actor.signed_in:
        raise Forbidden("Registration is closed; the secretariat creates accounts.")
    raise Unauthorized("Registration is closed; the secretariat creates accounts.")


def may_manage_members(access: SpaceAccess) -> bool:
    """Add, change and remove members, invite and revoke invitations, see the pending
    invitations and the record of membership changes: the space's owners and the
    secretariat."""
    return access.can_manage


def check_may_manage_members(access: SpaceAccess) -> None:
    """Raises unless may_manage_members: Unauthorized for anonymous callers, Forbidden
    for everyone else (those who may not see the space were answered NotFound by
    load_space)."""
    if not may_manage_members(access):
        require_signed_in(access.actor)
        raise Forbidden("Only the space's owners and the secretariat manage its members.")


def may_see_members(access: SpaceAccess) -> bool:
    """The member list (with its balance): the space's members and the secretariat."""
    return access.actor.is_secretariat or access.is_member


def check_may_see_members(access: SpaceAccess) -> None:
    if not may_see_members(access):
        require_signed_in(access.actor)
        raise Forbidden("Only members of this space see its member list.")


# Who may invite, revoke and list a space's invitations: those who manage its members.
may_manage_invitations = may_manage_members


check_may_manage_invitations = check_may_manage_members


def may_accept_invitation(actor: Actor, account_email: str | None, invited_email: str) -> bool:
    """An invitation is for one address: only the signed-in account with that address
    accepts it, so a forwarded link opens nothing for anyone else."""
    return actor.signed_in and account_email is not None and account_email == invited_email


def check_may_accept_invitation(
    actor: Actor, account_email: str | None, invited_email: str
) -> None:
    require_signed_in(actor)
    if not may_accept_invitation(actor, account_email, invited_email):
        raise Forbidden(
            "This invitation is for %(email)s; sign in with that address to accept it.",
            params={"email": invited_email},
        )


def may_create_user(actor: Actor, *, registration_open: bool, as_secretariat: bool) -> bool:
    """The secretariat creates any account; others only their own, where registration
    is open (the registration page asks with `as_secretariat=False`)."""
    if actor.is_secretariat:
        return True
    return registration_open and not as_secretariat
