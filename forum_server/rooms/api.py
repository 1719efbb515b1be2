"""JSON API routes for spaces, sessions, questions, threads and posts."""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import Request
from starlette.responses import Response

from forum_server.errors import Invalid
from forum_server.files import attachments
from forum_server.files.storage import file_store
from forum_server.i18n import CODES, current_language
from forum_server.rooms import (
    editing,
    posting,
    preview,
    queries,
    reopening,
    session_moderators,
    sessions,
    spaces,
)
from forum_server.rooms.posts_view import PostView
from forum_server.rooms.schemas import (
    PostCreate,
    PostEdit,
    PreviewInput,
    QuestionCreate,
    Reopen,
    SessionCreate,
    SessionModerators,
    SessionUpdate,
    SpaceCreate,
    SpaceUpdate,
    ThreadCreate,
    written_in,
)
from forum_server.rooms.space_views import (
    QuestionView,
    SessionDetail,
    SpaceDetail,
    SpaceSummary,
    StartedThread,
    ThreadSummary,
)
from forum_server.rooms.state import PENDING
from forum_server.web.api import ApiRouter, json_response, parse_body, path_int, query_int
from forum_server.web.auth import actor_of, client_address
from forum_server.web.context import app_context
from forum_server.web.shapes import ListOf

api = ApiRouter()


# --- spaces ------------------------------------------------------------------------


@api.route(
    "POST",
    "/spaces",
    summary="Create a space",
    body=SpaceCreate,
    status=201,
    response=SpaceDetail,
)
async def create_space(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, SpaceCreate)
    detail = await spaces.create_space(ctx.db, actor, data)
    return json_response(detail.as_json(), status=201)


@api.route(
    "GET",
    "/spaces",
    summary="The spaces the caller may see",
    auth="optional",
    response=ListOf(SpaceSummary),
)
async def list_spaces(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.list_spaces(db, actor)
    return json_response({"items": [s.as_json() for s in found], "next": None})


@api.route(
    "GET",
    "/spaces/{slug}",
    summary="A space with its sessions",
    auth="optional",
    response=SpaceDetail,
)
async def get_space(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        detail = await queries.space_detail(db, actor, request.path_params["slug"])
    return json_response(detail.as_json())


@api.route(
    "PATCH",
    "/spaces/{slug}",
    summary="Change a space's title or description (its owners and the secretariat)",
    body=SpaceUpdate,
    response=SpaceDetail,
)
async def update_space(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, SpaceUpdate)
    detail = await spaces.update_space(ctx.db, actor, request.path_params["slug"], data)
    return json_response(detail.as_json())


# --- sessions ----------------------------------------------------------------------


@api.route(
    "POST",
    "/spaces/{slug}/sessions",
    summary="Create a session",
    body=SessionCreate,
    status=201,
    response=SessionDetail,
)
async def create_session(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, SessionCreate)
    detail = await sessions.create_session(ctx.db, actor, request.path_params["slug"], data)
    return json_response(detail.as_json(), status=201)


@api.route(
    "GET",
    "/sessions/{session_id:int}",
    summary="A session",
    auth="optional",
    response=SessionDetail,
)
async def get_session(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        detail = await queries.session_detail(db, actor, path_int(request, "session_id"))
    return json_response(detail.as_json())


@api.route(
    "PATCH",
    "/sessions/{session_id:int}",
    summary="Change a session",
    body=SessionUpdate,
    response=SessionDetail,
)
async def update_session(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, SessionUpdate)
    detail = await sessions.update_session(ctx.db, actor, path_int(request, "session_id"), data)
    return json_response(detail.as_json())


@api.route(
    "PUT",
    "/sessions/{session_id:int}/moderators",
    summary="Change a session's moderators",
    body=SessionModerators,
    response=SessionDetail,
)
async def set_moderators(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, SessionModerators)
    session_id = path_int(request, "session_id")
    detail = await session_moderators.set_moderators(ctx.db, actor, session_id, data)
    return json_response(detail.as_json())


@api.route(
    "POST", "/sessions/{session_id:int}/open", summary="Open a session now", response=SessionDetail
)
async def open_session(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    detail = await sessions.open_now(ctx.db, actor, path_int(request, "session_id"))
    return json_response(detail.as_json())


@api.route(
    "POST",
    "/sessions/{session_id:int}/close",
    summary="Close a session now",
    response=SessionDetail,
)
async def close_session(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    detail = await sessions.close_now(ctx.db, actor, path_int(request, "session_id"))
    return json_response(detail.as_json())


@api.route(
    "POST",
    "/sessions/{session_id:int}/reopen",
    summary="Re-open for a new period, now or from a later opens_at",
    body=Reopen,
    response=SessionDetail,
)
async def reopen_session(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, Reopen)
    detail = await reopening.reopen(ctx.db, actor, path_int(request, "session_id"), data)
    return json_response(detail.as_json())


@api.route(
    "DELETE",
    "/sessions/{session_id:int}/reopening",
    summary="Cancel a re-opening scheduled ahead",
    response=SessionDetail,
)
async def cancel_reopening(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    detail = await reopening.cancel_reopening(ctx.db, actor, path_int(request, "session_id"))
    return json_response(detail.as_json())


@api.route(
    "POST",
    "/sessions/{session_id:int}/questions",
    summary="Add a guiding question",
    body=QuestionCreate,
    status=201,
    response=QuestionView,
)
async def add_question(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, QuestionCreate)
    question = await sessions.add_question(ctx.db, actor, path_int(request, "session_id"), data)
    return json_response(question.as_json(), status=201)


@api.route(
    "PATCH",
    "/questions/{question_id:int}",
    summary="Correct a question",
    body=QuestionCreate,
    response=QuestionView,
)
async def edit_question(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, QuestionCreate)
    question = await sessions.edit_question(ctx.db, actor, path_int(request, "question_id"), data)
    return json_response(question.as_json())


# --- threads and posts -------------------------------------------------------------


@api.route(
    "GET",
    "/sessions/{session_id:int}/threads",
    summary="Threads",
    auth="optional",
    response=ListOf(ThreadSummary),
)
async def list_threads(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        threads = await queries.list_threads(db, actor, path_int(request, "session_id"))
    return json_response({"items": [t.as_json() for t in threads], "next": None})


@api.route(
    "POST",
    "/sessions/{session_id:int}/threads",
    summary="Start a topic",
    body=ThreadCreate,
    status=201,
    response=StartedThread,
    also=(200, 202),  # 202 held for review, 200 a retry that found the original
)
async def create_thread(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = written_in(await parse_body(request, ThreadCreate), current_language.get())
    thread_id, posted = await posting.create_thread(
        ctx.db, actor, path_int(request, "session_id"), data
    )
    async with ctx.db.read() as db:
        threads = await queries.list_threads(db, actor, posted.post.session_id)
    thread = next(t for t in threads if t.id == thread_id)
    started = StartedThread(thread, posted.post)
    return json_response(started.as_json(), status=_posted_status(posted))


@api.route(
    "GET",
    "/threads/{thread_id:int}/posts",
    summary="Posts in order",
    auth="optional",
    query=("after", "limit", "lang"),
    response=ListOf(PostView),
)
async def list_posts(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    after = query_int(request, "after") or 0
    limit = query_int(request, "limit") or queries.DEFAULT_PAGE
    lang = _language_query(request)
    async with ctx.db.read() as db:
        posts, next_cursor = await queries.list_posts(
            db, actor, path_int(request, "thread_id"), after=after, limit=limit, lang=lang
        )
    return json_response({"items": [p.as_json() for p in posts], "next": next_cursor})


@api.route(
    "POST",
    "/threads/{thread_id:int}/posts",
    summary="Post (as a guest, without signing in, where the space is an open forum)",
    body=PostCreate,
    status=201,
    auth="optional",
    response=PostView,
    also=(200, 202),  # 202 held for review, 200 a retry that found the original
)
async def create_post(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = written_in(await parse_body(request, PostCreate), current_language.get())
    posted = await attachments.create_post_with_files(
        ctx.db,
        file_store(ctx.settings),
        actor,
        path_int(request, "thread_id"),
        data,
        data.attachment_ids,
        client=client_address(request, ctx.settings),
    )
    return json_response(posted.post.as_json(), status=_posted_status(posted))


def _language_query(request: Request) -> str | None:
    """`?lang=`: one of the six languages, or None when not given."""
    code = request.query_params.get("lang", "").strip()
    if not code:
        return None
    if code not in CODES:
        raise Invalid(
            "lang must be one of: %(choices)s.", field="lang", params={"choices": ", ".join(CODES)}
        )
    return code


def _posted_status(posted: posting.Posted) -> int:
    """201 created, 202 held for review, 200 a retry that found the original."""
    if posted.post.status == PENDING:
        return 202
    return 201 if posted.created else 200


@api.route("PATCH", "/posts/{post_id:int}", summary="Edit a post", body=PostEdit, response=PostView)
async def edit_post(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, PostEdit)
    view = await editing.edit_post(
        ctx.db,
        actor,
        path_int(request, "post_id"),
        data,
        edit_window=timedelta(minutes=ctx.settings.edit_window_minutes),
    )
    return json_response(view.as_json())


@api.route(
    "POST",
    "/preview",
    summary="Render a text as a post would show it, without posting it",
    body=PreviewInput,
    response=preview.PreviewJson,
)
async def preview_post(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, PreviewInput)
    client = client_address(request, ctx.settings)
    return json_response(await preview.render_preview(ctx.db, actor, data, client=client))
