"""report document: a symbol and a distribution line per space and per session

Revision ID: 0023_report_document
Revises: 0026_board
Create Date: 2026-12-01 02:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_report_document"
down_revision: str | None = "0026_board"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("spaces", "sessions")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("report_symbol", sa.String(length=100), server_default="", nullable=False)
            )
            batch_op.add_column(
                sa.Column(
                    "report_distribution", sa.String(length=100), server_default="", nullable=False
                )
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("report_distribution")
            batch_op.drop_column("report_symbol")
