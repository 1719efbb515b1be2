"""Webhook routes: the secretariat's site-wide endpoints and a space's own, their
delivery logs, and a test event."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from forum_server.web.api import ApiRouter, json_response, parse_body, path_int
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.shapes import ListOf
from forum_server.webhooks import endpoints, queries
from forum_server.webhooks.schemas import WebhookCreate, WebhookUpdate
from forum_server.webhooks.views import DeliveryView, TestQueued, WebhookView

api = ApiRouter()


@api.route(
    "GET",
    "/webhooks",
    summary="Webhooks: a space's (`space=`, its owners) or every one (the secretariat)",
    query=("space",),
    response=ListOf(WebhookView),
)
async def list_webhooks(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.endpoints(db, actor, request.query_params.get("space") or None)
    return json_response({"items": [e.as_json() for e in found], "next": None})


@api.route(
    "POST",
    "/webhooks",
    summary="Register a webhook for a space (its owners) or every public space (the secretariat)",
    body=WebhookCreate,
    status=201,
    response=WebhookView,
)
async def register_webhook(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, WebhookCreate)
    view = await endpoints.register_endpoint(
        ctx.db, actor, data, endpoints.destinations_for(ctx.settings)
    )
    return json_response(view.as_json(), status=201)


@api.route("GET", "/webhooks/{webhook_id:int}", summary="A webhook", response=WebhookView)
async def get_webhook(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        view = await queries.endpoint(db, actor, path_int(request, "webhook_id"))
    return json_response(view.as_json())


@api.route(
    "PATCH",
    "/webhooks/{webhook_id:int}",
    summary="Change a webhook's address, event types or description, or switch it off or on",
    body=WebhookUpdate,
    response=WebhookView,
)
async def change_webhook(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, WebhookUpdate)
    view = await endpoints.change_endpoint(
        ctx.db,
        actor,
        path_int(request, "webhook_id"),
        data,
        endpoints.destinations_for(ctx.settings),
    )
    return json_response(view.as_json())


@api.route("DELETE", "/webhooks/{webhook_id:int}", summary="Remove a webhook", status=204)
async def remove_webhook(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    await endpoints.remove_endpoint(ctx.db, actor, path_int(request, "webhook_id"))
    return Response(status_code=204)


@api.route(
    "GET",
    "/webhooks/{webhook_id:int}/deliveries",
    summary="A webhook's newest deliveries, each with every attempt",
    response=ListOf(DeliveryView),
)
async def webhook_deliveries(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.deliveries(db, actor, path_int(request, "webhook_id"))
    return json_response({"items": [d.as_json() for d in found], "next": None})


@api.route(
    "POST",
    "/webhooks/{webhook_id:int}/test",
    summary="Send a test event (`ping`) to a webhook",
    status=202,
    response=TestQueued,
)
async def test_webhook(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    delivery_id = await endpoints.send_test(ctx.db, actor, path_int(request, "webhook_id"))
    return json_response(TestQueued(delivery_id).as_json(), status=202)
