"""calls: calls for submissions, designated submitters, submissions (one per call and
country or organization), their documents, and reminders sent

Revision ID: 0029_calls
Revises: 0027_consent
Create Date: 2026-12-01 05:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import forum_server.orm

revision: str = "0029_calls"
down_revision: str | None = "0027_consent"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Time = forum_server.orm.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_html", sa.Text(), nullable=False),
        sa.Column("addressed_to", sa.String(length=100), nullable=False),
        sa.Column("deadline", Time(timezone=True), nullable=False),
        sa.Column("reminder_days", sa.String(length=100), nullable=False),
        sa.Column("symbol", sa.String(length=100), nullable=False),
        sa.Column("distribution", sa.String(length=100), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", Time(timezone=True), nullable=False),
        sa.Column("updated_at", Time(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_calls_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["space_id"], ["spaces.id"], name=op.f("fk_calls_space_id_spaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calls")),
    )
    op.create_index(op.f("ix_calls_space_id"), "calls", ["space_id"], unique=False)
    op.create_table(
        "call_submitters",
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("submitter", sa.String(length=200), nullable=False),
        sa.Column("added_at", Time(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["space_id"],
            ["spaces.id"],
            name=op.f("fk_call_submitters_space_id_spaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_call_submitters_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("space_id", "user_id", name=op.f("pk_call_submitters")),
    )
    op.create_index(
        "ix_call_submitters_space_submitter",
        "call_submitters",
        ["space_id", "submitter"],
        unique=False,
    )
    op.create_table(
        "call_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("submitter", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_html", sa.Text(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", Time(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", Time(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["calls.id"],
            name=op.f("fk_call_submissions_call_id_calls"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_call_submissions_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["users.id"],
            name=op.f("fk_call_submissions_updated_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_submissions")),
        sa.UniqueConstraint("call_id", "submitter", name="uq_call_submissions_call_id_submitter"),
    )
    op.create_table(
        "call_submission_files",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["call_submissions.id"],
            name=op.f("fk_call_submission_files_submission_id_call_submissions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["uploads.id"],
            name=op.f("fk_call_submission_files_upload_id_uploads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "submission_id", "upload_id", name=op.f("pk_call_submission_files")
        ),
    )
    op.create_table(
        "call_reminders",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("sent_at", Time(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["calls.id"],
            name=op.f("fk_call_reminders_call_id_calls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("call_id", "days", name=op.f("pk_call_reminders")),
    )


def downgrade() -> None:
    op.drop_table("call_reminders")
    op.drop_table("call_submission_files")
    op.drop_table("call_submissions")
    op.drop_index("ix_call_submitters_space_submitter", table_name="call_submitters")
    op.drop_table("call_submitters")
    op.drop_index(op.f("ix_calls_space_id"), table_name="calls")
    op.drop_table("calls")
