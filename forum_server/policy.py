"""Who may see and do what: the one way in.

Every read of protected data and every permission check goes through here, so a
rule changes in one place for pages, the API, WebSocket events, search, reports
and e-mail alike. A caller that may not see something is told it does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from forum_server.errors import Forbidden, Unauthorized


@dataclass(frozen=True)
class Actor:
    """Whoever is making a request: a signed-in user, or nobody in particular."""

    user_id: int | None = None
    display_name: str = ""
    is_secretariat: bool = False

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None


ANONYMOUS = Actor()


def require_signed_in(actor: Actor) -> int:
    """The actor's user id; raises Unauthorized for anonymous callers."""
    if actor.user_id is None:
        raise Unauthorized()
    return actor.user_id


def require_secretariat(actor: Actor) -> None:
    require_signed_in(actor)
    if not actor.is_secretariat:
        raise Forbidden("Only the secretariat can do this.")


def check_can_create_user(actor: Actor, *, registration_open: bool, as_secretariat: bool) -> None:
    """The secretariat creates any account; others only their own, where registration is open."""
    if actor.is_secretariat:
        return
    if as_secretariat:
        raise Forbidden("Only the secretariat can create secretariat accounts.")
    if not registration_open:
        if actor.signed_in:
            raise Forbidden("Registration is closed; the secretariat creates accounts.")
        raise Unauthorized("Registration is closed; the secretariat creates accounts.")
