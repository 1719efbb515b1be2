"""Session pages: creating a session, the session page, and the forms on it that
moderators (open, close, extend, re-open, questions), the space's managers (the
session's moderators) and participants (topics) use. Each form calls one command."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.errors import DomainError, Invalid, Unauthorized
from forum_server.orm import utcnow
from forum_server.reports.access import can_download_session_report
from forum_server.rooms import posting, queries, session_moderators, sessions
from forum_server.rooms.pages.shared import (
    attempt,
    checkbox,
    checked,
    lines,
    live_resume_position,
    notice_from,
    session_status,
    time_field,
    utc_time,
)
from forum_server.rooms.schemas import (
    QuestionCreate,
    Reopen,
    SessionCreate,
    SessionModerators,
    SessionUpdate,
    ThreadCreate,
)
from forum_server.rooms.state import MEMBERS
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.forms import read_form, validate_form

POSTING_CHOICES = [
    ("signed_in", "Anyone signed in"),
    (MEMBERS, "Members of this space only"),
]
LABELS = {
    "text": "Question",
    "closes_at": "Closing time",
    "title": "Title",
    "body": "Text",
    "client_id": "Form",
    "moderator_ids": "Moderators",
}
# Fields of SessionCreate that the form calls by another name.
FORM_FIELDS = {"moderator_ids": "moderators"}


# --- creating a session -------------------------------------------------------------


async def _moderator_ids(request: Request, text: str) -> tuple[list[int], str | None]:
    """The accounts named by address in a moderators field (one a line), and the
    problem with it, if any."""
    emails = lines(text)
    if not emails:
        return [], None
    async with app_context(request).db.read() as db:
        ids, unknown = await session_moderators.moderators_by_email(db, emails)
    return ids, f"No account uses the address {unknown[0]}." if unknown else None


async def _session_input(
    request: Request, form: dict[str, str]
) -> tuple[SessionCreate | None, dict[str, str]]:
    errors: dict[str, str] = {}
    data: dict[str, Any] = {
        "title": form.get("title", ""),
        "questions": lines(form.get("questions", "")),
        "participant_topics": checkbox(form, "participant_topics"),
    }
    for optional in ("description", "posting"):
        if form.get(optional):
            data[optional] = form[optional]
    for name in ("opens_at", "closes_at"):
        try:
            when = utc_time(form.get(name, ""))
        except ValueError as exc:
            errors[name] = str(exc)
        else:
            if when is not None:
                data[name] = when
    data["moderator_ids"], unknown = await _moderator_ids(request, form.get("moderators", ""))
    if unknown:
        errors["moderators"] = unknown
    valid, model_errors = validate_form(SessionCreate, data)
    if errors:
        model_errors.pop("form", None)  # "closes_at needs opens_at" after a bad opens_at
    for name, message in model_errors.items():
        errors.setdefault(FORM_FIELDS.get(name, name), message)
    return (None if errors else valid), errors


async def new_session(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    slug = request.path_params["slug"]
    async with ctx.db.read() as db:
        space = await queries.space_to_manage(db, actor, slug)

    async def show(form: dict[str, str], errors: dict[str, str], status: int = 200) -> Response:
        context = {
            "space": space,
            "form": form,
            "errors": errors,
            "posting_choices": POSTING_CHOICES,
        }
        return await ctx.templates.page(request, "rooms/session_new.html", context, status=status)

    if request.method == "GET":
        return await show({"posting": "signed_in"}, {})
    form = await read_form(request)
    data, errors = await _session_input(request, form)
    if data is None:
        return await show(form, errors, status=422)

    async def create(data: SessionCreate = data) -> str:
        detail = await sessions.create_session(ctx.db, actor, slug, data)
        return f"/sessions/{detail.id}?notice=session_created"

    async def refused(error: DomainError) -> Response:
        field = FORM_FIELDS.get(error.field or "form", error.field or "form")
        return await show(form, {field: error.message}, status=error.status)

    return await attempt(create, refused)


# --- the session page and its forms -----------------------------------------------


async def render_session(
    request: Request,
    session_id: int,
    *,
    error: DomainError | None = None,
    form: dict[str, str] | None = None,
    form_name: str | None = None,
) -> Response:
    """The session page; after a refused form, with the message and what was typed."""
    ctx, actor = app_context(request), await actor_of(request)
    live_after = live_resume_position(request)
    async with ctx.db.read() as db:
        detail = await queries.session_detail(db, actor, session_id)
        can_download = await can_download_session_report(db, actor, session_id)
    context = {
        "session": detail,
        "live_after": live_after,
        "can_download_report": can_download,
        "status": session_status(detail, utcnow()),
        "notice": None if error else notice_from(request),
        "form_error": error.message if error else None,
        "form": form or {},
        "form_name": form_name,
        "client_id": secrets.token_urlsafe(12),
    }
    status = error.status if error else 200
    return await ctx.templates.page(request, "rooms/session.html", context, status=status)


async def session_page(request: Request) -> Response:
    return await render_session(request, request.path_params["session_id"])


async def _act(
    request: Request,
    session_id: int,
    action: Callable[[], Awaitable[object]],
    notice: str,
    *,
    form: dict[str, str] | None = None,
    form_name: str | None = None,
) -> Response:
    """One moderator command: back to the session page with a notice, or the page
    again with the refusal (signing in first, for anonymous callers)."""

    async def run() -> str:
        await action()
        return f"/sessions/{session_id}?notice={notice}"

    async def refused(error: DomainError) -> Response:
        if isinstance(error, Unauthorized):
            raise error  # the session may not be theirs to see: no page, only "sign in"
        return await render_session(
            request, session_id, error=error, form=form, form_name=form_name
        )

    return await attempt(run, refused)


async def open_session(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    session_id = request.path_params["session_id"]
    return await _act(
        request, session_id, lambda: sessions.open_now(ctx.db, actor, session_id), "opened"
    )


async def close_session(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    session_id = request.path_params["session_id"]
    return await _act(
        request, session_id, lambda: sessions.close_now(ctx.db, actor, session_id), "closed"
    )


async def extend_session(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    session_id, form = request.path_params["session_id"], await read_form(request)

    async def extend() -> object:
        closes_at = time_field(form, "closes_at", "New closing time")
        if closes_at is None:
            raise Invalid("New closing time: This is required.", field="closes_at")
        data = SessionUpdate(closes_at=closes_at)
        return await sessions.update_session(ctx.db, actor, session_id, data)

    return await _act(request, session_id, extend, "extended", form=form, form_name="extend")


async def reopen_session(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    session_id, form = request.path_params["session_id"], await read_form(request)

    async def reopen() -> object:
        data = Reopen(closes_at=time_field(form, "closes_at", "New closing time"))
        return await sessions.reopen(ctx.db, actor, session_id, data)

    return await _act(request, session_id, reopen, "reopened", form=form, form_name="reopen")


async def change_moderators(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    session_id, form = request.path_params["session_id"], await read_form(request)

    async def change() -> object:
        ids, unknown = await _moderator_ids(request, form.get("moderators", ""))
        if unknown:
            raise Invalid(f"Moderators: {unknown}", field="moderators")
        data = checked(SessionModerators, {"moderator_ids": ids}, LABELS)
        return await session_moderators.set_moderators(ctx.db, actor, session_id, data)

    notice, name = "moderators_changed", "moderators"
    return await _act(request, session_id, change, notice, form=form, form_name=name)


async def add_question(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    session_id, form = request.path_params["session_id"], await read_form(request)

    async def add() -> object:
        data = checked(QuestionCreate, {"text": form.get("text", "")}, LABELS)
        return await sessions.add_question(ctx.db, actor, session_id, data)

    notice = "question_added"
    return await _act(request, session_id, add, notice, form=form, form_name="question")


async def edit_question(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    question_id, form = request.path_params["question_id"], await read_form(request)

    async def edit() -> str:
        data = checked(QuestionCreate, {"text": form.get("text", "")}, LABELS)
        question = await sessions.edit_question(ctx.db, actor, question_id, data)
        return f"/sessions/{question.session_id}?notice=question_edited"

    async def refused(error: DomainError) -> Response:
        if isinstance(error, Unauthorized):
            raise error
        async with ctx.db.read() as db:
            question = await queries.question_detail(db, actor, question_id)
        return await render_session(request, question.session_id, error=error)

    return await attempt(edit, refused)


async def start_topic(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    session_id: int = request.path_params["session_id"]
    form = await read_form(request)

    async def run() -> str:
        fields = {name: form[name] for name in ("title", "body", "client_id") if form.get(name)}
        data = checked(ThreadCreate, fields, LABELS)
        thread_id, _ = await posting.create_thread(ctx.db, actor, session_id, data)
        return f"/threads/{thread_id}"

    async def refused(error: DomainError) -> Response:
        if error.code == "client_id_reused":  # the same form sent twice
            error = Invalid("This topic was started already: see the topics below.")
        return await render_session(request, session_id, error=error, form=form, form_name="topic")

    return await attempt(run, refused)


routes: list[Route] = [
    Route("/spaces/{slug}/sessions/new", new_session, methods=["GET", "POST"]),
    Route("/sessions/{session_id:int}", session_page, methods=["GET"]),
    Route("/sessions/{session_id:int}/open", open_session, methods=["POST"]),
    Route("/sessions/{session_id:int}/close", close_session, methods=["POST"]),
    Route("/sessions/{session_id:int}/extend", extend_session, methods=["POST"]),
    Route("/sessions/{session_id:int}/reopen", reopen_session, methods=["POST"]),
    Route("/sessions/{session_id:int}/moderators", change_moderators, methods=["POST"]),
    Route("/sessions/{session_id:int}/questions", add_question, methods=["POST"]),
    Route("/sessions/{session_id:int}/threads", start_topic, methods=["POST"]),
    Route("/questions/{question_id:int}/edit", edit_question, methods=["POST"]),
]
