"""Scanned returns whose fields run over pages: page numbers, page order and cells that span rows (issue 11)."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from haizhi.extractors.layout import Cell, Layout, Line, Page, Table
from haizhi.extractors.mapper import map_layout
from haizhi.extractors.scan.page_order import foreign_pages, order_pages
from haizhi.pipeline.core.fields import BASE, COOP
from tests.independent.reading import build, squash


def _page(num: int, footer: str | None, cells: list[Cell] | None = None, lines: list[str] = ()) -> Page:
    p = Page(number=num, width=595, height=842, method="ocr")
    if cells:
        p.tables.append(Table(cells=cells, bbox=(80, 100, 520, 700)))
    for i, t in enumerate(lines):
        p.lines.append(Line(t, bbox=(90, 60 + 20 * i, 400, 72 + 20 * i)))
    if footer:
        p.lines.append(Line(footer, bbox=(280, 800, 320, 812)))
    return p


def test_pages_in_order_by_n_of_m_footers_and_the_returns_own_form() -> None:
    # a base form: its cover (基地名称：…) and a page holding 成立时间, also a label of the coop form
    cover = _page(1, "1/4", lines=["中国科协海智计划基地申报表", "基地名称：海智国际研发社区（常州）", "申报单位：常州市高新区管委会"])
    facts = _page(2, "2/4", [Cell("基地名称", 0, 0), Cell("海智", 0, 1), Cell("成立时间", 1, 0), Cell("2021年", 1, 1)])
    goal = _page(3, "3/4", [Cell("四、预期目标", 0, 0), Cell("引进人才。", 0, 1)])
    sign = _page(4, "4/4", [Cell("申报单位意见", 0, 0), Cell("同意。", 0, 1)])
    assert [p.number for p in order_pages([facts, cover, sign, goal])] == [1, 2, 3, 4]


def test_a_misread_page_number_leaves_the_pages_as_scanned() -> None:
    # - 3 - read as - 5 -: two pages say 5, so no printed number is trusted; the scan's own order stands
    pages = [_page(1, None, [Cell("基地名称", 0, 0), Cell("海智", 0, 1)]),
             _page(2, "- 2 -", [Cell("二、工作基础", 0, 0), Cell("建成平台", 0, 1)]),
             _page(3, "- 5 -", [Cell("", 0, 0), Cell("续写。", 0, 1), Cell("三、设立目的及具备的优势", 1, 0), Cell("目的。", 1, 1)]),
             _page(4, "- 4 -", [Cell("四、预期目标", 0, 0), Cell("目标。", 0, 1)]),
             _page(5, "- 5 -", [Cell("", 0, 0), Cell("续写。", 0, 1)]),
             _page(6, "- 6 -", [Cell("负责人（签字）：", 0, 0)])]
    assert [p.number for p in order_pages(pages)] == [1, 2, 3, 4, 5, 6]


def test_opinion_cell_drawn_over_two_rows_belongs_to_the_label_below() -> None:
    # the page starts with the rest of 所在地市科协意见 (its date) in a row whose label cell is blank; the
    # ruling between that row and 省级科协意见 was not seen, so one value cell spans both rows
    p = Page(number=1, width=612, height=792, method="ocr")
    p.tables.append(Table(cells=[
        Cell("", 0, 0, bbox=(85, 72, 300, 88)),
        Cell("2025年6月2日\n同意推荐。\n负责人（签字）：    （单位公\n章）    张明华", 0, 1, rowspan=2,
             bbox=(300, 72, 516, 148), confidence=0.9),
        Cell("省级科协意见", 1, 0, bbox=(85, 88, 300, 148))], bbox=(85, 72, 516, 148)))
    rec = map_layout(Layout(pages=[p]), BASE)
    assert rec.fields["provincial_opinion"] == "同意推荐。"


@pytest.fixture(scope="module")
def split_scan(tmp_path_factory) -> tuple:
    """A coop return (sample layout) whose 近两年开展业务情况 goes on in a label-less table on the next
    page, page numbers 1/3 in the footers, printed and scanned (clean) by the independent scan maker."""
    from tests.independent.scanmaker import make_scan

    tmp = tmp_path_factory.mktemp("scanpb")
    truth, paths = build(tmp, COOP, "sample", 21, split=True, footer="slash")
    t = make_scan(paths["pdf"], COOP, tmp, level="clean", seed=21, p_mark=0.0)
    return truth, Path(t.path)


def test_scanned_long_text_goes_on_past_the_page_number(split_scan) -> None:
    from haizhi.extractors.scan import read_scan

    truth, scan = split_scan
    layout, _ = read_scan(scan)
    assert any(ln.text.strip() in ("1/3", "2/3") for p in layout.pages for ln in p.lines)  # the numbers are read
    rec = map_layout(layout, COOP)
    for key in ("profile", "recent_work"):
        want, got = squash(truth.fields[key]), squash(rec.fields[key] or "")
        assert got.startswith(want[:20]) and got.endswith(want[-20:]), key  # both pages' parts, nothing more
        assert difflib.SequenceMatcher(None, want, got, autojunk=False).ratio() > 0.98, key  # OCR slips only


def _tune_scan(tmp: Path, fam_seed: int, family: str, seed: int, pages: list[int]) -> tuple:
    """One coop return of the independent family (TUNE), scanned clean by the independent scan maker."""
    from tests.independent.family import build_family
    from tests.independent.scanmaker import make_scan

    s = build_family(tmp, seed=fam_seed, n=1, forms=(COOP,), families=(family,))[0]
    t = make_scan(s.pdf, COOP, tmp, level="clean", seed=seed, p_mark=0.0, pages=pages)
    return s.truth, Path(t.path)


def test_frame_inside_a_character_of_the_name_is_no_checkbox(tmp_path) -> None:
    # 西安恒通技术转移研究院: the frame inside 通 looked like a box, 技术转移 like its option
    from haizhi.extractors.scan import read_scan

    truth, scan = _tune_scan(tmp_path, 0, "sample", 5000, [1])
    rec = map_layout(read_scan(scan)[0], COOP)
    assert rec.fields["name_cn"] == truth.fields["name_cn"] == "西安恒通技术转移研究院"


def test_printed_tick_before_an_option_cut_by_the_next_box(tmp_path) -> None:
    # □创业孵化√管理 | 咨询服务: the ticked option is cut by the line's end; the next line finishes it, so it
    # is read whole (no guess from its start, no finding needed)
    from haizhi.extractors.scan import confidence_findings, read_scan

    truth, scan = _tune_scan(tmp_path, 3, "doc", 5003, [2])
    rec = map_layout(read_scan(scan)[0], COOP)
    assert "管理咨询服务" in truth.fields["services"]
    assert rec.fields["services"] == truth.fields["services"]
    assert "services" not in {f.field for f in rec.findings + confidence_findings(rec)}


def test_opinion_rows_whose_value_rulings_a_seal_hid_are_read_from_the_lines_beside() -> None:
    # a seal half outside the table hid the right border: the opinion column came out as loose lines
    p = Page(number=4, width=622, height=800, method="ocr")
    p.tables.append(Table(cells=[Cell("申报单位意见", 0, 0, bbox=(89, 612, 305, 673)),
                                 Cell("所在地市科协意见", 1, 0, bbox=(89, 673, 305, 719))], bbox=(89, 612, 305, 719)))
    for text, box, conf in [("该单位基础扎实、优势明显，同意推荐。", (312, 616, 493, 627), 0.99), ("1", (521, 616, 522, 627), 0.86),
                            ("负责人（签字）：", (312, 631, 388, 641), 0.98), ("（单位公", (465, 631, 500, 641), 0.99),
                            ("章）", (312, 647, 326, 656), 0.99), ("2025年6月2日", (374, 661, 451, 671), 1.0),
                            ("卜", (471, 661, 495, 671), 0.28), ("同意推荐。", (312, 677, 357, 687), 1.0),
                            ("负责人（签字）", (312, 691, 388, 702), 0.92), ("单位公", (450, 691, 522, 702), 0.99),
                            ("章）    AmDV.", (307, 707, 522, 722), 0.73)]:
        p.lines.append(Line(text, bbox=box, confidence=conf))
    rec = map_layout(Layout(pages=[p]), BASE)
    assert rec.fields["applicant_opinion"] == "该单位基础扎实、优势明显，同意推荐。"
    assert rec.fields["city_opinion"] == "同意推荐。"


def test_paragraph_opinions_and_a_page_starting_with_the_rest_of_one_are_blocks() -> None:
    from haizhi.extractors.scan.context import TextBit
    from haizhi.extractors.scan.regions import attribute, base_regions

    em = 28
    page4 = [TextBit("八、单位意见", (190, 1070, 320, 1096), 1.0), TextBit("申报单位意见", (190, 1130, 320, 1156), 1.0),
             TextBit("负责人（签字）：", (190, 1300, 350, 1326), 1.0), TextBit("（单位公章）", (420, 1300, 530, 1326), 1.0),
             TextBit("所在地市科协意见", (190, 1415, 365, 1441), 1.0)]
    regions = {r.owner: r for r in base_regions(page4, [], (1650, 1280), em)}
    assert {"applicant", "city"} <= set(regions)
    assert attribute((367, 1168, 592, 1402), list(regions.values()))[0].owner == "applicant"
    # page 5 begins with 负责人（签字）/（单位公章）/年 月 日 of 所在地市科协意见, then 省级科协意见
    page5 = [TextBit("负责人（签字）：", (200, 160, 360, 182), 1.0), TextBit("（单位公章）", (405, 160, 560, 182), 1.0),
             TextBit("年", (245, 218, 265, 238), 1.0), TextBit("省级科协意见", (200, 273, 330, 294), 1.0),
             TextBit("负责人（签字）：", (200, 330, 360, 352), 1.0)]
    regions = list(base_regions(page5, [], (1660, 1290), em))
    assert attribute((370, 64, 590, 297), regions)[0].owner == "city"
    assert attribute((210, 266, 440, 512), regions)[0].owner == "provincial"


def test_text_under_a_seal_with_characters_lost_is_unsure() -> None:
    from haizhi.extractors.scan.context import _too_short

    assert _too_short("情况属实，同报。", 590, 39)  # 同意推荐该基地申 lost under the seal
    assert not _too_short("情况属实，同意推荐该基地申报。", 590, 39)
    assert not _too_short("contact22@zhuoyuan.com", 420, 36)


def test_a_label_less_page_of_a_long_texts_rest_stays_after_its_page() -> None:
    # no page numbers printed; page 3 holds only the rest of 2.近两年开展业务情况 (a table, no label)
    from haizhi.extractors.scan.page_order import foreign_pages

    p1 = _page(1, None, [Cell("机构名称（中文）", 0, 0), Cell("甲", 0, 1)])
    p2 = _page(2, None, [Cell("机构简介", 0, 0), Cell("简介。", 0, 1), Cell("2.近两年开展业务情况", 1, 0), Cell("开展", 1, 1)])
    p3 = _page(3, None, [Cell("", 0, 0), Cell("业务续写。", 0, 1)])
    p4 = _page(4, None, [Cell("3.获得奖项及表彰情况", 0, 0), Cell("奖项。", 0, 1)])
    letter = _page(5, None, lines=["尊敬的评审专家：", "特此说明。"])
    pages = [p1, p2, p3, p4, letter]
    assert [p.number for p in order_pages(pages)] == [1, 2, 3, 4, 5]
    assert foreign_pages(pages) == [letter]


def test_opinion_date_lines_with_strokes_read_into_them_are_no_opinion() -> None:
    from haizhi.extractors.normalize import strip_signature_lines

    for residue in ("章）2025年6月2日", "年月一日V", "年    月    El", "章）    AmDV."):
        assert strip_signature_lines(f"同意推荐。\n{residue}", scanned=True) == "同意推荐。", residue
    assert strip_signature_lines("同意推荐，2025年起每月日常走访。", scanned=True) == "同意推荐，2025年起每月日常走访。"


def test_single_choice_whose_ticked_box_was_not_seen_is_inferred_and_named() -> None:
    from haizhi.extractors.layout import Mark

    def rec(text: str, marks: list) -> object:
        p = Page(number=2, width=612, height=792, method="ocr")
        p.tables.append(Table(cells=[Cell("基地类型", 0, 0, bbox=(85, 127, 300, 200)),
                                     Cell(text, 0, 1, bbox=(300, 127, 516, 200), marks=marks)]))
        return map_layout(Layout(pages=[p]), BASE)

    boxes = [Mark(kind="checkbox", checked=False, label="中国科协海智工作基地"),
             Mark(kind="checkbox", checked=False, label="国家海外人才离岸创新创业基地")]
    got = rec("□中国科协海智工作基地\n□国家海外人才离岸创新创业基地\n海智国际研发社区", boxes)  # ☒ drawn over its box
    assert got.fields["base_type"] == "海智国际研发社区"
    assert [f.rule for f in got.findings if f.field == "base_type"] == ["extract.choice_inferred"]
    blank = boxes + [Mark(kind="checkbox", checked=False, label="海智国际研发社区")]
    got = rec("□中国科协海智工作基地\n□国家海外人才离岸创新创业基地\n□海智国际研发社区", blank)  # nothing ticked
    assert got.fields["base_type"] is None


def test_legacy_checkboxes_as_tall_as_their_row_are_read(tmp_path) -> None:
    # content-control layout: legacy form-field boxes fill the row's height, their top and bottom edges
    # are the row's rulings; 可提供服务's row is split by the page (（可多选） and the rest on page 2)
    from haizhi.extractors.scan import read_scan

    truth, scan = _tune_scan(tmp_path, 2, "sdt", 5002, [1, 2])
    rec = map_layout(read_scan(scan)[0], COOP)
    assert rec.fields["services"] == truth.fields["services"] == ["创业孵化", "法律服务", "人才招聘"]


def test_multiple_choice_with_one_option_shown_without_its_box_is_inferred() -> None:
    from haizhi.extractors.layout import Mark

    p = Page(number=1, width=612, height=792, method="ocr")
    p.tables.append(Table(cells=[Cell("机构类型\n（可多选）", 0, 0, bbox=(90, 573, 162, 619)),
                                 Cell("□荐才机构\n平台机构\n□用才机构", 0, 1, bbox=(162, 573, 522, 619), confidence=0.5,
                                      marks=[Mark(kind="checkbox", checked=False, label="荐才机构"),
                                             Mark(kind="checkbox", checked=False, label="用才机构")])]))
    got = map_layout(Layout(pages=[p]), COOP)
    assert got.fields["institution_types"] == ["平台机构"]
    assert "extract.choice_inferred" in [f.rule for f in got.findings if f.field == "institution_types"]


def test_inferred_other_option_brings_its_text_named() -> None:
    from haizhi.extractors.layout import Mark

    p = Page(number=1, width=612, height=792, method="ocr")
    opts = ["社会组织", "高校及科研机构", "孵化器、服务平台", "投资机构", "企业"]
    text = " ".join(f"□{o}" for o in opts) + " 综合或其他（请注明）产业联盟"
    p.tables.append(Table(cells=[Cell("机构属性", 0, 0, bbox=(90, 619, 162, 650)),
                                 Cell(text, 0, 1, bbox=(162, 619, 522, 650),
                                      marks=[Mark(kind="checkbox", checked=False, label=o) for o in opts])]))
    got = map_layout(Layout(pages=[p]), COOP)
    assert got.fields["institution_nature"] == "综合或其他"
    assert got.fields["institution_nature_other"] == "产业联盟"
    assert {"institution_nature", "institution_nature_other"} <= {f.field for f in got.findings}


def test_a_page_quoting_an_early_label_is_not_put_before_the_pages_it_follows() -> None:
    # no page numbers; page 4 holds 六、申报单位负责人承诺 and 申报单位意见: 申报单位 (an early field's label) is
    # quoted there, but most of its labels are late ones
    p1 = _page(1, None, lines=["基地名称：海智国际研发社区", "基地类型：海智国际研发社区", "申报单位：佛山市人才集团"])
    p3 = _page(3, None, [Cell("三、设立目的及具备的优势", 0, 0), Cell("目的。", 0, 1), Cell("四、预期目标", 1, 0),
                         Cell("目标。", 1, 1)])
    p4 = _page(4, None, [Cell("申报单位意见", 0, 0), Cell("同意。", 0, 1)], lines=["六、申报单位负责人承诺"])
    assert [p.number for p in order_pages([p1, p3, p4])] == [1, 3, 4]


def test_a_page_whose_number_was_not_read_stays_after_the_page_before_it() -> None:
    # - 4 - lost under a seal: page 4 (the rest of 四、预期目标 and 五、支持政策) has no number while 3 and 5 have;
    # sorting it by its label rank (a fraction) among page numbers put it before page 3
    pages = [_page(1, None, lines=["中国科协海智计划基地申报表", "基地名称：海智工作基地", "申报单位：绍兴市高新区管委会"]),
             _page(2, None, [Cell("基地名称", 0, 0), Cell("海智", 0, 1)], lines=["二、工作基础"]),
             _page(3, "- 3 -", lines=["续写。", "三、设立目的及具备的优势", "目的。", "五、支持政策与条件保障"]),
             _page(4, None, [Cell("申报单位意见", 0, 0), Cell("同意。", 0, 1)], lines=["政策。", "六、申报单位负责人承诺"]),
             _page(5, "- 5 -", [Cell("所在地市科协意见", 0, 0), Cell("同意。", 0, 1)])]
    assert [p.number for p in order_pages(pages)] == [1, 2, 3, 4, 5]
    shuffled = [pages[4], pages[2], pages[3]]  # numbered pages by their numbers, page 4 still after page 3
    assert [p.number for p in order_pages(shuffled)] == [3, 4, 5]


def test_a_page_number_read_with_one_dash_lost_is_no_part_of_the_long_text_above_it() -> None:
    # 四、预期目标 in paragraphs ends on page 3; its footer — 3 — was read as "- 3" (the right dash lost)
    p = Page(number=3, width=595, height=800, method="ocr")
    p.lines += [Line("四、预期目标", bbox=(90, 600, 200, 612)), Line("引进海外人才五十名。", bbox=(90, 640, 300, 652)),
                Line("建设离岸创新中心两处。", bbox=(90, 690, 300, 702)), Line("- 3", bbox=(300, 753, 318, 758)),
                Line("五、支持政策与条件保障", bbox=(90, 60, 250, 72))]
    p.lines.insert(0, p.lines.pop())
    got = map_layout(Layout(pages=[p]), BASE)
    assert got.fields["goals"] == "引进海外人才五十名。\n建设离岸创新中心两处。"
    from haizhi.extractors.scan.page_order import footer_number

    assert footer_number(p) == 3


def test_an_opinion_read_from_the_lines_under_its_label_keeps_the_values_confidence() -> None:
    # opinions written as paragraphs: the label line read surely, the opinion under a seal unsure (0.7);
    # the field took the label line's confidence, so a misread opinion (情属实，意推荐) went unnamed
    from haizhi.extractors.scan import confidence_findings

    p = Page(number=4, width=595, height=842, method="ocr")
    p.lines += [Line("申报单位意见", bbox=(100, 416, 165, 426), confidence=0.998),
                Line("情属实，意推荐该基地申报。", bbox=(100, 444, 249, 454), confidence=0.7),
                Line("所在地市科协意见", bbox=(100, 520, 190, 530), confidence=0.99),
                Line("同意推荐。", bbox=(100, 548, 160, 558), confidence=0.99)]
    got = map_layout(Layout(pages=[p]), BASE)
    assert got.fields["applicant_opinion"] == "情属实，意推荐该基地申报。"
    assert got.provenance["applicant_opinion"]["confidence"] <= 0.7
    named = {f.field for f in confidence_findings(got)}
    assert "applicant_opinion" in named and "city_opinion" not in named


@pytest.mark.parametrize("level,seed", [("moderate", 7602), ("photo", 7600), ("moderate", 7601)])
def test_an_opinion_a_seal_made_ocr_misread_confidently_is_named(tmp_path, level, seed) -> None:
    # TUNE returns whose opinion under a seal was read wrong with confidence 0.99 (情况属实，同意 → 情属实，意;
    # 基础扎实 → 基础实) and no finding, or half-surely (0.90) under a signature stroke (材料真 → 鞭镇): read again
    # at two other sizes, the text comes out otherwise
    from haizhi.extractors.scan import confidence_findings, read_scan
    from tests.independent.family import FAMILIES, build_family
    from tests.independent.scanmaker import make_scan

    s = build_family(tmp_path, seed=seed % 1000, n=1, forms=(BASE,), families=(FAMILIES[seed % len(FAMILIES)],))[0]
    f = s.truth.fields
    names = {"applicant": str(f.get("applicant") or "申报单位"), "city": "市科学技术协会", "provincial": "省科学技术协会",
             "head_signer": str(f.get("head_name") or "王伟"), "recommender": "推荐单位", "institution": "机构"}
    t = make_scan(s.pdf, BASE, tmp_path, level="heavy" if level == "photo" else level, seed=seed,
                  photo=level == "photo", names=names)
    layout, _ = read_scan(t.path)
    got = map_layout(layout, BASE)
    named = {x.field for x in got.findings + confidence_findings(got)}
    wrong = [k for k in ("applicant_opinion", "city_opinion", "provincial_opinion")
             if squash(got.fields.get(k)) != squash(f.get(k))]
    assert wrong, "the return must still hold the misread this test is about"
    assert set(wrong) <= named, (wrong, {k: got.fields.get(k) for k in wrong})


@pytest.mark.parametrize("payload", ["HZ1:coop_institution:QR7LDIJ6IE:3:3:Q2VYBWJLGM", "N01533-2026"])
def test_a_code_in_the_margin_is_not_read_as_text(payload: str) -> None:
    # the QR printed at each page's top right OCRs as "回口 / RTEE / DSE": taken as the first lines of the
    # page, they ran on the field broken by the page before (近两年开展业务情况 …落地项目18个。回口RTEE DSE)
    import io

    import segno
    from PIL import Image, ImageDraw

    from haizhi.extractors.scan.engines import get_engine
    from haizhi.extractors.scan.raster import PageImage
    from haizhi.extractors.scan.reader import read_page
    from tests.ocr.ocr_helpers import DPI, font, page, to_bgr

    im = page()
    buf = io.BytesIO()
    segno.make(payload, error="q", micro=False).save(buf, kind="png", scale=6, border=2)
    im.paste(Image.open(buf).convert("RGB"), (im.width - 300, 70))  # 19 mm, 9 mm from the edges
    text = "注：此表仅作为样例供参考。"
    ImageDraw.Draw(im).text((180, 420), text, font=font(12), fill="black", anchor="lm")
    got, _ = read_page(PageImage(1, to_bgr(im), float(DPI)), get_engine(None))
    assert [ln.text for ln in got.lines] == [text]


def test_a_page_number_misread_into_a_free_number_leaves_the_pages_as_scanned() -> None:
    # - 2 - read as 4 (a speck under it) on a three-page return: 1, 4, 3 are three numbers but span four
    # pages, so one is misread; sorted by them, the rest of 近两年开展业务情况 went after 三、承诺书
    pages = [_page(1, "- 1 -", [Cell("统一社会信用代码", 0, 0), Cell("91320000", 0, 1)]),
             _page(2, "4", [Cell("机构简介", 0, 0), Cell("简介。", 0, 1),
                            Cell("2.近两年开展业务情况", 1, 0), Cell("形成了工作闭", 1, 1)]),
             _page(3, "- 3 -", [Cell("", 0, 0), Cell("环。", 0, 1), Cell("3.获得奖项及表彰情况", 1, 0),
                                Cell("奖项。", 1, 1)], lines=["三、承诺书"])]
    assert [p.number for p in order_pages(pages)] == [1, 2, 3]
    # pages 1, 3 of three with page 2's number lost: no doubt, the printed numbers order them
    pages = [_page(1, "- 3 -", [Cell("3.获得奖项及表彰情况", 0, 0), Cell("奖项。", 0, 1)]),
             _page(2, "- 1 -", [Cell("统一社会信用代码", 0, 0), Cell("91320000", 0, 1)]),
             _page(3, None, [Cell("机构简介", 0, 0), Cell("简介。", 0, 1)])]
    assert [p.number for p in order_pages(pages)] == [2, 3, 1]



def test_a_label_less_page_numbered_between_the_forms_pages_keeps_its_place() -> None:
    # TUNE base moderate 9495: page 3 holds only one line of 工作基础 (成，提供知识产权、投), no table found
    # and no label; its printed - 3 - puts it between pages 2 and 4, not after the form as a foreign page
    pages = [_page(1, "-1-", [Cell("基地名称", 0, 0), Cell("海智", 0, 1)]),
             _page(2, "-2-", [Cell("二、工作基础", 0, 0), Cell("占比超过六", 0, 1)]),
             _page(3, "- 3 -", lines=["成，提供知识产权、投"]),
             _page(4, "- 4 -", [Cell("", 0, 0), Cell("融资和法律咨询等一站式服务。", 0, 1),
                                Cell("四、预期目标", 1, 0), Cell("目标。", 1, 1)]),
             _page(5, "- 5 -", [Cell("申报单位意见", 0, 0), Cell("同意。", 0, 1)])]
    assert [p.number for p in order_pages(pages)] == [1, 2, 3, 4, 5]
    assert not foreign_pages(pages)


def test_a_label_less_page_between_form_pages_stays_when_a_number_was_misread() -> None:
    # TUNE base moderate 12005: the last page's 7/7 read as 717, so no printed number is trusted; page 5 holds one
    # character of a long text's rest (形, its one-row table not seen as a table) and no label. Scanned between two of
    # the form's pages it is the form's (main: set aside as not of the form, 形 lost from 支持政策 without a finding)
    from haizhi.extractors.scan.page_order import foreign_pages

    pages = [_page(1, "1/7", lines=["中国科协海智计划基地申报表", "基地名称：海智国际研发社区（常州）"]),
             _page(2, "2/7", [Cell("基地名称", 0, 0), Cell("海智", 0, 1)]),
             _page(3, "3/7", [Cell("二、工作基础", 0, 0), Cell("建成平台", 0, 1)]),
             _page(4, "4/7", [Cell("三、设立目的及具备的优势", 0, 0), Cell("目的。", 0, 1)]),
             _page(5, "5/7", lines=["形"]),
             _page(6, "6/7", [Cell("", 0, 0), Cell("成了闭环。", 0, 1)], lines=["六、申报单位负责人承诺"]),
             _page(7, "717", lines=["省级科协意见", "负责人（签字）："])]
    letter = _page(8, None, lines=["尊敬的评审专家：", "特此说明。"])
    assert [p.number for p in order_pages([*pages, letter])] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert foreign_pages([*pages, letter]) == [letter]
