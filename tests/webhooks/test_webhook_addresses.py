"""Where a webhook may point, by the address check alone with a stubbed name
resolution: nothing here connects anywhere."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from forum_server.errors import Invalid
from forum_server.webhooks.addresses import check_destination

PUBLIC = "93.184.216.34"


def resolving_to(*addresses: str):  # type: ignore[no-untyped-def]
    async def resolver(host: str, port: int) -> list[str]:
        return list(addresses)

    return resolver


async def refused(url: str, *addresses: str, allow_private: bool = False) -> str:
    with pytest.raises(Invalid) as caught:
        await check_destination(
            url,
            allow_private=allow_private,
            own_hosts=("forum.example.org",),
            resolver=resolving_to(*addresses),
        )
    assert caught.value.field == "url"
    return caught.value.message


async def allowed(url: str, *addresses: str, allow_private: bool = False) -> None:
    await check_destination(
        url,
        allow_private=allow_private,
        own_hosts=("forum.example.org",),
        resolver=resolving_to(*addresses),
    )


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.9.9.9",
        "::1",
        "10.0.0.5",
        "172.16.3.4",
        "192.168.1.1",
        "169.254.169.254",
        "fe80::1",
        "fc00::1",
        "100.64.0.1",
        "0.0.0.0",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "224.0.0.1",
        "240.0.0.1",
    ],
)
async def test_names_resolving_inside_are_refused(address: str) -> None:
    await refused("https://hooks.example.com/in", address)


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://[::1]/hook",
        "https://localhost/hook",
        "https://api.localhost/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://10.1.2.3:8443/hook",
    ],
)
async def test_loopback_and_private_literals_are_refused(url: str) -> None:
    # A resolver that answers with the literal itself, as getaddrinfo does.
    host = urlsplit(url).hostname or ""
    if host.endswith("localhost"):
        await refused(url, PUBLIC)  # refused by name, whatever it resolves to
    else:
        await refused(url, host)


async def test_one_private_address_among_public_ones_is_enough_to_refuse() -> None:
    await refused("https://hooks.example.com/in", PUBLIC, "10.0.0.7")


async def test_public_https_is_allowed() -> None:
    await allowed("https://hooks.example.com/in", PUBLIC, "2606:2800:220:1:248:1893:25c8:1946")


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/in",
        "ftp://hooks.example.com/in",
        "https://user:pass@hooks.example.com/in",
        "https:///nohost",
        "https://hooks.example.com:99999/in",
        "not a url",
        "https://forum.example.org/api/v1/anything",
        "https://" + "a" * 2100 + ".example.com/",
    ],
)
async def test_bad_forms_and_this_server_are_refused(url: str) -> None:
    await refused(url, PUBLIC)


async def test_a_name_that_does_not_resolve_is_refused() -> None:
    async def failing(host: str, port: int) -> list[str]:
        raise OSError("no such name")

    with pytest.raises(Invalid):
        await check_destination(
            "https://nowhere.example.com/", allow_private=False, own_hosts=(), resolver=failing
        )


async def test_the_setting_allows_loopback_and_http() -> None:
    await allowed("http://127.0.0.1:8099/hook", "127.0.0.1", allow_private=True)
    # Never the server itself, even then.
    await refused("http://forum.example.org/hook", "127.0.0.1", allow_private=True)
