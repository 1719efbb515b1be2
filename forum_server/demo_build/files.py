"""The demo's files: a file attached to a contribution and the forum's library, sent
through the same upload path (and checks) as any file."""

from __future__ import annotations

from forum_server import demo_content as content
from forum_server.accounts.admin import COMMAND_LINE
from forum_server.db import Database
from forum_server.demo_content.files import ATTACHMENTS
from forum_server.demo_content.library import DOCUMENTS
from forum_server.files import library
from forum_server.files.ingest import ReadForm, Received, ReceivedFile
from forum_server.files.storage import LocalFileStore
from forum_server.policy import Actor
from forum_server.rooms import members


async def load_library(db: Database, store: LocalFileStore, user_ids: dict[str, int]) -> int:
    """The library's documents, shared by the first session's moderator, who keeps the
    forum's library as one of its moderators."""
    keeper = next(p for p in content.PEOPLE if p.key == content.SESSIONS[0].moderator)
    keeper_id = user_ids[keeper.key]
    await members.put_member(
        db, COMMAND_LINE, content.SPACE.slug, keeper_id, members.MemberPut(role="moderator")
    )
    actor = Actor(user_id=keeper_id, display_name=keeper.display_name)
    for document in DOCUMENTS:
        fields = {
            "title": document.title,
            "description": document.description,
            "folder": document.folder,
            "language": "en",
        }
        read = _form(store, fields, document.text.encode(), document.file_name)
        await library.create_document(db, store, actor, content.SPACE.slug, read)
    return len(DOCUMENTS)


def _form(store: LocalFileStore, fields: dict[str, str], data: bytes, name: str) -> ReadForm:
    """What an upload form would have sent: these fields and this file."""

    async def read() -> Received:
        return received_file(store, data, name, fields)

    return read


def received_file(
    store: LocalFileStore, data: bytes, name: str, fields: dict[str, str] | None = None
) -> Received:
    """A file on disk as a form would have sent it (it goes through the same checks as
    any upload), with the form's fields."""
    incoming = store.incoming()
    incoming.write(data)
    return Received(fields or {}, [ReceivedFile(incoming, name)])


def attached(store: LocalFileStore | None, post_key: str) -> Received | None:
    """The files of a demo post, received as a form would send them (they go through
    the same checks as any upload)."""
    if store is None or post_key not in ATTACHMENTS:
        return None
    name, text = ATTACHMENTS[post_key]
    return received_file(store, text.encode(), name)
