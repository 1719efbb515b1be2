"""Browser pages for forums: spaces here; sessions and threads in their own modules.
`routes` lists every forum page, for the app to mount."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.consent import terms
from forum_server.errors import DomainError
from forum_server.i18n import N_, gettext
from forum_server.policy import require_caller, require_secretariat
from forum_server.reports.access import space_report_download
from forum_server.rooms import queries, reading, spaces
from forum_server.rooms.composition import LIAISON_GROUP
from forum_server.rooms.pages import conference as conference_pages
from forum_server.rooms.pages import post_edit
from forum_server.rooms.pages import sessions as session_pages
from forum_server.rooms.pages import threads as thread_pages
from forum_server.rooms.pages import topics as topic_pages
from forum_server.rooms.pages.shared import attempt, checkbox, checked, notice_from
from forum_server.rooms.schemas import SpaceCreate, SpaceUpdate
from forum_server.rooms.state import MEMBERS, PUBLIC
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.forms import read_form, validate_form

VISIBILITY_CHOICES = [
    (PUBLIC, N_("Public: anyone can read")),
    (MEMBERS, N_("Members only: a restricted workspace")),
]
SPACE_LABELS = {"title": N_("Title"), "description": N_("Description")}
COMPOSITION_CHOICES = [
    (
        LIAISON_GROUP,
        N_(
            "Liaison group: at most 15 experts from Parties, organization experts at most "
            "a third of them"
        ),
    ),
]


async def _space_page(
    request: Request,
    *,
    form: dict[str, str] | None = None,
    error: DomainError | None = None,
) -> Response:
    """The space page; after a refused edit, with the message and what was typed."""
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        detail = await queries.space_detail(db, actor, request.path_params["slug"])
        can_download = await space_report_download(db, actor, detail.space.slug)
        unread = await reading.unread_by_session(db, actor, detail.sessions)
        consent = await terms.consent(db, actor, detail.space.slug)
    context = {
        "detail": detail,
        "space": detail.space,
        "notice": None if error else notice_from(request),
        "form_error": error.message if error else None,
        "form": form or {},
        "can_download_report": can_download,
        "unread": unread,
        "consent": consent,
    }
    status = error.status if error else 200
    return await ctx.templates.page(request, "rooms/space.html", context, status=status)


async def space_page(request: Request) -> Response:
    return await _space_page(request)


async def edit_space(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    require_caller(actor)  # before reading the form
    slug: str = request.path_params["slug"]
    form = await read_form(request)

    async def edit() -> str:
        fields = {"title": form.get("title", ""), "description": form.get("description", "")}
        data = checked(SpaceUpdate, fields, SPACE_LABELS)
        detail = await spaces.update_space(ctx.db, actor, slug, data)
        return f"/spaces/{detail.space.slug}?notice=space_edited"

    async def refused(error: DomainError) -> Response:
        return await _space_page(request, form=form, error=error)

    return await attempt(edit, refused)


def _space_input(form: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "slug": form.get("slug", ""),
        "title": form.get("title", ""),
        "guest_posting": checkbox(form, "guest_posting"),
    }
    for optional in (
        "description",
        "visibility",
        "composition",
        "report_symbol",
        "report_distribution",
    ):
        if form.get(optional):
            data[optional] = form[optional]
    return data


async def _new_space_form(
    request: Request, form: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    context = {
        "form": form,
        "errors": errors,
        "visibility_choices": [(value, gettext(label)) for value, label in VISIBILITY_CHOICES],
        "composition_choices": [(value, gettext(label)) for value, label in COMPOSITION_CHOICES],
    }
    templates = app_context(request).templates
    return await templates.page(request, "rooms/space_new.html", context, status=status)


async def new_space(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    require_secretariat(actor)
    if request.method == "GET":
        return await _new_space_form(request, {"visibility": PUBLIC}, {})
    form = await read_form(request)
    data, errors = validate_form(SpaceCreate, _space_input(form))
    if data is None:
        return await _new_space_form(request, form, errors, status=422)

    async def create(data: SpaceCreate = data) -> str:
        detail = await spaces.create_space(ctx.db, actor, data)
        return f"/spaces/{detail.space.slug}?notice=space_created"

    async def refused(error: DomainError) -> Response:
        return await _new_space_form(
            request, form, {error.field or "form": error.message}, error.status
        )

    return await attempt(create, refused)


routes: list[Route] = [
    # Before /spaces/{slug}, which would otherwise take "new" for a slug.
    Route("/spaces/new", new_space, methods=["GET", "POST"]),
    Route("/spaces/{slug}", space_page, methods=["GET"]),
    Route("/spaces/{slug}/edit", edit_space, methods=["POST"]),
    *session_pages.routes,
    *topic_pages.routes,
    *conference_pages.routes,
    *thread_pages.routes,
    *post_edit.routes,
]
