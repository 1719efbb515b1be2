"""What the browser tests and `screenshots.py` share: Chromium's launch options, a real
uvicorn serving the app on a free loopback port, and a small forum to look at.

Everything here runs in one event loop with the server, so tests may also reach the
database directly (seeding through the ordinary services, never around them)."""

from __future__ import annotations

import asyncio
import itertools
import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import uvicorn
from starlette.applications import Starlette

from forum_server.accounts import service as accounts
from forum_server.accounts.admin import COMMAND_LINE
from forum_server.accounts.schemas import UserCreate
from forum_server.app import create_app
from forum_server.db import Database
from forum_server.demo import DEMO_PASSWORD, DemoSummary, load_demo
from forum_server.i18n import gettext, using_language
from forum_server.orm import utcnow
from forum_server.settings import Settings, load_settings
from forum_server.web.server import uvicorn_config

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

E2E_DIR = Path(__file__).resolve().parent
ROOT = E2E_DIR.parents[1]
CHROMIUM = Path(os.environ.get("FORUM_TEST_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = E2E_DIR / "node_modules" / "axe-core" / "axe.min.js"
# Without the networking flags Chromium keeps calling home, which floods a closed network.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
PASSWORD = "e2e passphrase, long enough"


def browser_missing() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing (pip install -e '.[test]')"
    return None


def api_paths() -> set[str]:
    """The JSON API's routes as the app would mount them (nothing is started)."""
    from forum_server.app import all_api_routers

    return {getattr(route, "path", "") for router in all_api_routers() for route in router.routes()}


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@dataclass
class Server:
    app: Starlette
    settings: Settings
    base_url: str

    @property
    def db(self) -> Database:
        database: Database = self.app.state.ctx.db
        return database


@asynccontextmanager
async def serve(data_dir: Path, database_url: str) -> AsyncIterator[Server]:
    """The app with its lifespan running, served by uvicorn on 127.0.0.1:<free port>.
    `base_url` is that address, so the Origin and CSRF checks see a same-site browser."""
    sock = free_socket()
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = load_settings(
        environ={},
        data_dir=data_dir,
        database_url=database_url,
        base_url=base_url,
        registration="open",
        secret_key="e2e-secret-key-of-at-least-32-characters",
        log_level="warning",
    )
    app = create_app(settings)
    config = uvicorn_config(app, host="127.0.0.1", log_config=None, lifespan="off")
    server = uvicorn.Server(config)
    async with app.router.lifespan_context(app):
        task = asyncio.create_task(server.serve(sockets=[sock]))
        try:
            async with asyncio.timeout(10):
                while not server.started:
                    if task.done():
                        task.result()
                        raise RuntimeError("uvicorn stopped before it started")
                    await asyncio.sleep(0.01)
            yield Server(app, settings, base_url)
        finally:
            server.should_exit = True
            await asyncio.wait_for(task, 15)
            sock.close()


@dataclass(frozen=True)
class Person:
    id: int
    email: str
    display_name: str
    token: str
    password: str = PASSWORD

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Forum:
    """A served forum with people in it, and the API calls the tests seed it with."""

    server: Server
    http: httpx.AsyncClient
    demo: DemoSummary
    secretariat: Person = field(init=False)
    moderator: Person = field(init=False)
    _counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def unique(self, prefix: str) -> str:
        return f"{prefix}-{next(self._counter)}"

    async def person(self, display_name: str | None = None, **fields: Any) -> Person:
        """A new account (created through the accounts service), with an API token."""
        email = f"{self.unique('person')}@example.org"
        data = {
            "email": email,
            "password": PASSWORD,
            "display_name": display_name or email.split("@")[0].replace("-", " ").title(),
            "country": "KE",
            **fields,
        }
        user = await accounts.create_user(
            self.server.db, COMMAND_LINE, UserCreate.model_validate(data), registration_open=False
        )
        response = await self.http.post(
            "/api/v1/tokens", json={"email": email, "password": PASSWORD}
        )
        assert response.status_code == 201, response.text
        return Person(user.id, email, user.display_name, response.json()["token"])

    async def call(self, who: Person, method: str, path: str, **kwargs: Any) -> Any:
        response = await self.http.request(method, path, headers=who.bearer, **kwargs)
        assert response.status_code < 300, f"{method} {path}: {response.text}"
        return response.json() if response.content else None

    async def space(self, visibility: str = "public", **fields: Any) -> str:
        slug = self.unique(fields.pop("slug", "forum"))
        body = {"slug": slug, "title": slug.replace("-", " ").title(), "visibility": visibility}
        await self.call(self.secretariat, "POST", "/api/v1/spaces", json={**body, **fields})
        return slug

    async def session(self, slug: str, *, state: str = "open", **fields: Any) -> dict[str, Any]:
        """A session created through the API: `open` (for a day), or `draft`."""
        body: dict[str, Any] = {
            "title": "Strategic approaches to capacity-building",
            "questions": ["What has worked well, and why?", "What should change?"],
            "moderator_ids": [self.moderator.id],
        }
        if state == "open":
            now = utcnow()
            body["opens_at"] = (now - timedelta(minutes=1)).isoformat()
            body["closes_at"] = (now + timedelta(days=1)).isoformat()
        body.update(fields)
        detail: dict[str, Any] = await self.call(
            self.secretariat, "POST", f"/api/v1/spaces/{slug}/sessions", json=body
        )
        return detail

    async def add_member(self, slug: str, who: Person, role: str = "member") -> None:
        await self.call(
            self.secretariat, "PUT", f"/api/v1/spaces/{slug}/members/{who.id}", json={"role": role}
        )

    async def post(
        self, who: Person, thread_id: int, body: str, parent_id: int | None = None
    ) -> dict[str, Any]:
        data: dict[str, Any] = {"body": body}
        if parent_id is not None:
            data["parent_id"] = parent_id
        post: dict[str, Any] = await self.call(
            who, "POST", f"/api/v1/threads/{thread_id}/posts", json=data
        )
        return post


@asynccontextmanager
async def running_forum(data_dir: Path, database_url: str) -> AsyncIterator[Forum]:
    """A served forum with the demo loaded, a secretariat account and a moderator."""
    async with serve(data_dir, database_url) as server:
        demo = await load_demo(server.db)
        async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
            forum = Forum(server, http, demo)
            forum.secretariat = await forum.person("Secretariat", is_secretariat=True)
            forum.moderator = await forum.person("Moderator", country="BR")
            yield forum


async def demo_person(forum: Forum, email: str) -> Person:
    """One of the demo's people, with a token (their password is the demo's)."""
    response = await forum.http.post(
        "/api/v1/tokens", json={"email": email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 201, response.text
    user = response.json()["user"]
    return Person(user["id"], email, user["display_name"], response.json()["token"], DEMO_PASSWORD)


def tr(language: str, message: str, **params: Any) -> str:
    """What the page says for `message` in `language`: tests find labels and buttons by
    the words a reader of that language sees."""
    with using_language(language):
        return gettext(message, **params)


async def page_language(page: Page) -> str:
    return await page.get_attribute("html", "lang") or "en"


async def sign_in(page: Page, who: Person, next_path: str = "/") -> None:
    """Signs in through the sign-in form, as a person would, in the page's language."""
    await page.goto(f"/login?next={next_path}")
    language = await page_language(page)
    await page.get_by_label(tr(language, "Email address")).fill(who.email)
    await page.get_by_label(tr(language, "Password")).fill(who.password)
    async with page.expect_navigation():
        await page.get_by_role("button", name=tr(language, "Sign in")).click()
    assert "/login" not in page.url, await page.inner_text("main")


async def open_page(
    browser: Browser,
    forum: Forum,
    states: dict[str, Any],
    who: Person | None = None,
    *,
    js: bool = True,
    **options: Any,
) -> Page:
    """A page in a new browser context (its own cookies and cache), signed in as `who`
    when given: through the sign-in form the first time, with the cookies it got after.
    The caller closes `page.context`."""
    options.setdefault("viewport", DESKTOP)
    if who is not None and who.email in states:
        options["storage_state"] = states[who.email]
    context = await browser.new_context(base_url=forum.base_url, java_script_enabled=js, **options)
    context.set_default_timeout(10_000)
    page = await context.new_page()
    if who is not None and who.email not in states:
        await sign_in(page, who)
        states[who.email] = await context.storage_state()
    return page
