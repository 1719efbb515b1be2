"""A preview of a contribution: its text rendered exactly as a post would be (the same
Markdown and sanitizing, off the event loop), and nothing written."""

from __future__ import annotations

from typing_extensions import TypedDict

from forum_server.policy import Actor, require_signed_in
from forum_server.rooms.posting import render_lane
from forum_server.rooms.render_workers import render_markdown_off_loop
from forum_server.rooms.schemas import PreviewInput


class PreviewJson(TypedDict):
    html: str


async def render_preview(actor: Actor, data: PreviewInput) -> PreviewJson:
    """The HTML a post with this text would show. For signed-in users: the rendering
    workers are shared with posting, and a preview is not a way in for everyone."""
    require_signed_in(actor)
    return {"html": await render_markdown_off_loop(data.body, lane=render_lane(actor))}
