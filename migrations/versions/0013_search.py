"""search: the index of every searchable text, and each engine's full-text index on it

Revision ID: 0013_search
Revises: 0012_mail_inbox
Create Date: 2026-11-30 22:34:22.614830
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import forum_server.orm
from forum_server.search import engine
from forum_server.search.rebuild import rebuild

revision: str = "0013_search"
down_revision: str | None = "0012_mail_inbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("guest_name", sa.String(length=80), nullable=True),
        sa.Column("lang", sa.String(length=8), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("written_at", forum_server.orm.UTCDateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_search_documents_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_search_documents_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["threads.id"],
            name=op.f("fk_search_documents_thread_id_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_documents")),
        sa.UniqueConstraint("kind", "ref_id", name=op.f("uq_search_documents_kind_ref_id")),
    )
    op.create_index(
        op.f("ix_search_documents_author_id"), "search_documents", ["author_id"], unique=False
    )
    op.create_index(
        op.f("ix_search_documents_session_id"), "search_documents", ["session_id"], unique=False
    )
    op.create_index(
        "ix_search_documents_thread_id", "search_documents", ["thread_id"], unique=False
    )
    # The engine's own index (FTS5 with its triggers, or a tsvector with GIN), then every
    # text written so far.
    bind = op.get_bind()
    engine.create(bind)
    rebuild(bind)


def downgrade() -> None:
    engine.drop(op.get_bind())
    op.drop_index("ix_search_documents_thread_id", table_name="search_documents")
    op.drop_index(op.f("ix_search_documents_session_id"), table_name="search_documents")
    op.drop_index(op.f("ix_search_documents_author_id"), table_name="search_documents")
    op.drop_table("search_documents")
