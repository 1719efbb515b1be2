"""The data folder's part of the settings: the SQLite file a command expects to find,
and the secret key generated there on first run and kept."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url


class SettingsError(ValueError):
    """A FORUM_ variable holds a value the server cannot use."""


class NoDatabase(SettingsError):
    """The database a command needs is not where the settings point."""


def check_sqlite_file(url: str, data_dir: Path) -> None:
    if not url.startswith("sqlite"):
        return  # a server's database: whether its tables exist is asked of it
    name = make_url(url).database
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name).expanduser().resolve()
    if path.is_file():
        return
    if path == data_dir / "forum.db":
        where = f"no database in {data_dir} (FORUM_DATA_DIR)"
    else:
        where = f"no database at {path} (FORUM_DATABASE_URL)"
    raise NoDatabase(
        f"{where}. Run this command where the data folder is, point FORUM_DATA_DIR at it, "
        "or create a new database with `forum-server migrate`."
    )


MIN_SECRET_KEY_CHARS = 32


def stored_secret_key(data_dir: Path) -> str:
    """Generate the key on first run and keep it, so sign-ins survive restarts."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "secret_key"
    if not path.exists():
        key = secrets.token_urlsafe(48)
        # Written whole to a private file, then linked into place: nobody ever reads a
        # half-written key, and of two processes starting together the first link wins.
        fd, draft = tempfile.mkstemp(dir=data_dir, prefix=".secret_key-")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(key)
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(draft, path)
        finally:
            os.unlink(draft)
    return path.read_text().strip()


def check_secret_key(key: str) -> None:
    # A short (or empty) key would let anyone forge the signed sign-in cookies.
    if len(key) < MIN_SECRET_KEY_CHARS:
        raise SettingsError(
            f"the secret key must be at least {MIN_SECRET_KEY_CHARS} characters "
            "(FORUM_SECRET_KEY, or the data folder's secret_key file)"
        )
