"""Reviewer outputs: workbook, CSV with BOM, JSON Lines, approval sheets."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from haizhi.pipeline.core.fields import BASE_FORM, COOP_FORM
from haizhi.pipeline.core.record import Record
from haizhi.pipeline.export import write_exports
from haizhi.pipeline.export.xlsx import FILL_RGB, SHEET_TITLE, STATUS_RGB
from haizhi.pipeline.validate import findings_for, validate_batch
from tests.validate.helpers import base, batch, with_fields


def export_batch() -> list[Record]:
    """The fixture batch with a few broken records and a base application."""
    rs = batch()
    rs[0] = with_fields(rs[0], head_mobile="=HYPERLINK(\"http://x\")", profile="bad\x01control")
    rs[1] = with_fields(rs[1], registered_on="2023-01-01", area_total=99999)
    rs[1].source["method"] = "ocr"
    rs[1].marks = {"recommender_signed": True, "recommender_sealed": False, "institution_signed": True,
                   "institution_sealed": True}
    return [*rs, with_fields(base(), service_area=50)]


@pytest.fixture(scope="module")
def exported(tmp_path_factory, cfg2023):
    out = tmp_path_factory.mktemp("export")
    rs = export_batch()
    return rs, write_exports(rs, cfg2023, out, sheets=False)


def rgb(cell) -> str:
    return (cell.fill.fgColor.rgb or "")[-6:].upper()


def test_paths(exported) -> None:
    _, paths = exported
    assert set(paths) == {"xlsx", "csv:coop_institution", "csv:base_application", "csv:findings", "jsonl"}
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths.values())


def check_workbook(path, records, cfg, *, view: bool = True) -> None:
    """Headers, highlights and comments; shared with the LibreOffice round-trip test.
    view: also check the frozen panes (headless LibreOffice has no view to keep them in)."""
    wb = load_workbook(path)
    assert wb.sheetnames[:4] == [SHEET_TITLE["coop_institution"], SHEET_TITLE["base_application"], "全部问题",
                                 "推荐单位名额"]
    ws = wb[SHEET_TITLE["coop_institution"]]
    headers = [c.value for c in ws[1]]
    assert headers[:5] == ["序号", "记录", "来源文件", "初审状态", "问题数"]
    assert headers[5:5 + len(COOP_FORM.fields)] == [f.display for f in COOP_FORM.fields]
    if view:
        assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    col = {h: i + 1 for i, h in enumerate(headers)}

    # row 2: record 0 — bad mobile (warning) kept as text, not a formula; control char dropped
    mob = ws.cell(row=2, column=col[COOP_FORM.field("head_mobile").display])
    assert mob.value == "=HYPERLINK(\"http://x\")" and mob.data_type == "s"
    assert rgb(mob) == FILL_RGB["warning"]
    assert mob.comment is not None and "不是有效的手机号" in mob.comment.text and "机构负责人" in mob.comment.text
    assert ws.cell(row=2, column=col[COOP_FORM.field("profile").display]).value == "badcontrol"
    assert rgb(ws.cell(row=2, column=col["初审状态"])) == STATUS_RGB["需补正"]

    # row 3: record 1 — too young (error) and a missing seal (record-level → status comment)
    reg = ws.cell(row=3, column=col[COOP_FORM.field("registered_on").display])
    assert rgb(reg) == FILL_RGB["error"] and "不足 2 年" in reg.comment.text and "合作机构认定条件（一）" in reg.comment.text
    area = ws.cell(row=3, column=col[COOP_FORM.field("area_total").display])
    assert rgb(area) == FILL_RGB["warning"] and area.value == 99999
    status = ws.cell(row=3, column=col["初审状态"])
    assert status.value == "不符合条件" and rgb(status) == STATUS_RGB["不符合条件"]
    assert "公章" in status.comment.text
    # a clean record: no highlight, no comment
    clean = ws.cell(row=4, column=col[COOP_FORM.field("head_mobile").display])
    assert clean.comment is None and rgb(clean) in ("000000", "")

    wsb = wb[SHEET_TITLE["base_application"]]
    bh = [c.value for c in wsb[1]]
    assert bh[5:5 + len(BASE_FORM.fields)] == [f.display for f in BASE_FORM.fields]
    area = wsb.cell(row=2, column=bh.index(BASE_FORM.field("service_area").display) + 1)
    assert rgb(area) == FILL_RGB["error"] and "基地申报条件 工作基地（2）" in area.comment.text

    per_record = [findings_for(r, cfg) for r in records]
    bf = validate_batch(records, cfg)
    wsf = wb["全部问题"]
    assert [c.value for c in wsf[1]] == ["记录", "表单", "规则", "严重程度", "字段", "说明", "依据"]
    rows = list(wsf.iter_rows(min_row=2, values_only=True))
    assert len(rows) == sum(map(len, per_record)) + len(bf)
    assert {r[2] for r in rows if r[0] == "（批次）"} == {"batch.quota", "batch.overseas_share"}
    assert any(r[2] == "base.threshold" and r[3] == "错误" and r[4] == "服务场所面积（平方米）" for r in rows)

    wsq = wb["推荐单位名额"]
    q = {r[0]: r for r in wsq.iter_rows(min_row=2, values_only=True)}
    th = q["清华大学科学技术协会"]
    assert th[2] == cfg.coop.quota_minor and th[3] == 6 and th[4] == 2 and th[7] == "超额" and th[8] == "不足"
    assert q["广东省科学技术协会"][7] == "未超额" and q["广东省科学技术协会"][8] == "达标"


def test_workbook(exported, cfg2023) -> None:
    rs, paths = exported
    check_workbook(paths["xlsx"], rs, cfg2023)


def test_csv_has_bom_headers_and_safe_cells(exported) -> None:
    rs, paths = exported
    raw = paths["csv:coop_institution"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:2] == ["记录", "初审状态"] and rows[0][2:2 + len(COOP_FORM.fields)] == [
        f.display for f in COOP_FORM.fields]
    assert len(rows) == 1 + sum(1 for r in rs if r.form == "coop_institution")
    mob = rows[0].index(COOP_FORM.field("head_mobile").display)
    assert rows[1][mob] == "'=HYPERLINK(\"http://x\")"
    assert rows[2][1] == "不符合条件"
    types = rows[0].index(COOP_FORM.field("institution_types").display)
    assert rows[1][types] == "荐才机构、平台机构"
    base_rows = list(csv.reader(io.StringIO(paths["csv:base_application"].read_text(encoding="utf-8-sig"))))
    assert len(base_rows) == 2
    assert paths["csv:findings"].read_bytes().startswith(b"\xef\xbb\xbf")


def test_jsonl_one_record_per_line(exported, cfg2023) -> None:
    rs, paths = exported
    lines = paths["jsonl"].read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(rs)
    first = json.loads(lines[1])
    assert first["status"] == "不符合条件" and first["label"] == rs[1].fields["name_cn"]
    assert {f["rule"] for f in first["findings"]} >= {"coop.established_two_years", "coop.signatures_seals"}
    back = Record.from_dict({k: v for k, v in first.items() if k not in ("label", "status")})
    assert back.fields == rs[1].fields


def _fake_sheet(record, findings, cfg) -> bytes:
    from docx import Document

    d = Document()
    d.add_paragraph(f"{cfg.year} 初审审核表 {record.form} {len(findings)}")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_approval_sheets_have_safe_unique_names(tmp_path, cfg2023, monkeypatch) -> None:
    from haizhi.pipeline.generate import approval_sheet

    monkeypatch.setattr(approval_sheet, "render_approval_sheet", _fake_sheet, raising=False)
    evil = [with_fields(batch()[0], name_cn=n) for n in ("../../CON", "../../CON", "a/b:c*?", "  ...  ")]
    paths = write_exports(evil, cfg2023, tmp_path, pdf=False)
    docs = sorted(p.name for k, p in paths.items() if k.startswith("docx:"))
    assert docs == sorted(["_CON.docx", "_CON（2）.docx", "a_b_c.docx", "未命名.docx"])
    for k, p in paths.items():
        if k.startswith("docx:"):
            assert p.parent == tmp_path / "审核表" and p.read_bytes().startswith(b"PK")
            stem = p.stem.split("（")[0]
            assert stem.upper() != "CON" and ".." not in p.name
