"""`haizhi demo` end to end (one scan, no PDF exports, to stay quick)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from sqlalchemy import select

from haizhi.pipeline.intake.db import Application, FindingRow, RecordRow, default_url, open_db
from tests.intake.helpers import ROOT


def test_demo_runs_and_tells_where_everything_is(tmp_path):
    out = tmp_path / "demo"
    r = subprocess.run([sys.executable, "-m", "haizhi.pipeline.cli", "demo", "--out", str(out), "--scans", "1",
                        "--no-pdf", "-q", "-j", "2"], cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    for what in ("通知包", "收件箱", "台账数据库", "原件存档", "审核导出"):
        assert what in r.stdout
    assert (out / "2026-通知包" / "manifest.json").is_file()
    assert (out / "exports" / "初审汇总.xlsx").is_file()
    engine, S = open_db(default_url(out))
    with S() as s:
        apps = {a.name: a for a in s.scalars(select(Application))}
        assert len(apps) == 12
        assert apps["杭州未来科技城海创服务有限公司"].status == "不符合条件"
        bj = apps["北京智汇海归科技服务有限公司"]
        versions = list(s.scalars(select(RecordRow).where(RecordRow.application_id == bj.id)))
        assert sorted(v.version for v in versions) == [1, 2]
        v1 = min(versions, key=lambda v: v.version)
        assert v1.fields.get("profile") in (None, "")  # history kept as received
        assert bj.current_record_id == max(versions, key=lambda v: v.version).id
        exported = {}
        for line in (out / "exports" / "初审记录.jsonl").read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            exported[d["source"]["application_id"]] = d["status"]
        assert exported == {a.id: a.status for a in apps.values()}  # reviewers see the ledger's verdict
        assert "通过" in exported.values() and "需补正" in exported.values()
        rules = set(s.scalars(select(FindingRow.rule).where(FindingRow.active.is_(True))))
        assert {"batch.quota", "coop.established_two_years"} <= rules
    engine.dispose()
    # the demo refuses to wipe a folder it did not make
    other = tmp_path / "mine"
    other.mkdir()
    (other / "keep.txt").write_text("x")
    r2 = subprocess.run([sys.executable, "-m", "haizhi.pipeline.cli", "demo", "--out", str(other), "-q"], cwd=ROOT,
                        env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True, timeout=120)
    assert r2.returncode == 2 and "不是演示输出目录" in r2.stderr and (other / "keep.txt").exists()
