"""JSON API routes for moderation: the queue, actions on posts and threads, flags,
suspensions, running summaries, holding rules and the audit log. Each route parses
its input, calls one service function and formats the result."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from typing_extensions import TypedDict

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
from forum_server.moderation.actions import POST_ACTIONS, PostAction
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
from forum_server.summaries import SummaryDetail, SummaryView, summary_detail
from forum_server.web.api import ApiRouter, json_response, parse_body, path_int, query_int
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.shapes import ListOf

api = ApiRouter()

AUDIT_QUERY = ("action", "actor", "since", "until", "after", "limit", "format")


# --- the queue ---------------------------------------------------------------------


@api.route(
    "GET",
    "/moderation/queue",
    summary="Posts awaiting review and open flags where the caller moderates",
    query=("space",),
    response=queries.Queue,
)
async def queue(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.moderation_queue(db, actor, request.query_params.get("space"))
    return json_response(found.as_json())


# --- posts and threads -------------------------------------------------------------


def _post_action_route(action: PostAction) -> None:
    """POST /posts/{post_id}/<action> for each action of the table."""

    async def endpoint(request: Request) -> Response:
        ctx, actor = app_context(request), await actor_of(request)
        data = await parse_body(request, action.body)
        view = await action.run(ctx.db, actor, path_int(request, "post_id"), data)
        return json_response(view.as_json())

    endpoint.__name__ = action.name  # the OpenAPI operation id
    path = f"/posts/{{post_id:int}}/{action.name}"
    api.route("POST", path, summary=action.summary, body=action.body, response=PostView)(endpoint)


for _action in POST_ACTIONS.values():
    _post_action_route(_action)


class LockJson(TypedDict):
    id: int
    locked: bool


async def _lock(request: Request, locked: bool) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, OptionalReason)
    thread_id = path_int(request, "thread_id")
    state = await posts.set_lock(ctx.db, actor, thread_id, locked, data.reason)
    answer: LockJson = {"id": thread_id, "locked": state}
    return json_response(answer)


@api.route(
    "POST",
    "/threads/{thread_id:int}/lock",
    summary="Lock a thread",
    body=OptionalReason,
    response=LockJson,
)
async def lock(request: Request) -> Response:
    return await _lock(request, True)


@api.route(
    "POST",
    "/threads/{thread_id:int}/unlock",
    summary="Unlock a thread",
    body=OptionalReason,
    response=LockJson,
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
    response=flags.FlagReceipt,
)
async def flag(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, Reason)
    receipt = await flags.flag_post(ctx.db, actor, path_int(request, "post_id"), data.reason)
    return json_response(receipt.as_json(), status=201)


class DismissedJson(TypedDict):
    id: int
    status: str


@api.route(
    "POST",
    "/flags/{flag_id:int}/dismiss",
    summary="Dismiss a flag",
    body=Empty,
    response=DismissedJson,
)
async def dismiss(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    await parse_body(request, Empty)
    flag_id = path_int(request, "flag_id")
    await flags.dismiss_flag(ctx.db, actor, flag_id)
    answer: DismissedJson = {"id": flag_id, "status": "dismissed"}
    return json_response(answer)


# --- suspensions -------------------------------------------------------------------


@api.route(
    "POST",
    "/spaces/{slug}/suspensions",
    summary="Suspend a user from posting in the space",
    body=SuspensionCreate,
    status=201,
    response=suspensions.SuspensionView,
)
async def suspend(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, SuspensionCreate)
    view = await suspensions.suspend_in_space(ctx.db, actor, request.path_params["slug"], data)
    return json_response(view.as_json(), status=201)


@api.route(
    "GET",
    "/spaces/{slug}/suspensions",
    summary="The space's suspensions",
    query=("active",),
    response=ListOf(suspensions.SuspensionView),
)
async def list_space_suspensions(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    active = request.query_params.get("active") in {"1", "true"}
    async with ctx.db.read() as db:
        found = await suspensions.space_suspensions(
            db, actor, request.path_params["slug"], active_only=active
        )
    return json_response({"items": [s.as_json() for s in found], "next": None})


@api.route(
    "DELETE",
    "/spaces/{slug}/suspensions/{suspension_id:int}",
    summary="Lift a suspension",
    response=suspensions.SuspensionView,
)
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
    response=suspensions.SuspensionView,
)
async def suspend_everywhere(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, SuspensionCreate)
    view = await suspensions.suspend_site_wide(ctx.db, actor, data)
    return json_response(view.as_json(), status=201)


@api.route(
    "GET",
    "/suspensions",
    summary="Site-wide suspensions",
    query=("active",),
    response=ListOf(suspensions.SuspensionView),
)
async def list_site_suspensions(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    active = request.query_params.get("active") in {"1", "true"}
    async with ctx.db.read() as db:
        found = await suspensions.site_suspensions(db, actor, active_only=active)
    return json_response({"items": [s.as_json() for s in found], "next": None})


@api.route(
    "DELETE",
    "/suspensions/{suspension_id:int}",
    summary="Lift a site-wide suspension",
    response=suspensions.SuspensionView,
)
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
            detail = await summary_detail(db, actor, **where)
        return json_response(detail.as_json())

    async def write_summary(request: Request) -> Response:
        ctx, actor = app_context(request), await actor_of(request)
        data = await parse_body(request, SummaryWrite)
        view = await write(ctx.db, actor, path_int(request, id_param), data.body)
        return json_response(view.as_json())

    # Named per target: the OpenAPI operation ids come from the names.
    read_summary.__name__ = f"{target}_summary"
    write_summary.__name__ = f"write_{target}_summary"
    api.route("GET", path, summary=f"A {label}'s summary", auth="optional", response=SummaryDetail)(
        read_summary
    )
    api.route(
        "PUT",
        path,
        summary=f"Write a {label}'s running summary",
        body=SummaryWrite,
        response=SummaryView,
    )(write_summary)


_summary_routes("session", "session", summaries.write_session_summary)
_summary_routes("question", "guiding question", summaries.write_question_summary)


# --- holding rules -----------------------------------------------------------------


@api.route(
    "GET",
    "/spaces/{slug}/moderation",
    summary="What the space holds for review",
    response=holding.HoldingView,
)
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
    response=holding.HoldingView,
)
async def put_holding(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, SettingsUpdate)
    view = await holding.change_holding_rules(ctx.db, actor, request.path_params["slug"], data)
    return json_response(view.as_json())


# --- the audit log -----------------------------------------------------------------


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


@api.route(
    "GET",
    "/spaces/{slug}/audit",
    summary="The space's audit log",
    query=AUDIT_QUERY,
    response=ListOf(auditlog.AuditRow),
)
async def space_audit(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    slug = request.path_params["slug"]
    after, limit = _limits(request)
    async with ctx.db.read() as db:
        filters = auditlog.AuditFilters.parse(request.query_params)
        page = await auditlog.space_audit(db, actor, slug, filters, after=after, limit=limit)
    return _audit_response(page, request, f"audit-{slug}")


@api.route(
    "GET",
    "/audit",
    summary="The whole audit log (secretariat)",
    query=AUDIT_QUERY,
    response=ListOf(auditlog.AuditRow),
)
async def site_audit(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    after, limit = _limits(request)
    async with ctx.db.read() as db:
        filters = auditlog.AuditFilters.parse(request.query_params)
        page = await auditlog.site_audit(db, actor, filters, after=after, limit=limit)
    return _audit_response(page, request, "audit")
