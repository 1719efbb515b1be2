"""JSON API of the board, its Atom feed and its exports."""

from __future__ import annotations

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from forum_server.board import commands, exports, queries
from forum_server.board.schemas import (
    FILTER_FIELDS,
    EditorAdd,
    NoticeFilter,
    NoticeInput,
    NoticePin,
    NoticeReview,
)
from forum_server.board.views import PENDING, EditorView, NoticeView
from forum_server.feeds.api import feed_headers, personal_actor
from forum_server.i18n import gettext
from forum_server.policy import Actor
from forum_server.schemas import validate
from forum_server.web.api import ApiRouter, json_response, parse_body, path_int, query_int
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.downloads import content_disposition
from forum_server.web.shapes import Download, ListOf

api = ApiRouter()

FILTERS = (*FILTER_FIELDS, "limit", "after")
EXPORT_LIMIT = 200  # the most one export holds: the listing's largest page


def filters_from(params: QueryParams) -> NoticeFilter:
    """The listing's filters from a query string; 422 naming a filter it cannot use."""
    return validate(NoticeFilter, {name: params[name] for name in FILTER_FIELDS if name in params})


@api.route(
    "GET",
    "/spaces/{slug}/board",
    summary="A space's notices, pinned first (filter by kind, category, country, region, "
    "status, language, dates; expired ones on request)",
    auth="optional",
    query=FILTERS,
    response=ListOf(NoticeView),
)
async def list_notices(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    filters = filters_from(request.query_params)
    async with ctx.db.read() as db:
        found = await queries.board(
            db,
            actor,
            request.path_params["slug"],
            filters,
            limit=query_int(request, "limit") or 50,
            offset=query_int(request, "after") or 0,
        )
    return json_response({"items": [n.as_json() for n in found.notices], "next": found.next})


@api.route(
    "POST",
    "/spaces/{slug}/board",
    summary="Post a notice (editors) or suggest one, held for review (members; anyone "
    "signed in where the space is public)",
    body=NoticeInput,
    status=201,
    response=NoticeView,
)
async def create_notice(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, NoticeInput)
    created = await commands.create_notice(ctx.db, actor, request.path_params["slug"], data)
    return json_response(created.as_json(), status=201)


@api.route(
    "GET",
    "/spaces/{slug}/board/suggestions",
    summary="Suggested notices awaiting review (all for editors, one's own for others)",
    query=("limit", "after"),
    response=ListOf(NoticeView),
)
async def list_suggestions(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.board(
            db,
            actor,
            request.path_params["slug"],
            NoticeFilter(expired="include"),
            limit=query_int(request, "limit") or 50,
            offset=query_int(request, "after") or 0,
            review=PENDING,
        )
    return json_response({"items": [n.as_json() for n in found.notices], "next": found.next})


@api.route(
    "GET",
    "/spaces/{slug}/board/feed",
    summary="The board as an Atom feed (the same filters as the listing)",
    auth="optional",
    query=FILTER_FIELDS,
    response=Download(("application/atom+xml",)),
)
async def feed(request: Request) -> Response:
    return await _feed(request, await actor_of(request))


@api.route(
    "GET",
    "/feeds/{key}/spaces/{slug}/board/feed",
    summary="The board as an Atom feed, through a personal feed address (a members "
    "space's, for as long as one is a member)",
    auth="none",
    query=FILTER_FIELDS,
    response=Download(("application/atom+xml",)),
)
async def personal_feed(request: Request) -> Response:
    return await _feed(request, await personal_actor(request))


async def _feed(request: Request, actor: Actor) -> Response:
    ctx = app_context(request)
    filters = filters_from(request.query_params)
    async with ctx.db.read() as db:
        found = await queries.board(
            db, actor, request.path_params["slug"], filters, limit=EXPORT_LIMIT
        )
    title = gettext("Bulletin board · %(space)s", space=found.space_title)
    body = exports.atom_feed(found, ctx.settings.base_url, title, self_url=str(request.url))
    return Response(
        body, media_type="application/atom+xml; charset=utf-8", headers=feed_headers(actor)
    )


@api.route(
    "GET",
    "/spaces/{slug}/board/export",
    summary="The board's notices as CSV or JSON (format=csv|json; the listing's filters)",
    auth="optional",
    query=(*FILTER_FIELDS, "format"),
    response=Download(("text/csv", "application/json")),
)
async def export(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    filters = filters_from(request.query_params)
    as_json = request.query_params.get("format") == "json"
    async with ctx.db.read() as db:
        found = await queries.board(
            db, actor, request.path_params["slug"], filters, limit=EXPORT_LIMIT
        )
    name = f"{found.space_slug}-board.{'json' if as_json else 'csv'}"
    headers = {"Content-Disposition": content_disposition(name)}
    if as_json:
        return Response(exports.notices_json(found), media_type="application/json", headers=headers)
    return Response(
        exports.notices_csv(found.notices), media_type="text/csv; charset=utf-8", headers=headers
    )


@api.route(
    "GET",
    "/notices/{notice_id:int}",
    summary="A notice",
    auth="optional",
    response=NoticeView,
)
async def get_notice(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.notice_detail(db, actor, path_int(request, "notice_id"))
    return json_response(found.as_json())


@api.route(
    "PUT",
    "/notices/{notice_id:int}",
    summary="Replace a notice's fields (editors; its author while it awaits review)",
    body=NoticeInput,
    response=NoticeView,
)
async def put_notice(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, NoticeInput)
    changed = await commands.update_notice(ctx.db, actor, path_int(request, "notice_id"), data)
    return json_response(changed.as_json())


@api.route(
    "DELETE",
    "/notices/{notice_id:int}",
    summary="Remove a notice (editors; its author while it awaits review)",
    status=204,
)
async def delete_notice(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    await commands.remove_notice(ctx.db, actor, path_int(request, "notice_id"))
    return Response(status_code=204)


@api.route(
    "PUT",
    "/notices/{notice_id:int}/pin",
    summary="Pin or unpin a published notice (editors)",
    body=NoticePin,
    response=NoticeView,
)
async def pin_notice(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, NoticePin)
    changed = await commands.set_pinned(ctx.db, actor, path_int(request, "notice_id"), data.pinned)
    return json_response(changed.as_json())


@api.route(
    "POST",
    "/notices/{notice_id:int}/review",
    summary="Approve or reject a suggested notice (editors)",
    body=NoticeReview,
    response=NoticeView,
)
async def review_notice(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, NoticeReview)
    approve = data.decision == "approve"
    changed = await commands.review_notice(ctx.db, actor, path_int(request, "notice_id"), approve)
    return json_response(changed.as_json())


@api.route(
    "GET",
    "/notices/{notice_id:int}/matches",
    summary="For a capacity need: the projects and opportunities covering its countries or region",
    auth="optional",
    response=ListOf(NoticeView),
)
async def notice_matches(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        _, found = await queries.matches(db, actor, path_int(request, "notice_id"))
    return json_response({"items": [n.as_json() for n in found], "next": None})


@api.route(
    "GET",
    "/spaces/{slug}/board/editors",
    summary="The board's named editors (for those who see the members)",
    response=ListOf(EditorView),
)
async def list_editors(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.editors(db, actor, request.path_params["slug"])
    return json_response({"items": [e.as_json() for e in found], "next": None})


@api.route(
    "POST",
    "/spaces/{slug}/board/editors",
    summary="Name a member an editor of the board (owners, secretariat)",
    body=EditorAdd,
    status=201,
    response=EditorView,
)
async def add_editor(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, EditorAdd)
    added = await commands.add_editor(ctx.db, actor, request.path_params["slug"], data.user_id)
    return json_response(added.as_json(), status=201)


@api.route(
    "DELETE",
    "/spaces/{slug}/board/editors/{user_id:int}",
    summary="Remove an editor of the board (owners, secretariat)",
    status=204,
)
async def remove_editor(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    slug, user_id = request.path_params["slug"], path_int(request, "user_id")
    await commands.remove_editor(ctx.db, actor, slug, user_id)
    return Response(status_code=204)
