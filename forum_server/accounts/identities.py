"""Who a bearer token or a sign-in cookie stands for, remembered for a few seconds.

Every signed-in request asked the database who its token or cookie belongs to (a
token's standing as well: two queries). This process keeps the answer for
`identity_cache_seconds`, keyed by the credential's digest (never the credential
itself), in a bounded least-recently-used table. Only answers that let a caller in
are kept: an unknown, revoked or expired credential and a suspended account are
looked up every time.

An entry never outlives its reason:

- in the process that makes the change, at its commit: sign-out, token revocation,
  password change, sign-in reset, suspension, deactivation, or any change to the
  account fields an Actor carries (`changed_account`, and the attribute listeners
  below for whatever code sets them) drop the account's entries before the write
  returns;
- in every other process, when the event the change wrote (`ENDING_EVENTS`) reaches
  its live hub (at once through the broker; within the feed's poll otherwise);
- and at the latest after `identity_cache_seconds`, or when the credential expires.

A lookup that started before a drop is not kept (the generation moved on), so an
answer read before a revocation committed cannot come back after it.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import object_session

from forum_server.accounts import credentials
from forum_server.accounts.models import User
from forum_server.db import Database, UnitOfWork
from forum_server.events import Event
from forum_server.orm import utcnow
from forum_server.policy import Actor

# Events after which an account's remembered sign-ins must be looked up again.
ENDING_EVENTS = frozenset(
    {
        "user.signed_out",
        "user.sign_in_reset",
        "user.deactivated",
        "user.suspended",
        "user.suspension_lifted",
    }
)
# The account fields an Actor carries, or that decide whether it may sign in.
_CARRIED = ("is_active", "is_secretariat", "display_name", "language", "time_zone")
MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class _Entry:
    actor: Actor
    until: float  # time.monotonic()


class Identities:
    def __init__(self, db: Database, *, seconds: float, max_entries: int = MAX_ENTRIES) -> None:
        self.db = db
        self.seconds = seconds
        self.max_entries = max_entries
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._by_user: dict[int, set[str]] = {}
        self._generation = 0

    async def for_api_token(self, token: str) -> Actor | None:
        """`credentials.actor_for_api_token`, remembered."""
        return await self._remembered(
            "bearer:" + credentials.token_digest(token),
            lambda: credentials.api_token_identity(self.db, token),
        )

    async def for_login_session(self, token: str, *, days: int) -> Actor | None:
        """`credentials.actor_for_login_session`, remembered."""
        return await self._remembered(
            "cookie:" + credentials.token_digest(token),
            lambda: credentials.login_session_identity(self.db, token, days=days),
        )

    async def _remembered(
        self, key: str, look_up: Callable[[], Awaitable[tuple[Actor, datetime | None] | None]]
    ) -> Actor | None:
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None:
            if now < entry.until:
                self._entries.move_to_end(key)
                return entry.actor
            self._drop(key)
        generation = self._generation
        found = await look_up()
        if found is None:
            return None
        actor, expires_at = found
        if self.seconds > 0 and generation == self._generation and actor.user_id is not None:
            keep = self.seconds
            if expires_at is not None:
                keep = min(keep, (expires_at - utcnow()).total_seconds())
            if keep > 0:
                self._keep(key, actor.user_id, _Entry(actor, time.monotonic() + keep))
        return actor

    def _keep(self, key: str, user_id: int, entry: _Entry) -> None:
        self._entries[key] = entry
        self._entries.move_to_end(key)
        self._by_user.setdefault(user_id, set()).add(key)
        while len(self._entries) > self.max_entries:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None and entry.actor.user_id is not None:
            keys = self._by_user.get(entry.actor.user_id)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._by_user[entry.actor.user_id]

    def forget(self, user_ids: Iterable[int]) -> None:
        """Drop every remembered credential of these accounts."""
        self._generation += 1  # lookups under way are not kept
        for user_id in user_ids:
            for key in list(self._by_user.get(user_id, ())):
                self._drop(key)

    def __len__(self) -> int:
        return len(self._entries)

    # --- what drops entries ---------------------------------------------------------

    def after_commit(self, uow: UnitOfWork, events: Sequence[Event]) -> None:
        """Run by the database after each commit of this process, before it returns."""
        changed = uow.accounts_changed | ended_by(events)
        if changed:
            self.forget(changed)

    def on_event(self, event: Event) -> None:
        """Run by the live hub for every event, whichever process wrote it."""
        if changed := ended_by((event,)):
            self.forget(changed)


def ended_by(events: Iterable[Event]) -> set[int]:
    """The accounts whose remembered sign-ins these events end."""
    return {
        user_id
        for e in events
        if e.type in ENDING_EVENTS and isinstance(user_id := e.data.get("user_id"), int)
    }


def changed_account(uow: UnitOfWork, user_id: int) -> None:
    """Mark the account's sign-ins, tokens or carried fields as changed in this write."""
    uow.accounts_changed.add(user_id)


def _on_carried_field_set(target: User, value: Any, old: Any, _initiator: Any) -> None:
    # Whatever code sets one of these fields, the account's entries go at commit.
    session = object_session(target)
    uow = session.info.get("uow") if session is not None else None
    if isinstance(uow, UnitOfWork) and target.id is not None and value != old:
        changed_account(uow, target.id)


for _name in _CARRIED:
    event.listen(getattr(User, _name), "set", _on_carried_field_set)
