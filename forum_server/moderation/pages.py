"""Browser pages for moderation, all working without JavaScript: the review queue,
the forms behind the moderator controls on thread pages, posting as a guest, the
session summary editor and the audit log. Every form posts with its CSRF token and
is answered with a redirect back (303)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from forum_server.consent import terms
from forum_server.errors import DomainError, Invalid, NotFound
from forum_server.i18n import N_
from forum_server.i18n import gettext as _
from forum_server.moderation import (
    audit_labels,
    auditlog,
    flags,
    holding,
    posts,
    queries,
    summaries,
    suspensions,
)
from forum_server.moderation.actions import POST_ACTIONS
from forum_server.moderation.schemas import Reason, SettingsUpdate, SummaryWrite, SuspensionCreate
from forum_server.rooms import posting, preview
from forum_server.rooms import queries as rooms_queries
from forum_server.rooms.pages.shared import accepted_terms
from forum_server.rooms.schemas import PostCreate, PreviewInput
from forum_server.schemas import validate
from forum_server.summaries import summary_detail
from forum_server.times import utc_time
from forum_server.web.api import query_int
from forum_server.web.auth import actor_of, client_address
from forum_server.web.context import app_context
from forum_server.web.forms import read_form, validate_form
from forum_server.web.outcomes import ACTION_OUTCOMES, with_outcome
from forum_server.web.redirects import safe_next

# How the guest form's fields are named in messages (the API names them by their keys).
GUEST_LABELS = {
    "guest_name": N_("Your name"),
    "guest_email": N_("Your e-mail address"),
    "body": N_("Text"),
    "accept_terms": N_("Participation terms"),
}


def _back(form: dict[str, str], default: str, done: str | None = None, **ids: int) -> Response:
    """Back where the form came from; to a thread page with `done`, which says there
    what was done."""
    target = safe_next(form.get("next"), default)
    if done is not None and target.startswith("/threads/"):
        target = with_outcome(target, done, **ids)
    return RedirectResponse(target, status_code=303)


def _optional_reason(form: dict[str, str]) -> str | None:
    return form.get("reason", "").strip() or None


# --- the queue ---------------------------------------------------------------------


async def queue_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    space = request.query_params.get("space") or None
    async with ctx.db.read() as db:
        queue = await queries.moderation_queue(db, actor, space)
    context = {"queue": queue, "space": space, "here": request.url.path + _query(request)}
    return await ctx.templates.page(request, "moderation/queue.html", context)


def _query(request: Request) -> str:
    return f"?{request.url.query}" if request.url.query else ""


# --- actions behind the forms ------------------------------------------------------


async def post_action(request: Request) -> Response:
    """The forms behind a post's moderator controls: the API's table of actions."""
    ctx, actor = app_context(request), await actor_of(request)
    action = POST_ACTIONS.get(request.path_params["action"])
    if action is None:
        raise NotFound()
    form = await read_form(request)
    data = validate(action.body, action.reason_from(form))
    post_id: int = request.path_params["post_id"]
    await action.run(ctx.db, actor, post_id, data)
    return _back(form, "/moderation", ACTION_OUTCOMES[action.name], post=post_id)


async def flag(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    form = await read_form(request)
    data = validate(Reason, {"reason": form.get("reason", "")})
    post_id: int = request.path_params["post_id"]
    await flags.flag_post(ctx.db, actor, post_id, data.reason)
    return _back(form, "/moderation", "flagged", post=post_id)


async def dismiss_flag(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    form = await read_form(request)
    await flags.dismiss_flag(ctx.db, actor, request.path_params["flag_id"])
    return _back(form, "/moderation")


async def thread_lock(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    thread_id: int = request.path_params["thread_id"]
    form = await read_form(request)
    locked = request.url.path.endswith("/lock")
    await posts.set_lock(ctx.db, actor, thread_id, locked, _optional_reason(form))
    return _back(form, f"/threads/{thread_id}", "locked" if locked else "unlocked")


async def question_summary(request: Request) -> Response:
    """The summary editor on a guiding question's thread page."""
    ctx, actor = app_context(request), await actor_of(request)
    thread_id: int = request.path_params["thread_id"]
    form = await read_form(request)
    await summaries.write_thread_summary(ctx.db, actor, thread_id, _summary_body(form))
    return _back(form, f"/threads/{thread_id}")


def _summary_body(form: dict[str, str]) -> str:
    # The API's model: the same limits (a text too long to render is a 422, not a 500).
    return validate(SummaryWrite, {"body": form.get("body", "")}).body


async def suspend(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    slug: str = request.path_params["slug"]
    form = await read_form(request)
    data: dict[str, Any] = {
        "user_id": _whole(form.get("user_id", "")),
        "reason": form.get("reason", ""),
    }
    if form.get("until"):
        data["until"] = _until(form["until"])
    suspended = await suspensions.suspend_in_space(
        ctx.db, actor, slug, validate(SuspensionCreate, data)
    )
    return _back(form, "/moderation", "suspended", **_post_of(form), suspension=suspended.id)


async def lift(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    form = await read_form(request)
    await suspensions.lift_in_space(
        ctx.db, actor, request.path_params["slug"], request.path_params["suspension_id"]
    )
    return _back(form, "/moderation", "lifted", **_post_of(form))


def _post_of(form: dict[str, str]) -> dict[str, int]:
    """The post a suspension was decided from (its thread page says so there)."""
    found = _whole_or_none(form.get("post_id", ""))
    return {"post": found} if found is not None else {}


def _whole_or_none(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 18 else None


def _whole(value: str) -> int:
    if not (value.isascii() and value.isdigit() and len(value) < 18):
        raise Invalid("User: no such user.", field="user_id")
    return int(value)


def _until(value: str) -> datetime | None:
    """A `datetime-local` value (no offset) is taken as UTC, as the form says."""
    try:
        return utc_time(value)
    except ValueError as error:
        raise Invalid("until: %(problem)s", field="until", params={"problem": error}) from None


# --- posting as a guest ------------------------------------------------------------


async def guest_post(request: Request) -> Response:
    """The open forum's form for people without an account; what they write waits for
    a moderator, and the page says so."""
    if request.method == "GET":
        return await _guest_form(request)
    ctx, actor = app_context(request), await actor_of(request)
    thread_id: int = request.path_params["thread_id"]
    form = await read_form(request)
    if form.get("preview"):
        return await _guest_preview(request, thread_id, form)
    data: dict[str, Any] = {k: form[k] for k in ("body", "guest_name") if k in form}
    if form.get("guest_email"):
        data["guest_email"] = form["guest_email"]
    data["accept_terms"] = accepted_terms(form)  # the terms' version, accepted on the form
    try:
        client = client_address(request, ctx.settings)
        posted = await posting.create_post(
            ctx.db, actor, thread_id, validate(PostCreate, data), client=client
        )
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        return await _guest_form(request, form, error)
    if posted.post.status == "published":
        return RedirectResponse(f"/threads/{thread_id}#post-{posted.post.id}", status_code=303)
    return RedirectResponse(f"/threads/{thread_id}/guest-post?received=1", status_code=303)


async def _guest_preview(request: Request, thread_id: int, form: dict[str, str]) -> Response:
    """The guest form's Preview: the text rendered above the form, everything kept."""
    ctx, actor = app_context(request), await actor_of(request)
    try:
        data = validate(PreviewInput, {"body": form.get("body", "")})
        client = client_address(request, ctx.settings)
        shown = await preview.render_preview(
            ctx.db, actor, data, client=client, thread_id=thread_id
        )
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        return await _guest_form(request, form, error)
    return await _guest_form(request, form, preview_html=shown["html"])


async def _guest_form(
    request: Request,
    form: dict[str, str] | None = None,
    error: DomainError | None = None,
    preview_html: str | None = None,
) -> Response:
    """The guest form; after a refusal, with the message (naming fields by their labels)
    and what they wrote kept in it; for a preview, with the rendered text above it."""
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        detail = await rooms_queries.thread_detail(db, actor, request.path_params["thread_id"])
        consent = await terms.consent(db, actor, detail.session.space.slug)
    message = error.message if error else None
    for field, label in GUEST_LABELS.items():
        message = message.replace(f"{field}: ", _(label) + ": ") if message else None
    context: dict[str, Any] = {
        "thread": detail.thread,
        "session": detail.session,
        "form": form or {},
        "form_error": message,
        "consent": consent,
        "terms_error": message if error and error.field == "accept_terms" else None,
        "received": request.query_params.get("received") == "1",
        "preview_html": preview_html,
    }
    headers = {"Retry-After": str(error.retry_after)} if error and error.retry_after else None
    status = error.status if error else 200
    template = "moderation/guest_post.html"
    return await ctx.templates.page(request, template, context, status=status, headers=headers)


# --- the session's summary ---------------------------------------------------------


async def session_summary(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    session_id: int = request.path_params["session_id"]
    if request.method == "POST":
        form = await read_form(request)
        await summaries.write_session_summary(ctx.db, actor, session_id, _summary_body(form))
        return RedirectResponse(f"/sessions/{session_id}/summary", status_code=303)
    async with ctx.db.read() as db:
        session = await rooms_queries.session_detail(db, actor, session_id)
        detail = await summary_detail(db, actor, session_id=session_id)
    context = {"session": session, "detail": detail}
    return await ctx.templates.page(request, "moderation/summary.html", context)


# --- the audit log -----------------------------------------------------------------


async def audit_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    slug: str = request.path_params["slug"]
    filters = auditlog.AuditFilters.parse(request.query_params)
    after = query_int(request, "after") or 0
    async with ctx.db.read() as db:
        space = await rooms_queries.space_detail(db, actor, slug)
        page = await auditlog.space_audit(db, actor, slug, filters, after=after, limit=100)
    kept = {
        key: request.query_params[key]
        for key in ("action", "actor", "since", "until")
        if request.query_params.get(key)
    }
    context = {
        "space": space.space,
        "page": page,
        "filters": kept,
        "next_url": f"?{urlencode({**kept, 'after': page.next})}" if page.next else None,
        "csv_url": f"/api/v1/spaces/{slug}/audit?{urlencode({**kept, 'format': 'csv'})}",
        "action_label": audit_labels.action_label,
        "row_action": audit_labels.row_action,
        "row_target": audit_labels.row_target,
        "row_reason": audit_labels.row_reason,
    }
    return await ctx.templates.page(request, "moderation/audit.html", context)


# --- holding rules and posting limits -----------------------------------------------


async def settings_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    slug: str = request.path_params["slug"]
    form: dict[str, str] = await read_form(request) if request.method == "POST" else {}
    update, errors = _limits_from(form) if form else (None, {})
    if update is not None:
        await holding.change_holding_rules(ctx.db, actor, slug, update)
        return RedirectResponse(f"/spaces/{slug}/moderation?saved=1", status_code=303)
    async with ctx.db.read() as db:
        space = await rooms_queries.space_detail(db, actor, slug)
        rules = await holding.holding_rules(db, actor, slug)
    # After a refusal, what was typed; otherwise what is in force.
    values = {**rules.as_json(), **{k: form.get(k, "") for k in _LIMIT_FIELDS if errors}}
    context = {
        "space": space.space,
        "values": values,
        "errors": errors,
        "saved": request.query_params.get("saved") == "1",
    }
    status = 422 if errors else 200
    return await ctx.templates.page(request, "moderation/settings.html", context, status=status)


def _limits_from(form: dict[str, str]) -> tuple[SettingsUpdate | None, dict[str, str]]:
    data: dict[str, Any] = {key: _number(form.get(key, "")) for key in _LIMIT_FIELDS}
    data["hold_guest_posts"] = "hold_guest_posts" in form
    return validate_form(SettingsUpdate, data)


_LIMIT_FIELDS = ("hold_first_posts", "account_post_limit", "guest_post_limit")


def _number(value: str) -> int | str:
    """A whole number as typed, or the text itself for validation to refuse."""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else value


routes: list[Route] = [
    Route("/moderation", queue_page, methods=["GET"]),
    Route("/moderation/posts/{post_id:int}/flag", flag, methods=["POST"]),
    Route("/moderation/posts/{post_id:int}/{action:str}", post_action, methods=["POST"]),
    Route("/moderation/flags/{flag_id:int}/dismiss", dismiss_flag, methods=["POST"]),
    Route("/moderation/threads/{thread_id:int}/lock", thread_lock, methods=["POST"]),
    Route("/moderation/threads/{thread_id:int}/unlock", thread_lock, methods=["POST"]),
    Route("/moderation/threads/{thread_id:int}/summary", question_summary, methods=["POST"]),
    Route("/moderation/spaces/{slug}/suspensions", suspend, methods=["POST"]),
    Route("/moderation/spaces/{slug}/suspensions/{suspension_id:int}/lift", lift, methods=["POST"]),
    Route("/threads/{thread_id:int}/guest-post", guest_post, methods=["GET", "POST"]),
    Route("/sessions/{session_id:int}/summary", session_summary, methods=["GET", "POST"]),
    Route("/spaces/{slug}/audit", audit_page, methods=["GET"]),
    Route("/spaces/{slug}/moderation", settings_page, methods=["GET", "POST"]),
]
