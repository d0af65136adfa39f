"""Issued forms: the values printed under each issue id (codes on printed forms).

Revision ID: 0003_issued
Revises: 0002_review
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003_issued"
down_revision = "0002_review"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "issued_forms",
        sa.Column("issue_id", sa.String(32), primary_key=True),
        sa.Column("form", sa.String(32), nullable=False),
        sa.Column("year", sa.Integer, nullable=True),
        sa.Column("values_hash", sa.String(64), nullable=False),
        sa.Column("values", JSONType, nullable=False),
        sa.Column("pages", sa.Integer, nullable=True),
        sa.Column("name", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_issued_forms_values_hash", "issued_forms", ["values_hash"])


def downgrade() -> None:
    op.drop_index("ix_issued_forms_values_hash", table_name="issued_forms")
    op.drop_table("issued_forms")
