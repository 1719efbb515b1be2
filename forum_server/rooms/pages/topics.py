"""Starting a topic from a session page (where participants may start them), with its
Markdown preview: the session page again, with the form, what was typed and any error."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.errors import DomainError, Invalid
from forum_server.rooms import posting, preview
from forum_server.rooms.pages.sessions import LABELS, render_session
from forum_server.rooms.pages.shared import (
    REFUSALS,
    accepted_terms,
    attempt,
    checked,
    post_language,
)
from forum_server.rooms.schemas import PreviewInput, ThreadCreate
from forum_server.web.auth import actor_of, client_address
from forum_server.web.context import app_context
from forum_server.web.forms import read_form


async def _topic_preview(request: Request, session_id: int, form: dict[str, str]) -> Response:
    """The new topic's "Preview": the session page again, the text rendered above it."""
    ctx, actor = app_context(request), await actor_of(request)
    try:
        typed = checked(PreviewInput, {"body": form.get("body", "")}, LABELS)
        client = client_address(request, ctx.settings)
        shown = await preview.render_preview(ctx.db, actor, typed, client=client)
    except REFUSALS as error:
        return await render_session(request, session_id, error=error, form=form, form_name="topic")
    return await render_session(
        request, session_id, form=form, form_name="topic", preview_html=shown["html"]
    )


async def start_topic(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    session_id: int = request.path_params["session_id"]
    form = await read_form(request)
    if form.get("preview"):
        return await _topic_preview(request, session_id, form)

    async def run() -> str:
        fields: dict[str, Any] = {
            name: form[name] for name in ("title", "body", "client_id") if form.get(name)
        }
        fields["lang"] = post_language(form)
        fields["accept_terms"] = accepted_terms(form)
        data = checked(ThreadCreate, fields, LABELS)
        thread_id, _ = await posting.create_thread(ctx.db, actor, session_id, data)
        return f"/threads/{thread_id}"

    async def refused(error: DomainError) -> Response:
        if error.code == "client_id_reused":  # the same form sent twice
            error = Invalid("This topic was started already: see the topics below.")
        return await render_session(request, session_id, error=error, form=form, form_name="topic")

    return await attempt(run, refused)


routes: list[Route] = [
    Route("/sessions/{session_id:int}/threads", start_topic, methods=["POST"]),
]
