"""JSON API of a session's participation: the dashboard's figures, the turnout
expected, and the reminder to those who have not taken part."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from forum_server.participation import commands, queries
from forum_server.participation.schemas import ExpectationInput
from forum_server.participation.views import Expectation, ParticipationView, ReminderSent
from forum_server.web.api import ApiRouter, json_response, parse_body, path_int
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context

api = ApiRouter()


@api.route(
    "GET",
    "/sessions/{session_id:int}/participation",
    summary="A session's participation: per day and by region, country, affiliation and "
    "gender against the members or invitees, who has not taken part, unanswered questions",
    response=ParticipationView,
)
async def get_participation(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.session_participation(db, actor, path_int(request, "session_id"))
    return json_response(found.as_json())


@api.route(
    "PUT",
    "/sessions/{session_id:int}/participation/expected",
    summary="Set how many people the moderators expect to take part (null clears it)",
    body=ExpectationInput,
    response=Expectation,
)
async def put_expectation(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    data = await parse_body(request, ExpectationInput)
    found = await commands.set_expectation(ctx.db, actor, path_int(request, "session_id"), data)
    return json_response(found.as_json())


@api.route(
    "POST",
    "/sessions/{session_id:int}/participation/reminders",
    summary="Remind by e-mail every member or invitee who has not taken part yet "
    "(at most once an hour)",
    status=201,
    response=ReminderSent,
)
async def post_reminder(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    sent = await commands.send_reminder(ctx.db, actor, path_int(request, "session_id"))
    return json_response(sent.as_json(), status=201)
