"""The draft synthesis page, for a session's moderators: each draft marked as not
reviewed, in a form that adds it (edited as they wish) to the question's or the
session's summary. Accepting is writing the summary: its history keeps each version."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from forum_server.errors import Invalid
from forum_server.moderation import summaries as writing
from forum_server.rooms import queries as rooms_queries
from forum_server.summaries import summaries_for_session
from forum_server.synthesis.drafts import session_synthesis
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context
from forum_server.web.forms import read_form


def _prefilled(summary_body: str | None, draft_body: str) -> str:
    """What the form offers to save: the summary so far, then the draft."""
    return f"{summary_body.rstrip()}\n\n{draft_body}" if summary_body else draft_body


async def synthesis_page(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    session_id = int(request.path_params["session_id"])
    async with ctx.db.read() as db:
        synthesis = await session_synthesis(db, actor, session_id)
        session = await rooms_queries.session_detail(db, actor, session_id)
        summaries = await summaries_for_session(db, actor, session_id)
    drafts: list[dict[str, Any]] = []
    for draft in (synthesis.session, *synthesis.questions):
        if draft.question_id is None:
            current = summaries.session
        else:
            current = summaries.questions.get(draft.question_id)
        drafts.append(
            {
                "draft": draft,
                "prefilled": _prefilled(current.body if current else None, draft.body),
            }
        )
    context = {"session": session, "drafts": drafts}
    return await ctx.templates.page(request, "moderation/synthesis.html", context)


async def accept(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    session_id = int(request.path_params["session_id"])
    form = await read_form(request)
    body = form.get("body", "")
    if not body.strip():
        raise Invalid("The summary must not be empty.", field="body")
    question = form.get("question_id", "")
    if question.isdigit():
        view = await writing.write_question_summary(ctx.db, actor, int(question), body)
        return RedirectResponse(f"/threads/{view.thread_id}", status_code=303)
    await writing.write_session_summary(ctx.db, actor, session_id, body)
    return RedirectResponse(f"/sessions/{session_id}/summary", status_code=303)


routes = [
    Route("/sessions/{session_id:int}/synthesis", synthesis_page, methods=["GET"]),
    Route("/sessions/{session_id:int}/synthesis", accept, methods=["POST"]),
]
