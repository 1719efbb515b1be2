"""The page for editing a contribution without the script: its text in a form, saved
through the same command as the API's edit, with a preview of the new text."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.errors import DomainError, Forbidden, Unauthorized
from forum_server.rooms import editing, preview
from forum_server.rooms.pages.shared import REFUSALS, attempt, checked
from forum_server.rooms.pages.threads import LABELS
from forum_server.rooms.schemas import PostEdit, PreviewInput
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.forms import read_form


def _window(request: Request) -> timedelta:
    return timedelta(minutes=app_context(request).settings.edit_window_minutes)


async def _show(
    request: Request,
    post_id: int,
    *,
    typed: dict[str, str] | None = None,
    error: DomainError | None = None,
    preview_html: str | None = None,
) -> Response:
    """The form with the post's text, or with what was typed after a refusal or for a
    preview. After a refusal the post is read as its reader sees it (the edit check
    may be what refused)."""
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        if error is None:
            form = await editing.edit_form(db, actor, post_id, edit_window=_window(request))
        else:
            form = await editing.post_for_form(db, actor, post_id, edit_window=_window(request))
    context: dict[str, Any] = {
        "form": form,
        "typed": typed["body"] if typed is not None else form.post.body,
        "typed_lang": (typed or {}).get("lang") or form.post.lang,
        "error": error.message if error else None,
        "preview_html": preview_html,
    }
    status = error.status if error else 200
    return await ctx.templates.page(request, "rooms/post_edit.html", context, status=status)


async def edit_page(request: Request) -> Response:
    return await _show(request, request.path_params["post_id"])


async def save_edit(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    post_id: int = request.path_params["post_id"]
    form = await read_form(request)
    fields = {"body": form.get("body", ""), "lang": form.get("lang") or None}
    if form.get("preview"):
        try:
            typed = checked(PreviewInput, {"body": fields["body"]}, LABELS)
            shown = await preview.render_preview(ctx.db, actor, typed)
        except REFUSALS as error:
            return await _show(request, post_id, typed=form, error=error)
        return await _show(request, post_id, typed=form, preview_html=shown["html"])

    async def run() -> str:
        data = checked(PostEdit, fields, LABELS)
        view = await editing.edit_post(ctx.db, actor, post_id, data, edit_window=_window(request))
        return f"/threads/{view.thread_id}#post-{view.id}"

    async def refused(error: DomainError) -> Response:
        if isinstance(error, Forbidden | Unauthorized):
            raise error  # not theirs to edit: the error page, never the form
        return await _show(request, post_id, typed=form, error=error)

    return await attempt(run, refused)


routes: list[Route] = [
    Route("/posts/{post_id:int}/edit", edit_page, methods=["GET"]),
    Route("/posts/{post_id:int}/edit", save_edit, methods=["POST"]),
]
