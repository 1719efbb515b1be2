"""The secretariat's figures on the mechanism's operation: a page, JSON and CSV."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.reports.operation import Operation, operation_csv, operation_figures
from forum_server.web.api import ApiRouter, json_response
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context

api = ApiRouter()


async def _figures(request: Request) -> Operation:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        return await operation_figures(db, actor)


@api.route(
    "GET",
    "/statistics",
    summary="Sessions, contributions, participants, countries and regions by year (the "
    "secretariat; `format=csv` too)",
    query=("format",),
    response=Operation,
)
async def statistics_api(request: Request) -> Response:
    figures = await _figures(request)
    if request.query_params.get("format") == "csv":
        return Response(
            operation_csv(figures),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="forum-statistics.csv"'},
        )
    return json_response(figures.as_json())


async def statistics_page(request: Request) -> Response:
    figures = await _figures(request)
    context = {"figures": figures}
    return await app_context(request).templates.page(request, "reports/statistics.html", context)


routes = [Route("/admin/statistics", statistics_page, methods=["GET"])]
