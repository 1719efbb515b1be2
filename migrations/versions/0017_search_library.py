"""search the library: documents in the index (by space, not session), the words read
from their files, and posts found by their files' names

Revision ID: 0017_search_library
Revises: 0015_reading
Create Date: 2026-12-01 02:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from forum_server.search import engine
from forum_server.search.rebuild import rebuild

revision: str = "0017_search_library"
down_revision: str | None = "0015_reading"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("extracted_text", sa.Text(), nullable=True))
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("space_id", sa.Integer(), nullable=True))
        batch_op.alter_column("session_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_index(
            batch_op.f("ix_search_documents_space_id"), ["space_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_search_documents_space_id_spaces"),
            "spaces",
            ["space_id"],
            ["id"],
            ondelete="CASCADE",
        )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # The batch rebuilt the table (same ids, so the FTS index still matches its
        # rows) without its triggers.
        engine.create_sqlite_triggers(bind)
    # Every text again: library documents (their words are read from their files by
    # `forum-server reindex`) and posts with their files' names.
    rebuild(bind)


def downgrade() -> None:
    bind = op.get_bind()
    op.execute("DELETE FROM search_documents WHERE space_id IS NOT NULL")
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_search_documents_space_id_spaces"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_search_documents_space_id"))
        batch_op.alter_column("session_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("space_id")
    if bind.dialect.name == "sqlite":
        engine.create_sqlite_triggers(bind)
    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.drop_column("extracted_text")
    rebuild(bind)
