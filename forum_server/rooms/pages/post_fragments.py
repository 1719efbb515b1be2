"""Each post's markup on a thread page, rendered once and used again until something
it shows changes.

The key of a post's fragment holds everything its template (`rooms/_thread_posts.html`)
reads: the post itself (text, status, edit time, author's name, country,
organisation), its place on the page (indentation, number, "in reply to"), its files,
reactions and earlier versions, whether the reader may edit it and whether it is
the reader's own, and for the whole page the
interface language, time zone, thread, the reader's rights in the session (post,
moderate, suspend), whether they are signed in, and the participation terms the
reply forms ask to accept. A reader of another role or language gets another entry.

What is new on every request is left out of the kept markup: the CSRF token, each
reply form's client id and the relative time ("3 hours ago") are slots filled in
after, and a post with a form being sent
back (a refused or previewed reply) or with the notice of what was just done to it
is rendered for this request alone. The cache is per process, bounded in bytes and
least-recently-used first out."""

from __future__ import annotations

import dataclasses
import secrets
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from datetime import date, datetime
from typing import Any

from markupsafe import Markup, escape

from forum_server.i18n import current_language, current_time_zone
from forum_server.i18n.formatting import format_relative
from forum_server.web.templates import Templates

TEMPLATE = "rooms/_thread_posts.html"
MAX_BYTES = 32 * 1024 * 1024

# Random per process, so no text a participant writes can contain them.
_TOKEN = secrets.token_hex(16)
CSRF_SLOT = f"csrf-slot-{_TOKEN}"
CLIENT_SLOT = f"client-slot-{_TOKEN}"
AGO_SLOT = f"ago-slot-{_TOKEN}"
SEPARATOR = f"<!--post-end-{_TOKEN}-->"


class FragmentCache:
    """Least recently used first out, bounded by the characters it holds (the
    fragment and the post's text in its key)."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.entries: OrderedDict[Hashable, tuple[str, int]] = OrderedDict()

    def get(self, key: Hashable) -> str | None:
        found = self.entries.get(key)
        if found is None:
            return None
        self.entries.move_to_end(key)
        return found[0]

    def put(self, key: Hashable, html: str, weight: int) -> None:
        if weight > self.max_bytes:
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= old[1]
        self.entries[key] = (html, weight)
        self.size += weight
        while self.size > self.max_bytes:
            _, (_, dropped) = self.entries.popitem(last=False)
            self.size -= dropped

    def clear(self) -> None:
        self.entries.clear()
        self.size = 0


cache = FragmentCache()

_PLAIN = (str, int, float, bool, type(None), datetime, date, frozenset)


def frozen(value: Any) -> Hashable:
    """`value` as a key that compares by content. Frozen dataclasses are used as they
    are when they hash; lists and dicts become tuples. Anything else is refused:
    an object that hashes by identity would make a key that never matches, or worse,
    matches another object at the same address."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, list | tuple):
        return tuple(frozen(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((key, frozen(item)) for key, item in value.items()))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        params = type(value).__dataclass_params__  # type: ignore[attr-defined]
        if params.frozen and params.eq:
            try:
                hash(value)
                return value  # type: ignore[return-value]
            except TypeError:  # a dict or list inside
                pass
        fields = dataclasses.fields(value)
        return (type(value), tuple(frozen(getattr(value, f.name)) for f in fields))
    raise TypeError(f"no content key for {type(value).__name__}")


def page_key(page: dict[str, Any]) -> Hashable:
    """What every post of this page shares: language, zone, thread and the reader's
    role (signed in, may post, moderate, suspend) and the terms the reply forms show."""
    session, actor = page["session"], page["actor"]
    return (
        current_language.get(),
        current_time_zone.get(),
        page["thread"].id,
        bool(session.can_post),
        bool(session.can_moderate),
        bool(session.can_suspend),
        bool(actor is not None and actor.signed_in),
        frozen(page["consent"]),
    )


def _post_key(shared: Hashable, row: Any, page: dict[str, Any]) -> Hashable:
    post, actor = row.post, page["actor"]
    own = actor is not None and actor.user_id is not None and post.author.id == actor.user_id
    return (
        shared,
        post,
        row.indent,
        row.reply_to,
        row.number,
        row.client_id is not None,
        frozen(page["files"].get(post.id)),
        frozen(page["reactions"].get(post.id)),
        frozen(page["versions"].get(post.id)),
        post.id in page["editable"],
        own,
    )


def _for_this_request(row: Any, page: dict[str, Any]) -> bool:
    """A post whose markup shows this request's form or notice: never kept."""
    outcome = page.get("outcome")
    return page.get("reply_to") == row.post.id or (
        outcome is not None and outcome.post_id == row.post.id
    )


def post_fragments(templates: Templates, rows: Sequence[Any], page: dict[str, Any]) -> list[Markup]:
    """The markup of each row, from the cache or rendered (those missing, in one
    pass), with this request's CSRF token and client ids filled in."""
    shared = page_key(page)
    keys: list[Hashable | None] = []
    found: list[str | None] = []
    missing: list[int] = []
    for index, row in enumerate(rows):
        key = None if _for_this_request(row, page) else _post_key(shared, row, page)
        html = cache.get(key) if key is not None else None
        keys.append(key)
        found.append(html)
        if html is None:
            missing.append(index)
    if missing:
        rendered = _render(templates, [rows[i] for i in missing], page)
        for index, html in zip(missing, rendered, strict=True):
            found[index] = html
            key = keys[index]
            if key is not None:
                post = rows[index].post
                cache.put(key, html, len(html) + len(post.html) + len(post.body))
    token = page["csrf_token"]
    out = []
    for row, html in zip(rows, found, strict=True):
        assert html is not None
        if CSRF_SLOT in html:
            html = html.replace(CSRF_SLOT, token)
        if row.client_id is not None:
            html = html.replace(CLIENT_SLOT, row.client_id)
        html = html.replace(AGO_SLOT, escape(format_relative(row.post.created_at)))
        out.append(Markup(html))
    return out


def _render(templates: Templates, rows: list[Any], page: dict[str, Any]) -> list[str]:
    slotted = [
        dataclasses.replace(row, client_id=CLIENT_SLOT) if row.client_id is not None else row
        for row in rows
    ]
    context = {
        **page,
        "rows": slotted,
        "ago": AGO_SLOT,
        "csrf_token": CSRF_SLOT,
        "separator": Markup(SEPARATOR),
    }
    text = templates.render_string(TEMPLATE, context)
    parts = text.split(SEPARATOR)
    assert len(parts) == len(rows) + 1, "a post's markup holds the separator"
    return [part.strip("\n") for part in parts[:-1]]
