"""A post's write transaction reads each row it needs once (the writer is the
bottleneck of posting on SQLite: every statement there holds it)."""

from __future__ import annotations

import re
from collections import Counter

import httpx
import pytest
from sqlalchemy import event

from forum_server.db import Database
from tests.rooms.test_posts_api import forum, post  # noqa: F401  (the fixture)

_FROM = re.compile(r"^SELECT .*? FROM (\w+)", re.DOTALL)


async def test_a_post_reads_its_rows_once_in_the_write(
    client: httpx.AsyncClient,
    forum: dict,  # noqa: F811
    db: Database,
) -> None:
    if not db.is_sqlite:
        pytest.skip("the post's unit is told apart by its savepoint (SQLite's write queue)")
    assert (await post(client, forum, body="First.")).status_code == 201
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(" ".join(statement.split()))

    event.listen(db.write_engine.sync_engine, "before_cursor_execute", seen)
    try:
        second = await post(client, forum, body="Hello @Ben, and everyone.", client_id="c-1")
    finally:
        event.remove(db.write_engine.sync_engine, "before_cursor_execute", seen)
    assert second.status_code == 201
    # Its unit alone (the mail worker writes too, in transactions of its own).
    start = statements.index("SAVEPOINT sa_savepoint_1")
    statements = statements[start : statements.index("RELEASE SAVEPOINT sa_savepoint_1", start)]
    tables = Counter(m.group(1) for s in statements if (m := _FROM.match(s)))
    # The thread, its session and space, the space's settings: read once each.
    for table in ("threads", "sessions", "spaces", "moderation_settings"):
        assert tables[table] <= 1, (table, statements)
    # The author's account (the mentions read participants' names apart).
    authors = [s for s in statements if s.startswith("SELECT users.id, users.email")]
    assert len(authors) == 1, statements
