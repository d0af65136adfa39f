"""Review: users, field revisions, decisions.

Revision ID: 0002_review
Revises: 0001_initial
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_review"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "field_revisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("record_id", sa.Integer, sa.ForeignKey("records.id"), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("value", JSONType, nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
    )
    op.create_index("ix_field_revisions_record_field", "field_revisions", ["record_id", "field"])
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("application_id", sa.Integer, sa.ForeignKey("applications.id"), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("items", JSONType, nullable=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("record_id", sa.Integer, sa.ForeignKey("records.id"), nullable=True),
    )
    op.create_index("ix_decisions_application", "decisions", ["application_id"])


def downgrade() -> None:
    op.drop_index("ix_decisions_application", table_name="decisions")
    op.drop_table("decisions")
    op.drop_index("ix_field_revisions_record_field", table_name="field_revisions")
    op.drop_table("field_revisions")
    op.drop_table("users")
