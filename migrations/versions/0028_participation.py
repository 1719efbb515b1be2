"""participation: the author's profile kept on each post, a session's expected
turnout, reminders sent, and whether a space's transparency summary is public

Revision ID: 0028_participation
Revises: 0023_report_document
Create Date: 2026-12-01 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import forum_server.orm

revision: str = "0028_participation"
down_revision: str | None = "0023_report_document"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SNAPSHOT = (
    ("author_country", 2),
    ("author_region", 16),
    ("author_affiliation", 32),
    ("author_gender", 32),
)


def upgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        for name, length in SNAPSHOT:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))
    # Posts written before this revision take their author's profile as it is now:
    # the closest record there is of what it was.
    op.execute(
        "UPDATE posts SET "
        + ", ".join(
            f"{name} = (SELECT users.{name.removeprefix('author_')} FROM users "
            "WHERE users.id = posts.author_id)"
            for name, _ in SNAPSHOT
        )
        + " WHERE author_id IS NOT NULL"
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expected_participants", sa.Integer(), nullable=True))
    with op.batch_alter_table("spaces", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "transparency_public", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
    op.create_table(
        "participation_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("sent_by", sa.Integer(), nullable=True),
        sa.Column("sent_at", forum_server.orm.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["sent_by"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_participation_reminders_session_at",
        "participation_reminders",
        ["session_id", "sent_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_participation_reminders_session_at", table_name="participation_reminders")
    op.drop_table("participation_reminders")
    with op.batch_alter_table("spaces", schema=None) as batch_op:
        batch_op.drop_column("transparency_public")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_column("expected_participants")
    with op.batch_alter_table("posts", schema=None) as batch_op:
        for name, _ in reversed(SNAPSHOT):
            batch_op.drop_column(name)
