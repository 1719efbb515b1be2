"""Confirmation pages for the actions a thread page offers on a post or the thread:
the form that does it, with what it will do said first. Without the script a Hide,
Reject, Suspend, Lock or Flag button leads here; with it, the same form opens in a
dialog on the thread page (forum.js takes it from this page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from forum_server.errors import Forbidden, NotFound
from forum_server.i18n import N_, gettext
from forum_server.moderation import queries
from forum_server.web.auth import actor_of
from forum_server.web.context import app_context


@dataclass(frozen=True)
class Confirmation:
    """What one confirmation page asks, as catalogue entries."""

    heading: str
    explanation: str
    button: str
    reason_label: str | None  # None: no reason field
    reason_required: bool = True
    danger: bool = True


POST_CONFIRMATIONS: dict[str, Confirmation] = {
    "hide": Confirmation(
        N_("Hide this contribution?"),
        N_(
            "Readers will see a note with your reason instead of its text; the moderators"
            " of this session can still read it. You can restore it at any time."
        ),
        N_("Hide"),
        N_("Reason, shown to readers"),
    ),
    "reject": Confirmation(
        N_("Reject this contribution?"),
        N_("It will not be published. Its author is told, with your reason if you give one."),
        N_("Reject"),
        N_("Reason (optional)"),
        reason_required=False,
    ),
    "flag": Confirmation(
        N_("Ask a moderator to look at this contribution?"),
        N_("The moderators of this session will see your reason; the author will not."),
        N_("Send to the moderators"),
        N_("Why should a moderator look at this?"),
        danger=False,
    ),
    "suspend-author": Confirmation(
        N_("Suspend %(name)s in this space?"),
        N_(
            "They will not be able to post in any session of this space until the date you"
            " choose, or until the suspension is lifted. They can still read."
        ),
        N_("Suspend in this space"),
        N_("Reason, shown to them"),
    ),
}

LOCK = Confirmation(
    N_("Lock this thread?"),
    N_("Nobody will be able to add to it until it is unlocked; everything in it stays readable."),
    N_("Lock the thread"),
    N_("Reason (optional)"),
    reason_required=False,
)


def _texts(confirmation: Confirmation, **params: str) -> dict[str, Any]:
    return {
        "heading": gettext(confirmation.heading, **params),
        "explanation": gettext(confirmation.explanation),
        "button": gettext(confirmation.button),
        "reason_label": gettext(confirmation.reason_label) if confirmation.reason_label else None,
        "reason_required": confirmation.reason_required,
        "danger": confirmation.danger,
    }


async def confirm_post_action(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    name: str = request.path_params["action"]
    confirmation = POST_CONFIRMATIONS.get(name)
    if confirmation is None:
        raise NotFound()
    post_id: int = request.path_params["post_id"]
    async with ctx.db.read() as db:
        found = await queries.post_to_confirm(db, actor, post_id, moderating=name != "flag")
    post, session = found.post, found.session
    back = f"/threads/{post.thread_id}#post-{post.id}"
    params: dict[str, str] = {}
    context: dict[str, Any] = {"post": post, "session": session, "back": back, "hidden": {}}
    if name == "suspend-author":
        if not session.can_suspend or post.author.id is None or post.author.id == actor.user_id:
            raise Forbidden("You cannot suspend this author here.")
        params["name"] = post.author.display_name
        context["action"] = f"/moderation/spaces/{session.space.slug}/suspensions"
        context["hidden"] = {"user_id": str(post.author.id)}
        context["until"] = True
    else:
        context["action"] = f"/moderation/posts/{post.id}/{name}"
    context.update(_texts(confirmation, **params))
    return await ctx.templates.page(request, "moderation/confirm.html", context)


async def confirm_lock(request: Request) -> Response:
    ctx, actor = app_context(request), await actor_of(request)
    thread_id: int = request.path_params["thread_id"]
    async with ctx.db.read() as db:
        session = await queries.thread_to_confirm(db, actor, thread_id)
    context: dict[str, Any] = {
        "post": None,
        "session": session,
        "back": f"/threads/{thread_id}",
        "hidden": {},
        "action": f"/moderation/threads/{thread_id}/lock",
        **_texts(LOCK),
    }
    return await ctx.templates.page(request, "moderation/confirm.html", context)


# Before the POST routes of the same paths (Starlette tries the next route on a method
# it does not take).
routes: list[Route] = [
    Route("/moderation/posts/{post_id:int}/{action:str}", confirm_post_action, methods=["GET"]),
    Route("/moderation/threads/{thread_id:int}/lock", confirm_lock, methods=["GET"]),
]
