"""初审审核表, 推荐名单汇总表 and 公示."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest

from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.core.record import Finding
from haizhi.pipeline.generate.approval_sheet import (
    render_approval_sheet,
    render_batch_list,
    render_public_notice,
)
from tests.forms.helpers import docx_text, squash

FINDINGS = [
    Finding("coop.established_two_years", "error", "registered_on", "注册时间 2022-03-01 距 2023-07-24 不足两年",
            "合作机构认定条件（一）"),
    Finding("coop.missing_seal", "warning", None, "推荐单位未加盖公章", None),
    Finding("extract.low_confidence", "info", "head_mobile", "识别置信度较低", None),
]


def _rows(data: bytes) -> list[list[str]]:
    doc = docx.Document(io.BytesIO(data))
    return [[c.text for c in row.cells] for t in doc.tables for row in t.rows]


def test_approval_sheet_contains_record_findings_and_opinion_blocks(cfg2023, coop_record):
    data = render_approval_sheet(coop_record, FINDINGS, cfg2023)
    text = docx_text(data)
    flat = squash(text)
    assert "2023年中国科协海智计划合作机构初审审核表" in flat
    for v in ("深圳湾海创国际人才服务有限公司", "91440300MA5FXT3K4L", "广东省科学技术协会", "2015年6月18日",
              "荐才机构、平台机构"):
        assert v in flat
    rows = _rows(data)
    finding_rows = [r for r in rows if r[0] in ("1", "2", "3")]
    assert finding_rows[0][1:] == ["错误", "注册时间", FINDINGS[0].message, "合作机构认定条件（一）"]
    assert finding_rows[1][1:3] == ["警告", "（整体）"] and finding_rows[1][4] == "—"
    assert finding_rows[2][1:3] == ["提示", "机构负责人 · 手机"]
    assert "三、初审结论：不符合条件" in text
    assert "共发现错误1项、警告1项、提示1项。" in flat
    for block in ("初审意见", "专家评审意见", "审定意见"):
        row = next(r for r in rows if r[0] == block)
        assert "签字：" in row[1] and squash(row[1]).endswith("年月日")
    assert "未发现问题" not in text


def test_approval_sheet_without_findings(cfg2023, base_record):
    data = render_approval_sheet(base_record, [], cfg2023)
    text = docx_text(data)
    assert "中国科协海智计划基地初审审核表" in squash(text)
    assert "未发现问题" in text and "初审结论：通过" in text
    assert "中国科协海智工作基地（佛山市顺德区）" in text
    only_warning = render_approval_sheet(base_record, FINDINGS[1:2], cfg2023)
    assert "初审结论：需补正" in docx_text(only_warning)


def test_batch_list_one_row_per_candidate(cfg2023, coop_record, base_record):
    other = type(coop_record).from_dict(coop_record.to_dict())
    other.fields.update(name_cn="Global Talent Link Ltd.", overseas=True, country="英国")
    data = render_batch_list([coop_record, other, base_record], cfg2023, {0: FINDINGS, 1: []})
    rows = _rows(data)
    body = [r for r in rows if r[0].isdigit()]
    assert [r[0] for r in body] == ["1", "2", "3"]
    assert body[0][1:] == ["深圳湾海创国际人才服务有限公司", "荐才机构、平台机构 / 孵化器、服务平台", "否", "中国",
                           "广东省科学技术协会", "不符合条件"]
    assert body[1][3:5] == ["是", "英国"] and body[1][6] == "通过"
    assert body[2][1] == "中国科协海智工作基地（佛山市顺德区）" and body[2][5] == "佛山市顺德区科学技术协会"
    assert body[2][6] == "通过"  # not in the dict: validated, nothing found
    flat = squash(docx_text(data))
    assert "合计3个" in flat and "注册地在境外的1个" in flat


def test_batch_list_without_findings_uses_record_findings(cfg2023, coop_record):
    data = render_batch_list([coop_record], cfg2023)
    assert _rows(data)[1][-1] == "未初审"
    coop_record.findings = FINDINGS[1:2]
    assert _rows(render_batch_list([coop_record], cfg2023))[1][-1] == "需补正"
    assert "合作机构推荐名单汇总表" in squash(docx_text(render_batch_list([coop_record], cfg2023)))


def test_public_notice_period_from_config(cfg2023, cfg2026, coop_record, base_record):
    text = squash(docx_text(render_public_notice([base_record], cfg2026, dt.date(2026, 10, 12))))
    assert "关于2026年中国科协海智计划基地拟认定名单的公示" in text
    assert "公示期为5天（2026年10月12日至2026年10月16日）" in text
    assert "科协外函〔2026〕17号" in text and "中国科协海智工作基地（佛山市顺德区）" in text
    assert "中国科协国际合作部2026年10月12日" in text
    coop = squash(docx_text(render_public_notice([coop_record], cfg2023)))
    assert "公示期为3天。" in coop and "010-62191121" in coop and "徐冠群、王海洋" in coop
    assert "深圳湾海创国际人才服务有限公司" in coop
    with pytest.raises(HaizhiError, match="同一类"):
        render_public_notice([coop_record, base_record], cfg2023)
    with pytest.raises(HaizhiError, match="为空"):
        render_public_notice([], cfg2023)
