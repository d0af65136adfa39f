"""Procrastinate's schema kept at the level of the installed Procrastinate.

Migration 0004_queue applies the whole schema of the version installed then. A newer Procrastinate
ships SQL migrations (procrastinate/sql/migrations/NN.NN.NN_NN_name.sql, sorted by name); the name
of the newest one the database has is kept in haizhi_queue_schema (migration 0006). Every time a
PostgreSQL ledger is opened, the installed package's newer migrations are applied in order, each
in its own transaction, under an advisory lock, so workers starting together apply each once.

Procrastinate's "post" migrations may break workers of the older version: stop the old workers
on every machine before the first process of the new version opens the ledger.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

LOCK_KEY = 0x6861697A  # advisory lock key ("haiz") of every schema change: Alembic's (intake.db.upgrade) and these
TABLE = "haizhi_queue_schema"


def migrations_dir() -> Path:
    from procrastinate.schema import migrations_path

    return Path(migrations_path)


def migrations(folder: Path | None = None) -> list[str]:
    """Names of the package's SQL migrations, oldest first."""
    return sorted(p.name for p in (folder or migrations_dir()).glob("*.sql"))


def newest(folder: Path | None = None) -> str:
    names = migrations(folder)
    return names[-1] if names else ""


def applied(engine: Engine) -> str | None:
    """The newest Procrastinate migration the database has (None: no queue schema recorded)."""
    with engine.connect() as c:
        if c.exec_driver_sql(f"SELECT to_regclass('{TABLE}')").scalar() is None:
            return None
        return c.execute(text(f"SELECT migration FROM {TABLE}")).scalar()


def upgrade_queue(engine: Engine, folder: Path | None = None) -> list[str]:
    """Apply the migrations newer than the recorded one; returns their names. PostgreSQL only."""
    if engine.dialect.name != "postgresql":
        return []
    folder = folder or migrations_dir()
    done: list[str] = []
    with engine.connect() as lock_conn:
        lock_conn.exec_driver_sql(f"SELECT pg_advisory_lock({LOCK_KEY})")
        try:
            current = applied(engine)
            if current is None:  # ledger without a queue (not yet migrated): nothing to bring up to date
                return []
            for name in migrations(folder):
                if name <= current:
                    continue
                with engine.begin() as c:
                    # the driver's own execute: no parameters, so the SQL's % signs are not placeholders
                    c.connection.driver_connection.execute((folder / name).read_text(encoding="utf-8"))
                    c.execute(text(f"UPDATE {TABLE} SET migration = :m"), {"m": name})
                done.append(name)
        finally:
            lock_conn.exec_driver_sql(f"SELECT pg_advisory_unlock({LOCK_KEY})")
            lock_conn.commit()
    return done
