"""The register's pages, for the secretariat, without JavaScript: the list by
country with the form that adds an entry and the CSV import, and each entry's page
with the form that changes or removes it. Each form calls one command."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from forum_server.accounts.countries import REGION_NAMES, country_choices
from forum_server.errors import Conflict, Invalid
from forum_server.focal import queries, register
from forum_server.focal.forms import entry_input
from forum_server.focal.notification_pages import routes as notification_routes
from forum_server.focal.schemas import FocalPointCreate
from forum_server.i18n import N_, gettext
from forum_server.i18n.languages import LANGUAGES
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.forms import read_form, validate_form

NOTICES = {
    "added": N_("The focal point was added."),
    "saved": N_("The focal point was saved."),
    "removed": N_("The focal point was removed; links sent to them no longer work."),
    "imported": N_("The register was imported."),
}


def choices() -> dict[str, Any]:
    return {
        "countries": country_choices(),
        "languages": [(code, lang.native_name) for code, lang in LANGUAGES.items()],
        "region_names": {k: gettext(v) for k, v in REGION_NAMES.items()},
    }


async def _register_page(
    request: Request,
    *,
    status: int = 200,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    country, region = queries.filters(request.query_params)
    async with ctx.db.read() as db:
        found = await queries.focal_points(db, actor, country=country, region=region)
    notice = NOTICES.get(request.query_params.get("notice", ""))
    context = {
        "entries": found,
        "filter": {"country": country or "", "region": region or ""},
        "form": form or {},
        "errors": errors or {},
        "notice": gettext(notice) if notice else None,
        **choices(),
    }
    return await ctx.templates.page(request, "focal/register.html", context, status=status)


async def register_page(request: Request) -> Response:
    if request.method == "GET":
        return await _register_page(request)
    ctx, actor = app_context(request), await actor_of(request)
    form = await read_form(request)
    data, errors = validate_form(FocalPointCreate, entry_input(form))
    if data is not None:
        try:
            await register.add_focal_point(ctx.db, actor, data)
        except (Invalid, Conflict) as refused:
            errors = {refused.field or "form": refused.message}
        else:
            return RedirectResponse("/focal-points?notice=added", status_code=303)
    return await _register_page(request, status=422, form=form, errors=errors)


async def import_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    form = await read_form(request)
    try:
        await register.import_focal_points(ctx.db, actor, form.get("csv", ""))
    except (Invalid, Conflict) as refused:
        errors = {"csv": refused.message}
        return await _register_page(request, status=422, form=form, errors=errors)
    return RedirectResponse("/focal-points?notice=imported", status_code=303)


async def _entry_page(
    request: Request,
    entry_id: int,
    *,
    status: int = 200,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        entry = await queries.focal_point(db, actor, entry_id)
    notice = NOTICES.get(request.query_params.get("notice", ""))
    shown = form if form is not None else {**entry.as_json(), "language": entry.language or ""}
    context = {
        "entry": entry,
        "form": shown,
        "errors": errors or {},
        "notice": gettext(notice) if notice else None,
        **choices(),
    }
    return await ctx.templates.page(request, "focal/entry.html", context, status=status)


async def entry_page(request: Request) -> Response:
    entry_id = int(request.path_params["entry_id"])
    if request.method == "GET":
        return await _entry_page(request, entry_id)
    ctx, actor = app_context(request), await actor_of(request)
    form = await read_form(request)
    data, errors = validate_form(FocalPointCreate, entry_input(form))
    if data is not None:
        try:
            await register.change_focal_point(ctx.db, actor, entry_id, data)
        except (Invalid, Conflict) as refused:
            errors = {refused.field or "form": refused.message}
        else:
            return RedirectResponse(f"/focal-points/{entry_id}?notice=saved", status_code=303)
    shown = {**form, "primary": form.get("primary") == "yes"}
    return await _entry_page(request, entry_id, status=422, form=shown, errors=errors)


async def remove_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    await register.remove_focal_point(ctx.db, actor, int(request.path_params["entry_id"]))
    return RedirectResponse("/focal-points?notice=removed", status_code=303)


routes = [
    Route("/focal-points", register_page, methods=["GET", "POST"]),
    Route("/focal-points/import", import_page, methods=["POST"]),
    Route("/focal-points/{entry_id:int}", entry_page, methods=["GET", "POST"]),
    Route("/focal-points/{entry_id:int}/remove", remove_page, methods=["POST"]),
    *notification_routes,
]
