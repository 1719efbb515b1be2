"""JSON API for mail: what the caller watches, watching and unwatching, and the
messages the relay refused (for the secretariat)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from forum_server.mail import outbox, watching
from forum_server.mail.outbox import FailedMessage
from forum_server.mail.watching import WatchCreate, WatchTarget, WatchView
from forum_server.schemas import validate
from forum_server.web.api import ApiRouter, json_response, parse_body
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.shapes import ListOf

api = ApiRouter()

_KINDS = {"sessions": "session_id", "threads": "thread_id"}


@api.route(
    "GET",
    "/me/watches",
    summary="What the signed-in user follows by e-mail",
    response=ListOf(WatchView),
)
async def list_watches(request: Request) -> Response:
    views = await watching.my_watches(app_context(request).db, await actor_of(request))
    return json_response({"items": [view.as_json() for view in views], "next": None})


@api.route(
    "POST",
    "/me/watches",
    summary="Follow a session or thread by e-mail: every post, a daily digest, or nothing",
    body=WatchCreate,
    response=WatchView,
)
async def watch(request: Request) -> Response:
    actor = await actor_of(request)
    data = await parse_body(request, WatchCreate)
    view = await watching.watch(app_context(request).db, actor, data)
    return json_response(view.as_json())


@api.route(
    "DELETE",
    "/me/watches/{kind}/{target_id:int}",
    summary="Stop e-mail about a session or thread (kind: sessions or threads)",
    response=WatchView,
)
async def unwatch(request: Request) -> Response:
    actor = await actor_of(request)
    field = _KINDS.get(request.path_params["kind"], "kind")
    data = validate(WatchTarget, {field: request.path_params["target_id"]})
    view = await watching.unwatch(app_context(request).db, actor, data)
    return json_response(view.as_json())


@api.route(
    "GET",
    "/mail/failures",
    summary="Messages the mail relay refused for good (secretariat)",
    response=ListOf(FailedMessage),
)
async def failures(request: Request) -> Response:
    found = await outbox.mail_failures(app_context(request).db, await actor_of(request))
    return json_response({"items": [failure.as_json() for failure in found], "next": None})
