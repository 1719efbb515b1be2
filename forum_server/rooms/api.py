"""JSON API routes for spaces, sessions, questions, threads and posts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import Response

from forum_server.db import UnitOfWork
from forum_server.errors import NotFound
from forum_server.policy import SessionAccess, load_session, load_space
from forum_server.rooms import posting, queries, sessions, spaces
from forum_server.rooms.models import ForumSession, Question
from forum_server.rooms.schemas import (
    PostCreate,
    PostEdit,
    QuestionCreate,
    Reopen,
    SessionCreate,
    SessionUpdate,
    SpaceCreate,
    ThreadCreate,
)
from forum_server.web.api import ApiRouter, json_response, parse_body, path_int, query_int
from forum_server.web.auth import actor_of, client_address
from forum_server.web.context import app_context

api = ApiRouter()


# --- spaces ------------------------------------------------------------------------


@api.route("POST", "/spaces", summary="Create a space", body=SpaceCreate, status=201)
async def create_space(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, SpaceCreate)
    async with ctx.db.write() as uow:
        space = await spaces.create_space(uow, actor, data)
        slug = space.slug
    async with ctx.db.read() as db:
        detail = await queries.space_detail(db, actor, slug)
    return json_response(detail.as_json(), status=201)


@api.route("GET", "/spaces", summary="The spaces the caller may see", auth="optional")
async def list_spaces(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.list_spaces(db, actor)
    return json_response({"items": [s.as_json() for s in found], "next": None})


@api.route("GET", "/spaces/{slug}", summary="A space with its sessions", auth="optional")
async def get_space(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        detail = await queries.space_detail(db, actor, request.path_params["slug"])
    return json_response(detail.as_json())


# --- sessions ----------------------------------------------------------------------


async def _session_json(request: Request, session_id: int, status: int = 200) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        detail = await queries.session_detail(db, actor, session_id)
    return json_response(detail.as_json(), status=status)


@api.route(
    "POST", "/spaces/{slug}/sessions", summary="Create a session", body=SessionCreate, status=201
)
async def create_session(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, SessionCreate)
    async with ctx.db.write() as uow:
        _, access = await load_space(uow.session, actor, request.path_params["slug"])
        session_id = await sessions.create_session(uow, access, data)
    return await _session_json(request, session_id, status=201)


@api.route("GET", "/sessions/{session_id:int}", summary="A session", auth="optional")
async def get_session(request: Request) -> Response:
    return await _session_json(request, path_int(request, "session_id"))


@api.route("PATCH", "/sessions/{session_id:int}", summary="Change a session", body=SessionUpdate)
async def update_session(request: Request) -> Response:
    data = await parse_body(request, SessionUpdate)
    return await _change_session(request, lambda u, s, a: sessions.update_session(u, a, s, data))


SessionChange = Callable[[UnitOfWork, ForumSession, SessionAccess], Awaitable[None]]


async def _change_session(request: Request, change: SessionChange) -> Response:
    """Loads the session through the policy, applies one service call, answers with it."""
    ctx, actor = app_context(request), await actor_of(request)
    session_id = path_int(request, "session_id")
    async with ctx.db.write() as uow:
        forum_session, access = await load_session(uow.session, actor, session_id)
        await change(uow, forum_session, access)
    return await _session_json(request, session_id)


@api.route("POST", "/sessions/{session_id:int}/open", summary="Open a session now")
async def open_session(request: Request) -> Response:
    return await _change_session(request, lambda u, s, a: sessions.open_now(u, a, s))


@api.route("POST", "/sessions/{session_id:int}/close", summary="Close a session now")
async def close_session(request: Request) -> Response:
    return await _change_session(request, lambda u, s, a: sessions.close_now(u, a, s))


@api.route(
    "POST", "/sessions/{session_id:int}/reopen", summary="Re-open for a new period", body=Reopen
)
async def reopen_session(request: Request) -> Response:
    data = await parse_body(request, Reopen)
    return await _change_session(request, lambda u, s, a: sessions.reopen(u, a, s, data))


@api.route(
    "POST",
    "/sessions/{session_id:int}/questions",
    summary="Add a guiding question",
    body=QuestionCreate,
    status=201,
)
async def add_question(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    session_id = path_int(request, "session_id")
    data = await parse_body(request, QuestionCreate)
    async with ctx.db.write() as uow:
        forum_session, access = await load_session(uow.session, actor, session_id)
        question = await sessions.add_question(uow, access, forum_session, data.text)
        body = {
            "id": question.id,
            "number": question.number,
            "text": question.text,
            "thread_id": question.thread_id,
        }
    return json_response(body, status=201)


@api.route(
    "PATCH", "/questions/{question_id:int}", summary="Correct a question", body=QuestionCreate
)
async def edit_question(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, QuestionCreate)
    async with ctx.db.write() as uow:
        question = await uow.session.get(Question, path_int(request, "question_id"))
        if question is None:
            raise NotFound("No such question.")
        try:
            _, access = await load_session(uow.session, actor, question.session_id)
        except NotFound:
            raise NotFound("No such question.") from None
        await sessions.edit_question(uow, access, question, data.text)
        body = {
            "id": question.id,
            "number": question.number,
            "text": question.text,
            "thread_id": question.thread_id,
        }
    return json_response(body)


# --- threads and posts -------------------------------------------------------------


@api.route("GET", "/sessions/{session_id:int}/threads", summary="Threads", auth="optional")
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
)
async def create_thread(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, ThreadCreate)
    thread_id, posted = await posting.create_thread(
        ctx.db, actor, path_int(request, "session_id"), data
    )
    async with ctx.db.read() as db:
        threads = await queries.list_threads(db, actor, posted.post.session_id)
    thread = next(t for t in threads if t.id == thread_id)
    body = {**thread.as_json(), "first_post": posted.post.as_json()}
    return json_response(body, status=_posted_status(posted))


@api.route(
    "GET",
    "/threads/{thread_id:int}/posts",
    summary="Posts in order",
    auth="optional",
    query=("after", "limit"),
)
async def list_posts(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    after = query_int(request, "after") or 0
    limit = query_int(request, "limit") or queries.DEFAULT_PAGE
    async with ctx.db.read() as db:
        posts, next_cursor = await queries.list_posts(
            db, actor, path_int(request, "thread_id"), after=after, limit=limit
        )
    return json_response({"items": [p.as_json() for p in posts], "next": next_cursor})


@api.route("POST", "/threads/{thread_id:int}/posts", summary="Post", body=PostCreate, status=201)
async def create_post(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, PostCreate)
    posted = await posting.create_post(
        ctx.db,
        actor,
        path_int(request, "thread_id"),
        data,
        client=client_address(request, ctx.settings),
    )
    return json_response(posted.post.as_json(), status=_posted_status(posted))


def _posted_status(posted: posting.Posted) -> int:
    """201 created, 202 held for review, 200 a retry that found the original."""
    if posted.post.status == "pending":
        return 202
    return 201 if posted.created else 200


@api.route("PATCH", "/posts/{post_id:int}", summary="Edit a post", body=PostEdit)
async def edit_post(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, PostEdit)
    view = await posting.edit_post(
        ctx.db,
        actor,
        path_int(request, "post_id"),
        data,
        edit_window=timedelta(minutes=ctx.settings.edit_window_minutes),
    )
    return json_response(view.as_json())
