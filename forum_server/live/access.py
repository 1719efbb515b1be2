"""Who may receive what over a live connection — decided by the policy module.

The hub keeps each subscription's `SessionAccess` and checks every event against
it when sending; these functions load that access and re-check credentials.
"""

from __future__ import annotations

from forum_server.accounts import credentials
from forum_server.db import Database
from forum_server.errors import Forbidden, NotFound
from forum_server.events import Event
from forum_server.live.connection import Credential
from forum_server.policy import (
    ANONYMOUS,
    Actor,
    SessionAccess,
    SpaceAccess,
    load_session,
    may_receive_event,
)


async def load_access(db: Database, actor: Actor, session_id: int) -> SessionAccess | None:
    """The actor's access to the session, or None if it is missing or not visible."""
    async with db.read() as session:
        try:
            _, access = await load_session(session, actor, session_id)
        except NotFound:
            return None
    return access


def may_receive(access: SessionAccess, event: Event) -> bool:
    """Whether a subscriber with this access may be sent the event (the policy decides)."""
    return may_receive_event(access, event.type, event.data)


# The least any subscriber may see: a guest, no member, moderator or author of anything.
_NOBODY = SessionAccess(
    space=SpaceAccess(actor=ANONYMOUS, space_id=0, visibility="public", role=None),
    session_id=0,
    moderator_ids=frozenset(),
    posting="signed_in",
)


def public_event(event: Event) -> bool:
    """Whether every subscriber of the session may be sent the event (the common case:
    the hub then skips the check per subscriber). Asked of the policy module with the
    least privileged access there is, so it cannot say yes where `may_receive` would
    say no to anyone."""
    return may_receive(_NOBODY, event)


async def revalidate(db: Database, credential: Credential, *, session_days: int) -> Actor | None:
    """The actor behind the credential now, or None once it was revoked or expired (or
    its account suspended on the whole site)."""
    try:
        if credential.kind == "bearer":
            return await credentials.actor_for_api_token(db, credential.token)
        return await credentials.actor_for_login_session(db, credential.token, days=session_days)
    except Forbidden:
        return None
