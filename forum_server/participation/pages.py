"""The participation dashboard's pages, working without JavaScript: the dashboard (which
forum.js refreshes in place), the expected turnout's form, and the reminder, asked
for on a confirmation page (a dialog with JavaScript). Each action calls the same
command as its API route."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.errors import DomainError
from forum_server.i18n import N_
from forum_server.participation import commands, queries
from forum_server.participation.schemas import ExpectationInput
from forum_server.rooms.pages.shared import attempt, checked
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.forms import read_form

# Said after a form, by a fixed code: the page never echoes what it was given.
DONE = ("reminded", "expected")
LABELS = {"expected_participants": N_("Participants expected")}
REFRESH_SECONDS = 60


async def dashboard_page(
    request: Request, error: DomainError | None = None, form: dict[str, str] | None = None
) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.session_participation(db, actor, request.path_params["session_id"])
    done = request.query_params.get("done")
    context = {
        "page": found,
        "done": done if done in DONE and error is None else None,
        "form_error": error.message if error else None,
        "form": form or {},
        "refresh_seconds": REFRESH_SECONDS,
    }
    status = error.status if error else 200
    return await ctx.templates.page(request, "participation/dashboard.html", context, status=status)


async def reminder_confirm_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.session_participation(db, actor, request.path_params["session_id"])
    context = {"page": found}
    return await ctx.templates.page(request, "participation/remind.html", context)


async def send_reminder(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    session_id: int = request.path_params["session_id"]
    await read_form(request)  # only the CSRF token, checked on the way in

    async def run() -> str:
        await commands.send_reminder(ctx.db, actor, session_id)
        return f"/sessions/{session_id}/participation?done=reminded"

    async def refused(error: DomainError) -> Response:
        return await dashboard_page(request, error)

    return await attempt(run, refused)


async def set_expectation(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    session_id: int = request.path_params["session_id"]
    form = await read_form(request)
    raw = form.get("expected_participants", "").strip()

    async def run() -> str:
        number = int(raw) if raw.isascii() and raw.isdigit() else raw or None
        data = checked(ExpectationInput, {"expected_participants": number}, LABELS)
        await commands.set_expectation(ctx.db, actor, session_id, data)
        return f"/sessions/{session_id}/participation?done=expected"

    async def refused(error: DomainError) -> Response:
        return await dashboard_page(request, error, form)

    return await attempt(run, refused)


routes = [
    Route("/sessions/{session_id:int}/participation", dashboard_page, methods=["GET"]),
    Route(
        "/sessions/{session_id:int}/participation/remind", reminder_confirm_page, methods=["GET"]
    ),
    Route("/sessions/{session_id:int}/participation/reminders", send_reminder, methods=["POST"]),
    Route("/sessions/{session_id:int}/participation/expected", set_expectation, methods=["POST"]),
]
