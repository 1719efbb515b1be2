"""Turning a received file into stored content: its kind decided by what it is,
images written afresh with a preview, the result put into the store once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from forum_server.errors import Invalid
from forum_server.files import images
from forum_server.files.kinds import Kind, detect, display_name, plain_name
from forum_server.files.storage import Incoming, LocalFileStore


@dataclass
class ReceivedFile:
    """One file of a form or message, on disk under a temporary name, and the name it
    was sent with (shown only once made safe by `display_name`)."""

    incoming: Incoming
    filename: str = ""


@dataclass
class Received:
    """A submitted form: its text fields and its files, already on disk (or none)."""

    fields: dict[str, str] = field(default_factory=dict)
    files: list[ReceivedFile] = field(default_factory=list)

    @property
    def incoming(self) -> Incoming | None:
        """The first file, for forms that take one."""
        return self.files[0].incoming if self.files else None

    @property
    def filename(self) -> str:
        return self.files[0].filename if self.files else ""

    def discard(self) -> None:
        for file in self.files:
            file.incoming.discard()


# Reads the request's form when the command is ready for it: after the access check,
# so a caller who may not add anything is refused before sending megabytes.
ReadForm = Callable[[], Awaitable[Received]]


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int
    kind: Kind
    name: str
    preview_sha256: str | None


def no_file() -> Invalid:
    return Invalid("Choose a file to upload.", field="file", code="file_missing")


async def store_received(store: LocalFileStore, received: Received) -> Stored:
    """Checks and stores the form's one file; Invalid when it is refused. The incoming
    file is consumed (moved or removed) either way."""
    if not received.files:
        raise no_file()
    return await store_file(store, received.files[0])


async def store_file(store: LocalFileStore, file: ReceivedFile) -> Stored:
    """Checks and stores one received file: its kind from its content, an image written
    afresh with its preview, the name made safe. Invalid when it is refused; the
    incoming file is consumed (moved or removed) either way."""
    incoming = file.incoming
    try:
        sha256 = await asyncio.to_thread(incoming.finish)
        if incoming.size == 0:
            raise Invalid("The file is empty.", field="file", code="file_empty")
        kind = await asyncio.to_thread(detect, incoming.path, file.filename)
        name = display_name(file.filename, kind)
        if not kind.image:
            await asyncio.to_thread(store.put, incoming, sha256)
            return Stored(sha256, incoming.size, kind, name, None)
        body, preview = await asyncio.to_thread(images.reencode, incoming.path, kind)
        stored_sha = await asyncio.to_thread(store.put_bytes, body)
        preview_sha = await asyncio.to_thread(store.put_bytes, preview)
        return Stored(stored_sha, len(body), kind, name, preview_sha)
    finally:
        incoming.discard()


async def store_all(store: LocalFileStore, received: Received) -> list[Stored]:
    """Every file of a form, all or none: the first refused one refuses the form (its
    message names the file). Content stored before the refusal is named by no row,
    and the retention sweep deletes it."""
    stored = []
    try:
        for file in received.files:
            try:
                stored.append(await store_file(store, file))
            except Invalid as error:
                if len(received.files) == 1:
                    raise
                raise Invalid(
                    "%(name)s: %(problem)s",
                    field="file",
                    code=error.code,
                    params={"name": plain_name(file.filename) or "file", "problem": error.message},
                ) from None
    finally:
        received.discard()
    return stored
