"""conference sessions: a format, the current agenda item, a message limit, and the
planned and actual times of each agenda item

Revision ID: 0022_conference
Revises: 0021_decide
Create Date: 2026-12-01 02:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import forum_server.orm

revision: str = "0022_conference"
down_revision: str | None = "0021_decide"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("format", sa.String(length=16), server_default="forum", nullable=False)
        )
        batch_op.add_column(sa.Column("agenda_item", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("message_limit", sa.Integer(), nullable=True))
    with op.batch_alter_table("questions", schema=None) as batch_op:
        for name in ("planned_at", "started_at", "ended_at"):
            batch_op.add_column(
                sa.Column(name, forum_server.orm.UTCDateTime(timezone=True), nullable=True)
            )


def downgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        for name in ("ended_at", "started_at", "planned_at"):
            batch_op.drop_column(name)
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_column("message_limit")
        batch_op.drop_column("agenda_item")
        batch_op.drop_column("format")
