"""JSON API of reactions and of polls and proposals."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from forum_server.decide import polls, queries, reactions
from forum_server.decide.schemas import OutcomeInput, PollCreate, VoteInput
from forum_server.decide.views import PollView, ReactionsView, ReactionsWithPeopleJson
from forum_server.web.api import ApiRouter, json_response, parse_body, path_int
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.shapes import ListOf

api = ApiRouter()


@api.route(
    "GET",
    "/posts/{post_id:int}/reactions",
    summary="A post's reactions: counts, the caller's own, and who reacted (named)",
    auth="optional",
    response=ReactionsWithPeopleJson,
)
async def get_reactions(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.post_reactions(db, actor, path_int(request, "post_id"), people=True)
    return json_response(found.with_people_json())


async def _set(request: Request, *, on: bool) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    post_id, kind = path_int(request, "post_id"), request.path_params["kind"]
    changed = await reactions.set_reaction(ctx.db, actor, post_id, kind, on=on)
    return json_response(changed.as_json())


@api.route(
    "PUT",
    "/posts/{post_id:int}/reactions/{kind}",
    summary="React to a post (agree, disagree, thanks, question, important); idempotent",
    response=ReactionsView,
)
async def add_reaction(request: Request) -> Response:
    return await _set(request, on=True)


@api.route(
    "DELETE",
    "/posts/{post_id:int}/reactions/{kind}",
    summary="Take back one's reaction of that kind; idempotent",
    response=ReactionsView,
)
async def remove_reaction(request: Request) -> Response:
    return await _set(request, on=False)


@api.route(
    "GET",
    "/sessions/{session_id:int}/polls",
    summary="The polls and proposals of a session the caller may see",
    auth="optional",
    response=ListOf(PollView),
)
async def list_polls(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    secret = ctx.settings.secret_key
    async with ctx.db.read() as db:
        found = await queries.polls_of_session(db, actor, path_int(request, "session_id"), secret)
    return json_response({"items": [poll.as_json() for poll in found], "next": None})


@api.route(
    "POST",
    "/sessions/{session_id:int}/polls",
    summary="Start a poll (single or multiple choice) or a proposal",
    body=PollCreate,
    status=201,
    response=PollView,
)
async def create_poll(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, PollCreate)
    created = await polls.create_poll(
        ctx.db, actor, path_int(request, "session_id"), data, secret=ctx.settings.secret_key
    )
    return json_response(created.as_json(), status=201)


@api.route(
    "GET",
    "/polls/{poll_id:int}",
    summary="A poll, with its results where the caller may see them",
    auth="optional",
    response=PollView,
)
async def get_poll(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.poll_detail(
            db, actor, path_int(request, "poll_id"), ctx.settings.secret_key
        )
    return json_response(found.as_json())


@api.route(
    "PUT",
    "/polls/{poll_id:int}/vote",
    summary="Vote, or change one's vote, until the poll closes (409 poll_closed after)",
    body=VoteInput,
    response=PollView,
)
async def put_vote(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, VoteInput)
    voted = await polls.vote(
        ctx.db, actor, path_int(request, "poll_id"), data, secret=ctx.settings.secret_key
    )
    return json_response(voted.as_json())


@api.route(
    "POST",
    "/polls/{poll_id:int}/close",
    summary="Close a poll now (moderators, whoever started it)",
    response=PollView,
)
async def close_poll(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    closed = await polls.close_poll(
        ctx.db, actor, path_int(request, "poll_id"), secret=ctx.settings.secret_key
    )
    return json_response(closed.as_json())


@api.route(
    "PUT",
    "/polls/{poll_id:int}/outcome",
    summary="Write a closed poll's outcome (moderators); it goes into the report",
    body=OutcomeInput,
    response=PollView,
)
async def put_outcome(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, OutcomeInput)
    written = await polls.write_outcome(
        ctx.db, actor, path_int(request, "poll_id"), data, secret=ctx.settings.secret_key
    )
    return json_response(written.as_json())
