"""Job queue: Procrastinate's own schema, in the same PostgreSQL database as the ledger.

Applied only when the ledger is PostgreSQL (SQLite ledgers use the local process pool) and only
when Procrastinate's tables are absent, so it is safe on a database that already has them.

Revision ID: 0004_queue
Revises: 0003_issued
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0004_queue"
down_revision = "0003_issued"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    if bind.exec_driver_sql("SELECT to_regclass('procrastinate_jobs')").scalar() is not None:
        return
    from procrastinate.schema import SchemaManager

    # the driver's own execute: no parameters, so the schema's % signs are not placeholders
    bind.connection.driver_connection.execute(SchemaManager.get_schema())


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for t in ("procrastinate_events", "procrastinate_periodic_defers", "procrastinate_jobs",
              "procrastinate_workers"):
        op.execute(f"DROP TABLE IF EXISTS {t} CASCADE")
