"""A real OpenID provider for the sign-in tests, and a browser that walks through it.

`oidc_provider` starts npm's `oidc-provider` (tests/oidc/provider/server.js) under Node
on a free loopback port, once per run. Where Node is missing the tests skip — unless
FORUM_TEST_OIDC_REQUIRED=1 (as .ci/run sets), where they fail instead.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import httpx
import pytest

from tests.helpers import BASE_URL

PROVIDER_DIR = Path(__file__).resolve().parent / "provider"
CLIENT_ID = "forum-tests"
CLIENT_SECRET = "forum-tests-client-secret"
REDIRECT_URIS = (f"{BASE_URL}/auth/oidc/callback", f"{BASE_URL}/auth/oidc/partner/callback")


@dataclass(frozen=True)
class RunningProvider:
    issuer: str
    port: int


def _unavailable(reason: str) -> None:
    if os.environ.get("FORUM_TEST_OIDC_REQUIRED") == "1":
        pytest.fail(f"FORUM_TEST_OIDC_REQUIRED=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _installed() -> bool:
    return (PROVIDER_DIR / "node_modules" / "oidc-provider" / "package.json").exists()


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProvider]:
    node = shutil.which("node")
    if node is None:
        _unavailable("node is not installed: the OpenID provider tests need it")
    assert node is not None
    if not _installed():
        npm = shutil.which("npm")
        if npm is None:
            _unavailable("npm is not installed: cannot install tests/oidc/provider")
        assert npm is not None
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=PROVIDER_DIR,
            check=False,
            timeout=300,
            capture_output=True,
        )
        if not _installed():
            _unavailable("npm ci in tests/oidc/provider failed")
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("oidc-provider") / "provider.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                node,
                "server.js",
                str(port),
                issuer,
                CLIENT_ID,
                CLIENT_SECRET,
                ",".join(REDIRECT_URIS),
            ],
            cwd=PROVIDER_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                pytest.fail(f"the OpenID provider exited:\n{log_path.read_text()}", pytrace=False)
            try:
                if httpx.get(f"{issuer}/.well-known/openid-configuration").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the OpenID provider did not start:\n{log_path.read_text()}")
            time.sleep(0.1)
        yield RunningProvider(issuer=issuer, port=port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Browser:
    """Follows redirects by hand between the app (through its ASGI client) and the
    provider (real HTTP), keeping each site's cookies apart, as a browser does."""

    def __init__(self, app: httpx.AsyncClient, outside: httpx.AsyncClient) -> None:
        self.app = app
        self.outside = outside

    def _client(self, url: str) -> httpx.AsyncClient:
        host = urlsplit(url).netloc
        return self.app if host in ("", urlsplit(BASE_URL).netloc) else self.outside

    async def get(self, url: str) -> httpx.Response:
        return await self._client(url).get(url)

    async def post(self, url: str, data: dict[str, str]) -> httpx.Response:
        return await self._client(url).post(url, data=data)

    async def follow(self, response: httpx.Response, *, until: str | None = None) -> httpx.Response:
        """Follows redirects; stops before fetching a URL that starts with `until`."""
        for _ in range(20):
            if response.status_code not in (301, 302, 303, 307, 308):
                return response
            target = urljoin(str(response.url), response.headers["location"])
            if until and target.startswith(until):
                return response
            response = await self.get(target)
        raise AssertionError("too many redirects")


def form_action(page: httpx.Response) -> str:
    match = re.search(r'<form[^>]*action="([^"]+)"', page.text)
    assert match, page.text
    return urljoin(str(page.url), html.unescape(match.group(1)))


async def authorize(
    browser: Browser, login: str, *, start: str = "/auth/oidc/login", next_path: str | None = None
) -> str:
    """Starts sign-in at the app, signs in at the provider as `login` (which chooses the
    claims: see server.js) and consents; returns the callback URL the provider sent the
    browser to, not yet fetched, so a test can tamper with it or replay it. Like a real
    provider it remembers who signed in: a second sign-in in the same browser skips the
    login form and is the same person."""
    url = start + (f"?{urlencode({'next': next_path})}" if next_path is not None else "")
    started = await browser.get(url)
    assert started.status_code == 303, started.text
    callback = f"{BASE_URL}/auth/oidc/"
    page = await browser.follow(started, until=callback)
    for _ in range(3):  # the login form, then the consent form
        if page.is_redirect:
            break
        assert page.status_code == 200, page.text
        prompt = re.search(r'name="prompt" value="(\w+)"', page.text)
        assert prompt, page.text
        fields = {"prompt": prompt.group(1)}
        if fields["prompt"] == "login":
            fields.update(login=login, password="any password")
        page = await browser.follow(await browser.post(form_action(page), fields), until=callback)
    assert page.is_redirect, page.text
    target = urljoin(str(page.url), page.headers["location"])
    assert target.startswith(callback), target
    return target


async def complete(
    browser: Browser, login: str, *, start: str = "/auth/oidc/login", next_path: str | None = None
) -> httpx.Response:
    """A whole sign-in, up to the app's answer to the callback."""
    return await browser.get(await authorize(browser, login, start=start, next_path=next_path))


@pytest.fixture
async def browser(client: httpx.AsyncClient) -> AsyncIterator[Browser]:
    async with httpx.AsyncClient() as outside:
        yield Browser(client, outside)
