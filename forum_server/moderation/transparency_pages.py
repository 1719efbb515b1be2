"""The transparency summary's route and page (a plain GET form for the period, a CSV
download beside it)."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.errors import DomainError
from forum_server.moderation.auditlog import AuditFilters
from forum_server.moderation.transparency import (
    Transparency,
    transparency_csv,
    transparency_summary,
)
from forum_server.reports.access import ReportSettingsUpdate, update_report_settings
from forum_server.rooms import queries as rooms_queries
from forum_server.rooms.pages.shared import attempt, checkbox
from forum_server.web.api import ApiRouter, json_response
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.forms import read_form

api = ApiRouter()


async def _summary(request: Request) -> Transparency:
    ctx, actor = app_context(request), await actor_of(request)
    period = AuditFilters.parse(request.query_params)  # since, until: checked the same way
    async with ctx.db.read() as db:
        return await transparency_summary(
            db, actor, request.path_params["slug"], period.since, period.until
        )


@api.route(
    "GET",
    "/spaces/{slug}/transparency",
    summary="How much moderation a space had in a period, and why (`format=csv` too)",
    auth="optional",
    query=("since", "until", "format"),
    response=Transparency,
)
async def transparency_api(request: Request) -> Response:
    summary = await _summary(request)
    if request.query_params.get("format") == "csv":
        name = f"transparency-{summary.space}.csv"
        return Response(
            transparency_csv(summary),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return json_response(summary.as_json())


async def transparency_page(request: Request, error: DomainError | None = None) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    summary = await _summary(request)
    async with ctx.db.read() as db:
        space = await rooms_queries.space_detail(db, actor, summary.space)
    kept = {k: request.query_params[k] for k in ("since", "until") if request.query_params.get(k)}
    context = {
        "space": space.space,
        "summary": summary,
        "period": kept,
        "csv_url": f"/api/v1/spaces/{summary.space}/transparency?"
        + urlencode({**kept, "format": "csv"}),
        "form_error": error.message if error else None,
        "done": request.query_params.get("done") == "published" and error is None,
    }
    status = error.status if error else 200
    return await ctx.templates.page(request, "moderation/transparency.html", context, status=status)


async def set_publication(request: Request) -> Response:
    """The owners' choice: the summary for all who may read the space, or moderators only."""
    ctx, actor = app_context(request), await actor_of(request)
    slug = request.path_params["slug"]
    form = await read_form(request)

    async def run() -> str:
        data = ReportSettingsUpdate(transparency_public=checkbox(form, "public"))
        await update_report_settings(ctx.db, actor, slug, data)
        return f"/spaces/{slug}/transparency?done=published"

    async def refused(error: DomainError) -> Response:
        return await transparency_page(request, error)

    return await attempt(run, refused)


routes = [
    Route("/spaces/{slug}/transparency", transparency_page, methods=["GET"]),
    Route("/spaces/{slug}/transparency/publication", set_publication, methods=["POST"]),
]
