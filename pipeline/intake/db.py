"""The intake ledger: SQLAlchemy 2 models and opening a database.

SQLite by default (outputs/haizhi.db), PostgreSQL by URL
(postgresql+psycopg://…) through the same code. The schema is created and
upgraded by Alembic (pipeline/intake/migrations) on open; nothing needs an
alembic.ini in the working directory.

Records are never updated in place: a re-submission is a new version of the
application's record. Findings are keyed by (scope, origin, digest); when a
re-check no longer produces one it is marked inactive, not deleted.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from haizhi.pipeline.core.errors import HaizhiError

JSONType = JSON().with_variant(postgresql.JSONB(), "postgresql")
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    pass


class Run(Base):
    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    inbox: Mapped[str] = mapped_column(Text)
    year: Mapped[int] = mapped_column(Integer)
    workers: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default="running")  # running / finished
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSONType)


class File(Base):
    """One original, by content. state: pending → done | rejected."""

    __tablename__ = "files"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)  # name first seen under
    suffix: Mapped[str] = mapped_column(String(32), default="")
    state: Mapped[str] = mapped_column(String(16), default="pending")
    kind: Mapped[str | None] = mapped_column(String(32))  # form / support_letter / licence / other / archive
    method: Mapped[str | None] = mapped_column(String(32))
    pages: Mapped[int | None] = mapped_column(Integer)
    readable: Mapped[bool | None] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(Text)  # Chinese, for rejected / other files
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    processed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))


class Entry(Base):
    """Where a file was seen: a path in an inbox (zip members as a.zip!/b.docx)."""

    __tablename__ = "entries"
    __table_args__ = (UniqueConstraint("path", "sha256", name="uq_entries_path_sha"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    folder: Mapped[str | None] = mapped_column(Text)  # applicant folder, None for a flat inbox
    sha256: Mapped[str] = mapped_column(String(64), default="")  # '' when not read (rejected)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id"))
    state: Mapped[str] = mapped_column(String(16), default="ok")  # ok / rejected
    reason: Mapped[str | None] = mapped_column(Text)
    received_on: Mapped[dt.date | None] = mapped_column(Date)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("year", "form", "key", name="uq_applications_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    form: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(Text)  # credit:… / name:… / folder:…
    name: Mapped[str | None] = mapped_column(Text)
    credit_code: Mapped[str | None] = mapped_column(String(64))
    folder: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(16))  # 通过 / 需补正 / 不符合条件
    current_record_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ApplicationFile(Base):
    __tablename__ = "application_files"
    __table_args__ = (UniqueConstraint("application_id", "file_id", name="uq_application_files"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"))
    role: Mapped[str] = mapped_column(String(32))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))


class RecordRow(Base):
    """One record read from one file; immutable once its application and version are set."""

    __tablename__ = "records"
    __table_args__ = (
        UniqueConstraint("file_id", "idx", name="uq_records_file_idx"),
        UniqueConstraint("application_id", "form", "version", name="uq_records_version"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"))
    idx: Mapped[int] = mapped_column(Integer)
    form: Mapped[str] = mapped_column(String(32))
    copy: Mapped[str] = mapped_column(String(16))  # editable / scan
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    version: Mapped[int | None] = mapped_column(Integer)
    fields: Mapped[dict[str, Any]] = mapped_column(JSONType)
    source: Mapped[dict[str, Any]] = mapped_column(JSONType)
    provenance: Mapped[dict[str, Any]] = mapped_column(JSONType)
    marks: Mapped[dict[str, Any]] = mapped_column(JSONType)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (UniqueConstraint("scope", "origin", "digest", name="uq_findings_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(64))  # file:ID / record:ID / batch:YEAR
    origin: Mapped[str] = mapped_column(String(16))  # extract / validate / compare / batch
    digest: Mapped[str] = mapped_column(String(64))
    rule: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16))
    field: Mapped[str | None] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    basis: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id"))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def _sqlite_pragmas(dbapi_conn: Any, _rec: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def default_url(out_dir: str | Path) -> str:
    return f"sqlite:///{Path(out_dir).resolve() / 'haizhi.db'}"


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (config built in code)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    from haizhi.pipeline.intake.queue_schema import LOCK_KEY, upgrade_queue

    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":  # processes starting together migrate one at a time
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({LOCK_KEY})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    if engine.dialect.name == "postgresql":
        upgrade_queue(engine)  # Procrastinate's own migrations after a version change


def open_db(url: str) -> tuple[Engine, sessionmaker[Session]]:
    try:
        u = make_url(url)
    except Exception:
        raise HaizhiError(f"数据库地址无效：{url}") from None
    if u.drivername.startswith("sqlite") and u.database:
        Path(u.database).parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(u, future=True, pool_pre_ping=True)
    except Exception as e:
        raise HaizhiError(f"无法打开数据库 {u.render_as_string(hide_password=True)}：{e}") from None
    if u.drivername.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        upgrade(engine)
    except Exception as e:
        engine.dispose()
        raise HaizhiError(
            f"无法连接或升级数据库 {u.render_as_string(hide_password=True)}：{type(e).__name__}: {e}"
        ) from None
    return engine, sessionmaker(engine, expire_on_commit=False)


# tables defined beside the ledger on the same Base, so Base.metadata is the whole schema
from haizhi.pipeline.codes import models as _codes_models  # noqa: E402,F401
from haizhi.pipeline.review import drafts as _drafts_models  # noqa: E402,F401
from haizhi.pipeline.review import models as _review_models  # noqa: E402,F401
