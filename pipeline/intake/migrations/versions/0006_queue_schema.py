"""The newest Procrastinate migration the queue schema has (pipeline.intake.queue_schema).

0004_queue applied the schema of the Procrastinate installed then, so its newest migration is what
the database has. PostgreSQL only, like 0004.

Revision ID: 0006_queue_schema
Revises: 0005_drafts
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0006_queue_schema"
down_revision = "0005_drafts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from haizhi.pipeline.intake.queue_schema import TABLE, newest

    op.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (migration text NOT NULL)")
    if bind.exec_driver_sql(f"SELECT count(*) FROM {TABLE}").scalar() == 0:
        bind.exec_driver_sql(f"INSERT INTO {TABLE} (migration) VALUES (%(m)s)", {"m": newest()})


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE IF EXISTS haizhi_queue_schema")
