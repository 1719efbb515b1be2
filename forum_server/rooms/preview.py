"""A preview of a contribution: its text rendered exactly as a post would be (the same
Markdown and sanitizing, off the event loop), and nothing written."""

from __future__ import annotations

from typing_extensions import TypedDict

from forum_server.db import Database
from forum_server.policy import Actor, load_thread, require_signed_in
from forum_server.rooms.markdown import People
from forum_server.rooms.mentions import people_in
from forum_server.rooms.posting import render_lane
from forum_server.rooms.render_workers import render_markdown_off_loop
from forum_server.rooms.schemas import PreviewInput


class PreviewJson(TypedDict):
    html: str


async def render_preview(db: Database, actor: Actor, data: PreviewInput) -> PreviewJson:
    """The HTML a post with this text would show (in `data.thread_id`, with its
    mentions; NotFound for a thread the actor may not read). For signed-in users: the
    rendering workers are shared with posting, and a preview is not a way in for
    everyone."""
    require_signed_in(actor)
    people: People = {}
    if data.thread_id is not None:
        async with db.read() as session:
            thread, _ = await load_thread(session, actor, data.thread_id)
            people = await people_in(session, thread.session_id, data.body)
    html = await render_markdown_off_loop(data.body, lane=render_lane(actor), people=people)
    return {"html": html}
