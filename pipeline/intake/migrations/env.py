"""Alembic environment for the intake ledger.

Run programmatically (pipeline.intake.db.upgrade): the caller passes an open
connection in config.attributes["connection"]. A URL in sqlalchemy.url works too
(for `alembic -x` style use by hand).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from haizhi.pipeline.intake.db import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    conn = config.attributes.get("connection")
    if conn is not None:
        _run(conn)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as c:
        _run(c)
    engine.dispose()


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
