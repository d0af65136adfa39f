"""DOCX returns typed by applicants (not from our templates) → records of the contract."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from extract_builders import (
    add_rows,
    dropdown,
    legacy_checkbox,
    new_doc,
    page_break,
    retyped_base,
    retyped_coop,
    save,
    sdt_checkbox,
)

from haizhi.extractors import extract_file
from haizhi.pipeline.core.fields import BASE, COOP


def _one(path: Path):
    res = extract_file(path)
    assert res.readable, res.findings
    assert len(res.records) == 1, [f.message for f in res.findings]
    return res.records[0]


def test_retyped_coop_reads_exactly(tmp_path: Path, coop_record) -> None:
    doc = new_doc()
    retyped_coop(doc)
    rec = _one(save(doc, tmp_path / "回件.docx"))
    assert rec.form == COOP
    assert rec.fields == coop_record.fields
    assert rec.findings == []
    assert rec.marks == dict.fromkeys(rec.marks) and set(rec.marks) == {
        "recommender_signed", "recommender_sealed", "institution_signed", "institution_sealed"}
    assert rec.source["method"] == "docx" and len(rec.source["sha256"]) == 64
    for key in coop_record.fields:
        if coop_record.fields[key] is not None:
            prov = rec.provenance[key]
            assert prov["method"] == "docx" and prov["page"] == 1 and prov["confidence"] == 1.0


def test_retyped_base_with_cover_and_paragraph_sections(tmp_path: Path, base_record) -> None:
    doc = new_doc()
    retyped_base(doc)
    rec = _one(save(doc, tmp_path / "基地.docx"))
    assert rec.form == BASE
    assert rec.fields == base_record.fields
    assert rec.findings == []
    assert rec.source["pages"] == 2  # the page break after the cover


def test_table_split_in_two_across_a_page(tmp_path: Path, base_record) -> None:
    doc = new_doc()
    retyped_base(doc, cover=False, split=True)
    rec = _one(save(doc, tmp_path / "split.docx"))
    want = dict(base_record.fields)
    del want["applicant"]  # only on the cover page, which this file lacks
    assert rec.fields == want
    assert [f.field for f in rec.findings] == ["applicant"]
    assert rec.provenance["service_area"]["page"] == 2
    assert rec.provenance["base_name"]["page"] == 1


def _options_para(cell, kind: str, ticked: set[str], options: list[str]) -> None:
    p = cell.paragraphs[0]
    for opt in options:
        (sdt_checkbox if kind == "sdt" else legacy_checkbox)(p, opt in ticked, opt)


def test_content_control_legacy_and_symbol_checkboxes(tmp_path: Path) -> None:
    doc = new_doc()
    doc.add_paragraph("推荐中国科协海智计划合作机构信息表")
    t = add_rows(doc, [
        ["机构名称（中文）", "某某机构", None, None, None, None],
        ["注册国家", "", None, None, None, None],
        ["注册地是否在境外", "", None, None, None, None],
        ["机构类型（可多选）", "", None, None, None, None],
        ["机构属性", "☐", "社会组织", "☒", "企业", ""],
        ["可提供服务（可多选）", "", None, None, None, None],
        ["注册时间", "2015年6月", None, None, None, None],
    ], merges=[(0, 1, 0, 5), (1, 1, 1, 5), (2, 1, 2, 5), (3, 1, 3, 5), (5, 1, 5, 5), (6, 1, 6, 5)])
    dropdown(t.cell(1, 1).paragraphs[0], "美国")
    _options_para(t.cell(3, 1), "sdt", {"荐才机构", "用才机构"}, ["荐才机构", "平台机构", "用才机构"])
    _options_para(t.cell(5, 1), "legacy", {"投融资", "知识产权", "其他"},
                  ["投融资", "创业服务", "知识产权", "其他"])
    t.cell(5, 1).paragraphs[0].add_run("跨境税务咨询")
    # 是 / 否 as Wingdings symbols (Insert → Symbol)
    p = t.cell(2, 1).paragraphs[0]
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:sym w:font="Wingdings" w:char="F0FE"/></w:r>'))
    p.add_run("是  ")
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:sym w:font="Wingdings" w:char="F0A8"/></w:r>'))
    p.add_run("否")
    rec = _one(save(doc, tmp_path / "cc.docx"))
    assert rec.fields["country"] == "美国"
    assert rec.fields["institution_types"] == ["荐才机构", "用才机构"]
    assert rec.fields["services"] == ["投融资", "知识产权", "其他"]
    assert rec.fields["services_other"] == "跨境税务咨询"
    assert rec.fields["institution_nature"] == "企业"  # ☐ | 社会组织 | ☒ | 企业 spread over cells
    assert rec.fields["overseas"] is True
    assert rec.fields["registered_on"] == "2015-06"


def test_header_row_groups_with_values_below(tmp_path: Path) -> None:
    doc = new_doc()
    doc.add_paragraph("推荐中国科协海智计划合作机构信息表")
    add_rows(doc, [
        ["机构负责人", None, None, None],
        ["姓名", "职务", "手机", "电子邮箱"],
        ["陈立平", "总经理", "138 1234 5678", "chenlp@example.cn"],
        ["机构联系人", None, None, None],
        ["姓名", "职务", "手机", "电子邮箱"],
        ["刘晓燕", "主任", "13987654321", "liuxy@example.cn"],
        ["机构场地", None, None, None],
        ["总面积（平方米）", "自有面积（平方米）", "租用面积（平方米）", ""],
        ["1,500", "500", "1000", ""],
    ], merges=[(0, 0, 0, 3), (3, 0, 3, 3), (6, 0, 6, 3)])
    rec = _one(save(doc, tmp_path / "below.docx"))
    f = rec.fields
    assert (f["head_name"], f["head_title"], f["head_mobile"], f["head_email"]) == (
        "陈立平", "总经理", "138 1234 5678", "chenlp@example.cn")
    assert (f["contact_name"], f["contact_title"], f["contact_mobile"], f["contact_email"]) == (
        "刘晓燕", "主任", "13987654321", "liuxy@example.cn")
    assert (f["area_total"], f["area_owned"], f["area_rented"]) == (1500, 500, 1000)


def test_labels_with_inline_values_in_paragraphs(tmp_path: Path) -> None:
    doc = new_doc()
    doc.add_paragraph("推荐中国科协海智计划合作机构信息表")
    for line in ["机构名称（中文）：某某研究院", "统一社会信用代码：12100000400000000X", "注册时间：二〇一五年六月十八日",
                 "注册资金（万元）：１２００", "员工人数：46人", "注册地是否在境外：否",
                 "机构类型（可多选）：☑荐才机构 □平台机构 ☑用才机构"]:
        doc.add_paragraph(line)
    rec = _one(save(doc, tmp_path / "para.docx"))
    f = rec.fields
    assert f["name_cn"] == "某某研究院" and f["credit_code"] == "12100000400000000X"
    assert f["registered_on"] == "2015-06-18" and f["registered_capital"] == 1200 and f["staff_total"] == 46
    assert f["overseas"] is False and f["institution_types"] == ["荐才机构", "用才机构"]


def test_bad_values_are_null_with_a_warning(tmp_path: Path) -> None:
    doc = new_doc()
    doc.add_paragraph("推荐中国科协海智计划合作机构信息表")
    add_rows(doc, [["机构名称（中文）", "某机构"], ["注册时间", "去年春天"], ["员工人数", "很多人"],
                   ["注册地是否在境外", "也许"], ["机构属性", "☑社会组织 ☑企业"], ["注册资金（万元）", "是或否"],
                   ["机构简介（不超500字）", "（运营方向、发展历史等）"]])
    rec = _one(save(doc, tmp_path / "bad.docx"))
    f = rec.fields
    assert f["registered_on"] is None and f["staff_total"] is None and f["overseas"] is None
    assert f["institution_nature"] is None
    assert f["registered_capital"] is None and f["profile"] is None  # placeholders, no finding
    by_field = {x.field: x for x in rec.findings if x.rule.startswith("extract.bad")}
    assert set(by_field) == {"registered_on", "staff_total", "overseas", "institution_nature"}
    assert "注册时间" in by_field["registered_on"].message and "去年春天" in by_field["registered_on"].message
    assert all(x.severity == "warning" for x in by_field.values())
    missing = {x.field for x in rec.findings if x.rule == "extract.label_missing"}
    assert "country" in missing and "country" not in f
    assert "name_cn" not in missing


def test_file_with_both_forms_gives_two_records(tmp_path: Path, coop_record, base_record) -> None:
    doc = new_doc()
    retyped_coop(doc)
    page_break(doc)
    retyped_base(doc, cover=False)
    res = extract_file(save(doc, tmp_path / "两表.docx"))
    assert [r.form for r in res.records] == [COOP, BASE]
    assert res.records[0].fields == coop_record.fields
    base = dict(base_record.fields)
    del base["applicant"]  # only on the cover page, which this file lacks
    assert res.records[1].fields == base


def test_form_detected_by_content_not_name(tmp_path: Path, coop_record) -> None:
    doc = new_doc()
    retyped_coop(doc, title=False)  # no title: its labels are enough
    rec = _one(save(doc, tmp_path / "基地申报表.docx"))
    assert rec.form == COOP and rec.fields == coop_record.fields


def test_foreign_forms_give_no_record(shared_dir: Path) -> None:
    files = sorted((shared_dir / "corpora" / "foreign_forms").glob("*.docx"))
    assert files
    for p in files:
        res = extract_file(p)
        assert res.readable and res.records == []
        assert [f.rule for f in res.findings] == ["extract.not_our_form"]
        assert "不是海智计划的表格" in res.findings[0].message


def test_notice_text_mentioning_the_form_is_not_a_form(tmp_path: Path) -> None:
    doc = new_doc()
    doc.add_paragraph("请各单位于8月20日之前填报《推荐中国科协海智计划合作机构信息表》（见附件）。")
    doc.add_paragraph("联系地址：北京市海淀区学院南路86号")
    res = extract_file(save(doc, tmp_path / "通知.docx"))
    assert res.records == [] and res.findings[0].rule == "extract.not_our_form"


@pytest.mark.parametrize("name", ["empty.docx", "junk.docx"])
def test_damaged_docx_is_unreadable_not_raised(tmp_path: Path, name: str) -> None:
    p = tmp_path / name
    p.write_bytes(b"" if name == "empty.docx" else b"PK\x03\x04garbage" * 10)
    res = extract_file(p)
    assert not res.readable and res.records == []
    assert res.findings[0].severity == "error" and "无法读取" in res.findings[0].message


def test_generic_company_sheet_is_not_our_form(tmp_path: Path) -> None:
    """Company data many forms ask for (地址, 注册资金, 法定代表人 …) is not enough without our title."""
    doc = new_doc()
    doc.add_paragraph("供应商信息登记表")
    add_rows(doc, [["统一社会信用代码", "91440300MA5FXT3K4L"], ["注册地址", "深圳"], ["联系地址", "深圳"],
                   ["注册时间", "2015年6月18日"], ["注册资金（万元）", "1200"], ["法定代表人", "张三"],
                   ["注册国家", "中国"]])
    res = extract_file(save(doc, tmp_path / "供应商.docx"))
    assert res.records == [] and res.findings[0].rule == "extract.not_our_form"


def test_text_in_text_boxes_read_once(tmp_path: Path) -> None:
    """A text box (DrawingML with its VML fallback copy) holding 推荐单位：… is read, and only once."""
    doc = new_doc()
    retyped_coop(doc)
    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
          'xmlns:v="urn:schemas-microsoft-com:vml"')
    box = '<w:txbxContent><w:p><w:r><w:t>推荐单位：中国数学会</w:t></w:r></w:p></w:txbxContent>'
    xml = (f'<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>{box}'
           f'</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}'
           '</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>')
    doc.add_paragraph()._p.append(parse_xml(xml))
    # the table's own 推荐单位 line is removed: the text box is the only place it is written
    t = doc.tables[0]
    last = t.rows[-1].cells[0]
    set_text = last.paragraphs[0]
    set_text.text = "被推荐机构近三年内无违法或不良信用记录。"
    for p in last.paragraphs[1:]:
        p._p.getparent().remove(p._p)
    rec = _one(save(doc, tmp_path / "box.docx"))
    assert rec.fields["recommender"] == "中国数学会"
    from haizhi.extractors.docx_reader import read_docx

    lines = [ln.text for p in read_docx(tmp_path / "box.docx").pages for ln in p.lines]
    assert lines.count("推荐单位：中国数学会") == 1


def test_section_text_in_a_framed_box_below_its_heading(tmp_path: Path) -> None:
    doc = new_doc()
    doc.add_paragraph("中国科协海智计划基地申报表")
    add_rows(doc, [["基地名称", "某基地", "基地类型", "海智国际研发社区"]])
    doc.add_paragraph("二、工作基础")
    add_rows(doc, [["（请简述基地区位条件、人才状况，1000字以内。）\n区位优越。\n人才集聚。"]])
    doc.add_paragraph("三、设立目的及具备的优势")
    add_rows(doc, [["服务海外人才。"]])
    rec = _one(save(doc, tmp_path / "framed.docx"))
    assert rec.fields["foundation"] == "区位优越。\n人才集聚。"
    assert rec.fields["purpose"] == "服务海外人才。"


def test_tab_separated_pairs_in_paragraphs(tmp_path: Path) -> None:
    """Re-typed without a table: label<Tab>value, several pairs on one line."""
    doc = new_doc()
    doc.add_paragraph("推荐中国科协海智计划合作机构信息表")
    doc.add_paragraph("机构名称（中文）\t某某研究院")
    doc.add_paragraph("注册时间\t2015/06/18\t注册资金（万元）\t1,200")
    doc.add_paragraph("法定代表人：王五        注册国家：中国")
    doc.add_paragraph("员工人数    46人")
    rec = _one(save(doc, tmp_path / "tabs.docx"))
    f = rec.fields
    assert f["name_cn"] == "某某研究院" and f["registered_on"] == "2015-06-18" and f["registered_capital"] == 1200
    assert f["legal_representative"] == "王五" and f["country"] == "中国" and f["staff_total"] == 46
