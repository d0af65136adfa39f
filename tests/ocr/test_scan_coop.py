"""合作机构信息表 on scans: 推荐单位 under its seal and signature, 可提供服务 ticked with √ where the line
wraps, 注册地是否在境外 with the ticked box not seen (issue 11). Returns built as applicants build them
(the independent family, TUNE seeds) and scanned by the independent scan maker, or scanned layouts as
the reader gives them."""

from __future__ import annotations

from pathlib import Path

import pytest

from haizhi.extractors.layout import Cell, Layout, Line, Mark, Page, Table
from haizhi.extractors.mapper import map_layout
from haizhi.extractors.orgname import check_org
from haizhi.pipeline.core.fields import COOP


def _scan(tmp: Path, job_seed: int, level: str, pages: list[int], p_mark: float = 0.85) -> tuple:
    """A coop return of the independent family (TUNE) as the scan bench makes it for ``job_seed``; only
    ``pages`` are read."""
    from haizhi.extractors.scan import confidence_findings
    from tests.ocr.ocr_helpers import tune_scan

    s, _t, layout = tune_scan(tmp, COOP, job_seed, level, pages, p_mark)
    rec = map_layout(layout, COOP)
    return s.truth, rec, {f.field for f in rec.findings + confidence_findings(rec)}


def test_a_tick_ending_a_wrapped_option_line_keeps_its_option(tmp_path) -> None:
    # WPS-style return, 可提供服务 in a narrow cell: "□法律服务√技术转移√" | "人才招聘 □知识产权 □其"
    truth, rec, named = _scan(tmp_path, 7801, "clean", [2])
    assert "人才招聘" in truth.fields["services"]
    assert rec.fields["services"] == truth.fields["services"]
    assert "services" not in named


def test_a_tick_before_an_option_cut_by_the_line_end_keeps_it(tmp_path) -> None:
    # .doc return: "□人才招聘√知" | "识产权 □其他（请注明）"
    truth, rec, _named = _scan(tmp_path, 7803, "moderate", [1])
    assert "知识产权" in truth.fields["services"]
    assert rec.fields["services"] == truth.fields["services"]


def test_a_recommender_with_a_character_lost_under_the_seal_is_whole(tmp_path) -> None:
    # heavy scan: the seal over 推荐单位：浙江省科学技术协会 cost 科 (浙江省学技术协会), silently
    truth, rec, _named = _scan(tmp_path, 7804, "heavy", [3])
    assert rec.fields["recommender"] == truth.fields["recommender"]


def _commit_page(*texts: str, conf: float = 0.98) -> Layout:
    """The 承诺书 page as the scan reader gives it: its lines, one per text."""
    p = Page(number=3, width=612, height=792, method="ocr")
    y = 200.0
    for t in ("三、承诺书", "被推荐机构近三年内无违法或不良信用记录。", *texts, "负责人签字：    （公章）"):
        p.lines.append(Line(t, bbox=(90, y, 450, y + 11), confidence=conf))
        y += 30
    return Layout(pages=[p])


def _read_commit(*texts: str, conf: float = 0.98) -> tuple[object, set]:
    from haizhi.extractors.scan import confidence_findings

    rec = map_layout(_commit_page(*texts, conf=conf), COOP)
    return rec, {f.field for f in rec.findings + confidence_findings(rec)}


def test_a_recommender_whose_colon_is_under_a_signature_is_read_and_named() -> None:
    # 陕西 and the colon under a blue signature: what is left is read, and named (the start is missing)
    rec, named = _read_commit("推荐单位省科学技术协会    被推荐机构：长沙海川科技服务有限公司")
    assert rec.fields["recommender"] == "省科学技术协会"
    assert "recommender" in named


def test_a_recommender_label_read_with_a_character_lost_still_labels() -> None:
    # 推荐单位 read 推荐单 (位 under the seal), 福 lost too: the one province ending in 建 finishes it
    rec, named = _read_commit("推荐单：建省科学技术协会", "被推荐机构：无锡海川科技服务有限公司")
    assert rec.fields["recommender"] == "福建省科学技术协会"
    assert "recommender" not in named


@pytest.mark.parametrize("text", ["推荐单位：张华科学技术协会", "推荐单位：福科学技术协会", "推荐单位：江    被推荐机构：佛山睿联国际人才发展中心",
                                  "推荐单位：队西省科学技术协会"])
def test_a_recommender_cut_or_overwritten_by_a_signature_is_named(text: str) -> None:
    rec, named = _read_commit(text)
    assert rec.fields["recommender"]
    assert "recommender" in named


def test_a_whole_recommender_is_not_named() -> None:
    rec, named = _read_commit("推荐单位：江苏省科学技术协会    被推荐机构：佛山睿联国际人才发展中心")
    assert rec.fields["recommender"] == "江苏省科学技术协会"
    assert rec.fields.get("name_cn") is None
    assert "recommender" not in named


@pytest.mark.parametrize(("read", "whole", "named"), [
    ("江苏省科学技术协会", "江苏省科学技术协会", False),
    ("浙江省科学技术协", "浙江省科学技术协会", False),  # the seal over the end
    ("浙江省学技术协会", "浙江省科学技术协会", False),  # 科 lost
    ("苏省科学技术协会", "江苏省科学技术协会", False),  # only 江苏 ends in 苏
    ("陕西首科学技术协会", "陕西省科学技术协会", False),  # 省 read 首
    ("江苏省科学技木协会", "江苏省科学技术协会", True),  # 术 read 木: corrected, named
    ("西省科学技术协会", "西省科学技术协会", True),  # 山西, 陕西 or 江西: left, named
    ("干省科学技术协会", "干省科学技术协会", True),
    ("清华大学科学技术协会", "清华大学科学技术协会", False),
    ("华为技术有限公司科学技术协会", "华为技术有限公司科学技术协会", False),
    ("苏州市科学技术协会", "苏州市科学技术协会", False),
    ("中国机械工程学会", "中国机械工程学会", False),
    ("北京市科协", "北京市科协", False),
    ("新疆维吾尔自治区科学技术协会", "新疆维吾尔自治区科学技术协会", False),
])
def test_recommending_organisation_names(read: str, whole: str, named: bool) -> None:
    value, why = check_org(read)
    assert value == whole
    assert (why is not None) == named


def test_typed_recommender_is_kept_as_typed() -> None:
    p = Page(number=3, width=612, height=792, method="pdf")
    p.lines.append(Line("推荐单位：浙江省科学技术协", bbox=(90, 200, 450, 211)))
    rec = map_layout(Layout(pages=[p]), COOP)
    assert rec.fields["recommender"] == "浙江省科学技术协"  # the applicant's own text: not repaired


def _overseas(text: str, marks: list[Mark], method: str = "ocr") -> object:
    p = Page(number=1, width=612, height=792, method=method)
    p.tables.append(Table(cells=[Cell("注册地是否在境外", 0, 0, bbox=(93, 203, 381, 220)),
                                 Cell(text, 0, 1, bbox=(381, 203, 525, 220), confidence=0.5, marks=marks)]))
    return map_layout(Layout(pages=[p]), COOP)


def test_yes_no_with_the_ticked_box_unseen_is_inferred_and_named() -> None:
    # □是 ☒否: the cross over the second box hid it from the box finder; OCR read "□是否"
    rec = _overseas("□是否", [Mark(kind="checkbox", checked=False, label="是否", source="pixels")])
    assert rec.fields["overseas"] is False
    assert "extract.choice_inferred" in [f.rule for f in rec.findings if f.field == "overseas"]
    rec = _overseas("是□否", [Mark(kind="checkbox", checked=False, label="否", source="pixels")])
    assert rec.fields["overseas"] is True
    rec = _overseas("□是□否", [Mark(kind="checkbox", checked=False, label="是", source="pixels"),
                             Mark(kind="checkbox", checked=False, label="否", source="pixels")])
    assert rec.fields["overseas"] is None  # both boxes seen, none ticked: nothing to infer


def _box(label: str, checked: bool, source: str = "pixels") -> Mark:
    return Mark(kind="checkbox", checked=checked, label=label, confidence=1.0 if source == "pixels" else 0.9,
                source=source)


def _services(*pages_cells: list[Cell]) -> object:
    pages = []
    for n, cells in enumerate(pages_cells, 1):
        p = Page(number=n, width=612, height=792, method="ocr")
        p.tables.append(Table(cells=cells, page=n))
        pages.append(p)
    return map_layout(Layout(pages=pages), COOP)


def test_options_whose_tick_hid_the_box_are_inferred_among_boxed_options() -> None:
    # ✔ printed in place of the box before 创业孵化 and 法律服务, lost by OCR; the other boxes all seen
    text = "□投融资 □创业服务创业孵化 □管理咨询服务 □财税金融法律服务✓技术转移 □人才招聘 □知识产权 □其他（请注明）"
    marks = [_box("投融资", False), _box("创业服务创业孵化", False), _box("管理咨询服务", False),
             _box("财税金融法律服务", False), _box("技术转移", True, "glyph"), _box("人才招聘", False),
             _box("知识产权", False), _box("其他（请注明）", False)]
    rec = _services([Cell("可提供服务（可多选）", 0, 0, bbox=(99, 687, 171, 717)),
                     Cell(text, 0, 1, bbox=(171, 687, 531, 717), confidence=0.5, marks=marks)])
    assert rec.fields["services"] == ["创业孵化", "法律服务", "技术转移"]
    assert "extract.choice_inferred" in [f.rule for f in rec.findings if f.field == "services"]


def test_few_boxes_seen_infer_nothing() -> None:
    # row-tall legacy boxes mostly not seen: an option without a box says nothing about its tick
    text = "投融资 ☑创业服务创业孵化"
    rec = _services([Cell("可提供服务（可多选）", 0, 0, bbox=(99, 687, 171, 717)),
                     Cell(text, 0, 1, bbox=(171, 687, 531, 717), confidence=0.5,
                          marks=[_box("创业服务创业孵化", True)])])
    assert rec.fields["services"] == ["创业服务"]
    assert "services" in {f.field for f in rec.findings}


def test_an_option_row_split_at_a_box_and_broken_by_a_page_goes_on() -> None:
    # content-control return: the row's value split in two cells at a row-tall box's side on page 1,
    # its rest (after the label's tail （可多选）) on page 2
    p1 = [Cell("可提供服务", 0, 0, bbox=(97, 700, 169, 716)),
          Cell("□投融资 □创业服务", 0, 1, colspan=2, bbox=(169, 700, 289, 716),
               marks=[_box("投融资", False), _box("创业服务", False)]),
          Cell("□创业孵化 □管理咨询服务 ☑财税金融", 0, 3, colspan=4, bbox=(289, 700, 529, 716),
               marks=[_box("创业孵化", False), _box("管理咨询服务", False), _box("财税金融", True)])]
    p2 = [Cell("（可多选）", 0, 0, bbox=(97, 78, 169, 108)),
          Cell("☑法律服务 □技术转移 □人才招聘 ☑知识产权 ☑其他海外人才签证咨询（请注明）", 0, 1, colspan=2,
               bbox=(169, 78, 529, 108), marks=[_box("法律服务", True), _box("技术转移", False),
                                                _box("人才招聘", False), _box("知识产权", True),
                                                _box("其他海外人才签证咨询（请注明）", True)])]
    rec = _services(p1, p2)
    assert rec.fields["services"] == ["财税金融", "法律服务", "知识产权", "其他"]
    assert rec.fields["services_other"] == "海外人才签证咨询"


def test_a_box_label_cut_by_a_page_break_is_finished_on_the_next_page() -> None:
    # □管理 | page break | 咨询服务财税金融 (财税金融's box hidden by its tick): 管理咨询服务 is unticked
    p1 = [Cell("可提供服务（可多选）", 0, 0, bbox=(88, 703, 304, 719)),
          Cell("□投融资 □创业服务 □创业孵化 □管理", 0, 1, bbox=(304, 703, 520, 719),
               marks=[_box(o, False) for o in ("投融资", "创业服务", "创业孵化", "管理")])]
    p2 = [Cell("", 0, 0, bbox=(84, 72, 300, 119)),
          Cell("咨询服务财税金融\n□法律服务 □技术转移 □人才招聘 □知识产权 □其他（请注明）", 0, 1, bbox=(300, 72, 516, 119),
               marks=[_box(o, False) for o in ("法律服务", "技术转移", "人才招聘", "知识产权", "其他（请注明）")])]
    rec = _services(p1, p2)
    assert rec.fields["services"] == ["财税金融"]
    assert "services" in {f.field for f in rec.findings}  # inferred: named


def test_a_recommender_runs_into_the_next_label_misread() -> None:
    rec, named = _read_commit("推荐单位：广东省科学技术协会艺推荐机构：苏州汇智科技服务有限公司")
    assert rec.fields["recommender"] == "广东省科学技术协会"


def test_a_recommender_printed_twice_is_read_from_the_whole_copy() -> None:
    # a 推荐单位 row in the table with the seal over it (江苏 hidden, 省 misread), and the 承诺书 line whole
    p = Page(number=1, width=612, height=792, method="ocr")
    p.tables.append(Table(cells=[Cell("推荐单位", 0, 0, bbox=(90, 100, 200, 120)),
                                 Cell("首科学技术协会", 0, 1, bbox=(200, 100, 520, 120), confidence=0.97)]))
    p.lines.append(Line("推荐单位：江苏省科学技术协会    被推荐机构：佛山睿联国际人才发展中心", bbox=(90, 600, 450, 611),
                        confidence=0.97))
    rec = map_layout(Layout(pages=[p]), COOP)
    assert rec.fields["recommender"] == "江苏省科学技术协会"


def test_a_recommender_runs_into_the_next_owner_without_gap_or_colon() -> None:
    rec, _named = _read_commit("推荐单位：浙江省科学技术协会被推荐机构恒通科技服务有限公司")
    assert rec.fields["recommender"] == "浙江省科学技术协会"
