"""users.email_verified_at: whether an account's e-mail address was shown to be its own

Existing accounts count as verified only where that can be known: secretariat
accounts (made from the command line or by the secretariat), and accounts that
accepted an invitation sent to their own address (verified when they accepted).
Whether any other account was made by the secretariat or by its owner through open
registration was never recorded, so those start unverified: their owners confirm
their address with a link from their profile page before a single sign-on identity
can be linked to them (docs/sign-in.md).

Revision ID: 0008_email_verified
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import forum_server.orm

revision: str = "0008_email_verified"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "email_verified_at", forum_server.orm.UTCDateTime(timezone=True), nullable=True
            )
        )
    op.execute(
        "UPDATE users SET email_verified_at = created_at "
        "WHERE is_secretariat AND email_verified_at IS NULL"
    )
    op.execute(
        "UPDATE users SET email_verified_at = ("
        " SELECT MIN(invitations.accepted_at) FROM invitations"
        " WHERE invitations.accepted_by = users.id AND invitations.email = users.email)"
        " WHERE email_verified_at IS NULL AND EXISTS ("
        " SELECT 1 FROM invitations"
        " WHERE invitations.accepted_by = users.id AND invitations.email = users.email)"
    )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("email_verified_at")
