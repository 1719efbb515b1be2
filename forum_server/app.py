"""The application factory: routes, middleware, error mapping and the lifespan that
owns the database and the other shared resources. Nothing is built at import."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from forum_server.accounts import api as account_api
from forum_server.accounts import (
    email_confirmation_pages,
    oidc_pages,
    password_reset_pages,
    people_pages,
    users_pages,
)
from forum_server.accounts import pages as account_pages
from forum_server.accounts.identities import Identities
from forum_server.board import api as board_api
from forum_server.board import pages as board_pages
from forum_server.calls import api as calls_api
from forum_server.calls import pages as calls_pages
from forum_server.calls.reminders import run_call_reminders
from forum_server.consent import api as consent_api
from forum_server.consent import pages as consent_pages
from forum_server.decide import api as decide_api
from forum_server.decide import pages as decide_pages
from forum_server.decide.closing import run_poll_closing
from forum_server.errors import DomainError
from forum_server.feeds import api as feeds_api
from forum_server.feeds import pages as feeds_pages
from forum_server.files import api as files_api
from forum_server.files import pages as files_pages
from forum_server.files.retention import run_file_retention
from forum_server.focal import api as focal_api
from forum_server.focal import pages as focal_pages
from forum_server.focal.sending import run_reminders
from forum_server.live import Hub, LiveConfig
from forum_server.live import endpoint as live_endpoint
from forum_server.live import stream as live_stream
from forum_server.live.retention import run_pruning
from forum_server.mail import api as mail_api
from forum_server.mail import pages as mail_pages
from forum_server.mail.digest import run_digests
from forum_server.mail.notifications import run_notifications
from forum_server.mail.sender import run_sender
from forum_server.moderation import api as moderation_api
from forum_server.moderation import confirm_pages, suspension_pages, transparency_pages
from forum_server.moderation import pages as moderation_pages
from forum_server.notifications import api as notifications_api
from forum_server.notifications import pages as notifications_pages
from forum_server.participation import api as participation_api
from forum_server.participation import pages as participation_pages
from forum_server.reports import api as reports_api
from forum_server.reports import operation_pages
from forum_server.rooms import api as rooms_api
from forum_server.rooms import conference_api, members_api, members_pages, mentions_api
from forum_server.rooms import pages as rooms_pages
from forum_server.rooms.scheduler import run_scheduler
from forum_server.search import api as search_api
from forum_server.search import pages as search_pages
from forum_server.settings import Settings
from forum_server.synthesis import api as synthesis_api
from forum_server.synthesis import pages as synthesis_pages
from forum_server.web import errors as web_errors
from forum_server.web import language_pages
from forum_server.web import pages as site_pages
from forum_server.web.api import ApiRouter
from forum_server.web.auth import SESSION_COOKIE
from forum_server.web.context import AppContext
from forum_server.web.csrf import CsrfMiddleware
from forum_server.web.front import FrontMiddleware
from forum_server.web.middleware import (
    BodyLimitMiddleware,
    CompressionMiddleware,
    StaticCacheMiddleware,
)
from forum_server.web.openapi import build_openapi
from forum_server.web.revalidation import RevalidationCache
from forum_server.web.route_index import IndexedRouter
from forum_server.web.shapes import Download
from forum_server.web.templates import STATIC_DIR, Templates
from forum_server.webhooks import api as webhooks_api
from forum_server.webhooks import pages as webhooks_pages
from forum_server.webhooks.delivery import run_webhooks, sender_for
from forum_server.wiring import open_database

log = logging.getLogger(__name__)

API_ROUTERS: tuple[ApiRouter, ...] = (
    account_api.api,
    rooms_api.api,
    conference_api.api,
    members_api.api,
    moderation_api.api,
    reports_api.api,
    mail_api.api,
    files_api.api,
    search_api.api,
    decide_api.api,
    notifications_api.api,
    mentions_api.api,
    feeds_api.api,
    webhooks_api.api,
    synthesis_api.api,
    transparency_pages.api,
    operation_pages.api,
    board_api.api,
    participation_api.api,
    focal_api.api,
    consent_api.api,
    calls_api.api,
)


def package_version() -> str:
    try:
        return version("forum-server")
    except PackageNotFoundError:
        return "0.0.0"


meta_api = ApiRouter()


@meta_api.route(
    "GET",
    "/openapi.json",
    summary="This API described in OpenAPI 3.1",
    auth="none",
    response=Download(("application/json",)),  # the document itself
)
async def openapi(request: Request) -> Response:
    operations = [op for router in (*API_ROUTERS, meta_api) for op in router.operations]
    return JSONResponse(build_openapi(operations, version=package_version()))


def all_api_routers() -> tuple[ApiRouter, ...]:
    return (*API_ROUTERS, meta_api)


SHUTDOWN_SECONDS = 10


async def stop_background(tasks: list[asyncio.Task[None]]) -> None:
    """Wait for the background tasks to finish what they are doing; one that has not
    stopped within SHUTDOWN_SECONDS is named in the log and cancelled, so a stuck task
    never keeps the server from stopping."""
    if not tasks:  # a worker that leaves the periodic jobs to another
        return
    _, pending = await asyncio.wait(tasks, timeout=SHUTDOWN_SECONDS)
    for task in pending:
        log.warning("background task %s did not stop in time; cancelling it", task.get_name())
        task.cancel()
    for outcome in await asyncio.gather(*tasks, return_exceptions=True):
        if isinstance(outcome, Exception):
            log.error("a background task failed while stopping", exc_info=outcome)


def create_app(
    settings: Settings,
    *,
    broker_prefix: str = "forum",
    live: LiveConfig | None = None,
    periodic: bool = True,
) -> Starlette:
    """The app; `periodic=False` leaves the background jobs to another process of the
    same server (`serve --workers`), which runs them for all."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        db, broker = await open_database(settings, broker_prefix=broker_prefix)
        identities = Identities(db, seconds=settings.identity_cache_seconds)
        db.after_commit.append(identities.after_commit)  # this process's changes, at once
        app.state.ctx = AppContext(
            settings=settings, db=db, templates=Templates(settings), identities=identities
        )
        app.state.hub = hub = Hub(db, broker, live)
        hub.listeners.append(identities.on_event)  # every other process's, as they arrive
        await hub.start()
        stop = asyncio.Event()
        webhook_sender = sender_for(settings)
        background = (
            []
            if not periodic
            else [
                asyncio.create_task(run_scheduler(db, stop), name="session-scheduler"),
                asyncio.create_task(run_poll_closing(db, stop), name="poll-closing"),
                asyncio.create_task(
                    run_pruning(db, stop, keep_days=settings.event_retention_days),
                    name="event-pruning",
                ),
                asyncio.create_task(run_notifications(db, stop), name="mail-fan-out"),
                asyncio.create_task(run_sender(db, settings, stop), name="mail-sender"),
                asyncio.create_task(run_digests(db, settings, stop), name="mail-digests"),
                asyncio.create_task(run_file_retention(db, settings, stop), name="file-retention"),
                asyncio.create_task(run_webhooks(db, webhook_sender, stop), name="webhooks"),
                asyncio.create_task(run_reminders(db, stop), name="focal-reminders"),
                asyncio.create_task(run_call_reminders(db, stop), name="call-reminders"),
            ]
        )
        try:
            yield
        finally:
            await hub.stop()  # tells connected sockets to reconnect (1012)
            stop.set()
            await stop_background(background)
            await webhook_sender.client.aclose()
            await broker.disconnect()
            await db.dispose()

    routes: list[BaseRoute] = [
        *site_pages.routes,
        *account_pages.routes,
        *users_pages.routes,
        *email_confirmation_pages.routes,
        *password_reset_pages.routes,
        *oidc_pages.routes,
        *members_pages.routes,
        *rooms_pages.routes,
        *confirm_pages.routes,
        *moderation_pages.routes,
        *suspension_pages.routes,
        *mail_pages.routes,
        *notifications_pages.routes,
        *people_pages.routes,
        *files_pages.routes,
        *board_pages.routes,
        *participation_pages.routes,
        *consent_pages.routes,
        *calls_pages.routes,
        *search_pages.routes,
        *decide_pages.routes,
        *feeds_pages.routes,
        *webhooks_pages.routes,
        *focal_pages.routes,
        *synthesis_pages.routes,
        *transparency_pages.routes,
        *operation_pages.routes,
        *language_pages.routes,
        *(route for router in all_api_routers() for route in router.routes()),
        *live_endpoint.routes,
        *live_stream.routes,
        Mount(
            "/static",
            StaticCacheMiddleware(StaticFiles(directory=STATIC_DIR, check_dir=False)),
            name="static",
        ),
    ]
    middleware = [
        Middleware(FrontMiddleware, settings=settings, session_cookie=SESSION_COOKIE),
        Middleware(RevalidationCache),
        Middleware(CompressionMiddleware, minimum_size=600),
        Middleware(
            BodyLimitMiddleware,
            max_bytes=settings.max_body_bytes,
            upload_bytes=settings.max_upload_bytes,
        ),
        Middleware(CsrfMiddleware, settings=settings),
    ]
    application = Starlette(
        middleware=middleware,
        exception_handlers={
            DomainError: web_errors.on_domain_error,
            ValidationError: web_errors.on_validation_error,
            HTTPException: web_errors.on_http_exception,
            Exception: web_errors.on_unexpected,
        },
    )
    application.router = IndexedRouter(routes, lifespan=lifespan)
    return application
