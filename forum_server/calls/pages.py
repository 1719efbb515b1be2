"""The calls' pages, working without JavaScript: a space's calls, the form to open or
change a call, a call with its status table, submissions, the submission form and the
secretariat's tools (order, reminders, compilation), a submission, and the designated
submitters. Each action calls the same command as its API route."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.calls import commands, queries, reminders, submissions
from forum_server.calls.schemas import (
    MAX_DOCUMENTS,
    CallInput,
    OrderInput,
    SubmissionInput,
    SubmitterInput,
)
from forum_server.calls.views import CallView
from forum_server.errors import DomainError
from forum_server.files.storage import file_store
from forum_server.policy import Actor
from forum_server.rooms.pages.shared import attempt, checkbox
from forum_server.schemas import parse_id, parse_utc, validate
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.forms import read_form, validate_form
from forum_server.web.uploads import read_upload_form

ADDRESSEES = ("party", "other_government", "organization")


def call_from_form(form: dict[str, str]) -> dict[str, Any]:
    """What the form sent, in the shape CallInput takes (the same model as the API): a
    box per addressee, the deadline typed in UTC, the lead times separated by spaces."""
    data: dict[str, Any] = {
        k: form[k] for k in ("title", "text", "symbol", "distribution") if k in form
    }
    data["addressed_to"] = [a for a in ADDRESSEES if checkbox(form, f"to_{a}")]
    raw = form.get("deadline", "")
    try:
        data["deadline"] = parse_utc(raw).isoformat() if raw else raw
    except ValueError:
        data["deadline"] = raw
    days = form.get("reminder_days", "").replace(",", " ").split()
    data["reminder_days"] = [int(d) if d.isascii() and d.isdigit() else d for d in days]
    return data


def _call_values(call: CallView | None) -> dict[str, str]:
    if call is None:
        return {"reminder_days": "7 1", "to_party": "on"}
    values = {k: str(getattr(call, k)) for k in ("title", "text", "symbol", "distribution")}
    values["deadline"] = call.deadline.strftime("%Y-%m-%dT%H:%M")
    values["reminder_days"] = " ".join(str(d) for d in call.reminder_days)
    values.update({f"to_{a}": "on" for a in call.addressed_to})
    return values


async def _call_form(
    request: Request,
    slug: str,
    call: CallView | None,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    error: DomainError | None = None,
) -> Response:
    context = {
        "slug": slug,
        "call": call,
        "values": values,
        "errors": errors or {},
        "form_error": error.message if error else None,
    }
    status = error.status if error else (422 if errors else 200)
    return await app_context(request).templates.page(
        request, "calls/form.html", context, status=status
    )


async def calls_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.calls_of(db, actor, request.path_params["slug"])
    return await ctx.templates.page(request, "calls/list.html", {"listing": found})


async def new_call_page(request: Request) -> Response:
    ctx, actor, slug = app_context(request), await actor_of(request), request.path_params["slug"]
    async with ctx.db.read() as db:
        await queries.check_may_open_call(db, actor, slug)
    return await _call_form(request, slug, None, _call_values(None))


async def create_call(request: Request) -> Response:
    ctx, actor, slug = app_context(request), await actor_of(request), request.path_params["slug"]
    form = await read_form(request)
    data, errors = validate_form(CallInput, call_from_form(form))
    if data is None:
        return await _call_form(request, slug, None, form, errors)
    valid = data

    async def run() -> str:
        return (await commands.open_call(ctx.db, actor, slug, valid)).url

    async def refused(error: DomainError) -> Response:
        return await _call_form(request, slug, None, form, error=error)

    return await attempt(run, refused)


async def edit_call_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        call = await queries.managed_call(db, actor, request.path_params["call_id"])
    return await _call_form(request, call.space_slug, call, _call_values(call))


async def update_call(request: Request) -> Response:
    ctx, actor, call_id = (
        app_context(request),
        await actor_of(request),
        request.path_params["call_id"],
    )
    async with ctx.db.read() as db:
        call = await queries.managed_call(db, actor, call_id)
    form = await read_form(request)
    data, errors = validate_form(CallInput, call_from_form(form))
    if data is None:
        return await _call_form(request, call.space_slug, call, form, errors)
    valid = data

    async def run() -> str:
        return (await commands.update_call(ctx.db, actor, call_id, valid)).url

    async def refused(error: DomainError) -> Response:
        return await _call_form(request, call.space_slug, call, form, error=error)

    return await attempt(run, refused)


async def call_page(
    request: Request,
    error: DomainError | None = None,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        page = await queries.call_page(db, actor, request.path_params["call_id"])
    context = {
        "page": page,
        "values": values or {"public": "on"},
        "errors": errors or {},
        "form_error": error.message if error else None,
        "max_documents": MAX_DOCUMENTS,
        "reminded": parse_id(request.query_params.get("reminded", "")),
    }
    status = error.status if error else (422 if errors else 200)
    return await ctx.templates.page(request, "calls/call.html", context, status=status)


async def _read_submission(request: Request) -> tuple[Any, dict[str, str], dict[str, str], Any]:
    """The multipart form: its model (or None), its fields, their errors, its files."""
    ctx = app_context(request)
    received = await read_upload_form(
        request, file_store(ctx.settings), ctx.settings.max_upload_bytes, max_files=MAX_DOCUMENTS
    )
    form = received.fields
    data, errors = validate_form(
        SubmissionInput, {"text": form.get("text", ""), "public": checkbox(form, "public")}
    )
    if data is None:
        received.discard()
    return data, form, errors, received.files


async def submit(request: Request) -> Response:
    ctx, actor, call_id = (
        app_context(request),
        await actor_of(request),
        request.path_params["call_id"],
    )
    async with ctx.db.read() as db:
        await queries.check_may_submit_now(db, actor, call_id)
    return await _save_submission(request, actor, call_page, call_id=call_id)


async def submission_page(
    request: Request,
    error: DomainError | None = None,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.submission_page(db, actor, request.path_params["submission_id"])
    shown = values or {
        "text": found.submission.text,
        "public": "on" if found.submission.public else "",
    }
    context = {
        "page": found,
        "item": found.submission,
        "values": shown,
        "errors": errors or {},
        "form_error": error.message if error else None,
        "max_documents": MAX_DOCUMENTS,
    }
    status = error.status if error else (422 if errors else 200)
    return await ctx.templates.page(request, "calls/submission.html", context, status=status)


async def update_submission(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    submission_id = request.path_params["submission_id"]
    async with ctx.db.read() as db:
        await queries.check_may_edit_submission(db, actor, submission_id)
    return await _save_submission(request, actor, submission_page, submission_id=submission_id)


class ShowPage(Protocol):
    """A page with its submission form (the call's, or a submission's)."""

    def __call__(
        self,
        request: Request,
        error: DomainError | None = ...,
        values: dict[str, str] | None = ...,
        errors: dict[str, str] | None = ...,
    ) -> Awaitable[Response]: ...


async def _save_submission(
    request: Request, actor: Actor, show: ShowPage, **target: int
) -> Response:
    """A new submission (`call_id`) or a change to one (`submission_id`) from its form;
    the form again, with what was typed and the errors, when it cannot be saved."""
    ctx = app_context(request)
    data, form, errors, files = await _read_submission(request)
    if data is None:
        return await show(request, values=form, errors=errors)
    store, valid = file_store(ctx.settings), data

    async def run() -> str:
        saved = await submissions.save_from_form(ctx.db, store, actor, valid, files, **target)
        return saved.url

    async def refused(error: DomainError) -> Response:
        return await show(request, error, values=form)

    return await attempt(run, refused)


async def remove_document(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    submission_id, file_id = request.path_params["submission_id"], request.path_params["file_id"]
    await read_form(request)  # only the CSRF token, checked on the way in

    async def run() -> str:
        await submissions.remove_document(ctx.db, actor, submission_id, file_id)
        return f"/submissions/{submission_id}"

    async def refused(error: DomainError) -> Response:
        return await submission_page(request, error)

    return await attempt(run, refused)


def order_from_form(form: dict[str, str]) -> dict[str, Any]:
    """Boxes `position-<id>` holding numbers: the ids sorted by them (ties by id)."""
    placed = []
    for key, value in form.items():
        if key.startswith("position-") and (sid := parse_id(key.removeprefix("position-"))):
            placed.append((parse_id(value) or 10**9, sid))
    return {"submission_ids": [sid for _, sid in sorted(placed)]}


async def order(request: Request) -> Response:
    ctx, actor, call_id = (
        app_context(request),
        await actor_of(request),
        request.path_params["call_id"],
    )
    form = await read_form(request)

    async def run() -> str:
        data = validate(OrderInput, order_from_form(form))
        await commands.order_submissions(ctx.db, actor, call_id, data)
        return f"/calls/{call_id}#order"

    async def refused(error: DomainError) -> Response:
        return await call_page(request, error)

    return await attempt(run, refused)


async def remind(request: Request) -> Response:
    ctx, actor, call_id = (
        app_context(request),
        await actor_of(request),
        request.path_params["call_id"],
    )
    await read_form(request)  # only the CSRF token, checked on the way in

    async def run() -> str:
        done = await reminders.remind_now(ctx.db, actor, call_id)
        return f"/calls/{call_id}?reminded={done.reminded}#status"

    async def refused(error: DomainError) -> Response:
        return await call_page(request, error)

    return await attempt(run, refused)


async def submitters_page(
    request: Request, error: DomainError | None = None, values: dict[str, str] | None = None
) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.submitters_page(db, actor, request.path_params["slug"])
    context = {
        "page": found,
        "candidates": [(c.user_id, c.display_name) for c in found.candidates],
        "values": values or {},
        "form_error": error.message if error else None,
    }
    status = error.status if error else 200
    return await ctx.templates.page(request, "calls/submitters.html", context, status=status)


async def add_submitter(request: Request) -> Response:
    ctx, actor, slug = app_context(request), await actor_of(request), request.path_params["slug"]
    form = await read_form(request)

    async def run() -> str:
        fields = {k: form.get(k, "") for k in ("kind", "country", "organization")}
        data = validate(
            SubmitterInput, {"user_id": parse_id(form.get("user_id", "")) or 0, **fields}
        )
        await commands.add_submitter(ctx.db, actor, slug, data)
        return f"/spaces/{slug}/calls/submitters"

    async def refused(error: DomainError) -> Response:
        return await submitters_page(request, error, form)

    return await attempt(run, refused)


async def remove_submitter(request: Request) -> Response:
    ctx, actor, slug = app_context(request), await actor_of(request), request.path_params["slug"]
    await read_form(request)  # only the CSRF token, checked on the way in

    async def run() -> str:
        await commands.remove_submitter(ctx.db, actor, slug, request.path_params["user_id"])
        return f"/spaces/{slug}/calls/submitters"

    async def refused(error: DomainError) -> Response:
        return await submitters_page(request, error)

    return await attempt(run, refused)


routes: list[Route] = [
    Route("/spaces/{slug}/calls", calls_page, methods=["GET"]),
    Route("/spaces/{slug}/calls", create_call, methods=["POST"]),
    Route("/spaces/{slug}/calls/new", new_call_page, methods=["GET"]),
    Route("/spaces/{slug}/calls/submitters", submitters_page, methods=["GET"]),
    Route("/spaces/{slug}/calls/submitters", add_submitter, methods=["POST"]),
    Route(
        "/spaces/{slug}/calls/submitters/{user_id:int}/remove", remove_submitter, methods=["POST"]
    ),
    Route("/calls/{call_id:int}", call_page, methods=["GET"]),
    Route("/calls/{call_id:int}/edit", edit_call_page, methods=["GET"]),
    Route("/calls/{call_id:int}/edit", update_call, methods=["POST"]),
    Route("/calls/{call_id:int}/submissions", submit, methods=["POST"]),
    Route("/calls/{call_id:int}/order", order, methods=["POST"]),
    Route("/calls/{call_id:int}/remind", remind, methods=["POST"]),
    Route("/submissions/{submission_id:int}", submission_page, methods=["GET"]),
    Route("/submissions/{submission_id:int}/edit", update_submission, methods=["POST"]),
    Route(
        "/submissions/{submission_id:int}/files/{file_id:int}/remove",
        remove_document,
        methods=["POST"],
    ),
]
