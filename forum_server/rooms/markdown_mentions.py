"""Mentions in Markdown: ``@Name`` and ``@[Full Name]`` become links to the person's
page, for the names the caller resolved beforehand (the renderer looks nobody up)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from markdown_it.rules_inline import StateInline

# ``@Name`` (one word: letters, digits, and . _ - ' inside it) or ``@[Full Name]``,
# optionally ``@[Full Name#42]`` to tell apart two people of the same name.
MENTION = re.compile(r"@(?:\[([^\[\]\n]{1,100})\]|(\w(?:[\w.'’-]*\w)?))")
# What may not come right before the "@" of a mention: an address (a@b.example).
_NOT_BEFORE_MENTION = frozenset("_@.+-/\\")

# People the caller resolved: mention_key(written name) -> (user id, display name).
People = Mapping[str, tuple[int, str]]


def mention_key(written: str) -> str:
    """How a written name is compared with display names: the same letters whatever
    the case, the Unicode form or the spacing."""
    return " ".join(unicodedata.normalize("NFKC", written).casefold().split())


def mention_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule: a mention of someone in ``state.env["people"]`` becomes a link to
    their page showing their display name; anything else is left to the other rules."""
    people: People | None = state.env.get("people") if isinstance(state.env, dict) else None
    pos = state.pos
    if not people or state.linkLevel > 0 or state.src[pos] != "@":
        return False
    before = state.src[pos - 1] if pos > 0 else " "
    if before.isalnum() or before in _NOT_BEFORE_MENTION:
        return False
    match = MENTION.match(state.src, pos, state.posMax)
    if match is None:
        return False
    found = people.get(mention_key(match.group(1) or match.group(2)))
    if found is None:
        return False
    if not silent:
        user_id, name = found
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": f"/people/{user_id}", "class": "mention"}
        token.markup = "mention"
        token = state.push("text", "", 0)
        token.content = "@" + name
        state.push("link_close", "a", -1).markup = "mention"
    state.pos = match.end()
    return True


_MENTION_LINK = re.compile(r'<a href="/people/(\d+)" class="mention"')


def mentioned_in(html: str) -> set[int]:
    """The people a rendered post mentions (its mention links, which only this renderer
    writes: a link the author typed has no class)."""
    return {int(user_id) for user_id in _MENTION_LINK.findall(html)}
