"""Browser pages and forms for reactions and polls: each a plain form that redirects
back to where it was sent from (the script, static/decide.js, does the same through
the API without reloading)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.decide import polls, queries, reactions
from forum_server.decide.schemas import MAX_OPTIONS, OutcomeInput, PollCreate, VoteInput
from forum_server.decide.views import PollView
from forum_server.errors import DomainError
from forum_server.i18n import N_
from forum_server.policy import require_caller
from forum_server.rooms.pages.sessions import render_session
from forum_server.rooms.pages.shared import attempt, checkbox, checked, time_field
from forum_server.rooms.pages.threads import render_thread
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.forms import read_form

LABELS = {
    "kind": N_("Kind"),
    "title": N_("Question or proposal"),
    "details": N_("Details"),
    "options": N_("Options"),
    "closes_at": N_("Closes at"),
    "choices": N_("Your choice"),
    "position": N_("Your position"),
    "reason": N_("Your reason"),
    "outcome": N_("Outcome"),
}


def poll_place(poll: PollView) -> str:
    """Where a poll is shown: its thread's page, or its session's."""
    page = f"/threads/{poll.thread_id}" if poll.thread_id else f"/sessions/{poll.session_id}"
    return f"{page}#poll-{poll.id}"


async def _back_to(request: Request, poll_id: int, error: DomainError) -> Response:
    """The page the poll is on, with the refusal; a poll the caller may not see is
    not found (the error mapping answers that)."""
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.poll_detail(db, actor, poll_id, ctx.settings.secret_key)
    if found.thread_id is not None:
        return await render_thread(request, found.thread_id, error=error)
    return await render_session(request, found.session_id, error=error)


# --- reactions -------------------------------------------------------------------------


async def react(request: Request) -> Response:
    """A reaction button: `kind`, and `on` 1 to add it or 0 to take it back (the page
    says which the button does, so a second tab's click does not undo the first)."""
    ctx, actor = app_context(request), await actor_of(request)
    require_caller(actor)
    post_id: int = request.path_params["post_id"]
    form = await read_form(request)
    async with ctx.db.read() as db:
        thread_id = await queries.reaction_thread(db, actor, post_id)

    async def run() -> str:
        await reactions.set_reaction(
            ctx.db, actor, post_id, form.get("kind", ""), on=form.get("on") == "1"
        )
        return f"/threads/{thread_id}#post-{post_id}"

    async def refused(error: DomainError) -> Response:
        return await render_thread(request, thread_id, error=error)

    return await attempt(run, refused)


async def reactions_page(request: Request) -> Response:
    """Who reacted to a post, by kind: the page the counts link to."""
    ctx, actor = app_context(request), await actor_of(request)
    post_id: int = request.path_params["post_id"]
    async with ctx.db.read() as db:
        found = await queries.post_reactions(db, actor, post_id, people=True)
        thread_id = await queries.reaction_thread(db, actor, post_id)
    context = {"reactions": found, "thread_id": thread_id}
    return await ctx.templates.page(request, "decide/reactions.html", context)


# --- polls -----------------------------------------------------------------------------


def _poll_input(form: dict[str, str]) -> dict[str, Any]:
    options = [line.strip() for line in form.get("options", "").splitlines() if line.strip()]
    data: dict[str, Any] = {
        "kind": form.get("kind", ""),
        "title": form.get("title", ""),
        "details": form.get("details", ""),
        "options": options[: MAX_OPTIONS + 1],
        "anonymous": checkbox(form, "anonymous"),
        "hide_results": checkbox(form, "hide_results"),
    }
    if form.get("thread_id", "").isdigit():
        data["thread_id"] = int(form["thread_id"])
    closes_at = time_field(form, "closes_at", LABELS["closes_at"])
    if closes_at is not None:
        data["closes_at"] = closes_at
    return data


async def new_poll(request: Request) -> Response:
    """The form that starts a poll or proposal (GET), and starting it (POST)."""
    ctx, actor = app_context(request), await actor_of(request)
    require_caller(actor)
    session_id: int = request.path_params["session_id"]
    if request.method == "GET":
        thread = request.query_params.get("thread_id", "")
        form = {"kind": "proposal", "thread_id": thread if thread.isdigit() else ""}
        return await _poll_form(request, session_id, form, None)
    form = await read_form(request)

    async def run() -> str:
        data = checked(PollCreate, _poll_input(form), LABELS)
        created = await polls.create_poll(
            ctx.db, actor, session_id, data, secret=ctx.settings.secret_key
        )
        return poll_place(created)

    async def refused(error: DomainError) -> Response:
        return await _poll_form(request, session_id, form, error)

    return await attempt(run, refused)


async def _poll_form(
    request: Request, session_id: int, form: dict[str, str], error: DomainError | None
) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        title = await queries.poll_form_session(db, actor, session_id)
    context = {
        "session_id": session_id,
        "session_title": title,
        "form": form,
        "errors": {error.field or "form": error.message} if error else {},
    }
    status = error.status if error else 200
    return await ctx.templates.page(request, "decide/poll_new.html", context, status=status)


def _vote_input(form: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {"reason": form.get("reason", "")}
    if form.get("position"):
        data["position"] = form["position"]
    choices = [int(form["choice"])] if form.get("choice", "").isdigit() else []
    for n in range(MAX_OPTIONS):
        if checkbox(form, f"choice-{n}"):
            choices.append(n)
    data["choices"] = choices
    return data


async def vote(request: Request) -> Response:
    return await _poll_action(request, "vote")


async def close(request: Request) -> Response:
    return await _poll_action(request, "close")


async def outcome(request: Request) -> Response:
    return await _poll_action(request, "outcome")


async def _poll_action(request: Request, action: str) -> Response:
    """Vote, close or write the outcome: one form each, back to the poll's page."""
    ctx, actor = app_context(request), await actor_of(request)
    require_caller(actor)
    poll_id: int = request.path_params["poll_id"]
    form = await read_form(request)
    secret = ctx.settings.secret_key

    async def run() -> str:
        if action == "vote":
            data = checked(VoteInput, _vote_input(form), LABELS)
            done = await polls.vote(ctx.db, actor, poll_id, data, secret=secret)
        elif action == "close":
            done = await polls.close_poll(ctx.db, actor, poll_id, secret=secret)
        else:
            outcome = checked(OutcomeInput, {"outcome": form.get("outcome", "")}, LABELS)
            done = await polls.write_outcome(ctx.db, actor, poll_id, outcome, secret=secret)
        return poll_place(done)

    async def refused(error: DomainError) -> Response:
        return await _back_to(request, poll_id, error)

    return await attempt(run, refused)


async def poll_page(request: Request) -> Response:
    """One poll on its own page (the script fetches it to show a poll as it is now)."""
    ctx, actor = app_context(request), await actor_of(request)
    async with ctx.db.read() as db:
        found = await queries.poll_detail(
            db, actor, request.path_params["poll_id"], ctx.settings.secret_key
        )
    return await ctx.templates.page(request, "decide/poll.html", {"poll": found})


routes: list[Route] = [
    Route("/posts/{post_id:int}/reactions", reactions_page, methods=["GET"]),
    Route("/posts/{post_id:int}/reactions", react, methods=["POST"]),
    Route("/sessions/{session_id:int}/polls/new", new_poll, methods=["GET", "POST"]),
    Route("/polls/{poll_id:int}", poll_page, methods=["GET"]),
    Route("/polls/{poll_id:int}/vote", vote, methods=["POST"]),
    Route("/polls/{poll_id:int}/close", close, methods=["POST"]),
    Route("/polls/{poll_id:int}/outcome", outcome, methods=["POST"]),
]
