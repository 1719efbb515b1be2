"""Session pages: creating a session, the session page, and the forms on it that
moderators (open, close, extend, re-open, questions), the space's managers (the
session's moderators) and participants (topics) use. Each form calls one command."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.consent import terms
from forum_server.db import Database
from forum_server.decide import queries as decide_queries
from forum_server.errors import DomainError, Invalid
from forum_server.i18n import N_, gettext
from forum_server.mail import watching
from forum_server.mail.compose import Target
from forum_server.mail.reply_tokens import topic_address
from forum_server.orm import utcnow
from forum_server.policy import Actor, require_caller
from forum_server.reports.access import session_report_download
from forum_server.rooms import (
    queries,
    reading,
    reopening,
    session_moderators,
    sessions,
)
from forum_server.rooms.admission import DEFAULT_MESSAGE_LIMIT
from forum_server.rooms.pages.shared import (
    attempt,
    checkbox,
    checked,
    field_problem,
    lines,
    live_resume_position,
    names_list,
    notice_from,
    session_status,
    time_field,
)
from forum_server.rooms.schemas import (
    QuestionCreate,
    Reopen,
    SessionCreate,
    SessionModerators,
    SessionUpdate,
)
from forum_server.rooms.space_views import SessionDetail, SpaceSummary
from forum_server.rooms.state import MEMBERS, SCHEDULED
from forum_server.schemas import problem_text
from forum_server.times import utc_time
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.forms import read_form, validate_form

POSTING_CHOICES = [
    ("signed_in", N_("Anyone signed in")),
    (MEMBERS, N_("Members of this space only")),
]
MAX_REOPEN_DAYS = 366
LABELS = {
    "text": N_("Question"),
    "opens_at": N_("Opening time"),
    "description": N_("Description"),
    "closes_at": N_("Closing time"),
    "title": N_("Title"),
    "body": N_("Text"),
    "client_id": N_("Form"),
    "moderator_ids": N_("Moderators"),
    "lang": N_("Language of your contribution"),
    "format": N_("Kind of session"),
    "message_limit": N_("Messages per minute per participant"),
    "planned_at": N_("Planned time (UTC)"),
    "report_symbol": N_("Document symbol"),
    "report_distribution": N_("Distribution"),
}
FORMAT_CHOICES = [
    ("forum", N_("Forum: threads over days")),
    ("conference", N_("Conference: a live conversation by agenda")),
]
COVER_FIELDS = ("report_symbol", "report_distribution")
# Fields of SessionCreate that the form calls by another name.
FORM_FIELDS = {"moderator_ids": "moderators"}


# --- creating a session -------------------------------------------------------------


async def _moderator_ids(db: Database, text: str) -> tuple[list[int], str | None]:
    """The accounts named by address in a moderators field (one a line), and the
    problem with it, if any."""
    emails = lines(text)
    if not emails:
        return [], None
    ids, unknown = await session_moderators.moderators_by_email(db, emails)
    if not unknown:
        return ids, None
    return ids, gettext("No account uses the address %(email)s.", email=unknown[0])


async def _session_input(
    request: Request, form: dict[str, str]
) -> tuple[SessionCreate | None, dict[str, str]]:
    errors: dict[str, str] = {}
    data: dict[str, Any] = {
        "title": form.get("title", ""),
        "questions": lines(form.get("questions", "")),
        "participant_topics": checkbox(form, "participant_topics"),
    }
    for optional in ("description", "posting", "format", *COVER_FIELDS):
        if form.get(optional):
            data[optional] = form[optional]
    for name in ("opens_at", "closes_at"):
        try:
            when = utc_time(form.get(name, ""))
        except ValueError as exc:
            errors[name] = problem_text(exc)
        else:
            if when is not None:
                data[name] = when
    try:
        data["message_limit"] = _message_limit(form)
    except Invalid as exc:
        errors["message_limit"] = exc.message
    moderators = form.get("moderators", "")
    data["moderator_ids"], unknown = await _moderator_ids(app_context(request).db, moderators)
    if unknown:
        errors["moderators"] = unknown
    valid, model_errors = validate_form(SessionCreate, data)
    if errors:
        model_errors.pop("form", None)  # "closes_at needs opens_at" after a bad opens_at
    for name, message in model_errors.items():
        errors.setdefault(FORM_FIELDS.get(name, name), message)
    return (None if errors else valid), errors


async def _new_session_form(
    request: Request,
    space: SpaceSummary,
    form: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    context = {
        "space": space,
        "form": form,
        "errors": errors,
        "posting_choices": [(value, gettext(label)) for value, label in POSTING_CHOICES],
        "format_choices": [(value, gettext(label)) for value, label in FORMAT_CHOICES],
    }
    templates = app_context(request).templates
    return await templates.page(request, "rooms/session_new.html", context, status=status)


async def new_session(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    slug = request.path_params["slug"]
    async with ctx.db.read() as db:
        space = await queries.space_to_manage(db, actor, slug)
    if request.method == "GET":
        return await _new_session_form(
            request, space, {"posting": "signed_in", "format": "forum"}, {}
        )
    form = await read_form(request)
    data, errors = await _session_input(request, form)
    if data is None:
        return await _new_session_form(request, space, form, errors, status=422)

    async def create(data: SessionCreate = data) -> str:
        detail = await sessions.create_session(ctx.db, actor, slug, data)
        return f"/sessions/{detail.id}?notice=session_created"

    async def refused(error: DomainError) -> Response:
        field = FORM_FIELDS.get(error.field or "form", error.field or "form")
        return await _new_session_form(request, space, form, {field: error.message}, error.status)

    return await attempt(create, refused)


# --- the session page and its forms -----------------------------------------------


async def render_session(
    request: Request,
    session_id: int,
    *,
    error: DomainError | None = None,
    form: dict[str, str] | None = None,
    form_name: str | None = None,
    preview_html: str | None = None,
) -> Response:
    """The session page; after a refused form, with the message and what was typed;
    for a new topic's preview, its text rendered above the form, the text kept."""
    ctx, actor = app_context(request), await actor_of(request)
    live_after = live_resume_position(request)
    async with ctx.db.read() as db:
        detail = await queries.session_detail(db, actor, session_id)
        can_download = await session_report_download(db, actor, session_id)
        watch = await watching.watch_state(db, actor, Target("session", session_id))
        unread = await reading.unread_in_session(db, actor, session_id)
        polls_here = await decide_queries.polls_on_page(
            db, actor, ctx.settings.secret_key, session_id=session_id
        )
        by_mail, consent = None, None
        if detail.can_start_topic:
            by_mail = await topic_address(db, ctx.settings, actor.user_id, session_id)
            consent = await terms.consent(db, actor, detail.space.slug)
    context = {
        "topic_address": by_mail,
        "consent": consent,
        "terms_error": error.message if error and error.field == "accept_terms" else None,
        "session": detail,
        "moderator_names": names_list([m["display_name"] for m in detail.moderators]),
        "watch": watch,
        "live_after": live_after,
        "can_download_report": can_download,
        "status": session_status(detail, utcnow()),
        "notice": None if error else notice_from(request),
        "form_error": error.message if error else None,
        "form": form or {},
        "form_name": form_name,
        "client_id": secrets.token_urlsafe(12),
        "unread": unread,
        "polls": polls_here.polls,
        "may_start_poll": polls_here.may_start,
        "format_choices": [(value, gettext(label)) for value, label in FORMAT_CHOICES],
        "default_limit": DEFAULT_MESSAGE_LIMIT,
        "preview_html": preview_html,
    }
    status = error.status if error else 200
    return await ctx.templates.page(request, "rooms/session.html", context, status=status)


async def session_page(request: Request) -> Response:
    return await render_session(request, request.path_params["session_id"])


# A form's command: (database, actor, session id, the form) -> whatever it returns.
FormCommand = Callable[[Database, Actor, int, dict[str, str]], Awaitable[object]]


async def _act(
    request: Request,
    command: FormCommand,
    notice: str | Callable[[object], str],
    form_name: str | None = None,
) -> Response:
    """One moderator form, one command: back to the session page with a notice, or the
    page again with the refusal and what was typed (sign in first, for anonymous
    callers: the session may not be theirs to see)."""
    ctx, actor = app_context(request), await actor_of(request)
    require_caller(actor)  # before reading the form: a refusal would show the session
    session_id: int = request.path_params["session_id"]
    form = await read_form(request)

    async def run() -> str:
        done = await command(ctx.db, actor, session_id, form)
        said = notice if isinstance(notice, str) else notice(done)
        return f"/sessions/{session_id}?notice={said}"

    async def refused(error: DomainError) -> Response:
        return await render_session(
            request, session_id, error=error, form=form, form_name=form_name
        )

    return await attempt(run, refused)


async def _open(db: Database, actor: Actor, session_id: int, form: dict[str, str]) -> object:
    return await sessions.open_now(db, actor, session_id)


async def _close(db: Database, actor: Actor, session_id: int, form: dict[str, str]) -> object:
    return await sessions.close_now(db, actor, session_id)


async def _extend(db: Database, actor: Actor, session_id: int, form: dict[str, str]) -> object:
    closes_at = time_field(form, "closes_at", N_("New closing time"))
    if closes_at is None:
        raise field_problem(N_("New closing time"), gettext("This is required."), "closes_at")
    return await sessions.update_session(db, actor, session_id, SessionUpdate(closes_at=closes_at))


async def _reopen(db: Database, actor: Actor, session_id: int, form: dict[str, str]) -> object:
    """Now or from a later time; for a number of days, until a time, or open-ended."""
    opens_at = time_field(form, "opens_at", N_("Re-open on"))
    closes_at = time_field(form, "closes_at", N_("New closing time"))
    days = form.get("days", "").strip()
    if days and closes_at is None:
        if not days.isdigit() or not 1 <= int(days) <= MAX_REOPEN_DAYS:
            problem = gettext("Give a whole number of days from 1 to %(max)s.", max=MAX_REOPEN_DAYS)
            raise field_problem(N_("For how many days"), problem, "days")
        closes_at = (opens_at or utcnow()) + timedelta(days=int(days))
    fields = {"opens_at": opens_at, "closes_at": closes_at}
    data = checked(Reopen, {k: v for k, v in fields.items() if v is not None}, LABELS)
    return await reopening.reopen(db, actor, session_id, data)


async def _times(db: Database, actor: Actor, session_id: int, form: dict[str, str]) -> object:
    """A draft's or scheduled session's opening and closing (empty: none)."""
    opens_at = time_field(form, "opens_at", N_("Opening time"))
    if opens_at is None:
        raise field_problem(N_("Opening time"), gettext("This is required."), "opens_at")
    closes_at = time_field(form, "closes_at", N_("Closing time"))
    data = checked(SessionUpdate, {"opens_at": opens_at, "closes_at": closes_at}, LABELS)
    return await sessions.update_session(db, actor, session_id, data)


async def _cancel_reopening(
    db: Database, actor: Actor, session_id: int, form: dict[str, str]
) -> object:
    return await reopening.cancel_reopening(db, actor, session_id)


async def _edit(db: Database, actor: Actor, session_id: int, form: dict[str, str]) -> object:
    fields = {"title": form.get("title", ""), "description": form.get("description", "")}
    data = checked(SessionUpdate, fields, LABELS)
    return await sessions.update_session(db, actor, session_id, data)


async def _moderators(db: Database, actor: Actor, session_id: int, form: dict[str, str]) -> object:
    ids, unknown = await _moderator_ids(db, form.get("moderators", ""))
    if unknown:
        raise field_problem(N_("Moderators"), unknown, "moderators")
    data = checked(SessionModerators, {"moderator_ids": ids}, LABELS)
    return await session_moderators.set_moderators(db, actor, session_id, data)


def _question_input(form: dict[str, str]) -> QuestionCreate:
    data: dict[str, Any] = {"text": form.get("text", "")}
    if "planned_at" in form:  # the field is on the form of a conference only
        data["planned_at"] = time_field(form, "planned_at", LABELS["planned_at"])
    return checked(QuestionCreate, data, LABELS)


async def _cover(db: Database, actor: Actor, session_id: int, form: dict[str, str]) -> object:
    data = checked(SessionUpdate, {name: form.get(name, "") for name in COVER_FIELDS}, LABELS)
    return await sessions.update_session(db, actor, session_id, data)


async def _question(db: Database, actor: Actor, session_id: int, form: dict[str, str]) -> object:
    return await sessions.add_question(db, actor, session_id, _question_input(form))


def _message_limit(form: dict[str, str]) -> int | None:
    limit = form.get("message_limit", "").strip()
    if not limit:
        return None  # the default
    if not (limit.isascii() and limit.isdigit() and len(limit) < 6):
        message = gettext("must be a whole number")
        raise field_problem(LABELS["message_limit"], message, "message_limit")
    return int(limit)


async def _conference(db: Database, actor: Actor, session_id: int, form: dict[str, str]) -> object:
    data = {"format": form.get("format", ""), "message_limit": _message_limit(form)}
    return await sessions.update_session(
        db, actor, session_id, checked(SessionUpdate, data, LABELS)
    )


async def open_session(request: Request) -> Response:
    return await _act(request, _open, "opened")


async def close_session(request: Request) -> Response:
    return await _act(request, _close, "closed")


async def extend_session(request: Request) -> Response:
    return await _act(request, _extend, "extended", form_name="extend")


def _reopen_notice(detail: object) -> str:
    scheduled = isinstance(detail, SessionDetail) and detail.state == SCHEDULED
    return "reopening_scheduled" if scheduled else "reopened"


async def reopen_session(request: Request) -> Response:
    return await _act(request, _reopen, _reopen_notice, form_name="reopen")


async def change_times(request: Request) -> Response:
    return await _act(request, _times, "times_changed", form_name="times")


async def cancel_reopening(request: Request) -> Response:
    return await _act(request, _cancel_reopening, "reopening_cancelled")


async def edit_session(request: Request) -> Response:
    return await _act(request, _edit, "session_edited", form_name="edit")


async def change_moderators(request: Request) -> Response:
    return await _act(request, _moderators, "moderators_changed", form_name="moderators")


async def change_report_cover(request: Request) -> Response:
    return await _act(request, _cover, "report_cover_changed", form_name="cover")


async def add_question(request: Request) -> Response:
    return await _act(request, _question, "question_added", form_name="question")


async def conference_settings(request: Request) -> Response:
    return await _act(request, _conference, "conference_settings", form_name="conference")


async def edit_question(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    require_caller(actor)
    question_id, form = request.path_params["question_id"], await read_form(request)

    async def edit() -> str:
        question = await sessions.edit_question(ctx.db, actor, question_id, _question_input(form))
        return f"/sessions/{question.session_id}?notice=question_edited"

    async def refused(error: DomainError) -> Response:
        async with ctx.db.read() as db:
            question = await queries.question_detail(db, actor, question_id)
        return await render_session(request, question.session_id, error=error)

    return await attempt(edit, refused)


routes: list[Route] = [
    Route("/spaces/{slug}/sessions/new", new_session, methods=["GET", "POST"]),
    Route("/sessions/{session_id:int}", session_page, methods=["GET"]),
    Route("/sessions/{session_id:int}/open", open_session, methods=["POST"]),
    Route("/sessions/{session_id:int}/close", close_session, methods=["POST"]),
    Route("/sessions/{session_id:int}/extend", extend_session, methods=["POST"]),
    Route("/sessions/{session_id:int}/reopen", reopen_session, methods=["POST"]),
    Route("/sessions/{session_id:int}/reopening/cancel", cancel_reopening, methods=["POST"]),
    Route("/sessions/{session_id:int}/edit", edit_session, methods=["POST"]),
    Route("/sessions/{session_id:int}/times", change_times, methods=["POST"]),
    Route("/sessions/{session_id:int}/moderators", change_moderators, methods=["POST"]),
    Route("/sessions/{session_id:int}/questions", add_question, methods=["POST"]),
    Route("/sessions/{session_id:int}/conference/settings", conference_settings, methods=["POST"]),
    Route("/sessions/{session_id:int}/report-cover", change_report_cover, methods=["POST"]),
    Route("/questions/{question_id:int}/edit", edit_question, methods=["POST"]),
]
