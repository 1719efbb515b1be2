"""Helpers tests share: settings, clients, signing in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette

from forum_server.accounts.queries import UserView
from forum_server.settings import Settings, load_settings
from tests.openapi_check import check_response

BASE_URL = "http://testserver"
PASSWORD = "correct horse battery"


def make_settings(tmp_path: Path, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "database_url": database_url,
        "base_url": BASE_URL,
        "registration": "open",
        "secret_key": "test-secret-key-of-at-least-32-characters",
    }
    values.update(overrides)
    return load_settings(environ={}, **values)


def client_for(app: Starlette) -> httpx.AsyncClient:
    """A client of the app whose every API answer is checked against the OpenAPI document."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(
        transport=transport, base_url=BASE_URL, event_hooks={"response": [check_response]}
    )


async def token_for(client: httpx.AsyncClient, user: UserView, password: str = PASSWORD) -> str:
    response = await client.post("/api/v1/tokens", json={"email": user.email, "password": password})
    assert response.status_code == 201, response.text
    token: str = response.json()["token"]
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def csrf_from(client: httpx.AsyncClient, path: str = "/login") -> str:
    """Visit a page the way a browser does and read its form's CSRF token."""
    page = await client.get(path)
    marker = 'name="csrf-token" content="'
    start = page.text.index(marker) + len(marker)
    return page.text[start : page.text.index('"', start)]


async def sign_in(client: httpx.AsyncClient, user: UserView, password: str = PASSWORD) -> None:
    token = await csrf_from(client)
    response = await client.post(
        "/login", data={"email": user.email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 303, response.text
