"""The mapper on hand-made layouts: what the OCR and PDF readers give it (geometry, confidence, page splits)."""

from __future__ import annotations

from haizhi.extractors.detect import match_label, split_forms
from haizhi.extractors.layout import Cell, Layout, Line, Mark, Page, Table
from haizhi.extractors.mapper import map_layout
from haizhi.pipeline.core.fields import BASE, COOP


def _row(r: int, *texts: str, conf: float = 1.0, y: float = 0.0, page: int = 1) -> list[Cell]:
    out = []
    for c, t in enumerate(texts):
        out.append(Cell(text=t, row=r, col=c, bbox=(100.0 * c, y + 20 * r, 100.0 * c + 100, y + 20 * r + 20),
                        confidence=conf))
    return out


def test_ocr_typos_in_labels_and_confidence_in_provenance() -> None:
    cells = (_row(0, "机构名称（中文）", "某某研究院", conf=0.93) + _row(1, "注册时问", "2015年6月18日", conf=0.81)
             + _row(2, "员工人数", "46人", conf=0.6))
    page = Page(number=1, tables=[Table(cells=cells)], lines=[Line("推荐中国科协海智计划合作机构信息表")], method="ocr")
    rec = map_layout(Layout(pages=[page]), COOP)
    assert rec.fields["registered_on"] == "2015-06-18"  # 注册时问 (OCR) still the label 注册时间
    assert rec.fields["staff_total"] == 46
    assert rec.provenance["staff_total"]["confidence"] == 0.6
    assert rec.provenance["registered_on"]["confidence"] < 0.81
    assert rec.provenance["name_cn"] == {"page": 1, "bbox": [100.0, 0.0, 200.0, 20.0], "method": "ocr",
                                         "confidence": 0.93}


def test_fuzzy_labels_only_for_uncertain_text() -> None:
    assert match_label(COOP, "注册时问", fuzzy=True)[0].field.key == "registered_on"
    assert match_label(COOP, "注册时问", fuzzy=False) == []
    assert match_label(BASE, "联系人电话")[0].field.key == "contact_phone"
    assert [h.field.key for h in match_label(BASE, "联系人手机")] == ["contact_mobile"]


def test_a_doubled_colon_is_no_part_of_the_value() -> None:
    # TUNE coop heavy 12040: 推荐单位：：山东省科学技术协会 (a colon typed twice, or read twice under a seal)
    for text in ("推荐单位：：山东省科学技术协会", "推荐单位: ：山东省科学技术协会", "推荐单位：山东省科学技术协会"):
        assert match_label(COOP, text)[0].rest == "山东省科学技术协会"


def test_row_broken_by_a_page_is_stitched() -> None:
    t1 = Table(cells=_row(0, "机构名称（中文）", "某某研究院") + _row(1, "机构简介（不超500字）", "第一页上的前半段"),
               page=1, bbox=(0, 0, 200, 40))
    t2 = Table(cells=[Cell(text="", row=0, col=0, bbox=(0, 0, 100, 20)),
                      Cell(text="第二页上的后半段", row=0, col=1, bbox=(100, 0, 200, 20))]
               + _row(1, "注册地址", "深圳市南山区"), page=2, bbox=(0, 0, 200, 40))
    layout = Layout(pages=[Page(number=1, tables=[t1], lines=[Line("推荐中国科协海智计划合作机构信息表")],
                                method="pdf_text"),
                           Page(number=2, tables=[t2], method="pdf_text")])
    rec = map_layout(layout, COOP)
    assert rec.fields["profile"] == "第一页上的前半段\n第二页上的后半段"
    assert rec.fields["registered_address"] == "深圳市南山区"


def test_label_at_page_end_value_on_next_page() -> None:
    t1 = Table(cells=_row(0, "机构名称（中文）", "某某研究院") + [
        Cell(text="2.近两年开展业务情况", row=1, col=0, colspan=2, bbox=(0, 20, 200, 40))], page=1)
    t2 = Table(cells=[Cell(text="举办活动32场。", row=0, col=0, colspan=2, bbox=(0, 0, 200, 20))], page=2)
    layout = Layout(pages=[Page(number=1, tables=[t1], method="pdf_text"),
                           Page(number=2, tables=[t2], method="pdf_text")])
    rec = map_layout(layout, COOP)
    assert rec.fields["recent_work"] == "举办活动32场。"
    assert rec.provenance["recent_work"]["page"] == 2


def test_marks_from_a_scan_reader_are_used_like_glyphs() -> None:
    """An OCR reader gives pixel checkboxes as Marks with labels; the cell text has no glyphs."""
    cell = Cell(text="荐才机构 平台机构 用才机构", row=0, col=1, confidence=0.9, marks=[
        Mark("checkbox", True, "荐才机构", source="pixels"), Mark("checkbox", False, "平台机构", source="pixels"),
        Mark("checkbox", True, "用才机构", source="pixels")])
    t = Table(cells=[Cell(text="机构类型（可多选）", row=0, col=0), cell])
    rec = map_layout(Layout(pages=[Page(number=1, tables=[t], method="ocr")]), COOP)
    assert rec.fields["institution_types"] == ["荐才机构", "用才机构"]


def test_two_forms_on_one_page_split_by_tables() -> None:
    coop = Table(cells=_row(0, "推荐中国科协海智计划合作机构信息表", "") + _row(1, "机构名称（中文）", "甲机构")
                 + _row(2, "注册时间", "2015年6月") + _row(3, "法定代表人", "张三"))
    base = Table(cells=_row(0, "基地名称", "乙基地", "基地类型", "海智国际研发社区")
                 + _row(1, "基地地址", "广州", "成立时间", "2019.1"))
    page = Page(number=1, tables=[coop, base], lines=[Line("推荐中国科协海智计划合作机构信息表"),
                                                      Line("中国科协海智计划基地申报表")])
    parts = split_forms(Layout(pages=[page]))
    assert [f for f, _ in parts] == [COOP, BASE]
    recs = {f: map_layout(lay, f) for f, lay in parts}
    assert recs[COOP].fields["name_cn"] == "甲机构" and "base_name" not in recs[COOP].fields
    assert recs[BASE].fields["base_type"] == "海智国际研发社区" and recs[BASE].fields["established_on"] == "2019-01"


def test_ocr_typo_in_a_group_label() -> None:
    cells = (_row(0, "机构负责入", "姓名", "陈立平", "职务", "总经理", conf=0.85)
             + _row(1, "", "手机", "13812345678", "电子邮箱", "a@b.cn", conf=0.85)
             + _row(2, "机构联系人", "姓名", "刘晓燕", "职务", "主任", conf=0.9))
    page = Page(number=1, tables=[Table(cells=cells)], method="ocr")
    rec = map_layout(Layout(pages=[page]), COOP)
    assert rec.fields["head_name"] == "陈立平" and rec.fields["head_mobile"] == "13812345678"
    assert rec.fields["contact_name"] == "刘晓燕"


def test_two_forms_on_one_pdf_page_split_by_position() -> None:
    coop = Table(cells=_row(0, "机构名称（中文）", "甲机构", y=40) + _row(1, "注册时间", "2015年6月", y=40)
                 + _row(2, "法定代表人", "张三", y=40), bbox=(0, 40, 200, 100))
    base = Table(cells=_row(0, "基地名称", "乙基地", y=300) + _row(1, "成立时间", "2019.1", y=300),
                 bbox=(0, 300, 200, 340))
    lines = [Line("推荐中国科协海智计划合作机构信息表", bbox=(0, 10, 200, 25)),
             Line("推荐单位：丙科协", bbox=(0, 200, 200, 215)),
             Line("中国科协海智计划基地申报表", bbox=(0, 260, 200, 275)),
             Line("申报单位：丁单位", bbox=(0, 500, 200, 515))]
    page = Page(number=1, tables=[coop, base], lines=lines, method="pdf_text")
    parts = dict(split_forms(Layout(pages=[page])))
    coop_rec, base_rec = map_layout(parts[COOP], COOP), map_layout(parts[BASE], BASE)
    assert coop_rec.fields["recommender"] == "丙科协" and "applicant" not in coop_rec.fields
    assert base_rec.fields["applicant"] == "丁单位" and base_rec.fields["base_name"] == "乙基地"


def test_a_table_ending_in_an_empty_row_before_a_page_of_lines() -> None:
    """OCR tables can end in a row with no cells of its own (covered by a rowspan above)."""
    from haizhi.extractors.layout import Cell, Layout, Line, Page, Table
    from haizhi.extractors.mapper import map_layout

    first = Page(number=1, tables=[Table(cells=[Cell("机构名称", 0, 0, rowspan=2), Cell("甲机构", 0, 1, rowspan=2)],
                                         bbox=(0, 0, 100, 40))])
    second = Page(number=2, lines=[Line("续：上页内容", bbox=(0, 0, 100, 10))])
    rec = map_layout(Layout(pages=[first, second]), "coop_institution")  # raised IndexError before
    assert rec.form == "coop_institution" and any(f.rule == "extract.label_missing" for f in rec.findings)
