"""Fixtures the forum's page tests share."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from starlette.applications import Starlette

from forum_server.accounts.queries import UserView
from tests.helpers import client_for, sign_in


@pytest.fixture
def browser(app: Starlette):
    """A separate browser, signed in as `user` (or anonymous)."""

    @asynccontextmanager
    async def open_browser(user: UserView | None = None) -> AsyncIterator[httpx.AsyncClient]:
        async with client_for(app) as http:
            if user is not None:
                await sign_in(http, user)
            yield http

    return open_browser
