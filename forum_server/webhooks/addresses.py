"""Where a webhook may send: public HTTPS addresses only, unless the site allows
private ones (FORUM_WEBHOOKS_ALLOW_PRIVATE). Checked when an endpoint is registered
and again before every delivery, on the addresses the name resolves to then — a
name that pointed outside at registration may point inside later."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import urlsplit

from forum_server.errors import Invalid
from forum_server.i18n import N_

# Resolves a host name (and port) to IP addresses; tests pass their own.
Resolver = Callable[[str, int], Awaitable[list[str]]]
MAX_URL = 2000


async def resolve(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    found = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in found})


def _is_public(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _refuse(message: str) -> Invalid:
    return Invalid(message, field="url")


def check_url_form(url: str, *, allow_private: bool) -> tuple[str, int]:
    """The URL's host and port, if its form may be an endpoint: https (or http where
    private addresses are allowed), a host, no user name or password in it."""
    if len(url) > MAX_URL:
        raise _refuse(N_("The address is too long."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _refuse(N_("This is not a web address.")) from None
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes:
        raise _refuse(N_("A webhook address must start with https://."))
    if not parts.hostname:
        raise _refuse(N_("This is not a web address."))
    if parts.username is not None or parts.password is not None:
        raise _refuse(N_("A webhook address must not carry a user name or password."))
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


async def check_destination(
    url: str,
    *,
    allow_private: bool,
    own_hosts: Iterable[str],
    resolver: Resolver = resolve,
) -> None:
    """Raises Invalid (field `url`) unless a delivery may go to `url` now: not this
    server itself, and — unless private addresses are allowed — every address the
    name resolves to is public (no loopback, private, link-local, shared or reserved
    range; IPv4 inside IPv6 included)."""
    host, port = check_url_form(url, allow_private=allow_private)
    host = host.lower().rstrip(".")
    if host in {h.lower() for h in own_hosts}:
        raise _refuse(N_("A webhook cannot point at this server itself."))
    if allow_private:
        return
    if host == "localhost" or host.endswith(".localhost"):
        raise _refuse(N_("A webhook cannot point at a private or local address."))
    try:
        addresses = await resolver(host, port)
    except OSError:
        raise _refuse(N_("The address's host name could not be resolved.")) from None
    if not addresses:
        raise _refuse(N_("The address's host name could not be resolved."))
    if not all(_is_public(address) for address in addresses):
        raise _refuse(N_("A webhook cannot point at a private or local address."))
