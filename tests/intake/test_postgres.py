"""The same intake code against a real PostgreSQL server started on 127.0.0.1 for this test."""

from __future__ import annotations

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from haizhi.pipeline.intake.db import MIGRATIONS, Application, RecordRow, open_db
from haizhi.pipeline.intake.run import Options, run_intake
from tests.intake.helpers import FAKE, coop, counts, write_json


def test_postgres_intake_idempotent_and_versioned(tmp_path, pg_url):
    inbox = tmp_path / "inbox"
    write_json(inbox / "甲公司" / "信息表.json", coop("甲科技有限公司", "91440300MA5FXT3K4L"))
    write_json(inbox / "甲公司" / "扫描件.json", coop("甲科技有限公司", "91440300MA5FXT3K4L", "ocr"))
    write_json(inbox / "乙机构.json", coop("乙国际人才服务中心", "91110108MA01ABCD2X"))
    (inbox / "坏.json").write_bytes(b"not json")
    o = Options(inbox=inbox, out=tmp_path / "out", db=pg_url, workers=2, year=2026, exports=False,
                progress=False, task=FAKE, timeout=30, mem_mb=1024)
    s1 = run_intake(o)
    assert s1.db.startswith("postgresql+psycopg://")
    c1 = counts(pg_url)
    assert c1["files"] == 4 and c1["records"] == 3 and c1["applications"] == 2
    s2 = run_intake(o)
    assert counts(pg_url) == c1 and s2.processed == 0 and s2.changes["added"] == 0
    assert not (tmp_path / "out" / "haizhi.db").exists()  # nothing went to SQLite

    write_json(inbox / "甲公司" / "信息表-补正.json", coop("甲科技有限公司", "91440300MA5FXT3K4L", staff_total=60))
    run_intake(o)
    engine, S = open_db(pg_url)
    with S() as s:
        assert s.execute(text("select version_num from alembic_version")).scalar() == _head()
        kind = s.execute(text("select data_type from information_schema.columns "
                              "where table_name='records' and column_name='fields'")).scalar()
        assert kind == "jsonb"
        app = s.scalar(select(Application).where(Application.credit_code == "91440300MA5FXT3K4L"))
        rows = sorted(s.scalars(select(RecordRow).where(RecordRow.application_id == app.id)), key=lambda r: r.version)
        assert [r.version for r in rows] == [1, 2, 3]
        assert rows[0].fields["staff_total"] == 46 and rows[2].fields["staff_total"] == 60
    engine.dispose()


def _head() -> str:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()
