"""How uvicorn serves the app: one configuration for `forum-server serve` and the tests,
with the WebSocket protocol live sockets are fastest and smallest with
(`web/live_socket.py`).
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from forum_server.settings import Settings
from forum_server.web.live_socket import (  # noqa: F401  (re-exported)
    DETACH,
    SEND_NOW,
    LiveWebSocketProtocol,
    text_frame,
)

MAX_INCOMING_FRAME = 64 * 1024


def uvicorn_config(app: ASGIApp, **options: Any) -> uvicorn.Config:
    """The server settings the app is meant to run with; `options` adds or overrides."""
    settings: dict[str, Any] = {
        "ws": LiveWebSocketProtocol,
        "ws_max_size": MAX_INCOMING_FRAME,
        # No permessage-deflate on the live WebSocket: it keeps a compressor per
        # connection and compresses every frame once per viewer, so the one frame of an
        # event shared by 2,000 viewers costs 2,000 compressions. Live frames are small;
        # pages stay gzipped.
        "ws_per_message_deflate": False,
        "ws_ping_interval": 20,
        "ws_ping_timeout": 20,
        "log_level": "warning",
    }
    settings.update(options)
    return uvicorn.Config(app, **settings)


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port (port 0: any free one) for uvicorn to listen on.
    Bound here, before anything else starts, so that a port in use is one clear
    OSError instead of a server that starts up, says it listens, and exits."""
    host = host.strip("[]")
    addresses = socket.getaddrinfo(
        host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )
    # IPv4 first: "localhost" then means 127.0.0.1, what browsers try first as well.
    family, kind, proto, _, address = min(addresses, key=lambda a: a[0] != socket.AF_INET)
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


class AnnouncingServer(uvicorn.Server):
    """uvicorn's server, calling `announce` once it accepts connections."""

    def __init__(self, config: uvicorn.Config, announce: Callable[[], None]) -> None:
        super().__init__(config)
        self.announce = announce

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and not self.should_exit:
            self.announce()


# --- the address served ------------------------------------------------------------

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
_ANY_ADDRESS = {"", "0.0.0.0", "::", "[::]"}
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def served_url(host: str, port: int) -> str:
    """The http:// address of a server listening on host:port."""
    host = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{host}:{port}"


def serving_at(settings: Settings, host: str, port: int) -> tuple[Settings, str | None]:
    """The settings for a server listening on host:port, and a warning to print when
    FORUM_BASE_URL names another address.

    Left empty, FORUM_BASE_URL becomes that address (127.0.0.1 when listening on every
    interface), and a browser may use any loopback name for it: `localhost:8201` and
    `127.0.0.1:8201` are one server to the person who started it, but two origins to
    the browser."""
    listening = served_url(host, port)
    local = host in _LOOPBACK or host in _ANY_ADDRESS
    if not settings.base_url_given:
        base_url = f"http://127.0.0.1:{port}" if host in _ANY_ADDRESS else listening
        loopback = tuple(f"http://{name}:{port}" for name in LOOPBACK_HOSTS) if local else ()
        extra = tuple(o for o in loopback if o != base_url and o not in settings.allowed_origins)
        derived = replace(
            settings, base_url=base_url, allowed_origins=settings.allowed_origins + extra
        )
        return derived, None
    if settings.base_url == listening:
        return settings, None
    return settings, (
        f"FORUM_BASE_URL is {settings.base_url} but the server listens on {listening}: "
        f"browsers can sign in only at {settings.base_url} (and FORUM_ALLOWED_ORIGINS). "
        "That is right behind a reverse proxy; otherwise set FORUM_BASE_URL to the address "
        "people open, or leave it empty to use the one served."
    )
