"""The hub's limits and timings, in one place, so tests can shorten them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LiveConfig:
    # Frames waiting for one socket; a client that stops reading fills this and is
    # disconnected (it resumes later with `after`) instead of growing our memory.
    queue_size: int = 1000
    heartbeat_interval: float = 25.0
    # Backstop for access and sign-in changes no event announces.
    access_ttl: float = 30.0
    # One lookup of an actor's access to a session serves all their sockets (and every
    # guest's) for this long, at most half of `access_ttl`; access events end it early.
    access_share: float = 5.0
    # The hub re-reads the events table this often even without a broker notice.
    poll_interval: float = 2.0
    # A missing event id (PostgreSQL: a transaction still committing, or an id a
    # rollback burned) holds later events back at most this long.
    gap_timeout: float = 3.0
    batch_size: int = 500
    # More events than this to replay on subscribe: answer resync_required instead.
    replay_limit: int = 500
    # Recently dispatched frames kept so that replays reuse the same string.
    frame_cache: int = 1000
    max_subscriptions: int = 50
    max_frame_bytes: int = 4096
    # Incoming frames per second and burst; refusals beyond `burst` more close the socket.
    rate: float = 20.0
    burst: int = 40
    # How long to wait for a close frame to go out to a client that may not be reading.
    close_timeout: float = 10.0
    # Presence: changes go out at most this often per session (500 people arriving
    # together cost a few frames, not 500), and each process repeats what it holds
    # this often; another process's word is forgotten after `presence_expiry`.
    presence_delay: float = 0.5
    presence_repeat: float = 15.0
    presence_expiry: float = 40.0
