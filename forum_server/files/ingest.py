"""Turning a received file into stored content: its kind decided by what it is,
images written afresh with a preview, the result put into the store once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from forum_server.errors import Invalid
from forum_server.files import images
from forum_server.files.kinds import Kind, detect, display_name
from forum_server.files.storage import Incoming, LocalFileStore


@dataclass
class Received:
    """A submitted form: its text fields and its file, already on disk (or none)."""

    fields: dict[str, str] = field(default_factory=dict)
    incoming: Incoming | None = None
    filename: str = ""

    def discard(self) -> None:
        if self.incoming is not None:
            self.incoming.discard()


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
    """Checks and stores the received file; Invalid when it is refused. The incoming
    file is consumed (moved or removed) either way."""
    incoming = received.incoming
    if incoming is None:
        raise no_file()
    try:
        sha256 = await asyncio.to_thread(incoming.finish)
        if incoming.size == 0:
            raise Invalid("The file is empty.", field="file", code="file_empty")
        kind = await asyncio.to_thread(detect, incoming.path, received.filename)
        name = display_name(received.filename, kind)
        if not kind.image:
            await asyncio.to_thread(store.put, incoming, sha256)
            return Stored(sha256, incoming.size, kind, name, None)
        body, preview = await asyncio.to_thread(images.reencode, incoming.path, kind)
        stored_sha = await asyncio.to_thread(store.put_bytes, body)
        preview_sha = await asyncio.to_thread(store.put_bytes, preview)
        return Stored(stored_sha, len(body), kind, name, preview_sha)
    finally:
        incoming.discard()
