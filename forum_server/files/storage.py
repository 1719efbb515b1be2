"""Content-addressed storage: a file lives under its SHA-256, so the same content is
kept once however many times it is uploaded.

`FileStore` is the small interface the rest of the package uses (receive, put, open,
delete); `LocalFileStore` keeps files in a folder that several server processes may
share. A file arrives in a temporary name on the same file system, is flushed to disk
and only then renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol

from forum_server.settings import Settings

CHUNK_BYTES = 64 * 1024


@dataclass
class Incoming:
    """A file being received: written under a temporary name and hashed as it comes.
    `discard()` removes it; callers do so in a `finally`, stored or not."""

    path: Path
    size: int = 0
    _hash: hashlib._Hash = field(default_factory=hashlib.sha256)
    _file: IO[bytes] | None = None

    def write(self, chunk: bytes) -> None:
        if self._file is None:
            self._file = self.path.open("xb")
        self._file.write(chunk)
        self._hash.update(chunk)
        self.size += len(chunk)

    def finish(self) -> str:
        """Flushes to disk; returns the content's SHA-256."""
        if self._file is None:
            self._file = self.path.open("xb")
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        return self._hash.hexdigest()

    def discard(self) -> None:
        if self._file is not None and not self._file.closed:
            self._file.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


class FileStore(Protocol):
    def incoming(self) -> Incoming: ...

    def put(self, incoming: Incoming, sha256: str) -> None: ...

    def open(self, sha256: str) -> IO[bytes]: ...

    def local_path(self, sha256: str) -> Path: ...

    def delete(self, sha256: str) -> None: ...

    def stored(self, older_than_seconds: float) -> Iterator[str]: ...


class LocalFileStore:
    """Files under `root/ab/cd/abcd…` (fan-out keeps folders small)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.spool = root / "incoming"

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    local_path = path

    def incoming(self) -> Incoming:
        self.spool.mkdir(parents=True, exist_ok=True)
        return Incoming(self.spool / f"{secrets.token_hex(16)}.part")

    def put(self, incoming: Incoming, sha256: str) -> None:
        """Moves a finished incoming file into place, unless the content is there
        already (then it is only touched, so a sweep sees it as fresh)."""
        target = self.path(sha256)
        if target.exists():
            os.utime(target)
            incoming.discard()
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        # Rename within the store's file system: atomic, so no reader sees a partial file.
        os.replace(incoming.path, target)
        _fsync_dir(target.parent)

    def put_bytes(self, data: bytes) -> str:
        incoming = self.incoming()
        try:
            incoming.write(data)
            sha256 = incoming.finish()
            self.put(incoming, sha256)
            return sha256
        finally:
            incoming.discard()

    def open(self, sha256: str) -> IO[bytes]:
        return self.path(sha256).open("rb")

    def delete(self, sha256: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(sha256).unlink()

    def stored(self, older_than_seconds: float) -> Iterator[str]:
        """Every stored content's SHA-256 not touched for that long."""
        cutoff = time.time() - older_than_seconds
        for path in self.root.glob("??/??/*"):
            if len(path.name) == 64 and path.stat().st_mtime < cutoff:
                yield path.name

    def forget_stale_incoming(self, older_than_seconds: float) -> None:
        """Temporary files a killed process left behind."""
        cutoff = time.time() - older_than_seconds
        for path in self.spool.glob("*.part") if self.spool.exists() else ():
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_store(settings: Settings) -> LocalFileStore:
    return LocalFileStore(settings.data_dir / "files")
