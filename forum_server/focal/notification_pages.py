"""Notifications' pages: the secretariat composes one (to all focal points or chosen
regions, optionally pointing at a session or a call for submissions), reads the
record of who it went to and when, and sends reminders; a focal point follows the
link sent to them. Without JavaScript; each form calls one command."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from forum_server.accounts.countries import REGION_NAMES, REGIONS, country_name
from forum_server.errors import Conflict, DomainError, Invalid
from forum_server.focal import links, queries, sending
from forum_server.focal.forms import notification_input
from forum_server.focal.schemas import NotificationCreate
from forum_server.i18n import N_, gettext
from forum_server.web.auth import actor_of, signed_in_redirect
from forum_server.web.context import app_context
from forum_server.web.forms import validate_form

NOTICES = {
    "sent": N_("The notification was sent."),
    "reminded": N_("Reminders were sent to the focal points of countries that have not responded."),
    "none": N_("Nobody to remind: every country responded, or was reminded in the last hours."),
}


async def _form(request: Request) -> tuple[dict[str, Any], list[str]]:
    """The form's fields; `regions` and `documents` as the boxes ticked."""
    async with request.form(max_fields=200, max_files=0) as form:
        data: dict[str, Any] = {
            k: str(v).strip()
            for k, v in form.items()
            if k not in ("csrf_token", "regions", "documents")
        }
        data["documents"] = [str(v) for v in form.getlist("documents")]
        return data, [str(v) for v in form.getlist("regions")]


async def _list_page(
    request: Request,
    *,
    status: int = 200,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.notifications(db, actor)
        targets, documents = await queries.composing_choices(db, actor)
    notice = NOTICES.get(request.query_params.get("notice", ""))
    context = {
        "notifications": found,
        "regions": [(r, gettext(REGION_NAMES[r])) for r in REGIONS],
        "form": form or {"regions": [], "documents": []},
        "targets": targets,
        "documents": documents,
        "errors": errors or {},
        "notice": gettext(notice) if notice else None,
        "target": _linked(request),
    }
    return await ctx.templates.page(request, "focal/notifications.html", context, status=status)


def _linked(request: Request) -> str:
    """A target chosen ahead by a link to the form (?session=7 or ?call=3)."""
    for kind in ("session", "call"):
        if request.query_params.get(kind):
            return f"{kind}:{request.query_params[kind]}"
    return ""


async def notifications_page(request: Request) -> Response:
    if request.method == "GET":
        return await _list_page(request)
    ctx, actor = app_context(request), await actor_of(request)
    form, regions = await _form(request)
    data, errors = validate_form(NotificationCreate, notification_input(form, regions))
    if data is not None:
        try:
            sent = await sending.send_notification(ctx.db, actor, data)
        except (Invalid, Conflict) as refused:
            errors = {refused.field or "form": refused.message}
        else:
            return RedirectResponse(f"/focal-notifications/{sent}?notice=sent", status_code=303)
    for field in ("target_kind", "target_id"):
        if field in errors:
            errors["target"] = errors.pop(field)
    return await _list_page(request, status=422, form={**form, "regions": regions}, errors=errors)


async def notification_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.notification(db, actor, int(request.path_params["notification_id"]))
    notice = NOTICES.get(request.query_params.get("notice", ""))
    context = {
        "n": found,
        "region_names": {k: gettext(v) for k, v in REGION_NAMES.items()},
        "country_name": country_name,
        "notice": gettext(notice) if notice else None,
    }
    return await ctx.templates.page(request, "focal/notification.html", context)


async def remind_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    notification_id = int(request.path_params["notification_id"])
    sent = await sending.send_reminders(ctx.db, actor, notification_id)
    done = "reminded" if sent.sent else "none"
    return RedirectResponse(f"/focal-notifications/{notification_id}?notice={done}", 303)


async def _link_page(
    request: Request, link: links.LinkView, refused: DomainError | None = None
) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    context = {
        "link": link,
        "token": request.path_params["token"],
        "country": country_name(link.country),
        "error": refused.message if refused else None,
        "mine": actor.user_id is not None and actor.user_id == link.account_id,
    }
    status = refused.status if refused else 200
    return await ctx.templates.page(request, "focal/link.html", context, status=status)


async def link_page(request: Request) -> Response:
    """Show whom the link is for and what it does; following it is a POST (a mail
    scanner fetching the link uses nothing up)."""
    ctx, actor = app_context(request), await actor_of(request)
    token = request.path_params["token"]
    async with ctx.db.read() as db:
        link = await links.link_view(db, token)
    if request.method == "GET":
        return await _link_page(request, link)
    try:
        followed = await links.follow(ctx.db, actor, token)
    except DomainError as refused:
        if refused.status == 401:
            return RedirectResponse(f"/login?next=/focal-links/{token}", status_code=303)
        return await _link_page(request, link, refused)
    if followed.created:
        return await signed_in_redirect(request, followed.user_id, followed.path)
    return RedirectResponse(followed.path, status_code=303)


routes = [
    Route("/focal-notifications", notifications_page, methods=["GET", "POST"]),
    Route("/focal-notifications/{notification_id:int}", notification_page, methods=["GET"]),
    Route("/focal-notifications/{notification_id:int}/reminders", remind_page, methods=["POST"]),
    Route("/focal-links/{token}", link_page, methods=["GET", "POST"]),
]
