"""What the index keeps of each searchable thing: one function per kind, from plain
values, shared by the upkeep of every change (index.py) and the rebuild (rebuild.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from forum_server.rooms.state import PUBLISHED
from forum_server.search.models import (
    DOCUMENT,
    POST,
    QUESTION,
    SESSION,
    SUBMISSION,
    SUMMARY,
    TOPIC,
)
from forum_server.search.text import fold, plain_text

Values = dict[str, Any]


def _document(
    kind: str,
    ref_id: int,
    session_id: int | None,
    text: str,
    written_at: datetime,
    *,
    space_id: int | None = None,
    thread_id: int | None = None,
    author_id: int | None = None,
    guest_name: str | None = None,
    lang: str | None = None,
    status: str = PUBLISHED,
) -> Values:
    return {
        "kind": kind,
        "ref_id": ref_id,
        "session_id": session_id,
        "space_id": space_id,
        "thread_id": thread_id,
        "author_id": author_id,
        "guest_name": guest_name,
        "lang": lang,
        "status": status,
        "written_at": written_at,
        "text": text,
        "terms": fold(text),
    }


def post(
    id: int,
    session_id: int,
    thread_id: int,
    author_id: int | None,
    guest_name: str | None,
    lang: str | None,
    status: str,
    created_at: datetime,
    body: str,
    attachments: Sequence[str] = (),
) -> Values:
    """A post: its text, and the names of the files attached to it (a post is found by
    its files' names, under the post's own rule: a hidden post's files are found by its
    moderators only)."""
    text = plain_text(body)
    if attachments:
        text = (text + "\n\n" if text else "") + "\n".join(attachments)
    return _document(
        POST,
        id,
        session_id,
        text,
        created_at,
        thread_id=thread_id,
        author_id=author_id,
        guest_name=guest_name,
        lang=lang,
        status=status,
    )


def topic(
    id: int, session_id: int, author_id: int | None, created_at: datetime, title: str
) -> Values:
    """A participant's topic: its title (a guiding question's thread has none of its own)."""
    return _document(TOPIC, id, session_id, title, created_at, thread_id=id, author_id=author_id)


def question(id: int, session_id: int, thread_id: int, created_at: datetime, text: str) -> Values:
    return _document(QUESTION, id, session_id, text, created_at, thread_id=thread_id)


def session(
    id: int, created_by: int | None, created_at: datetime, title: str, description: str
) -> Values:
    text = title + ("\n\n" + plain_text(description) if description.strip() else "")
    return _document(SESSION, id, id, text, created_at, author_id=created_by)


def summary(
    id: int,
    session_id: int,
    thread_id: int | None,
    updated_by: int | None,
    updated_at: datetime,
    body: str,
) -> Values:
    """A running summary: a guiding question's (its thread given) or the session's."""
    return _document(
        SUMMARY,
        id,
        session_id,
        plain_text(body),
        updated_at,
        thread_id=thread_id,
        author_id=updated_by,
    )


def document(
    id: int,
    space_id: int,
    created_by: int | None,
    language: str,
    updated_at: datetime,
    title: str,
    description: str,
    file_name: str,
    file_text: str | None,
) -> Values:
    """A library document (not removed): its title, description and current file's name,
    then the words read from that file."""
    parts = [title, plain_text(description), file_name, file_text or ""]
    text = "\n\n".join(part.strip() for part in parts if part.strip())
    return _document(
        DOCUMENT, id, None, text, updated_at, space_id=space_id, author_id=created_by, lang=language
    )


def submission(
    id: int,
    space_id: int,
    author_id: int | None,
    updated_at: datetime,
    call_title: str,
    text: str,
    file_names: Sequence[str] = (),
) -> Values:
    """A public submission to a call: the call's title, its text and its documents'
    names, found by all who see the call's space."""
    parts = [call_title, plain_text(text), *file_names]
    body = "\n\n".join(part.strip() for part in parts if part.strip())
    return _document(SUBMISSION, id, None, body, updated_at, space_id=space_id, author_id=author_id)
