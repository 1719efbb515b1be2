"""Search: which texts a reader may find.

A search reaches across spaces, so its rule is an SQL condition on the index's rows,
applied inside the query (before any LIMIT, and to counts): what may_find answers for
one text, findable_documents_clause answers for all of them. Both are built on the
session rules everyone else uses (readable_sessions_clause, moderated_sessions_clause,
threads_shown_clause), so a search shows nothing a page would not.

Stricter than reading a thread in one way: the text of a hidden post is found by the
session's moderators only (readers see its placeholder, never its words), and a post
waiting for review or rejected likewise — its author included, until it is published.
A post's files are found by their names as part of the post, under the same rule.

A library document is found by whoever may read its space's library
(readable_libraries); a removed one has no row, so it is found by nobody.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, SQLColumnExpression, exists, or_, select, true

from forum_server.errors import NotFound
from forum_server.policy.access import SessionAccess
from forum_server.policy.actors import Actor
from forum_server.policy.files import readable_libraries
from forum_server.policy.loading import (
    moderated_sessions_clause,
    readable_sessions_clause,
    threads_shown_clause,
)
from forum_server.rooms.models import ForumSession, Post, Thread
from forum_server.rooms.state import PUBLISHED
from forum_server.search.models import DOCUMENT, SUBMISSION, TOPIC, SearchDocument


def may_find(access: SessionAccess, status: str) -> bool:
    """A text of a session the actor may see (load_session decided that): published
    text for every reader; a held, hidden or rejected post for its session's moderators."""
    return status == PUBLISHED or access.can_moderate


def check_may_find(access: SessionAccess, status: str) -> None:
    # Whoever may not find it is told it does not exist.
    if not may_find(access, status):
        raise NotFound("No such post.")


def _status_clause(
    actor: Actor, status: SQLColumnExpression[str], session_id: SQLColumnExpression[int | None]
) -> ColumnElement[bool]:
    """may_find's rule on a status and a session id column."""
    if actor.is_secretariat:
        return true()
    if actor.user_id is None:
        return status == PUBLISHED
    moderated = select(ForumSession.id).where(moderated_sessions_clause(actor))
    return or_(status == PUBLISHED, session_id.in_(moderated))


def findable_documents_clause(actor: Actor) -> ColumnElement[bool]:
    """SQL condition on SearchDocument selecting the texts the actor may find: those of
    the sessions they may see, under may_find's rule; a topic's title only where the
    topic is shown to them (one of its posts is theirs to find); the documents of the
    libraries they may read, and the public submissions to calls in the spaces they see."""
    doc = SearchDocument
    readable = select(ForumSession.id).where(readable_sessions_clause(actor))
    posts = _status_clause(actor, Post.status, Post.session_id)
    topic_shown = exists(
        select(Thread.id)
        .where(Thread.id == doc.thread_id, threads_shown_clause(posts))
        .correlate_except(Thread)
    )
    in_sessions = (
        doc.session_id.in_(readable)
        & _status_clause(actor, doc.status, doc.session_id)
        & or_(doc.kind != TOPIC, topic_shown)
    )
    in_libraries = (doc.kind == DOCUMENT) & doc.space_id.in_(readable_libraries(actor))
    # Only public submissions are indexed: theirs is the rule of the space they are in.
    in_calls = (doc.kind == SUBMISSION) & doc.space_id.in_(readable_libraries(actor))
    return or_(in_sessions, in_libraries, in_calls)
