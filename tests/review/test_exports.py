"""Exports use reviewed values and say who corrected what."""

from __future__ import annotations

import csv
import json

from openpyxl import load_workbook

from haizhi.pipeline.intake.db import Application, RecordRow
from haizhi.pipeline.review.decisions import decide
from haizhi.pipeline.review.exports import write_reviewed_exports
from haizhi.pipeline.review.revisions import correct_field
from tests.docx_text import docx_text


def test_reviewed_exports(ledger, tmp_path):
    S, ids = ledger
    with S() as s:
        rid = s.get(Application, ids["jia"]).current_record_id
        correct_field(s, rid, "staff_total", 47, "小王", "以扫描件为准")
        correct_field(s, rid, "contact_email", "=HYPERLINK(\"http://x\")", "小王", "测试")
        decide(s, ids["yi"], "需补正", "老李", items=[{"field": "head_mobile", "text": "请核实负责人手机号"}])
        decide(s, ids["jia"], "通过", "老李")
        out = write_reviewed_exports(s, tmp_path / "exports", pdf=False)
        assert s.get(RecordRow, rid).fields["staff_total"] == 46  # exports never touch the machine's values

    wb = load_workbook(out["xlsx"])
    ws = wb["合作机构信息表"]
    head = [c.value for c in ws[1]]
    col = head.index("人员情况 · 员工人数")
    row = next(r for r in ws.iter_rows(min_row=2) if r[1].value and "甲科技" in r[1].value)
    assert row[col].value == 47
    assert "人工更正" in row[col].comment.text and "小王" in row[col].comment.text
    email = row[head.index("机构联系人 · 电子邮箱")]
    assert email.data_type == "s" and email.value.startswith("=HYPERLINK")  # text, not a formula
    fixes = [[c.value for c in r] for r in wb["人工更正"].iter_rows(min_row=2)]
    assert any("甲科技" in r[0] and r[1:6] == ["人员情况 · 员工人数", "46", "47", "小王", r[5]] and r[6] == "以扫描件为准"
               for r in fixes), fixes
    decided = {r[0].value: (r[1].value, r[2].value, r[3].value) for r in wb["审核决定"].iter_rows(min_row=2)}
    yi = next(v for k, v in decided.items() if "乙" in k)
    assert yi[0] == "需补正" and "请核实负责人手机号" in yi[1] and yi[2] == "老李"
    assert any(v[0] == "待复核" for k, v in decided.items() if "丙" in k)

    lines = [json.loads(x) for x in out["jsonl"].read_text(encoding="utf-8").splitlines()]
    jia = next(x for x in lines if x["application_id"] == ids["jia"])
    assert jia["fields"]["staff_total"] == 47
    # the corrected e-mail is not an address: validation ran on the reviewed value
    assert jia["status"] == "需补正" and any(f["field"] == "contact_email" for f in jia["findings"])
    assert {(c["field"], c["machine"], c["value"], c["user"]) for c in jia["corrections"]} >= {
        ("staff_total", 46, 47, "小王")}
    assert jia["decision"]["decision"] == "通过" and jia["decision"]["user"] == "老李"

    with out["csv:coop_institution"].open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    jia_row = next(r for r in rows if "甲科技" in r[0])
    assert "47" in jia_row and "人工更正" in jia_row[-1] and "小王" in jia_row[-1]

    sheet = next(v for k, v in out.items() if k.startswith("docx:") and "甲科技" in k)
    text = docx_text(sheet)
    assert "人工更正" in text and "小王" in text and "以扫描件为准" in text

    notices = [v for k, v in out.items() if k.startswith("notice:")]
    assert len(notices) == 1 and "乙国际人才服务中心" in notices[0].name
    assert "请核实负责人手机号" in docx_text(notices[0])
