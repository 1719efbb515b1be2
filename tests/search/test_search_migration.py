"""Migration 0012 indexes what was written before search existed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from alembic import command
from sqlalchemy import Table, column, insert, table, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from forum_server.accounts.models import User
from forum_server.migrate import alembic_config, migrate
from forum_server.orm import utcnow
from forum_server.rooms.models import ForumSession, Post, Question, SessionPeriod, Space, Thread
from forum_server.summaries import Summary


async def insert_as_then(
    conn: AsyncConnection, model_table: Table, rows: list[dict[str, Any]]
) -> None:
    """Rows written against the schema of an older revision: only the columns given
    (the model's later columns, and their defaults, did not exist yet)."""
    then = table(model_table.name, *(column(name) for name in rows[0]))
    await conn.execute(insert(then), rows)


async def insert_author_space_session(
    conn: AsyncConnection,
    now: datetime,
    *,
    visibility: str,
    title: str,
    description: str = "",
    participant_topics: bool = False,
) -> None:
    """An author (id 1), a space (id 1) and a session in it (id 1), as the schema of
    the revisions before search had them."""
    author = dict(
        id=1,
        email="a@example.org",
        display_name="Amara Diallo",
        is_secretariat=False,
        is_active=True,
        created_at=now,
    )
    await insert_as_then(conn, User.__table__, [author])
    space = dict(
        id=1,
        slug="forum",
        title="Forum",
        description="",
        description_html="",
        visibility=visibility,
        guest_posting=False,
        created_at=now,
        report_attribution="named",
        members_may_download_reports=False,
    )
    await insert_as_then(conn, Space.__table__, [space])
    session = dict(
        id=1,
        space_id=1,
        title=title,
        description=description,
        description_html="",
        participant_topics=participant_topics,
        posting="signed_in",
        created_at=now,
    )
    await insert_as_then(conn, ForumSession.__table__, [session])


async def test_the_migration_indexes_existing_texts(database_url: str) -> None:
    config = alembic_config(database_url)

    def to(revision: str):
        def run(connection: Connection) -> None:
            config.attributes["connection"] = connection
            if revision == "0011_languages":
                command.downgrade(config, revision)
            else:
                command.upgrade(config, revision)

        return run

    engine = create_async_engine(database_url, poolclass=NullPool)
    now = utcnow()
    try:
        async with engine.begin() as conn:
            await conn.run_sync(to("0011_languages"))
            await insert_author_space_session(
                conn,
                now,
                visibility="public",
                title="Écologie session",
                description="About *water*.",
            )
            await insert_as_then(
                conn,
                SessionPeriod.__table__,
                [
                    dict(
                        id=1,
                        session_id=1,
                        opens_at=now,
                        closes_at=None,
                        open_announced=True,
                        close_announced=False,
                    )
                ],
            )
            await insert_as_then(
                conn,
                Thread.__table__,
                [
                    dict(
                        id=1,
                        session_id=1,
                        title="Question 1",
                        author_id=None,
                        locked=False,
                        post_count=1,
                        created_at=now,
                    ),
                    dict(
                        id=2,
                        session_id=1,
                        title="Wetlands topic",
                        author_id=1,
                        locked=False,
                        post_count=1,
                        created_at=now,
                    ),
                ],
            )
            await insert_as_then(
                conn,
                Question.__table__,
                [
                    dict(
                        id=1,
                        session_id=1,
                        number=1,
                        text="What about rivers?",
                        thread_id=1,
                        created_at=now,
                    )
                ],
            )
            await insert_as_then(
                conn,
                Post.__table__,
                [
                    dict(
                        id=1,
                        thread_id=1,
                        session_id=1,
                        depth=0,
                        author_id=1,
                        body="Les rivières **propres**.",
                        html="",
                        lang="fr",
                        status="published",
                        highlighted=False,
                        created_at=now,
                    ),
                    dict(
                        id=2,
                        thread_id=2,
                        session_id=1,
                        depth=0,
                        author_id=1,
                        body="Wetlands matter.",
                        html="",
                        lang=None,
                        status="published",
                        highlighted=False,
                        created_at=now,
                    ),
                    dict(
                        id=3,
                        thread_id=1,
                        session_id=1,
                        depth=0,
                        author_id=1,
                        body="Hidden marsh words.",
                        html="",
                        lang=None,
                        status="hidden",
                        highlighted=False,
                        created_at=now,
                    ),
                ],
            )
            await insert_as_then(
                conn,
                Summary.__table__,
                [
                    dict(
                        id=1,
                        session_id=1,
                        question_id=1,
                        body="Rivers, in short.",
                        html="",
                        updated_at=now,
                        updated_by=1,
                    )
                ],
            )
            await conn.run_sync(to("head"))
            rows = (
                await conn.execute(
                    text(
                        "SELECT kind, ref_id, status, text FROM search_documents"
                        " ORDER BY kind, ref_id"
                    )
                )
            ).all()
        assert [tuple(r) for r in rows] == [
            ("post", 1, "published", "Les rivières propres."),
            ("post", 2, "published", "Wetlands matter."),
            ("post", 3, "hidden", "Hidden marsh words."),
            ("question", 1, "published", "What about rivers?"),
            ("session", 1, "published", "Écologie session\n\nAbout water."),
            ("summary", 1, "published", "Rivers, in short."),
            ("topic", 2, "published", "Wetlands topic"),
        ]
    finally:
        await engine.dispose()
        await migrate(database_url)  # at head again, whatever happened


async def test_searching_what_the_migration_indexed(database_url: str) -> None:
    await test_the_migration_indexes_existing_texts(database_url)
    from forum_server.db import Database
    from forum_server.policy import Actor
    from forum_server.search import queries

    db = Database(database_url)
    try:
        async with db.read() as session:
            _, page = await queries.search(session, Actor(), "rivieres")
            _, hidden = await queries.search(session, Actor(), "marsh")
            _, by = await queries.search(session, Actor(), "", {"by": "amara"})
    finally:
        await db.dispose()
    assert [(h.kind, h.id) for h in page.hits] == [("post", 1)]
    assert hidden.hits == []
    assert {h.kind for h in by.hits} == {"post", "topic", "summary"}


async def test_the_library_migration_indexes_documents_and_files(database_url: str) -> None:
    """Migration 0017: library documents and the names of posts' files, written before."""
    from forum_server.files.models import Document, DocumentVersion, Upload

    config = alembic_config(database_url)

    def to(revision: str, down: bool = False):
        def run(connection: Connection) -> None:
            config.attributes["connection"] = connection
            (command.downgrade if down else command.upgrade)(config, revision)

        return run

    engine = create_async_engine(database_url, poolclass=NullPool)
    now = utcnow()
    file = dict(
        space_id=1,
        uploader_id=1,
        uploader_name="Amara Diallo",
        media_type="application/pdf",
        size=10,
        sha256="0" * 64,
        created_at=now,
    )
    try:
        async with engine.begin() as conn:
            await conn.run_sync(to("0015_reading", down=True))
            await insert_author_space_session(conn, now, visibility="members", title="Session")
            await insert_as_then(
                conn,
                Thread.__table__,
                [
                    dict(
                        id=1,
                        session_id=1,
                        title="Maps",
                        locked=False,
                        post_count=1,
                        created_at=now,
                    )
                ],
            )
            await insert_as_then(
                conn,
                Post.__table__,
                [
                    dict(
                        id=1,
                        thread_id=1,
                        session_id=1,
                        depth=0,
                        author_id=1,
                        body="See the file.",
                        html="",
                        status="published",
                        highlighted=False,
                        created_at=now,
                    )
                ],
            )
            await insert_as_then(
                conn,
                Upload.__table__,
                [
                    # (every row with the same keys: one statement for all)
                    dict(id=1, name="charter-v1.pdf", thread_id=None, post_id=None, **file),
                    dict(id=2, name="charter-v2.pdf", thread_id=None, post_id=None, **file),
                    dict(id=3, name="gone.pdf", thread_id=None, post_id=None, **file),
                    dict(id=4, name="wetland-map.pdf", thread_id=1, post_id=1, **file),
                ],
            )
            await insert_as_then(
                conn,
                Document.__table__,
                [
                    dict(
                        id=1,
                        space_id=1,
                        title="Wetlands charter",
                        description="Agreed *text*.",
                        folder="",
                        language="en",
                        created_by=1,
                        created_at=now,
                        updated_at=now,
                        removed_at=None,
                    ),
                    dict(
                        id=2,
                        space_id=1,
                        title="Removed paper",
                        description="",
                        folder="",
                        language="en",
                        created_by=1,
                        created_at=now,
                        updated_at=now,
                        removed_at=now,
                    ),
                ],
            )
            await insert_as_then(
                conn,
                DocumentVersion.__table__,
                [
                    dict(id=1, document_id=1, number=1, upload_id=1),
                    dict(id=2, document_id=1, number=2, upload_id=2),
                    dict(id=3, document_id=2, number=1, upload_id=3),
                ],
            )
            await conn.run_sync(to("head"))
            rows = (
                await conn.execute(
                    text(
                        "SELECT kind, ref_id, session_id, space_id, text FROM search_documents"
                        " ORDER BY kind, ref_id"
                    )
                )
            ).all()
        assert [tuple(r) for r in rows] == [
            ("document", 1, None, 1, "Wetlands charter\n\nAgreed text.\n\ncharter-v2.pdf"),
            ("post", 1, 1, None, "See the file.\n\nwetland-map.pdf"),
            ("session", 1, 1, None, "Session"),
            ("topic", 1, 1, None, "Maps"),
        ]
        from forum_server.db import Database
        from forum_server.policy import Actor
        from forum_server.search import queries

        db = Database(database_url)
        try:
            async with db.read() as session:
                _, outsider = await queries.search(session, Actor(user_id=1), "charter")
                _, guest = await queries.search(session, Actor(), "charter OR wetland")
                secretariat = Actor(user_id=1, is_secretariat=True)
                _, found = await queries.search(session, secretariat, "charter OR wetland")
        finally:
            await db.dispose()
        assert outsider.hits == []  # not a member of the space: nothing
        assert guest.hits == []
        assert {(h.kind, h.id) for h in found.hits} == {("post", 1), ("document", 1)}
    finally:
        await engine.dispose()
        await migrate(database_url)  # at head again, whatever happened
