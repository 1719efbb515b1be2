"""The conference page: the conversation as a chat (newest at the bottom), the agenda
item under discussion pinned, who is here now, and the forms to send a message and
(moderators) move along the agenda. Without the script, each form posts and returns
to the bottom of the page; a refresh link shows what others wrote meanwhile."""

from __future__ import annotations

import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.consent import terms
from forum_server.errors import DomainError
from forum_server.i18n import N_, gettext
from forum_server.live.hub import Hub
from forum_server.orm import utcnow
from forum_server.policy import require_caller
from forum_server.rooms import conference
from forum_server.rooms.admission import DEFAULT_MESSAGE_LIMIT
from forum_server.rooms.conference_queries import conference_view
from forum_server.rooms.pages.shared import (
    accepted_terms,
    attempt,
    checked,
    field_problem,
    live_resume_position,
    post_language,
    session_status,
)
from forum_server.rooms.schemas import AgendaMove, PostCreate
from forum_server.web.auth import actor_of, client_address
from forum_server.web.context import app_context
from forum_server.web.forms import read_form

LABELS = {
    "body": N_("Message"),
    "number": N_("Agenda item"),
    "parent_id": N_("Reply to"),
    "client_id": N_("Form"),
    "lang": N_("Language of your contribution"),
}


def _whole(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 18 else None


async def render_conference(
    request: Request,
    session_id: int,
    *,
    error: DomainError | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    live_after = live_resume_position(request)
    before = _whole(request.query_params.get("before", ""))
    async with ctx.db.read() as db:
        view = await conference_view(db, actor, session_id, before=before)
        consent = await terms.consent(db, actor, view.session.space.slug)
    form = form or {}
    reply_to = _whole(form.get("parent_id", "") or request.query_params.get("reply", ""))
    replying = next((m for m in view.messages if m.post.id == reply_to), None)
    hub: Hub = request.app.state.hub
    context: dict[str, Any] = {
        "session": view.session,
        "messages": view.messages,
        "earlier": view.earlier,
        "older_page": before is not None,
        "current": view.session.current_question
        or (view.session.questions[0] if view.session.questions else None),
        "present": hub.presence.now(session_id),
        "live_after": live_after,
        "status": session_status(view.session, utcnow()),
        "client_id": secrets.token_urlsafe(12),
        "form_error": error.message if error else None,
        "consent": consent,
        "terms_error": error.message if error and error.field == "accept_terms" else None,
        "typed": form.get("body", ""),
        "typed_lang": form.get("lang"),
        "replying": replying,
        "default_limit": DEFAULT_MESSAGE_LIMIT,
    }
    status = error.status if error else 200
    return await ctx.templates.page(request, "rooms/conference.html", context, status=status)


async def conference_page(request: Request) -> Response:
    return await render_conference(request, request.path_params["session_id"])


async def send_message(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    session_id: int = request.path_params["session_id"]
    form = await read_form(request)

    async def run() -> str:
        data: dict[str, Any] = {"body": form.get("body", ""), "lang": post_language(form)}
        data["accept_terms"] = accepted_terms(form)
        if form.get("client_id"):
            data["client_id"] = form["client_id"]
        if form.get("parent_id"):
            parent_id = _whole(form["parent_id"])
            if parent_id is None:
                raise field_problem(N_("Reply to"), gettext("must be a whole number"), "parent_id")
            data["parent_id"] = parent_id
        client = client_address(request, ctx.settings)
        posted = await conference.send_message(
            ctx.db, actor, session_id, checked(PostCreate, data, LABELS), client=client
        )
        return f"/sessions/{session_id}/conference#m-{posted.post.id}"

    async def refused(error: DomainError) -> Response:
        return await render_conference(request, session_id, error=error, form=form)

    return await attempt(run, refused)


async def move_agenda(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    require_caller(actor)
    session_id: int = request.path_params["session_id"]
    form = await read_form(request)

    async def run() -> str:
        number = _whole(form.get("number", ""))
        if number is None:
            raise field_problem(N_("Agenda item"), gettext("must be a whole number"), "number")
        data = checked(AgendaMove, {"number": number}, LABELS)
        await conference.move_agenda(ctx.db, actor, session_id, data)
        return f"/sessions/{session_id}/conference#latest"

    async def refused(error: DomainError) -> Response:
        return await render_conference(request, session_id, error=error)

    return await attempt(run, refused)


routes: list[Route] = [
    Route("/sessions/{session_id:int}/conference", conference_page, methods=["GET"]),
    Route("/sessions/{session_id:int}/conference/messages", send_message, methods=["POST"]),
    Route("/sessions/{session_id:int}/conference/agenda", move_agenda, methods=["POST"]),
]
