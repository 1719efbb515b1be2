"""Mentions: how a post names a participant, and which names become links.

A mention is written ``@Name`` for a one-word name, or ``@[Full Name]`` for any name
(spaces, any script; case and spacing do not matter). Where two participants share a
name, ``@[Full Name#42]`` names the one whose account number is 42 (the autocomplete
writes it so); ``@[Full Name]`` alone then names nobody. Names resolve among the
session's participants who may read it (policy.people): any other name stays text.

Resolution happens before the Markdown is rendered (off the event loop) and again
inside the write transaction; if the two differ (someone left the space in between),
the text is rendered again there, so a link never outlives the right to read.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypedDict

from forum_server.policy import Actor, load_thread, session_participants
from forum_server.rooms.markdown import MENTION, People, mention_key
from forum_server.rooms.render_workers import render_markdown_off_loop

MAX_MENTIONS = 20  # distinct names looked up per post; more stay text
_WITH_ID = re.compile(r"(.+?)\s*#(\d{1,12})")


def written_names(source: str) -> list[str]:
    """The distinct names (as mention keys) a text may mention, at most MAX_MENTIONS.
    A superset of what renders as mentions (code spans are not told apart here)."""
    keys: dict[str, None] = {}
    for match in MENTION.finditer(source):
        keys.setdefault(mention_key(match.group(1) or match.group(2)), None)
        if len(keys) >= MAX_MENTIONS:
            break
    return list(keys)


def resolve(names: list[str], participants: dict[int, str]) -> People:
    """Which written names name exactly one participant."""
    by_name: dict[str, list[int]] = defaultdict(list)
    for user_id, display_name in participants.items():
        by_name[mention_key(display_name)].append(user_id)
    people: dict[str, tuple[int, str]] = {}
    for key in names:
        qualified = _WITH_ID.fullmatch(key)
        if qualified is not None:
            user_id = int(qualified.group(2))
            name = participants.get(user_id)
            if name is not None and mention_key(name) == qualified.group(1):
                people[key] = (user_id, name)
            continue
        found = by_name.get(key, [])
        if len(found) == 1:
            people[key] = (found[0], participants[found[0]])
    return people


async def people_in(db: AsyncSession, session_id: int, source: str) -> People:
    """The mentions in `source` that name participants of the session."""
    names = written_names(source)
    if not names:
        return {}
    return resolve(names, await session_participants(db, session_id))


async def render_with_mentions(
    db: AsyncSession, session_id: int, source: str, *, lane: str
) -> tuple[str, People]:
    """The post's HTML with its mentions resolved now, and what they resolved to."""
    people = await people_in(db, session_id, source)
    return await render_markdown_off_loop(source, lane=lane, people=people), people


async def rendered_again_if_changed(
    db: AsyncSession, session_id: int, source: str, rendered: tuple[str, People], *, lane: str
) -> str:
    """Inside the write transaction: the HTML rendered before, unless the mentions
    resolve differently now (then rendered again, rarely)."""
    html, people = rendered
    if not people and not written_names(source):
        return html
    now = await people_in(db, session_id, source)
    if now == people:
        return html
    return await render_markdown_off_loop(source, lane=lane, people=now)


class MentionableJson(TypedDict):
    id: int
    display_name: str
    mention: str


@dataclass(frozen=True)
class Mentionable:
    """A participant an author may mention, and the text that mentions them."""

    id: int
    display_name: str
    mention: str

    def as_json(self) -> MentionableJson:
        return {"id": self.id, "display_name": self.display_name, "mention": self.mention}


MAX_SUGGESTIONS = 10


def mention_text(user_id: int, name: str, shared: bool) -> str:
    """What to write to mention someone: ``@Name`` for a one-word name, ``@[Full Name]``
    otherwise, with ``#id`` where another participant has the same name."""
    if shared:
        return f"@[{name}#{user_id}]"
    if MENTION.fullmatch("@" + name):
        return "@" + name
    return f"@[{name}]"


async def mentionable(
    db: AsyncSession, actor: Actor, thread_id: int, prefix: str, *, limit: int = MAX_SUGGESTIONS
) -> list[Mentionable]:
    """Participants of the thread's session whose name (or one of its words) starts
    with `prefix`, for the autocomplete; NotFound unless the actor may read the thread.
    Nobody who may not read it is listed: the same people a mention would name."""
    thread, _ = await load_thread(db, actor, thread_id)
    participants = await session_participants(db, thread.session_id)
    wanted = mention_key(prefix.lstrip("@[").strip())
    counts: dict[str, int] = defaultdict(int)
    for name in participants.values():
        counts[mention_key(name)] += 1
    found = []
    for user_id, name in sorted(participants.items(), key=lambda item: mention_key(item[1])):
        key = mention_key(name)
        if user_id == actor.user_id or not any(
            word.startswith(wanted) for word in (key, *key.split())
        ):
            continue
        found.append(Mentionable(user_id, name, mention_text(user_id, name, counts[key] > 1)))
        if len(found) >= max(1, min(limit, MAX_SUGGESTIONS)):
            break
    return found
