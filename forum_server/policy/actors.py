"""Who is asking: a signed-in user, the secretariat, or nobody in particular."""

from __future__ import annotations

from dataclasses import dataclass

from forum_server.errors import Forbidden, Unauthorized


@dataclass(frozen=True)
class Actor:
    """Whoever is making a request: a signed-in user, or nobody in particular."""

    user_id: int | None = None
    display_name: str = ""
    is_secretariat: bool = False
    language: str | None = None  # the profile's interface language, if chosen
    time_zone: str | None = None

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
    if actor.is_secretariat:  # the command line acts as the secretariat without a user id
        return
    require_signed_in(actor)
    if not actor.is_secretariat:
        raise Forbidden("Only the secretariat can do this.")


def require_caller(actor: Actor) -> None:
    """Raises Unauthorized for anonymous callers; the command line, acting as the
    secretariat without an account, passes."""
    if not actor.is_secretariat:
        require_signed_in(actor)
