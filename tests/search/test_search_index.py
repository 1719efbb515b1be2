"""The index kept by the commands is the index a rebuild makes: every change reached
it in its own transaction. `forum-server reindex` rebuilds it, and the migration built
it for what was written before."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, text

from forum_server.db import Database
from forum_server.moderation import posts as moderation
from forum_server.moderation.summaries import write_question_summary, write_session_summary
from forum_server.rooms import editing, sessions
from forum_server.rooms.schemas import PostEdit, QuestionCreate, SessionUpdate
from forum_server.search.models import SearchDocument
from forum_server.search.rebuild import rebuild, reindex
from tests.search.conftest import Forum
from tests.test_cli import run_cli

COMPARED = (
    "kind",
    "ref_id",
    "session_id",
    "thread_id",
    "author_id",
    "guest_name",
    "lang",
    "status",
    "written_at",
    "text",
    "terms",
)


async def _documents(db: Database) -> list[tuple]:
    async with db.read() as session:
        rows = await session.scalars(select(SearchDocument))
        return sorted(tuple(getattr(row, name) for name in COMPARED) for row in rows)


async def _check_engine_index(db: Database) -> None:
    if db.is_sqlite:
        async with db.write() as uow:
            await uow.session.execute(
                text("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
            )


async def test_the_commands_keep_the_index_a_rebuild_makes(forum: Forum) -> None:
    db, mod = forum.db, forum.actor("public_mod")
    hidden = await forum.post("writer", forum.public, "To be hidden: *vexillum* notes.")
    await moderation.hide_post(db, mod, hidden, "Off topic.")
    edited = await forum.post("writer", forum.public, "First **draft** of a position.")
    await editing.edit_post(
        db,
        forum.actor("writer"),
        edited,
        PostEdit(body="Final position, see [the annex](https://example.org/a)."),
        edit_window=timedelta(minutes=30),
    )
    await sessions.edit_question(
        db, mod, forum.public.question_id, QuestionCreate(text="What worked well?")
    )
    await sessions.add_question(db, mod, forum.public.session_id, QuestionCreate(text="What next?"))
    await sessions.update_session(
        db,
        mod,
        forum.public.session_id,
        SessionUpdate(title="Renamed session", description="Now with a *description*."),
    )
    await write_session_summary(db, mod, forum.public.session_id, "The session in **brief**.")
    await write_question_summary(db, mod, forum.public.question_id, "Question one in brief.")
    await write_question_summary(db, mod, forum.public.question_id, "Question one, rewritten.")
    kept = await _documents(db)
    assert {row[0] for row in kept} == {"post", "topic", "question", "session", "summary"}
    await _check_engine_index(db)

    async with db.write() as uow:
        await uow.session.execute(text("DELETE FROM search_documents"))
    assert not await forum.find("guest", "position")
    async with db.write() as uow:
        count = await (await uow.session.connection()).run_sync(rebuild)
    assert count == len(kept)
    assert await _documents(db) == kept
    await _check_engine_index(db)
    assert [h.kind for h in await forum.find("guest", "renamed")] == ["session"]
    assert [h.kind for h in await forum.find("public_mod", "vexillum")] == ["post"]
    assert not await forum.find("guest", "vexillum")
    assert not await forum.find("guest", "draft")
    [annex] = await forum.find("guest", "annex")
    assert "".join(s.text for s in annex.snippet) == "Final position, see the annex."


async def test_reindex_rebuilds_the_index_of_a_database(forum: Forum, database_url: str) -> None:
    before = await _documents(forum.db)
    async with forum.db.write() as uow:
        await uow.session.execute(text("DELETE FROM search_documents"))
    assert await reindex(database_url) == len(before)
    assert await _documents(forum.db) == before
    assert {h.kind for h in await forum.find("member", "zorblaxite")} == {"post", "question"}


def test_the_reindex_command_after_the_demo(tmp_path: Path) -> None:
    assert run_cli(tmp_path, "demo").returncode == 0
    result = run_cli(tmp_path, "reindex")
    assert result.returncode == 0, result.stderr
    assert "search index rebuilt:" in result.stdout
    count = int(result.stdout.split("rebuilt:")[1].split()[0])
    assert count > 40  # the demo's posts, questions and sessions
