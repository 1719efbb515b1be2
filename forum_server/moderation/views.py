"""JSON API routes for moderation: the queue, actions on posts and threads, flags,
suspensions, running summaries, holding rules and the audit log. Each route parses
its input, calls one service function and formats the result."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from forum_server.db import Database
from forum_server.moderation import (
    auditlog,
    flags,
    holding,
    posts,
    queries,
    summaries,
    suspensions,
)
from forum_server.moderation.queries import SummaryView
from forum_server.moderation.schemas import (
    Empty,
    OptionalReason,
    Reason,
    SettingsUpdate,
    SummaryWrite,
    SuspensionCreate,
)
from forum_server.policy import Actor
from forum_server.rooms.posts_view import PostView
from forum_server.web.api import (
    ApiRouter,
    json_response,
    parse_body,
    path_int,
    query_int,
    query_time,
)
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context

api = ApiRouter()

AUDIT_QUERY = ("action", "actor", "since", "until", "after", "limit", "format")


def _post(view: PostView) -> Response:
    return json_response(view.as_json())


# --- the queue ---------------------------------------------------------------------


@api.route(
    "GET",
    "/moderation/queue",
    summary="Posts awaiting review and open flags where the caller moderates",
    query=("space",),
)
async def queue(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.moderation_queue(db, actor, request.query_params.get("space"))
    return json_response(found.as_json())


# --- posts and threads -------------------------------------------------------------


@api.route("POST", "/posts/{post_id:int}/approve", summary="Publish a held post", body=Empty)
async def approve(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    await parse_body(request, Empty)
    return _post(await posts.approve_post(ctx.db, actor, path_int(request, "post_id")))


@api.route(
    "POST", "/posts/{post_id:int}/reject", summary="Turn a held post down", body=OptionalReason
)
async def reject(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, OptionalReason)
    view = await posts.reject_post(ctx.db, actor, path_int(request, "post_id"), data.reason)
    return _post(view)


@api.route("POST", "/posts/{post_id:int}/hide", summary="Hide a post, with a reason", body=Reason)
async def hide(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, Reason)
    return _post(await posts.hide_post(ctx.db, actor, path_int(request, "post_id"), data.reason))


@api.route("POST", "/posts/{post_id:int}/restore", summary="Show a hidden post again", body=Empty)
async def restore(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    await parse_body(request, Empty)
    return _post(await posts.restore_post(ctx.db, actor, path_int(request, "post_id")))


@api.route(
    "POST", "/posts/{post_id:int}/highlight", summary="Mark for the summary report", body=Empty
)
async def highlight(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    await parse_body(request, Empty)
    return _post(await posts.set_highlight(ctx.db, actor, path_int(request, "post_id"), True))


@api.route("POST", "/posts/{post_id:int}/unhighlight", summary="Unmark a post", body=Empty)
async def unhighlight(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    await parse_body(request, Empty)
    return _post(await posts.set_highlight(ctx.db, actor, path_int(request, "post_id"), False))


async def _lock(request: Request, locked: bool) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, OptionalReason)
    thread_id = path_int(request, "thread_id")
    state = await posts.set_lock(ctx.db, actor, thread_id, locked, data.reason)
    return json_response({"id": thread_id, "locked": state})


@api.route("POST", "/threads/{thread_id:int}/lock", summary="Lock a thread", body=OptionalReason)
async def lock(request: Request) -> Response:
    return await _lock(request, True)


@api.route(
    "POST", "/threads/{thread_id:int}/unlock", summary="Unlock a thread", body=OptionalReason
)
async def unlock(request: Request) -> Response:
    return await _lock(request, False)


# --- flags -------------------------------------------------------------------------


@api.route(
    "POST",
    "/posts/{post_id:int}/flags",
    summary="Ask the moderators to look at a post",
    body=Reason,
    status=201,
)
async def flag(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, Reason)
    receipt = await flags.flag_post(ctx.db, actor, path_int(request, "post_id"), data.reason)
    return json_response(receipt.as_json(), status=201)


@api.route("POST", "/flags/{flag_id:int}/dismiss", summary="Dismiss a flag", body=Empty)
async def dismiss(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    await parse_body(request, Empty)
    flag_id = path_int(request, "flag_id")
    await flags.dismiss_flag(ctx.db, actor, flag_id)
    return json_response({"id": flag_id, "status": "dismissed"})


# --- suspensions -------------------------------------------------------------------


@api.route(
    "POST",
    "/spaces/{slug}/suspensions",
    summary="Suspend a user from posting in the space",
    body=SuspensionCreate,
    status=201,
)
async def suspend(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, SuspensionCreate)
    view = await suspensions.suspend_in_space(ctx.db, actor, request.path_params["slug"], data)
    return json_response(view.as_json(), status=201)


@api.route(
    "GET", "/spaces/{slug}/suspensions", summary="The space's suspensions", query=("active",)
)
async def list_space_suspensions(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    active = request.query_params.get("active") in {"1", "true"}
    async with ctx.db.read() as db:
        found = await suspensions.space_suspensions(
            db, actor, request.path_params["slug"], active_only=active
        )
    return json_response({"items": [s.as_json() for s in found], "next": None})


@api.route("DELETE", "/spaces/{slug}/suspensions/{suspension_id:int}", summary="Lift a suspension")
async def lift(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    view = await suspensions.lift_in_space(
        ctx.db, actor, request.path_params["slug"], path_int(request, "suspension_id")
    )
    return json_response(view.as_json())


@api.route(
    "POST",
    "/suspensions",
    summary="Suspend a user everywhere (secretariat)",
    body=SuspensionCreate,
    status=201,
)
async def suspend_everywhere(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, SuspensionCreate)
    view = await suspensions.suspend_site_wide(ctx.db, actor, data)
    return json_response(view.as_json(), status=201)


@api.route("GET", "/suspensions", summary="Site-wide suspensions", query=("active",))
async def list_site_suspensions(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    active = request.query_params.get("active") in {"1", "true"}
    async with ctx.db.read() as db:
        found = await suspensions.site_suspensions(db, actor, active_only=active)
    return json_response({"items": [s.as_json() for s in found], "next": None})


@api.route("DELETE", "/suspensions/{suspension_id:int}", summary="Lift a site-wide suspension")
async def lift_everywhere(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    view = await suspensions.lift_site_wide(ctx.db, actor, path_int(request, "suspension_id"))
    return json_response(view.as_json())


# --- running summaries -------------------------------------------------------------


def _summary_routes(
    target: str, label: str, write: Callable[[Database, Actor, int, str], Awaitable[SummaryView]]
) -> None:
    """GET and PUT /{target}s/{id}/summary: a session's or a guiding question's summary."""
    id_param = f"{target}_id"
    path = f"/{target}s/{{{id_param}:int}}/summary"

    async def read_summary(request: Request) -> Response:
        ctx, actor = app_context(request), await actor_of(request)
        async with ctx.db.read() as db:
            where = {id_param: path_int(request, id_param)}
            detail = await queries.summary_detail(db, actor, **where)
        return json_response(detail.as_json())

    async def write_summary(request: Request) -> Response:
        ctx, actor = app_context(request), await actor_of(request)
        data = await parse_body(request, SummaryWrite)
        view = await write(ctx.db, actor, path_int(request, id_param), data.body)
        return json_response(view.as_json())

    # Named per target: the OpenAPI operation ids come from the names.
    read_summary.__name__ = f"{target}_summary"
    write_summary.__name__ = f"write_{target}_summary"
    api.route("GET", path, summary=f"A {label}'s summary", auth="optional")(read_summary)
    api.route("PUT", path, summary=f"Write a {label}'s running summary", body=SummaryWrite)(
        write_summary
    )


_summary_routes("session", "session", summaries.write_session_summary)
_summary_routes("question", "guiding question", summaries.write_question_summary)


# --- holding rules -----------------------------------------------------------------


@api.route("GET", "/spaces/{slug}/moderation", summary="What the space holds for review")
async def get_holding(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        view = await holding.holding_rules(db, actor, request.path_params["slug"])
    return json_response(view.as_json())


@api.route(
    "PUT",
    "/spaces/{slug}/moderation",
    summary="Change what the space holds for review",
    body=SettingsUpdate,
)
async def put_holding(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, SettingsUpdate)
    view = await holding.change_holding_rules(ctx.db, actor, request.path_params["slug"], data)
    return json_response(view.as_json())


# --- the audit log -----------------------------------------------------------------


def audit_filters(request: Request) -> auditlog.AuditFilters:
    """The filters of an audit log request (the API and the page take the same)."""
    return auditlog.AuditFilters(
        action=request.query_params.get("action", "").strip() or None,
        actor_id=query_int(request, "actor"),
        since=query_time(request, "since"),
        until=query_time(request, "until"),
    )


def _audit_response(page: auditlog.AuditPage, request: Request, name: str) -> Response:
    if request.query_params.get("format") == "csv":
        return Response(
            auditlog.audit_csv(page.rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return json_response({"items": [row.as_json() for row in page.rows], "next": page.next})


def _limits(request: Request) -> tuple[int, int]:
    if request.query_params.get("format") == "csv":
        return query_int(request, "after") or 0, auditlog.MAX_EXPORT
    limit = query_int(request, "limit") or auditlog.DEFAULT_PAGE
    return query_int(request, "after") or 0, min(limit, auditlog.MAX_PAGE)


@api.route("GET", "/spaces/{slug}/audit", summary="The space's audit log", query=AUDIT_QUERY)
async def space_audit(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    slug = request.path_params["slug"]
    after, limit = _limits(request)
    async with ctx.db.read() as db:
        page = await auditlog.space_audit(
            db, actor, slug, audit_filters(request), after=after, limit=limit
        )
    return _audit_response(page, request, f"audit-{slug}")


@api.route("GET", "/audit", summary="The whole audit log (secretariat)", query=AUDIT_QUERY)
async def site_audit(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    after, limit = _limits(request)
    async with ctx.db.read() as db:
        page = await auditlog.site_audit(
            db, actor, audit_filters(request), after=after, limit=limit
        )
    return _audit_response(page, request, "audit")
