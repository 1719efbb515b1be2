"""Session pages: creating a session, the session page, and the forms on it that
moderators (open, close, extend, re-open, questions) and participants (topics) use."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.accounts.models import User
from forum_server.db import UnitOfWork
from forum_server.errors import DomainError, Forbidden, Invalid, NotFound
from forum_server.orm import utcnow
from forum_server.policy import SessionAccess, load_session, load_space, require_signed_in
from forum_server.reports.access import session_report_download
from forum_server.rooms import posting, queries, sessions
from forum_server.rooms.models import ForumSession, Question
from forum_server.rooms.pages_shared import (
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
    SessionUpdate,
    ThreadCreate,
)
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.forms import read_form, validate_form

POSTING_CHOICES = [
    ("signed_in", "Anyone signed in"),
    ("members", "Members of this space only"),
]
LABELS = {
    "text": "Question",
    "closes_at": "Closing time",
    "title": "Title",
    "body": "Text",
    "client_id": "Form",
}
# Fields of SessionCreate that the form calls by another name.
FORM_FIELDS = {"moderator_ids": "moderators"}

SessionAction = Callable[[UnitOfWork, ForumSession, SessionAccess], Awaitable[object]]


# --- creating a session -------------------------------------------------------------


async def _moderator_ids(db: AsyncSession, emails: list[str]) -> tuple[list[int], list[str]]:
    """The users with these addresses, and the addresses nobody has."""
    wanted = {email.lower() for email in emails}
    rows = await db.execute(select(User.email, User.id).where(User.email.in_(wanted)))
    found = {email: user_id for email, user_id in rows}
    unknown = [email for email in emails if email.lower() not in found]
    return sorted(set(found.values())), unknown


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
    if emails := lines(form.get("moderators", "")):
        async with app_context(request).db.read() as db:
            data["moderator_ids"], unknown = await _moderator_ids(db, emails)
        if unknown:
            errors["moderators"] = f"No account uses the address {unknown[0]}."
    valid, model_errors = validate_form(SessionCreate, data)
    if errors:
        model_errors.pop("form", None)  # "closes_at needs opens_at" after a bad opens_at
    for name, message in model_errors.items():
        errors.setdefault(FORM_FIELDS.get(name, name), message)
    return (None if errors else valid), errors


async def new_session(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        space, access = await load_space(db, actor, request.path_params["slug"])
        slug, title = space.slug, space.title
    if not access.can_manage:
        require_signed_in(actor)
        raise Forbidden("Only the space's owners and the secretariat create sessions.")

    async def show(form: dict[str, str], errors: dict[str, str], status: int = 200) -> Response:
        context = {
            "space": {"slug": slug, "title": title},
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
        async with ctx.db.write() as uow:
            _, access = await load_space(uow.session, actor, slug)
            session_id = await sessions.create_session(uow, access, data)
        return f"/sessions/{session_id}?notice=session_created"

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
        can_download = await session_report_download(db, actor, session_id)
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
    action: SessionAction,
    notice: str,
    *,
    form: dict[str, str] | None = None,
    form_name: str | None = None,
) -> Response:
    """One moderator action in one write: back to the session page with a notice, or
    the page again with the refusal."""
    ctx, actor = app_context(request), await actor_of(request)

    async def run() -> str:
        async with ctx.db.write() as uow:
            forum_session, access = await load_session(uow.session, actor, session_id)
            await action(uow, forum_session, access)
        return f"/sessions/{session_id}?notice={notice}"

    async def refused(error: DomainError) -> Response:
        return await render_session(
            request, session_id, error=error, form=form, form_name=form_name
        )

    return await attempt(run, refused)


async def open_session(request: Request) -> Response:
    async def action(uow: UnitOfWork, forum_session: ForumSession, access: SessionAccess) -> None:
        await sessions.open_now(uow, access, forum_session)

    return await _act(request, request.path_params["session_id"], action, "opened")


async def close_session(request: Request) -> Response:
    async def action(uow: UnitOfWork, forum_session: ForumSession, access: SessionAccess) -> None:
        await sessions.close_now(uow, access, forum_session)

    return await _act(request, request.path_params["session_id"], action, "closed")


async def extend_session(request: Request) -> Response:
    form = await read_form(request)

    async def action(uow: UnitOfWork, forum_session: ForumSession, access: SessionAccess) -> None:
        closes_at = time_field(form, "closes_at", "New closing time")
        if closes_at is None:
            raise Invalid("New closing time: This is required.", field="closes_at")
        data = SessionUpdate(closes_at=closes_at)
        await sessions.update_session(uow, access, forum_session, data)

    session_id = request.path_params["session_id"]
    return await _act(request, session_id, action, "extended", form=form, form_name="extend")


async def reopen_session(request: Request) -> Response:
    form = await read_form(request)

    async def action(uow: UnitOfWork, forum_session: ForumSession, access: SessionAccess) -> None:
        data = Reopen(closes_at=time_field(form, "closes_at", "New closing time"))
        await sessions.reopen(uow, access, forum_session, data)

    session_id = request.path_params["session_id"]
    return await _act(request, session_id, action, "reopened", form=form, form_name="reopen")


async def add_question(request: Request) -> Response:
    form = await read_form(request)

    async def action(uow: UnitOfWork, forum_session: ForumSession, access: SessionAccess) -> None:
        data = checked(QuestionCreate, {"text": form.get("text", "")}, LABELS)
        await sessions.add_question(uow, access, forum_session, data.text)

    session_id = request.path_params["session_id"]
    return await _act(
        request, session_id, action, "question_added", form=form, form_name="question"
    )


async def edit_question(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    question_id: int = request.path_params["question_id"]
    async with ctx.db.read() as db:
        question = await db.get(Question, question_id)
        try:
            if question is None:
                raise NotFound()
            await load_session(db, actor, question.session_id)
        except NotFound:
            raise NotFound("No such question.") from None
        session_id = question.session_id
    form = await read_form(request)

    async def action(uow: UnitOfWork, forum_session: ForumSession, access: SessionAccess) -> None:
        data = checked(QuestionCreate, {"text": form.get("text", "")}, LABELS)
        question = await uow.session.get(Question, question_id)
        if question is None:
            raise NotFound("No such question.")
        await sessions.edit_question(uow, access, question, data.text)

    return await _act(request, session_id, action, "question_edited")


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
    Route("/sessions/{session_id:int}/questions", add_question, methods=["POST"]),
    Route("/sessions/{session_id:int}/threads", start_topic, methods=["POST"]),
    Route("/questions/{question_id:int}/edit", edit_question, methods=["POST"]),
]
