"""preview hits: previews counted per account and guest network for their rate limit

Revision ID: 0019_preview_hits
Revises: 0018_notifications
Create Date: 2026-12-03 02:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import forum_server.orm

revision: str = "0019_preview_hits"
down_revision: str | None = "0018_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "preview_hits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("at", forum_server.orm.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_preview_hits")),
    )
    op.create_index("ix_preview_hits_key_at", "preview_hits", ["key", "at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_preview_hits_key_at", table_name="preview_hits")
    op.drop_table("preview_hits")
