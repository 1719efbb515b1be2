"""The resources one running app shares across requests, built in its lifespan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.requests import HTTPConnection

from forum_server.db import Database
from forum_server.settings import Settings

if TYPE_CHECKING:
    from forum_server.accounts.identities import Identities
    from forum_server.web.templates import Templates


@dataclass
class AppContext:
    settings: Settings
    db: Database
    templates: Templates
    identities: Identities


def app_context(conn: HTTPConnection) -> AppContext:
    ctx: AppContext = conn.app.state.ctx
    return ctx
