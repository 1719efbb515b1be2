"""Jinja2 rendering: one environment, autoescaped, with the globals every page uses."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from forum_server import i18n
from forum_server.accounts.countries import country_name
from forum_server.i18n.jinja import install_i18n
from forum_server.i18n.script_strings import script_strings_json
from forum_server.i18n.site import site_name, site_tagline
from forum_server.notifications.header import header_counts
from forum_server.settings import Settings
from forum_server.web.auth import actor_of
from forum_server.web.csrf import csrf_token

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"


@cache
def _static_version(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_url(name: str) -> str:
    """A URL that changes whenever the file does, so browsers may cache it for good."""
    path = STATIC_DIR / name
    try:
        version = _static_version(path, path.stat().st_mtime_ns)
    except FileNotFoundError:
        return f"/static/{name}"
    return f"/static/{name}?v={version}"


def country_label(code: str | None) -> str:
    """A country's name in the reader's language; the code itself if it is unknown."""
    if not code:
        return ""
    try:
        return country_name(code)
    except ValueError:
        return code


class Templates:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.env = Environment(
            loader=PackageLoader("forum_server", "web/templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
            enable_async=False,
            # Templates are part of the release: no file is looked at again on each
            # render (a thread page includes a few templates per post).
            auto_reload=False,
        )
        install_i18n(self.env)
        self.env.filters["country"] = country_label
        self.env.globals.update(
            static_url=static_url,
            site_name=lambda: site_name(settings),
            site_tagline=lambda: site_tagline(settings),
            interface_language=lambda: i18n.language(i18n.current_language.get()),
            languages=list(i18n.LANGUAGES.values()),
            script_strings=lambda: script_strings_json(i18n.current_language.get()),
            registration_open=settings.registration_open,
        )

    def render_string(self, name: str, context: dict[str, Any]) -> str:
        return self.env.get_template(name).render(context)

    async def page(
        self,
        request: Request,
        name: str,
        context: dict[str, Any] | None = None,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> HTMLResponse:
        data = dict(context or {})
        data.setdefault("actor", await actor_of(request))
        if "header_counts" not in data:
            db = request.app.state.ctx.db
            data["header_counts"] = await header_counts(db, data["actor"])
        data.setdefault("csrf_token", csrf_token(request, self.settings.secret_key))
        data.setdefault("request", request)
        return HTMLResponse(self.render_string(name, data), status_code=status, headers=headers)
