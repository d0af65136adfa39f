"""Scanned values that could be wrong without a finding: each is cut right or named (issue 11)."""

from __future__ import annotations

from haizhi.extractors.doubts import scan_cuts
from haizhi.extractors.scan.confidence import shape_findings
from haizhi.pipeline.core.fields import BASE, COOP, form_spec
from haizhi.pipeline.core.record import Record

OCR = {"method": "ocr", "page": 2, "bbox": [10, 20, 300, 400], "confidence": 0.97}


def test_long_text_is_cut_at_the_next_sections_heading() -> None:
    f = form_spec(BASE).field("foundation")
    for heading in ("五、支持政策与条件保障", "六、经费预算", "（三）保障措施"):
        val, fnd = scan_cuts(BASE, f, f"基地已建成平台。\n引进人才十名。\n{heading}\n市政府给予支持。", OCR)
        assert val == "基地已建成平台。\n引进人才十名。"
        assert [x.field for x in fnd] == ["foundation"] and fnd[0].rule == "scan.next_section"
    val, fnd = scan_cuts(BASE, f, "基地已建成平台。\n一、二期工程已完工并投入使用，运行良好。", OCR)
    assert val.endswith("运行良好。") and fnd == []  # a sentence, not a heading
    val, fnd = scan_cuts(BASE, f, "基地已建成平台。\n五、支持政策与条件保障", {"method": "docx"})
    assert "五、" in val and fnd == []  # only scans are cut


def test_english_name_or_code_glued_onto_the_chinese_name() -> None:
    f = form_spec(COOP).field("name_cn")
    name = "苏州启明科技服务有限公司"
    for glued in (f"{name} Qiming Technology Service Co., Ltd.", f"{name}91320500MA1X2Y3K4P",
                  f"{name} Qiming Innovation Co., Ltd. 91320500MA1X2Y3K4P"):
        assert scan_cuts(COOP, f, glued, OCR) == (name, [])
    assert scan_cuts(COOP, f, name, OCR) == (name, [])
    for bad in (f"{name} Qiming", "Qiming Tech Co., Ltd."):
        val, fnd = scan_cuts(COOP, f, bad, OCR)
        assert val == bad and [x.field for x in fnd] == ["name_cn"]


def test_email_with_look_alike_characters_is_named() -> None:
    def flagged(email: str) -> bool:
        rec = Record(form=COOP, fields={"head_email": email}, provenance={"head_email": OCR})
        return any(x.field == "head_email" for x in shape_findings(rec, set()))

    for bad in ("infol2@qiming.com", "contactl@hande.cn", "he1lo@xinge.org.cn", "office5@rui1ian.com", "hrI3@a.cn"):
        assert flagged(bad), bad
    for good in ("info12@qiming.com", "contact5@hande.cn", "office10@xinge-tech.com", "boyan77@boyan.cn"):
        assert not flagged(good), good


def test_page_furniture_and_stray_strokes_leave_a_long_text() -> None:
    f = form_spec(BASE).field("foundation")
    val, fnd = scan_cuts(BASE, f, "形成了工作闭环。\n2/5\n中国科协海智计划基地申报表\n（2025年）", OCR)
    assert val == "形成了工作闭环。" and fnd == []
    val, fnd = scan_cuts(BASE, f, "形成了“引才、育才、用才”的工作\n2/5\n中国科协海智计划基地申报表", OCR)
    assert val == "形成了“引才、育才、用才”的工作" and [x.field for x in fnd] == ["foundation"]  # cut at the page
    val, fnd = scan_cuts(BASE, f, "3/5\n5/5", OCR)
    assert val is None and [x.field for x in fnd] == ["foundation"]
    val, fnd = scan_cuts(BASE, f, "1\nI\n协助企业对接。\n1\n形成闭环。\n1m0V", OCR)
    assert val == "协助企业对接。\n形成闭环。" and [x.field for x in fnd] == ["foundation"]


def test_cut_opinion_and_misread_recommender_are_named() -> None:
    def named(key: str, value: str, form: str) -> bool:
        rec = Record(form=form, fields={key: value}, provenance={key: OCR})
        return any(x.field == key for x in shape_findings(rec, set()))

    assert named("city_opinion", "经审核，申报材料", BASE)
    assert not named("city_opinion", "经审核，申报材料真实有效，同意申报。", BASE)
    for bad in ("广东省科学技术协公", "1东省科学技术协会", "热川省科学技术协会", "福建科学技术协会",
                "浙江省科学技术协会被推荐析称苏州汇智投资管理有限公司", "广东省科学技术办会"):
        assert named("recommender", bad, COOP), bad
    for good in ("四川省科学技术协会", "苏州市科学技术协会", "广西壮族自治区科学技术协会", "上海市科学技术协会",
                 "吉林市科学技术协会", "内蒙古自治区科学技术协会", "新疆生产建设兵团科学技术协会"):
        assert not named("recommender", good, COOP), good


def test_opinion_starting_with_a_label_remnant_is_named() -> None:
    def named(value: str) -> bool:
        rec = Record(form=BASE, fields={"provincial_opinion": value}, provenance={"provincial_opinion": OCR})
        return any(x.field == "provincial_opinion" for x in shape_findings(rec, set()))

    assert named("心：情况属实，同意推荐该基地申报。")  # 省级科协意见： misread, its tail left
    assert not named("情况属实，同意推荐该基地申报。")


def test_other_text_of_a_choice_not_found_is_named() -> None:
    from haizhi.extractors.layout import Cell, Layout, Page, Table
    from haizhi.extractors.mapper import map_layout

    p = Page(number=1, width=612, height=792, method="ocr")  # 机构属性's label lost under a seal
    p.tables.append(Table(cells=[Cell("机木属", 0, 0, confidence=0.5), Cell("□企业 ☑综合或其他（请注明）事业单位", 0, 1)]))
    got = map_layout(Layout(pages=[p]), COOP)
    flagged = {f.field for f in got.findings}
    assert "institution_nature" in flagged and "institution_nature_other" in flagged


def test_short_wrapped_line_inside_a_long_text_is_no_residue() -> None:
    # a long text wrapped in a narrow cell: a short line in it is a sentence's tail, not a signature or a date
    def named(value: str) -> bool:
        rec = Record(form=COOP, fields={"recent_work": value}, provenance={"recent_work": OCR})
        return any(x.field == "recent_work" for x in shape_findings(rec, set()))

    assert not named("组织国际创新创业大赛，形成了“引才、育才、用才”的工作\n闭环\n。建立了专职工作团队和定期会商机制。")
    assert named("组织国际创新创业大赛，形成了工作闭环。\n张明华")  # a name signed after it


def test_a_stroke_glued_after_a_long_texts_last_stop_is_cut_and_named() -> None:
    # heavy base 9890 (TUNE): 工作基础 read …围绕海外科技人才引进与服务开展工作。1 (a mark at the page's foot), silent
    from haizhi.extractors.doubts import scan_cuts
    from haizhi.pipeline.core.fields import BASE, form_spec

    f = form_spec(BASE).field("foundation")
    prov = {"method": "ocr", "page": 3, "bbox": [95, 80, 527, 700]}
    value, found = scan_cuts(BASE, f, "打造具有国际影响力的离岸创新平台。\n围绕海外科技人才引进与服务开展工作。1", prov)
    assert value == "打造具有国际影响力的离岸创新平台。\n围绕海外科技人才引进与服务开展工作。"
    assert [x.field for x in found] == ["foundation"]
    value, found = scan_cuts(BASE, f, "2023年引进人才12名。", prov)  # a text ending in its stop: as read
    assert value == "2023年引进人才12名。" and not found
