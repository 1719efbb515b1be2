"""notifications, and the mentions each post made

Revision ID: 0018_notifications
Revises: 0022_conference
Create Date: 2026-12-01 02:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import forum_server.orm

revision: str = "0018_notifications"
down_revision: str | None = "0022_conference"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.Column("created_at", forum_server.orm.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", forum_server.orm.UTCDateTime(timezone=True), nullable=True),
        _fk("notifications", "user_id", "users"),
        _fk("notifications", "session_id", "sessions"),
        _fk("notifications", "thread_id", "threads"),
        _fk("notifications", "post_id", "posts"),
        _fk("notifications", "question_id", "questions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    op.create_index("ix_notifications_user_id_id", "notifications", ["user_id", "id"])
    op.create_index("ix_notifications_user_id_read_at", "notifications", ["user_id", "read_at"])
    op.create_table(
        "post_mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("notified_at", forum_server.orm.UTCDateTime(timezone=True), nullable=True),
        _fk("post_mentions", "post_id", "posts"),
        _fk("post_mentions", "user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_mentions")),
        sa.UniqueConstraint("post_id", "user_id", name=op.f("uq_post_mentions_post_id_user_id")),
    )
    op.create_index(op.f("ix_post_mentions_user_id"), "post_mentions", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_post_mentions_user_id"), table_name="post_mentions")
    op.drop_table("post_mentions")
    op.drop_index("ix_notifications_user_id_read_at", table_name="notifications")
    op.drop_index("ix_notifications_user_id_id", table_name="notifications")
    op.drop_table("notifications")
