"""JSON routes of the focal points register and its notifications: the secretariat's."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from forum_server.focal import queries, register, sending
from forum_server.focal.schemas import FocalImport, FocalPointCreate, Imported, NotificationCreate
from forum_server.focal.views import FocalPointView, NotificationView, RemindersSent
from forum_server.web.api import ApiRouter, json_response, parse_body, path_int
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.downloads import content_disposition
from forum_server.web.shapes import Download, ListOf

api = ApiRouter()


@api.route(
    "GET",
    "/focal-points",
    summary="The register of national focal points (`country=`, `region=` to narrow it)",
    query=("country", "region"),
    response=ListOf(FocalPointView),
)
async def list_focal_points(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    country, region = queries.filters(request.query_params)
    async with ctx.db.read() as db:
        found = await queries.focal_points(db, actor, country=country, region=region)
    return json_response({"items": [e.as_json() for e in found], "next": None})


@api.route(
    "POST",
    "/focal-points",
    summary="Add a focal point to the register",
    body=FocalPointCreate,
    status=201,
    response=FocalPointView,
)
async def add_focal_point(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, FocalPointCreate)
    view = await register.add_focal_point(ctx.db, actor, data)
    return json_response(view.as_json(), status=201)


@api.route(
    "GET",
    "/focal-points/export",
    summary="The register as CSV",
    response=Download(("text/csv",)),
)
async def export_focal_points(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.focal_points(db, actor)
    headers = {"Content-Disposition": content_disposition("focal-points.csv")}
    return Response(
        register.export_csv(found), media_type="text/csv; charset=utf-8", headers=headers
    )


@api.route(
    "POST",
    "/focal-points/import",
    summary="Add or change entries from CSV (all rows or none)",
    body=FocalImport,
    response=Imported,
)
async def import_focal_points(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, FocalImport)
    count = await register.import_focal_points(ctx.db, actor, data.csv)
    return json_response(Imported(count).as_json())


@api.route("GET", "/focal-points/{entry_id:int}", summary="A focal point", response=FocalPointView)
async def get_focal_point(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        view = await queries.focal_point(db, actor, path_int(request, "entry_id"))
    return json_response(view.as_json())


@api.route(
    "PUT",
    "/focal-points/{entry_id:int}",
    summary="Change a focal point (the whole entry)",
    body=FocalPointCreate,
    response=FocalPointView,
)
async def change_focal_point(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, FocalPointCreate)
    view = await register.change_focal_point(ctx.db, actor, path_int(request, "entry_id"), data)
    return json_response(view.as_json())


@api.route(
    "DELETE",
    "/focal-points/{entry_id:int}",
    summary="Remove a focal point (links sent to it stop working)",
    status=204,
)
async def remove_focal_point(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    await register.remove_focal_point(ctx.db, actor, path_int(request, "entry_id"))
    return Response(status_code=204)


@api.route(
    "GET",
    "/focal-notifications",
    summary="Notifications to focal points, newest first, each with who it went to and when",
    response=ListOf(NotificationView),
)
async def list_focal_notifications(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.notifications(db, actor)
    return json_response({"items": [n.as_json() for n in found], "next": None})


@api.route(
    "POST",
    "/focal-notifications",
    summary="Send a notification to all focal points or those of chosen regions",
    body=NotificationCreate,
    status=201,
    response=NotificationView,
)
async def send_focal_notification(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, NotificationCreate)
    notification_id = await sending.send_notification(ctx.db, actor, data)
    async with ctx.db.read() as db:
        view = await queries.notification(db, actor, notification_id)
    return json_response(view.as_json(), status=201)


@api.route(
    "GET",
    "/focal-notifications/{notification_id:int}",
    summary="A notification with its record, and which countries responded",
    response=NotificationView,
)
async def get_focal_notification(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        view = await queries.notification(db, actor, path_int(request, "notification_id"))
    return json_response(view.as_json())


@api.route(
    "POST",
    "/focal-notifications/{notification_id:int}/reminders",
    summary="Remind the focal points of countries that have not responded",
    response=RemindersSent,
)
async def send_focal_reminders(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    sent = await sending.send_reminders(ctx.db, actor, path_int(request, "notification_id"))
    return json_response(sent.as_json())
