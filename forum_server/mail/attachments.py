"""Files attached to a reply by mail: each goes the way a file sent with the thread's
form goes (its kind decided by its content against the same allow-list, an image
written afresh, its name made safe, its content stored once), one by one. A file
refused is not stored and does not stop the others or the post; the answer to the
writer names it and says why."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from forum_server.errors import Invalid
from forum_server.files.attachments import MAX_ATTACHMENTS
from forum_server.files.ingest import ReceivedFile, Stored, store_file
from forum_server.files.kinds import plain_name
from forum_server.files.storage import LocalFileStore
from forum_server.i18n import N_
from forum_server.mail.incoming import MailFile

TOO_MANY = N_("At most %(limit)s files per post.")
TOO_LARGE = N_("The file is larger than %(limit)s bytes.")


@dataclass(frozen=True)
class RefusedFile:
    """A file not kept: its name as sent (made safe to show) and why, as a catalogue
    entry with its parameters, translated when the answer is written in its reader's
    language."""

    name: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_context(self) -> dict[str, Any]:
        return {"name": self.name, "message": self.message, "params": self.params}


async def store_mail_files(
    store: LocalFileStore, files: tuple[MailFile, ...], limit: int
) -> tuple[list[Stored], list[RefusedFile]]:
    """The files kept (stored, for the post's transaction to name) and those refused:
    beyond the number a post takes, over `limit` bytes, or not of an accepted kind."""
    stored: list[Stored] = []
    refused: list[RefusedFile] = []
    for file in files:
        shown = plain_name(file.name) or "file"
        if len(stored) >= MAX_ATTACHMENTS:  # a refused file leaves room for the next
            refused.append(RefusedFile(shown, TOO_MANY, {"limit": MAX_ATTACHMENTS}))
            continue
        if len(file.data) > limit:
            refused.append(RefusedFile(shown, TOO_LARGE, {"limit": limit}))
            continue
        incoming = store.incoming()
        try:
            await asyncio.to_thread(incoming.write, file.data)
            stored.append(await store_file(store, ReceivedFile(incoming, file.name)))
        except Invalid as error:
            refused.append(RefusedFile(shown, error.template, error.params))
        finally:
            incoming.discard()
    return stored, refused
