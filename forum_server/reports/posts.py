"""Streaming a report's proceedings: published posts in reading order, attributed.

Memory stays bounded: for a thread, only the ids and depths of its published posts
are held (two compact arrays, ~16 bytes a post); the posts themselves are read
`BATCH` at a time, each batch in its own short read transaction, so a long export
never holds SQLite's write-ahead log open. Renderers are plain synchronous code run
in worker threads; they pull batches from the event loop through `posts()`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from array import array
from collections.abc import Callable, Coroutine, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import aliased

from forum_server.accounts.countries import country_name
from forum_server.accounts.models import User
from forum_server.db import Database
from forum_server.decide.queries import reaction_tallies
from forum_server.i18n import gettext, using_language
from forum_server.policy import most_private, report_posts_clause
from forum_server.reports.model import ReportPost
from forum_server.rooms.models import Post

BATCH = 1_000
T = TypeVar("T")

_Parent = aliased(Post, name="parent_post")
_ParentAuthor = aliased(User, name="parent_author")


def posts_clause(post_language: str | None = None) -> ColumnElement[bool]:
    """The posts a report shows: the policy's, and only those written in
    `post_language` when a report is asked for one language's contributions."""
    if post_language is None:
        return report_posts_clause()
    return and_(report_posts_clause(), Post.lang == post_language)


def display_country(code: str | None) -> str | None:
    """The country's name in the language of the work at hand."""
    if not code:
        return None
    try:
        return country_name(code)
    except (KeyError, ValueError):
        return code


class Attributor:
    """Names people as the report's attribution says, in the language of the work at
    hand. `mode` is the download's attribution (never more than the space's setting);
    `choices` holds the accounts that asked to be cited less than by name. Each person
    is cited as the most private of the two (guests, who have no account, as `mode`)."""

    def __init__(
        self,
        mode: str,
        moderators: dict[int, frozenset[int]],
        choices: Mapping[int, str] | None = None,
    ) -> None:
        self.mode = mode
        self.moderators = moderators
        self.choices = dict(choices or {})

    def mode_for(self, user_id: int | None) -> str:
        if user_id is None:
            return self.mode
        return most_private(self.mode, self.choices.get(user_id, "named"))

    def is_moderator(self, session_id: int, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.moderators.get(session_id, frozenset())

    def label(
        self,
        session_id: int,
        user_id: int | None,
        name: str | None,
        guest_name: str | None,
        country: str | None,
    ) -> str:
        mode = self.mode_for(user_id)
        if mode == "named":
            if user_id is None:
                return gettext("%(name)s (guest)", name=guest_name or gettext("Guest"))
            return name or gettext("Unknown")
        if self.is_moderator(session_id, user_id):
            return gettext("The moderator")
        if mode == "country" and country:
            return gettext("A participant from %(country)s", country=display_country(country))
        return gettext("A participant")

    def country(self, code: str | None, user_id: int | None = None) -> str | None:
        return display_country(code) if self.mode_for(user_id) in {"named", "country"} else None

    def organization(self, organization: str | None, user_id: int | None = None) -> str | None:
        return organization if self.mode_for(user_id) == "named" else None


def reading_order(rows: Sequence[tuple[int, int | None]]) -> tuple[array[int], array[int]]:
    """Depth-first order of (id, parent_id) pairs given oldest first: each post, then
    its replies. A reply whose parent is not in `rows` starts at the top level."""
    present = {post_id for post_id, _ in rows}
    roots: list[int] = []
    children: dict[int, list[int]] = {}
    for post_id, parent_id in rows:
        if parent_id is not None and parent_id in present:
            children.setdefault(parent_id, []).append(post_id)
        else:
            roots.append(post_id)
    ids, depths = array("q"), array("q")
    stack = [(post_id, 0) for post_id in reversed(roots)]
    while stack:
        post_id, depth = stack.pop()
        ids.append(post_id)
        depths.append(depth)
        stack.extend((child, depth + 1) for child in reversed(children.pop(post_id, ())))
    return ids, depths


class PostSource:
    """Reads a report's posts for the renderers, from the event loop that compiled it."""

    def __init__(
        self,
        db: Database,
        attributor: Attributor,
        loop: asyncio.AbstractEventLoop,
        progress: Callable[[int], None] | None = None,
        *,
        language: str = "en",
        post_language: str | None = None,
    ) -> None:
        self.db = db
        self.attributor = attributor
        self.loop = loop
        # Batches are read on the event loop, outside the renderer's context: the
        # language of bylines ("A participant from …") is carried here.
        self.language = language
        self.clause = posts_clause(post_language)
        self._loop_thread = threading.get_ident()
        self.progress = progress

    async def order(self, thread_id: int) -> tuple[array[int], array[int]]:
        async with self.db.read() as session:
            rows = await session.execute(
                select(Post.id, Post.parent_id)
                .where(Post.thread_id == thread_id, self.clause)
                .order_by(Post.id)
            )
            pairs = [(post_id, parent_id) for post_id, parent_id in rows]
        return reading_order(pairs)

    async def fetch(self, ids: Sequence[int], depths: Sequence[int]) -> list[ReportPost]:
        """The posts with these ids that are still published, in the order given."""
        wanted = list(ids)
        query = (
            select(
                Post.id,
                Post.session_id,
                Post.thread_id,
                Post.author_id,
                Post.guest_name,
                Post.created_at,
                Post.edited_at,
                Post.body,
                Post.html,
                Post.highlighted,
                Post.lang,
                User.display_name,
                User.country,
                User.organization,
                _Parent.id,
                _Parent.author_id,
                _Parent.guest_name,
                _ParentAuthor.display_name,
                _ParentAuthor.country,
            )
            .outerjoin(User, User.id == Post.author_id)
            .outerjoin(
                _Parent,
                and_(
                    _Parent.id == Post.parent_id,
                    _Parent.thread_id == Post.thread_id,
                    _Parent.status == "published",
                ),
            )
            .outerjoin(_ParentAuthor, _ParentAuthor.id == _Parent.author_id)
            .where(Post.id.in_(wanted), self.clause)
        )
        async with self.db.read() as session:
            rows = list(await session.execute(query))
            reactions = await reaction_tallies(session, [row[0] for row in rows])
        with using_language(self.language):
            return self._posts(rows, wanted, depths, reactions)

    def _posts(
        self,
        rows: list[Any],
        wanted: list[int],
        depths: Sequence[int],
        reactions: dict[int, tuple[tuple[str, int], ...]],
    ) -> list[ReportPost]:
        found: dict[int, ReportPost] = {}
        depth_of = dict(zip(wanted, depths, strict=True))
        att = self.attributor
        for row in rows:
            (pid, sid, tid, author_id, guest, created, edited, body, html, highlighted, lang) = row[
                :11
            ]
            (name, country, organization, parent_id, p_author, p_guest, p_name, p_country) = row[
                11:
            ]
            found[pid] = ReportPost(
                id=pid,
                session_id=sid,
                thread_id=tid,
                parent_id=parent_id,
                depth=depth_of[pid] if parent_id is not None else 0,
                author=att.label(sid, author_id, name, guest, country),
                country=att.country(country, author_id),
                organization=att.organization(organization, author_id),
                is_moderator=att.is_moderator(sid, author_id),
                reply_to_author=(
                    att.label(sid, p_author, p_name, p_guest, p_country)
                    if parent_id is not None
                    else None
                ),
                created_at=created,
                edited_at=edited,
                body=body,
                html=html,
                highlighted=bool(highlighted),
                lang=lang,
                named=att.mode_for(author_id) == "named",
                reactions=reactions.get(pid, ()),
            )
        return [found[pid] for pid in wanted if pid in found]

    def _submit(self, coroutine: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        if threading.get_ident() == self._loop_thread:
            coroutine.close()
            raise RuntimeError("report posts are read from a worker thread, not the event loop")
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def posts(self, thread_id: int) -> Iterator[ReportPost]:
        """The thread's published posts in reading order, read BATCH at a time; the next
        batch is read while the renderer works on this one."""
        ids, depths = self._submit(self.order(thread_id)).result()
        starts = range(0, len(ids), BATCH)
        pending = None
        for start in starts:
            end = start + BATCH
            batch = pending or self._submit(self.fetch(ids[start:end], depths[start:end]))
            pending = None
            if end < len(ids):
                pending = self._submit(
                    self.fetch(ids[end : end + BATCH], depths[end : end + BATCH])
                )
            try:
                yield from batch.result()
            except GeneratorExit:
                if pending is not None:
                    pending.cancel()
                raise
            if self.progress is not None:
                self.progress(min(end, len(ids)) - start)
