"""The broker: carries new-event positions between server processes.

`create_broker(settings.broker_url)` picks the backend by URL scheme: `memory://`
for one process (the default), `redis://` or `rediss://` for several.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from forum_server.broker.base import Broker, Notice, notice_for, publish_events
from forum_server.broker.memory import MemoryBroker

__all__ = ["Broker", "MemoryBroker", "Notice", "create_broker", "notice_for", "publish_events"]

SCHEMES = ("memory", "redis", "rediss")


def create_broker(url: str, *, channel_prefix: str = "forum") -> Broker:
    scheme = urlsplit(url).scheme.lower()
    if scheme == "memory":
        return MemoryBroker()
    if scheme in ("redis", "rediss"):
        # Imported here so that a single-process install never loads redis-py.
        from forum_server.broker.redis import RedisBroker

        return RedisBroker(url, channel_prefix=channel_prefix)
    # Name only the scheme: the rest of the URL may hold a password.
    accepted = ", ".join(f"{name}://" for name in SCHEMES)
    raise ValueError(f"unsupported broker URL scheme {scheme!r}; use one of {accepted}")
