"""Decisions with their history; the 补正通知 as DOCX and PDF from its editable template."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from haizhi.pipeline.core.config import load_year
from haizhi.pipeline.generate.render import TEMPLATES_DIR
from haizhi.pipeline.generate.templates_check import check_all, check_template
from haizhi.pipeline.intake.db import Application
from haizhi.pipeline.review.decisions import current_decision, decide, history
from haizhi.pipeline.review.errors import Invalid, NotFound, PermissionDenied
from haizhi.pipeline.review.notice import correction_notice, correction_notice_pdf
from haizhi.pipeline.review.revisions import correct_field
from tests.docx_text import docx_text
from tests.forms.test_templates_check import edit_xml


def test_decide_revise_and_history(ledger):
    S, ids = ledger
    app = ids["yi"]
    with S() as s:
        assert current_decision(s, app) is None
        with pytest.raises(Invalid, match="至少需要写明一项"):
            decide(s, app, "需补正", "老李", items=[" "])
        with pytest.raises(Invalid, match="审核决定无效"):
            decide(s, app, "再说吧", "老李")
        with pytest.raises(Invalid, match="只有“需补正”需要补正事项"):
            decide(s, app, "通过", "老李", items=["x"])
        with pytest.raises(PermissionDenied, match="无权作出审核决定"):
            decide(s, app, "通过", "小王")
        with pytest.raises(NotFound):
            decide(s, 9999, "通过", "老李")
        d1 = decide(s, app, "需补正", "老李", items=[{"field": "head_mobile", "text": "请核实负责人手机号"},
                                                   "补交营业执照扫描件"], note="材料基本齐全")
        d2 = decide(s, app, "不符合条件", "admin", note="复核后改判")
        assert current_decision(s, app).id == d2.id
        h = history(s, app)
        assert [(x["decision"], x["user"]) for x in h] == [("需补正", "老李"), ("不符合条件", "admin")]
        assert h[0]["items"] == [{"field": "head_mobile", "label": "机构负责人 · 手机", "text": "请核实负责人手机号"},
                                 {"field": None, "label": None, "text": "补交营业执照扫描件"}]
        assert h[0]["note"] == "材料基本齐全" and h[0]["at"] and d1.record_id is not None


def test_correction_notice_docx_and_pdf(ledger):
    S, ids = ledger
    app = ids["yi"]
    with S() as s:
        with pytest.raises(Invalid, match="不是“需补正”"):
            correction_notice(s, app)
        rid = s.get(Application, app).current_record_id
        correct_field(s, rid, "name_cn", "乙国际人才服务中心（更正）", "小王", "按营业执照")
        decide(s, app, "需补正", "老李",
               items=[{"field": "head_mobile", "text": "请核实负责人手机号"},
                      "补交营业执照扫描件 <b>加粗</b> {{ cfg.year }} {% if 1 %}x{% endif %}"],
               note="请于十个工作日内补正")
        data = correction_notice(s, app)
        text = docx_text(data)
        assert "乙国际人才服务中心（更正）" in text  # the reviewed value
        assert "广东省科学技术协会：" in text  # addressed to the recommender
        assert "机构负责人 · 手机\t请核实负责人手机号" in text
        # what a person typed is printed as typed, never evaluated
        assert "<b>加粗</b> {{ cfg.year }} {% if 1 %}x{% endif %}" in text
        assert "请于十个工作日内补正" in text and "中国科协海智办" in text
        pdf = correction_notice_pdf(s, app)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        ptext = "".join(p.extract_text() or "" for p in doc.pages).replace(" ", "")
    assert "补正" in ptext and "请核实负责人手机号" in ptext


def test_notice_template_is_checked(tmp_path):
    cfg = load_year(2026)
    src = TEMPLATES_DIR / "correction_notice.docx"
    assert check_all([src], cfg) == []
    p = edit_xml(src, tmp_path / "correction_notice.docx", ("{{ candidate }}", "{{ candidat }}"))
    out = "\n".join(map(str, check_template(p, cfg)))
    assert "变量“candidat”不存在" in out


def test_suggested_items_are_open_warnings(ledger):
    from haizhi.pipeline.review.decisions import suggested_items

    S, ids = ledger
    with S() as s:
        items = suggested_items(s, ids["yi"])
        assert {i["field"] for i in items} == {"credit_code", "head_mobile", None}
        assert all(i["text"] for i in items)
        d = decide(s, ids["yi"], "需补正", "老李", items=items)
        assert len(d.items) == len(items)
