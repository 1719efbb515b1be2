"""languages: an account's interface language and time zone, a post's language

Revision ID: 0011_languages
Revises: 0010_mail_outbox
Create Date: 2026-11-30 22:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_languages"
down_revision: str | None = "0010_mail_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))
    with op.batch_alter_table("posts", schema=None) as batch_op:
        # Posts written before languages were recorded stay without one (unknown).
        batch_op.add_column(sa.Column("lang", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_column("lang")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("time_zone")
        batch_op.drop_column("language")
