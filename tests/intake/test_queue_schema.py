"""Procrastinate's schema follows the installed Procrastinate: newer SQL migrations are applied once."""

from __future__ import annotations

import shutil
import threading

from sqlalchemy import text

from haizhi.pipeline.intake import queue_schema as qs
from haizhi.pipeline.intake.db import open_db


def _package_copy(tmp_path):
    folder = tmp_path / "migrations"
    shutil.copytree(qs.migrations_dir(), folder, ignore=shutil.ignore_patterns("__*"))
    return folder


def test_new_ledger_records_the_installed_schema(pg_db):
    engine, _ = open_db(pg_db)
    try:
        assert qs.applied(engine) == qs.newest()
        assert qs.newest().endswith(".sql") and qs.newest() >= "03.00.00"
        assert qs.upgrade_queue(engine) == []  # nothing newer than what the schema has
    finally:
        engine.dispose()


def test_newer_migrations_are_applied_once_in_order(pg_db, tmp_path):
    engine, _ = open_db(pg_db)
    folder = _package_copy(tmp_path)
    # what a later Procrastinate could ship: a pre migration (with a % sign) and a post migration using it
    (folder / "99.00.00_01_pre_test.sql").write_text(
        "CREATE TABLE procrastinate_test_upgrade (n integer, note text DEFAULT '100%');", encoding="utf-8")
    (folder / "99.00.00_50_post_test.sql").write_text(
        "INSERT INTO procrastinate_test_upgrade (n) VALUES (1);", encoding="utf-8")
    try:
        results: list[list[str]] = []
        threads = [threading.Thread(target=lambda: results.append(qs.upgrade_queue(engine, folder)))
                   for _ in range(3)]  # three workers starting together
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        applied = [r for r in results if r]
        assert applied == [["99.00.00_01_pre_test.sql", "99.00.00_50_post_test.sql"]]
        assert qs.applied(engine) == "99.00.00_50_post_test.sql"
        with engine.connect() as c:
            assert c.execute(text("SELECT n, note FROM procrastinate_test_upgrade")).all() == [(1, "100%")]
        assert qs.upgrade_queue(engine, folder) == []
    finally:
        engine.dispose()


def test_a_failing_migration_stops_and_keeps_the_last_good_one(pg_db, tmp_path):
    engine, _ = open_db(pg_db)
    folder = _package_copy(tmp_path)
    (folder / "99.00.00_01_pre_ok.sql").write_text("CREATE TABLE procrastinate_ok (n integer);", encoding="utf-8")
    (folder / "99.00.01_01_pre_bad.sql").write_text("SELECT no_such_function();", encoding="utf-8")
    try:
        try:
            qs.upgrade_queue(engine, folder)
            raise AssertionError("a broken migration must raise")
        except Exception as e:  # noqa: BLE001 - psycopg's error, whatever its class
            assert "no_such_function" in str(e)
        assert qs.applied(engine) == "99.00.00_01_pre_ok.sql"  # the next start retries from here
        (folder / "99.00.01_01_pre_bad.sql").write_text("CREATE TABLE procrastinate_fixed (n integer);",
                                                          encoding="utf-8")
        assert qs.upgrade_queue(engine, folder) == ["99.00.01_01_pre_bad.sql"]
    finally:
        engine.dispose()


def test_sqlite_ledger_has_no_queue_schema(tmp_path):
    engine, _ = open_db(f"sqlite:///{tmp_path / 'l.db'}")
    try:
        assert qs.upgrade_queue(engine) == []
        with engine.connect() as c:
            assert c.exec_driver_sql("SELECT name FROM sqlite_master WHERE name = 'haizhi_queue_schema'").all() == []
    finally:
        engine.dispose()
