"""The moderators' actions on one post, as one table: the JSON API registers a route
for each and the pages' forms post to the same names, so both run the same command
with the same input rules."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from forum_server.db import Database
from forum_server.moderation import posts
from forum_server.moderation.schemas import Empty, OptionalReason, Reason
from forum_server.policy import Actor
from forum_server.rooms.posts_view import PostView
from forum_server.schemas import Input

Command = Callable[[Database, Actor, int, str | None], Awaitable[PostView]]


@dataclass(frozen=True)
class PostAction:
    name: str  # the last part of its path: /posts/{id}/<name>
    summary: str
    body: type[Input]  # Empty, OptionalReason or Reason
    command: Command

    def reason_from(self, form: dict[str, str]) -> dict[str, str]:
        """The input a page's form gives this action (the API reads it from JSON)."""
        return {"reason": form.get("reason", "")} if "reason" in self.body.model_fields else {}

    async def run(self, db: Database, actor: Actor, post_id: int, data: Input) -> PostView:
        return await self.command(db, actor, post_id, getattr(data, "reason", None))


async def _approve(db: Database, actor: Actor, post_id: int, _: str | None) -> PostView:
    return await posts.approve_post(db, actor, post_id)


async def _hide(db: Database, actor: Actor, post_id: int, reason: str | None) -> PostView:
    assert reason is not None  # Reason requires one
    return await posts.hide_post(db, actor, post_id, reason)


async def _restore(db: Database, actor: Actor, post_id: int, _: str | None) -> PostView:
    return await posts.restore_post(db, actor, post_id)


async def _highlight(db: Database, actor: Actor, post_id: int, _: str | None) -> PostView:
    return await posts.set_highlight(db, actor, post_id, True)


async def _unhighlight(db: Database, actor: Actor, post_id: int, _: str | None) -> PostView:
    return await posts.set_highlight(db, actor, post_id, False)


POST_ACTIONS: dict[str, PostAction] = {
    action.name: action
    for action in (
        PostAction("approve", "Publish a held post", Empty, _approve),
        PostAction("reject", "Turn a held post down", OptionalReason, posts.reject_post),
        PostAction("hide", "Hide a post, with a reason", Reason, _hide),
        PostAction("restore", "Show a hidden post again", Empty, _restore),
        PostAction("highlight", "Mark for the summary report", Empty, _highlight),
        PostAction("unhighlight", "Unmark a post", Empty, _unhighlight),
    )
}
