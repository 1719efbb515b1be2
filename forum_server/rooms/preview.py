"""A preview of a contribution: its text rendered exactly as a post would be (the same
Markdown and sanitizing, off the event loop), and nothing written but its count for
the rate limit."""

from __future__ import annotations

from datetime import timedelta

from typing_extensions import TypedDict

from forum_server.db import Database
from forum_server.errors import RateLimited, Unauthorized
from forum_server.policy import Actor, load_thread
from forum_server.rooms.admission import check_guest_may_post
from forum_server.rooms.markdown import People
from forum_server.rooms.mentions import people_in
from forum_server.rooms.models import PreviewHit
from forum_server.rooms.posting import render_lane
from forum_server.rooms.render_workers import render_markdown_off_loop
from forum_server.rooms.schemas import PreviewInput
from forum_server.throttle import Limit, network_of, take

# Enough to preview every few seconds while writing; a guest network shares less,
# since many people may stand behind one address but guests cost the most to check.
ACCOUNT_LIMIT = Limit(60, timedelta(minutes=10))
GUEST_LIMIT = Limit(20, timedelta(minutes=10))


class PreviewJson(TypedDict):
    html: str


async def render_preview(
    db: Database,
    actor: Actor,
    data: PreviewInput,
    *,
    client: str | None = None,
    thread_id: int | None = None,
) -> PreviewJson:
    """The HTML a post with this text would show, with its mentions where it is written
    in a thread (`data.thread_id`, or `thread_id`; NotFound for a thread the actor may
    not read). For signed-in users, and for guests on a thread of an open forum where
    they may post: the rendering workers are shared with posting, and a preview is not
    a way in for everyone. Raises RateLimited (with the seconds to wait) past
    ACCOUNT_LIMIT or GUEST_LIMIT."""
    in_thread = data.thread_id or thread_id
    people: People = {}
    async with db.write() as uow:
        if actor.user_id is not None:
            limits = {f"user:{actor.user_id}": ACCOUNT_LIMIT}
        elif in_thread is None:
            raise Unauthorized()
        else:
            _, access = await load_thread(uow.session, actor, in_thread)
            await check_guest_may_post(uow.session, access)
            limits = {f"guest:{network_of(client)}": GUEST_LIMIT}
        wait, _ = await take(uow.session, PreviewHit, limits)
        if wait is None and in_thread is not None:
            thread, _ = await load_thread(uow.session, actor, in_thread)
            people = await people_in(uow.session, thread.session_id, data.body)
    if wait is not None:
        raise RateLimited(
            "Too many previews at once; wait %(seconds)s seconds.",
            params={"seconds": wait},
            retry_after=wait,
        )
    html = await render_markdown_off_loop(data.body, lane=render_lane(actor), people=people)
    return {"html": html}
