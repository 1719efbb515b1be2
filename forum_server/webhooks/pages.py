"""Webhook pages, without JavaScript: the secretariat's list of every endpoint, a
space's list for its owners, and each endpoint's page with its delivery log and the
forms that change it. Each form calls one command."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from forum_server.errors import Invalid
from forum_server.i18n import N_, gettext
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.forms import validate_form
from forum_server.webhooks import endpoints, queries
from forum_server.webhooks.catalogue import TYPES
from forum_server.webhooks.schemas import WebhookCreate, WebhookUpdate

NOTICES = {
    "added": N_("The webhook was added."),
    "saved": N_("The webhook was saved."),
    "tested": N_("A test event is on its way: its delivery appears below."),
    "removed": N_("The webhook was removed."),
}


async def _form(request: Request) -> dict[str, Any]:
    """The form's fields; `event_types` as the list of boxes ticked."""
    async with request.form(max_fields=64, max_files=0) as form:
        data: dict[str, Any] = {
            key: str(value).strip()
            for key, value in form.items()
            if key not in ("csrf_token", "event_types")
        }
        data["event_types"] = [str(v) for v in form.getlist("event_types")]
    return data


def _type_choices() -> list[tuple[str, str]]:
    return [(name, gettext(says)) for name, (_, says) in TYPES.items()]


async def _list_page(
    request: Request,
    space: str | None,
    *,
    status: int = 200,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.endpoints(db, actor, space)
    notice = NOTICES.get(request.query_params.get("notice", ""))
    context = {
        "space": space,
        "webhooks": found,
        "type_choices": _type_choices(),
        "form": form or {},
        "errors": errors or {},
        "notice": gettext(notice) if notice else None,
        "action": f"/spaces/{space}/webhooks" if space else "/webhooks",
    }
    return await ctx.templates.page(request, "webhooks/list.html", context, status=status)


async def _register(request: Request, space: str | None) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    form = await _form(request)
    data, errors = validate_form(WebhookCreate, {**form, "space": space})
    if data is not None:
        try:
            view = await endpoints.register_endpoint(
                ctx.db, actor, data, endpoints.destinations_for(ctx.settings)
            )
        except Invalid as refused:
            errors = {refused.field or "form": refused.message}
        else:
            return RedirectResponse(f"/webhooks/{view.id}?notice=added", status_code=303)
    return await _list_page(request, space, status=422, form=form, errors=errors)


async def site_webhooks(request: Request) -> Response:
    if request.method == "POST":
        return await _register(request, None)
    return await _list_page(request, None)


async def space_webhooks(request: Request) -> Response:
    slug = request.path_params["slug"]
    if request.method == "POST":
        return await _register(request, slug)
    return await _list_page(request, slug)


async def _endpoint_page(
    request: Request,
    webhook_id: int,
    *,
    status: int = 200,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        webhook = await queries.endpoint(db, actor, webhook_id)
        deliveries = await queries.deliveries(db, actor, webhook_id)
    notice = NOTICES.get(request.query_params.get("notice", ""))
    context = {
        "webhook": webhook,
        "deliveries": deliveries,
        "type_choices": _type_choices(),
        "form": form or {},
        "errors": errors or {},
        "notice": gettext(notice) if notice else None,
        "back": f"/spaces/{webhook.space}/webhooks" if webhook.space else "/webhooks",
    }
    return await ctx.templates.page(request, "webhooks/endpoint.html", context, status=status)


async def endpoint_page(request: Request) -> Response:
    webhook_id = int(request.path_params["webhook_id"])
    if request.method == "GET":
        return await _endpoint_page(request, webhook_id)
    ctx, actor = app_context(request), await actor_of(request)
    form = await _form(request)
    data, errors = validate_form(WebhookUpdate, form)
    if data is not None:
        try:
            await endpoints.change_endpoint(
                ctx.db, actor, webhook_id, data, endpoints.destinations_for(ctx.settings)
            )
        except Invalid as refused:
            errors = {refused.field or "form": refused.message}
        else:
            return RedirectResponse(f"/webhooks/{webhook_id}?notice=saved", status_code=303)
    return await _endpoint_page(request, webhook_id, status=422, form=form, errors=errors)


async def switch(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    webhook_id = int(request.path_params["webhook_id"])
    on = (await _form(request)).get("active") == "true"
    await endpoints.change_endpoint(
        ctx.db,
        actor,
        webhook_id,
        WebhookUpdate(active=on),
        endpoints.destinations_for(ctx.settings),
    )
    return RedirectResponse(f"/webhooks/{webhook_id}?notice=saved", status_code=303)


async def send_test(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    webhook_id = int(request.path_params["webhook_id"])
    await endpoints.send_test(ctx.db, actor, webhook_id)
    return RedirectResponse(f"/webhooks/{webhook_id}?notice=tested", status_code=303)


async def remove(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    webhook_id = int(request.path_params["webhook_id"])
    async with ctx.db.read() as db:
        webhook = await queries.endpoint(db, actor, webhook_id)
    await endpoints.remove_endpoint(ctx.db, actor, webhook_id)
    back = f"/spaces/{webhook.space}/webhooks" if webhook.space else "/webhooks"
    return RedirectResponse(f"{back}?notice=removed", status_code=303)


routes = [
    Route("/webhooks", site_webhooks, methods=["GET", "POST"]),
    Route("/spaces/{slug}/webhooks", space_webhooks, methods=["GET", "POST"]),
    Route("/webhooks/{webhook_id:int}", endpoint_page, methods=["GET", "POST"]),
    Route("/webhooks/{webhook_id:int}/active", switch, methods=["POST"]),
    Route("/webhooks/{webhook_id:int}/test", send_test, methods=["POST"]),
    Route("/webhooks/{webhook_id:int}/remove", remove, methods=["POST"]),
]
