"""Live delivery of events over WebSockets: the hub, its connections, the endpoint."""

from forum_server.live.config import LiveConfig
from forum_server.live.hub import Hub

__all__ = ["Hub", "LiveConfig"]
