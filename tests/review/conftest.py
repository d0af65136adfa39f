"""A small intake ledger (stand-in extraction task, see tests/intake/fake_task.py) with three accounts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from haizhi.pipeline.intake.db import Application, default_url, open_db
from haizhi.pipeline.intake.run import Options, run_intake
from haizhi.pipeline.review.accounts import add_user
from tests.intake.helpers import FAKE, coop, write_json

JIA = ("甲科技有限公司", "91440300MA5FXT3K4L")
YI = ("乙国际人才服务中心", "91110108MA01ABCD2X")


def make_inbox(root):
    write_json(root / "甲公司" / "信息表.json", coop(*JIA))
    write_json(root / "甲公司" / "扫描件.json", coop(*JIA, "ocr", staff_total=47))
    write_json(root / "乙机构" / "表.json", coop(*YI, head_mobile="1381234567"))
    return root


def intake(tmp_path, db=None):
    o = Options(inbox=make_inbox(tmp_path / "inbox"), out=tmp_path / "out", db=db, workers=1, year=2026,
                exports=False, progress=False, task=FAKE, timeout=30, mem_mb=1024)
    run_intake(o)
    return o


@pytest.fixture
def ledger(tmp_path):
    """(sessionmaker, {"jia": app id, "yi": app id}) with users 小王 (clerk), 老李 (reviewer), admin."""
    intake(tmp_path)
    engine, S = open_db(default_url(tmp_path / "out"))
    with S() as s:
        add_user(s, "小王", "clerk", "clerk-pass-1")
        add_user(s, "老李", "reviewer", "reviewer-pass-1")
        add_user(s, "admin", "admin", "admin-pass-12")
        ids = {k: s.scalar(select(Application.id).where(Application.name == n))
               for k, n in (("jia", JIA[0]), ("yi", YI[0]))}
    yield S, ids
    engine.dispose()
