"""The hub: this process's live connections, fed from the events table.

Its feed follows the table and hands over each new event in id order; the hub
sends it, serialized once, to the connections subscribed to its session.

Exactly once and in order, per subscription: the feed's position only moves under
its lock, and a subscription is set up (its replay read and its cursor set) under the
same lock, so replay covers everything up to the position and live dispatch
everything after it. Each subscription's cursor guards against the two overlapping.

Access is cached per subscription and looked up again (a) inline, before any later
event is dispatched, when an event that changes access to a space passes through,
and (b) every `access_ttl` by the connection, as a backstop.

Lookups for subscribing and for the backstop are shared by everyone with the same
actor and session for `access_share` seconds (2,000 guests of one session cost one
lookup, not 2,000); every event that changes access empties that cache, and each
shared answer carries the feed position it is at least as fresh as, so the rules
above still decide whether it may be applied.

Post events go out as the post is now (`live/posts.py`), live and replayed alike:
a post hidden or edited since an event was written is never sent as it was.

Dispatch is per event, not per connection: whether an event may be sent is decided
once per distinct access (all guests share one, all plain members another…), and the
one serialized frame is queued on each connection without awaiting.

Nearly every subscription starts at the hub's position, so every later event of its
session is newer than its cursor: those need no cursor check or update, and a public
event goes to them in one plain loop over their connections' `offer`. Only a
subscription that resumed from ahead of the position (its `after` beyond it) is
checked per event, until an event passes its cursor; it then joins the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select

from forum_server.broker import Broker
from forum_server.db import Database
from forum_server.events import ACCESS_EVENTS, Event, EventRecord
from forum_server.i18n import N_
from forum_server.live import posts, protocol
from forum_server.live.access import load_access, may_receive, public_event
from forum_server.live.config import LiveConfig
from forum_server.live.connection import Connection, Subscription
from forum_server.live.feed import Feed
from forum_server.live.presence import Presence, Present
from forum_server.live.retention import event_id_range, needs_resync
from forum_server.policy import Actor, SessionAccess

K = TypeVar("K")


class Hub:
    def __init__(self, db: Database, broker: Broker, config: LiveConfig | None = None) -> None:
        self.db = db
        self.broker = broker
        self.config = config or LiveConfig()
        self._feed = Feed(db, broker, self.config, self._dispatch, self._current)
        self._lock = self._feed.lock
        self._connections: set[Connection] = set()
        # Open connections per account and per network, for the per-client caps.
        self._per_account: Counter[int] = Counter()
        self._per_network: Counter[str] = Counter()
        # Per session, its subscriptions and their connections' `offer`.
        self._by_session: dict[int, dict[Subscription, Callable[[str], bool]]] = {}
        # Per session, those whose cursor is ahead of what the hub dispatched.
        self._ahead: dict[int, dict[Subscription, None]] = {}
        # Event id → (the payload it was built from, the frame).
        self._frames: OrderedDict[int, tuple[dict[str, Any], str]] = OrderedDict()
        # Per space, the id of the last event that changed access to it.
        self._access_changed: dict[int, int] = {}
        # (actor, session) → (feed position before the lookup, when, the lookup).
        self._shared: dict[
            tuple[Actor, int], tuple[int, float, asyncio.Task[SessionAccess | None]]
        ] = {}
        # Told of every event first, whichever process wrote it (e.g. to forget the
        # sign-ins it ended).
        self.listeners: list[Callable[[Event], None]] = []
        self._stopping = False
        self._drained = asyncio.Event()
        self.presence = Presence(broker, self.config, self._send_presence)

    @property
    def position(self) -> int:
        """Every event up to this id has been dispatched."""
        return self._feed.position

    @property
    def connections(self) -> frozenset[Connection]:
        return frozenset(self._connections)

    # --- life cycle ---------------------------------------------------------------

    async def start(self) -> None:
        await self._feed.start()
        await self.presence.start()

    async def catch_up(self) -> None:
        """Dispatch what was committed since the last look (the feed does it by itself)."""
        await self._feed.catch_up()

    async def stop(self) -> None:
        """Stop following events and tell every client to reconnect (1012)."""
        self._stopping = True
        await self._feed.stop()
        await self.presence.stop()
        for connection in list(self._connections):
            connection.close(protocol.CLOSE_RESTART, "service restart")
        if self._connections:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._drained.wait(), self.config.close_timeout)

    def attach(self, connection: Connection, *, per_account: int = 0, per_network: int = 0) -> None:
        """Take the connection on, unless the server is stopping (1012) or its account
        or network already holds `per_account` / `per_network` connections here (4429;
        0: no cap)."""
        if self._stopping:
            connection.close(protocol.CLOSE_RESTART, "service restart")
            return
        user_id = connection.actor.user_id
        if (user_id is not None and 0 < per_account <= self._per_account[user_id]) or (
            0 < per_network <= self._per_network[connection.network]
        ):
            connection.close(protocol.CLOSE_TOO_MANY, "too many connections")
            return
        self._connections.add(connection)
        if user_id is not None:
            self._per_account[user_id] += 1
        self._per_network[connection.network] += 1

    def detach(self, connection: Connection) -> None:
        """Forget the connection and all it follows (idempotent)."""
        for subscription in list(connection.subscriptions.values()):
            self._remove(subscription)
        if connection in self._connections:
            self._connections.discard(connection)
            # Counted under the account it was attached with (re-checks keep the user).
            if connection.actor.user_id is not None:
                _release(self._per_account, connection.actor.user_id)
            _release(self._per_network, connection.network)
        if self._stopping and not self._connections:
            self._drained.set()

    # --- subscriptions ------------------------------------------------------------

    async def subscribe(
        self, connection: Connection, session_id: int, after: int | None, presence: bool = False
    ) -> None:
        """Start following a session, replaying what came after `after` first; with
        `presence`, count the connection as present and send it who else is.

        Answers on the connection: `subscribed` (preceded by `resync_required` when
        the replay cannot be given exactly), or an error.
        """
        if session_id in connection.subscriptions:
            connection.offer_error(
                "already_subscribed", N_("Already subscribed."), session_id=session_id
            )
            return
        if len(connection.subscriptions) >= self.config.max_subscriptions:
            connection.offer_error(
                "too_many_subscriptions",
                N_("At most %(limit)s subscriptions per connection."),
                session_id=session_id,
                params={"limit": self.config.max_subscriptions},
            )
            return
        access, loaded_at = await self._shared_access(connection.actor, session_id)
        if access is None:
            connection.offer_error(*protocol.NOT_FOUND, session_id=session_id)
            return
        # The bulk of the replay is read without the lock; only the tail that the
        # hub dispatched meanwhile is read under it.
        limit = min(self.config.replay_limit, connection.free_slots - 2)
        replay: list[Event] = []
        resync = False
        if after is not None:
            oldest, newest = await event_id_range(self.db)
            resync = limit < 0 or needs_resync(after, oldest, newest)
            if not resync:
                replay, complete = await self._read_session(session_id, after, loaded_at, limit)
                resync = not complete
        async with self._lock:
            if connection.closed or connection not in self._connections:
                return
            if self._access_changed.get(access.space.space_id, 0) > loaded_at:
                # Access to the space changed after we looked: look again.
                fresh = await load_access(self.db, connection.actor, session_id)
                if fresh is None:
                    connection.offer_error(*protocol.NOT_FOUND, session_id=session_id)
                    return
                access = fresh
            if after is not None and not resync:
                start = max(after, loaded_at)
                tail, complete = await self._read_session(
                    session_id, start, self.position, limit - len(replay)
                )
                replay += tail
                resync = not complete
            self._open(connection, session_id, access, after, replay, resync, presence)

    def _open(
        self,
        connection: Connection,
        session_id: int,
        access: SessionAccess,
        after: int | None,
        replay: list[Event],
        resync: bool,
        presence: bool = False,
    ) -> None:
        """Answer and register a subscription; runs under the lock, without awaiting."""
        if after is None or resync:
            cursor, replay = self.position, []
        else:
            cursor = max(after, self.position)
        if resync:
            connection.offer(protocol.resync_frame(session_id))
        connection.offer(protocol.subscribed_frame(session_id, cursor))
        for event in replay:
            if may_receive(access, event):
                connection.offer(self._frame_of(event, keep=False))
        if connection.closed:  # the replay did not fit: it will resume from a new connection
            return
        subscription = Subscription(connection, session_id, access, cursor)
        connection.subscriptions[session_id] = subscription
        self._by_session.setdefault(session_id, {})[subscription] = connection.offer
        if cursor > self.position:
            self._ahead.setdefault(session_id, {})[subscription] = None
        if presence:
            subscription.present = connection.actor
            self.presence.join(session_id, connection.actor)
            connection.offer(protocol.presence_frame(self.presence.now(session_id), session_id))

    def unsubscribe(self, connection: Connection, session_id: int) -> None:
        subscription = connection.subscriptions.get(session_id)
        if subscription is not None:
            self._remove(subscription)
        connection.offer(protocol.unsubscribed_frame(session_id))

    def _remove(self, subscription: Subscription) -> None:
        connection, session_id = subscription.connection, subscription.session_id
        if connection.subscriptions.get(session_id) is subscription:
            del connection.subscriptions[session_id]
        if subscription.present is not None:
            self.presence.leave(session_id, subscription.present)
            subscription.present = None
        for index in (self._by_session, self._ahead):
            followers = index.get(session_id)
            if followers is not None:
                followers.pop(subscription, None)
                if not followers:
                    del index[session_id]

    async def refresh(self, connection: Connection) -> None:
        """Look up the connection's access to each session again (the TTL backstop).

        Read without the lock, applied under it, and only where no access event
        for the space was dispatched since: that one was applied inline and is newer.
        """
        fresh = [
            (subscription, *await self._shared_access(connection.actor, subscription.session_id))
            for subscription in list(connection.subscriptions.values())
        ]
        async with self._lock:
            for subscription, access, mark in fresh:
                if self._access_changed.get(subscription.space_id, 0) <= mark:
                    self._apply(subscription, access)

    async def _shared_access(
        self, actor: Actor, session_id: int
    ) -> tuple[SessionAccess | None, int]:
        """The actor's access to the session, and a position it is at least as fresh as.

        One lookup serves every caller with the same actor and session for
        `access_share` seconds (or until an access event empties the cache).
        """
        key = (actor, session_id)
        now = time.monotonic()
        entry = self._shared.get(key)
        if entry is None or now - entry[1] >= self._share_for or entry[2].cancelled():
            if len(self._shared) > 10_000:
                self._shared = {
                    k: e for k, e in self._shared.items() if now - e[1] < self._share_for
                }
            lookup = asyncio.create_task(load_access(self.db, actor, session_id))
            entry = (self.position, now, lookup)
            self._shared[key] = entry
        mark, _, lookup = entry
        try:
            # Shielded: one caller going away does not cancel the others' answer.
            return await asyncio.shield(lookup), mark
        except Exception:
            if self._shared.get(key) is entry:
                del self._shared[key]  # the database busy…: the next caller tries again
            raise

    @property
    def _share_for(self) -> float:
        return min(self.config.access_share, self.config.access_ttl / 2)

    def _apply(self, subscription: Subscription, access: SessionAccess | None) -> None:
        connection = subscription.connection
        if connection.subscriptions.get(subscription.session_id) is not subscription:
            return  # unsubscribed meanwhile
        if access is None:
            self._remove(subscription)
            connection.offer_error(*protocol.NOT_FOUND, session_id=subscription.session_id)
        else:
            subscription.access = access

    async def _read_session(
        self, session_id: int, after: int, upto: int, limit: int
    ) -> tuple[list[Event], bool]:
        """The session's events in (after, upto], at most `limit`; and whether that was all."""
        if upto <= after:
            return [], True
        if limit < 0:
            return [], False
        query = (
            select(EventRecord)
            .where(
                EventRecord.session_id == session_id,
                EventRecord.id > after,
                EventRecord.id <= upto,
            )
            .order_by(EventRecord.id)
            .limit(limit + 1)
        )
        async with self.db.read() as session:
            events = [Event.from_record(row) for row in (await session.scalars(query)).all()]
        complete = len(events) <= limit
        sendable = await self._current(events[:limit])
        return [event for event in sendable if event is not None], complete

    async def _current(self, events: list[Event]) -> list[Event | None]:
        return await posts.current(self.db, events)

    def close_connections_of_ended_user(self, event: Event) -> None:
        """A deactivated or site-wide suspended user's sockets, or those of one whose
        sign-in the secretariat reset, close at once (4401), in every process: each hub
        sees the event in the log. Their sign-ins and tokens ended in the same
        transaction, so a reconnection is refused. After a sign-out (one sign-in or
        token ended) their connections re-check their own credential at once."""
        site_wide = event.type == "user.suspended" and event.space_id is None
        ended = event.type in ("user.deactivated", "user.sign_in_reset") or site_wide
        user_id = event.data.get("user_id")
        if event.type == "user.signed_out" and isinstance(user_id, int):
            # One of their sign-ins or tokens ended, not necessarily this one: each of
            # their connections re-checks its own credential now.
            for connection in self._connections:
                if connection.actor.user_id == user_id and connection.credential is not None:
                    connection.request_recheck()
            return
        if not ended or not isinstance(user_id, int):
            return
        for connection in list(self._connections):
            if connection.actor.user_id == user_id:
                connection.close(protocol.CLOSE_SIGNED_OUT, "signed out")

    async def _dispatch(self, event: Event) -> None:
        for listener in self.listeners:
            listener(event)
        self.close_connections_of_ended_user(event)
        if event.type in ACCESS_EVENTS and event.space_id is not None:
            await self._reload_space(event)
        if event.session_id is None:
            return
        followers = self._by_session.get(event.session_id)
        if not followers:
            return
        frame = self._frame_of(event, keep=True)
        event_id = event.id
        too_slow: list[Connection] = []
        # Most events go to all who see the session; only posts that are not public
        # depend on who is looking, and then once per distinct access, not per socket.
        public = public_event(event)
        behind = self._catch_up_cursors(event.session_id, event_id)
        if public and behind is None:
            for subscription, offer in followers.items():
                if not offer(frame):
                    too_slow.append(subscription.connection)
        else:
            verdicts: dict[int, bool] = {}
            for subscription, offer in followers.items():
                if behind is not None and subscription in behind:
                    continue  # replayed already
                if not public:
                    access = subscription.access
                    verdict = verdicts.get(id(access))
                    if verdict is None:
                        verdict = verdicts[id(access)] = may_receive(access, event)
                    if not verdict:
                        continue
                if not offer(frame):
                    too_slow.append(subscription.connection)
        for connection in too_slow:
            self.detach(connection)  # too slow: the endpoint closes it

    def _catch_up_cursors(self, session_id: int, event_id: int) -> set[Subscription] | None:
        """Of the session's subscriptions ahead of the hub, those that were replayed the
        event already; the others' cursors move to it, and they join the rest."""
        ahead = self._ahead.get(session_id)
        if not ahead:
            return None
        replayed = set()
        for subscription in list(ahead):
            if event_id <= subscription.cursor:
                replayed.add(subscription)
            else:
                subscription.cursor = event_id
                del ahead[subscription]
        if not ahead:
            del self._ahead[session_id]
        return replayed or None

    def _send_presence(self, session_id: int, present: Present) -> None:
        """Who is here now, to the session's subscribers that asked (serialized once)."""
        frame = protocol.presence_frame(present, session_id)
        for subscription in self._by_session.get(session_id, ()):
            if subscription.present is not None:
                subscription.connection.offer(frame)

    async def _reload_space(self, event: Event) -> None:
        """Look up again the access of those the event concerns, before anything later."""
        assert event.space_id is not None
        space_id = event.space_id
        self._access_changed[space_id] = event.id
        self._shared.clear()  # answers looked up before this event may be stale
        user_id = event.data.get("user_id")
        concerned = [
            subscription
            for followers in self._by_session.values()
            for subscription in followers
            if subscription.space_id == space_id
            and (not isinstance(user_id, int) or subscription.connection.actor.user_id == user_id)
        ]
        # Looked up once per actor and session, however many sockets they have open.
        fresh: dict[tuple[Actor, int], SessionAccess | None] = {}
        for subscription in concerned:
            key = (subscription.connection.actor, subscription.session_id)
            if key not in fresh:
                fresh[key] = await load_access(self.db, *key)
            self._apply(subscription, fresh[key])

    def _frame_of(self, event: Event, *, keep: bool) -> str:
        """The event's wire form, serialized once and shared by every connection (a
        replay reuses it only while the post it carries has not changed since)."""
        cached = self._frames.get(event.id)
        if cached is not None and cached[0] == event.data:
            return cached[1]
        frame = event.frame
        if keep:
            self._frames[event.id] = (event.data, frame)
            if len(self._frames) > self.config.frame_cache:
                self._frames.popitem(last=False)
        return frame


def _release(counter: Counter[K], key: K) -> None:
    counter[key] -= 1
    if counter[key] <= 0:
        del counter[key]
