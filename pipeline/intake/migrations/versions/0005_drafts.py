"""Drafts entered in the browser (form, year, fields, who/when, draft|printed, issue id).

Revision ID: 0005_drafts
Revises: 0004_queue
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005_drafts"
down_revision = "0004_queue"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "entry_drafts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("form", sa.String(32), nullable=False),
        sa.Column("year", sa.Integer, nullable=True),
        sa.Column("fields", JSONType, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("issue_id", sa.String(32), nullable=True),
        sa.Column("created_by", sa.Text, nullable=True),
        sa.Column("updated_by", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("entry_drafts")
