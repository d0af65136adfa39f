"""A small intake ledger (stand-in extraction task, see tests/intake/fake_task.py) with three accounts.

甲: editable copy + scan differing in staff_total + licence → 需补正 only for the difference.
乙: editable copy only, a bad mobile number and check digit, no licence.
丙: a scan only, name_en read with low confidence (page 1, a box).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil

import pytest
from sqlalchemy import select

from haizhi.pipeline.intake.db import Application, default_url, open_db
from haizhi.pipeline.intake.run import Options, run_intake
from haizhi.pipeline.review.accounts import add_user
from tests.intake.helpers import FAKE, coop, write_json

JIA = ("甲科技有限公司", "91440300MA5FXT3K4L")
YI = ("乙国际人才服务中心", "91110108MA01ABCD2X")
BING = ("丙海外创新中心", "91310000MA1FL0000X")
RECEIVED = dt.datetime(2026, 8, 1, 10, 0).timestamp()  # before the 2026 deadlines
PASSWORDS = {"小王": "clerk-pass-1", "老李": "reviewer-pass-1", "admin": "admin-pass-12"}


def _licence(p, who):
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps({"records": [], "holder": who}), encoding="utf-8")  # distinct content per folder
    return p


def make_inbox(root):
    paths = [
        write_json(root / "甲公司" / "信息表.json", coop(*JIA)),
        write_json(root / "甲公司" / "扫描件.json", coop(*JIA, "ocr", staff_total=47)),
        _licence(root / "甲公司" / "营业执照.json", "甲"),
        write_json(root / "乙机构" / "表.json", coop(*YI, head_mobile="1381234567")),
    ]
    bing = coop(*BING, "ocr")
    bing["provenance"] = {"name_en": {"page": 1, "bbox": [100, 200, 400, 230], "method": "ocr", "confidence": 0.5},
                          "name_cn": {"page": 1, "bbox": [100, 160, 400, 190], "method": "ocr", "confidence": 0.99}}
    paths.append(write_json(root / "丙中心" / "扫描件.json", bing))
    paths.append(_licence(root / "丙中心" / "营业执照.json", "丙"))
    for p in paths:
        os.utime(p, (RECEIVED, RECEIVED))
    return root


def intake(tmp_path, db=None):
    inbox = tmp_path / "inbox"
    o = Options(inbox=inbox if inbox.exists() else make_inbox(inbox), out=tmp_path / "out", db=db, workers=1,
                year=2026, exports=False, progress=False, task=FAKE, timeout=30, mem_mb=1024)
    run_intake(o)
    return o


def setup_ledger(S):
    with S() as s:
        for name, role in (("小王", "clerk"), ("老李", "reviewer"), ("admin", "admin")):
            add_user(s, name, role, PASSWORDS[name])
        return {k: s.scalar(select(Application.id).where(Application.name == n))
                for k, n in (("jia", JIA[0]), ("yi", YI[0]), ("bing", BING[0]))}


@pytest.fixture(scope="session")
def ledger_template(tmp_path_factory):
    """Intake once per session; each test gets a copy (inbox, store and SQLite ledger)."""
    root = tmp_path_factory.mktemp("ledger")
    intake(root)
    return root


@pytest.fixture
def ledger(tmp_path, ledger_template):
    """(sessionmaker, {"jia": id, "yi": id, "bing": id}) with users 小王 (clerk), 老李 (reviewer), admin."""
    for d in ("inbox", "out"):
        shutil.copytree(ledger_template / d, tmp_path / d, symlinks=True)
    engine, S = open_db(default_url(tmp_path / "out"))
    ids = setup_ledger(S)
    yield S, ids
    engine.dispose()
