"""posting limits a space's moderators set, and the network of a guest's post

Revision ID: 0009_posting_limits
Revises: 0008_email_verified
Create Date: 2026-11-30 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_posting_limits"
down_revision: str | None = "0008_email_verified"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("moderation_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("account_post_limit", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("guest_post_limit", sa.Integer(), nullable=True))
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("guest_network", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_column("guest_network")
    with op.batch_alter_table("moderation_settings", schema=None) as batch_op:
        batch_op.drop_column("guest_post_limit")
        batch_op.drop_column("account_post_limit")
