"""The 0002_review migration, and the review layer on a real PostgreSQL server."""

from __future__ import annotations

import threading

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text

from haizhi.pipeline.intake.db import MIGRATIONS, Application, Base, default_url, open_db
from haizhi.pipeline.review.decisions import decide
from haizhi.pipeline.review.queries import application_detail, list_applications
from haizhi.pipeline.review.revisions import correct_field, history
from tests.intake.test_postgres import _head
from tests.review.conftest import intake, setup_ledger

REVIEW_TABLES = {"users", "field_revisions", "decisions"}


def test_migration_up_down_up_sqlite(tmp_path):
    engine, _ = open_db(default_url(tmp_path))
    with engine.connect() as c:
        assert compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata) == []
    assert set(inspect(engine).get_table_names()) >= REVIEW_TABLES
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001_initial")
    assert not REVIEW_TABLES & set(inspect(engine).get_table_names())
    engine.dispose()
    engine, _ = open_db(default_url(tmp_path))  # open_db upgrades again
    assert set(inspect(engine).get_table_names()) >= REVIEW_TABLES
    engine.dispose()


def test_review_on_postgres(tmp_path, pg_url):
    intake(tmp_path, db=pg_url)
    engine, S = open_db(pg_url)
    try:
        ids = setup_ledger(S)
        with S() as s:
            assert s.execute(text("select version_num from alembic_version")).scalar() == _head()  # 0002_review and all after it
            kind = s.execute(text("select data_type from information_schema.columns "
                                  "where table_name='field_revisions' and column_name='value'")).scalar()
            assert kind == "jsonb"
            rids = {k: s.get(Application, v).current_record_id for k, v in ids.items()}

        # two people saving at the same moment, each re-running the batch rules
        errors: list[BaseException] = []

        def fix(key: str, field: str, value: object) -> None:
            try:
                with S() as s:
                    correct_field(s, rids[key], field, value, "小王", "并发更正")
            except BaseException as e:  # noqa: BLE001
                errors.append(e)

        threads = [threading.Thread(target=fix, args=a) for a in
                   (("jia", "staff_total", 47), ("yi", "head_mobile", "13812345678"),
                    ("bing", "name_en", "Bing Overseas Innovation Center"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        with S() as s:
            assert s.get(Application, ids["jia"]).status == "通过"
            assert [h["value"] for h in history(s, rids["jia"], "staff_total")] == [46, 47]
            decide(s, ids["yi"], "需补正", "老李", items=["补交营业执照"])
            d = list_applications(s)
            assert d["counts"]["需补正"] == 1 and d["counts"]["待复核"] == 2
            page = application_detail(s, ids["bing"])
            assert next(f for f in page["fields"] if f["key"] == "name_en")["corrected"]["user"] == "小王"
            n = s.execute(select(text("count(*)")).select_from(text("field_revisions"))).scalar()
            assert n == 3
            # hostile text: NUL (PostgreSQL refuses it in JSONB) dropped, markup and tags kept as typed
            nasty = "<script>alert(1)</script>{{ 7*7 }}\x00尾"
            out = correct_field(s, rids["yi"], "profile", nasty, "小王", "理由\x00<b>")
            assert out.value == "<script>alert(1)</script>{{ 7*7 }}尾"
            h = history(s, rids["yi"], "profile")
            assert h[-1]["value"] == out.value and h[-1]["reason"] == "理由<b>"
            decide(s, ids["yi"], "需补正", "老李", items=["补\x00交<i>材料</i>"], note="\x00")
    finally:
        engine.dispose()
