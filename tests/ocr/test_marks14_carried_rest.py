"""The rest of a block carried over a page break (issue 11, marks ≥ 98 %): the top of the next page holds the last
opinion row's signing lines (负责人（签字）/（单位公章）/ date) in a table row whose label cell is empty, and the
row's seal is pressed over that empty label column. TUNE base clean 11601, page 7 (200 dpi): the cells and text
runs read there."""

from __future__ import annotations

from types import SimpleNamespace as B

from haizhi.extractors.scan.regions import assign, base_regions

CELLS = [("", (234, 200, 834, 328)), ("负责人（签字）：    （单位公\n章）\n2025年6月11日", (834, 200, 1434, 328))]
BITS = [("负责人（签字）：", (851, 210, 1062, 238)), ("（单位公", (1262, 210, 1371, 238)), ("章）", (851, 245, 895, 273)),
        ("2025年6月11日", (1051, 285, 1273, 313))]
SEAL = (409, 95, 717, 418)  # over the empty label column, reaching above the table


def test_a_carried_rows_region_spans_its_empty_label_column() -> None:
    # the row runs on into the blank below it (the page's last row); its cells are still found by its own height,
    # so the empty label cell is part of it and the seal over it is the row's (main: the row was its right cell
    # only, the seal in no block, the provincial row read "no seal")
    bits = [B(text=t, box=b) for t, b in BITS]
    regions = base_regions(bits, CELLS, (2200, 1700), 29)
    prov = next(r for r in regions if r.owner == "provincial")
    assert prov.box[0] <= 234 and prov.box[3] > 328
    (owner, sure), = assign([SEAL], regions)
    assert owner is prov and sure >= 0.9


def _pages(last_marks: list, top_marks: list, top_text: list, last_text: tuple = ()) -> object:
    from haizhi.extractors.layout import Cell, Layout, Line, Page, Table

    p1 = Page(number=1, width=612, height=792, method="ocr", marks=last_marks,
              lines=[Line(text=t, bbox=b) for t, b in last_text])
    cells = [Cell(text=t, row=0, col=i, bbox=b) for i, (t, b) in enumerate(top_text)]
    p2 = Page(number=2, width=612, height=792, method="ocr", marks=top_marks,
              tables=[Table(cells=cells, page=2, bbox=(84, 72, 516, 118))])
    return Layout(pages=[p1, p2])


def test_a_seal_on_the_only_carried_blocks_rest_is_its_and_sure() -> None:
    # only the date line carried: the next page's table row holds the date alone (no block found there); the seal
    # over it is the provincial row's, the only block going on (main: True but named for a check)
    from haizhi.extractors.layout import Mark
    from haizhi.extractors.scan.mark_keys import marks_for

    last = [Mark(kind="seal", checked=True, label="applicant_sealed", bbox=(351, 543, 455, 647)),
            Mark(kind="seal", checked=True, label="city_sealed", bbox=(360, 609, 465, 713)),
            Mark(kind="seal", checked=False, label="provincial_sealed", bbox=(85, 697, 614, 780), confidence=0.6)]
    top = [Mark(kind="seal", checked=True, label=None, bbox=(147, 34, 258, 150))]
    got = marks_for(_pages(last, top, [("", (84, 72, 300, 118)), ("2025年6月11日", (300, 72, 516, 118))]),
                    "base_application")
    assert got["provincial_sealed"] is True and "provincial_sealed" not in got.uncertain


def test_a_seal_at_a_pages_top_without_the_rests_print_stays_named() -> None:
    from haizhi.extractors.layout import Mark
    from haizhi.extractors.scan.mark_keys import marks_for

    last = [Mark(kind="seal", checked=False, label="provincial_sealed", bbox=(85, 697, 614, 780), confidence=0.6)]
    top = [Mark(kind="seal", checked=True, label=None, bbox=(147, 34, 258, 150))]
    got = marks_for(_pages(last, top, [("", (84, 200, 300, 250))]), "base_application")
    assert got["provincial_sealed"] is True and "provincial_sealed" in got.uncertain


def test_a_seal_at_a_pages_top_after_a_block_whole_on_the_page_before_stays_named() -> None:
    # the previous page's last row holds its own signing lines: the next page's top may be a row whose label was
    # lost, not this row's rest
    from haizhi.extractors.layout import Mark
    from haizhi.extractors.scan.mark_keys import marks_for

    last = [Mark(kind="seal", checked=False, label="city_sealed", bbox=(85, 640, 614, 780), confidence=0.8)]
    top = [Mark(kind="seal", checked=True, label=None, bbox=(147, 34, 258, 150))]
    text = [("所在地市科协意见：同意推荐。", (90, 650, 400, 662)), ("负责人（签字）：（单位公章）", (300, 700, 520, 712))]
    got = marks_for(_pages(last, top, [("2025年6月11日", (300, 72, 516, 118))], text), "base_application")
    assert got["city_sealed"] is True and "city_sealed" in got.uncertain


def test_a_seal_on_the_carried_date_line_of_side_by_side_blocks_is_the_one_above_it() -> None:
    # coop: 推荐单位 | 被推荐机构 side by side at the foot of a page, their date line carried to the next; the
    # institution's seal pressed there, under its half (main: blocks side by side, whose it is "cannot be told":
    # the seal went to nobody, institution read "no seal", silently)
    from haizhi.extractors.layout import Mark
    from haizhi.extractors.scan.mark_keys import marks_for

    last = [Mark(kind="signature", checked=True, label="recommender_signed", bbox=(86, 600, 300, 780)),
            Mark(kind="seal", checked=False, label="recommender_sealed", bbox=(86, 600, 300, 780), confidence=0.8),
            Mark(kind="signature", checked=True, label="institution_signed", bbox=(300, 600, 518, 780)),
            Mark(kind="seal", checked=False, label="institution_sealed", bbox=(300, 600, 518, 780), confidence=0.8)]
    top = [Mark(kind="seal", checked=True, label=None, bbox=(350, 30, 460, 140))]
    text = [("年 月 日", (86, 72, 300, 100)), ("2025年6月11日", (300, 72, 518, 100))]
    got = marks_for(_pages(last, top, text), "coop_institution")
    assert got["institution_sealed"] is True and "institution_sealed" not in got.uncertain
    assert got["recommender_sealed"] is False


def test_a_carried_rest_at_the_pages_top_runs_up_to_the_top() -> None:
    # TUNE base heavy 10404, page 5: the city row's rest (no label) heads the table, the provincial row follows.
    # The city's seal, pressed over its lines, reaches above the table and into the provincial row: above the
    # table nothing else is there, so that part counts for the city (main: the seal's share in the provincial
    # row made its block unsure)
    cells = [("", (285, 228, 1485, 239)), ("", (285, 239, 885, 366)),
             ("负责人（签字单位公章）    PJ\n年    月    日", (885, 239, 1485, 366)), ("省级科协意见", (285, 366, 885, 531)),
             ("该单位基础扎实、优势明显，同意推荐。\n负责人（签字）    （单位公\n章）\n业化日", (885, 366, 1485, 531))]
    bits = [B(text="负责人（签字单位公章）", box=(904, 262, 1460, 290)), B(text="年    月    日", box=(1100, 330, 1360, 358)),
            B(text="省级科协意见", box=(300, 380, 470, 408)), B(text="该单位基础扎实、优势明显，同意推荐。", box=(904, 380, 1400, 408))]
    regions = base_regions(bits, cells, (2276, 1800), 28)
    city = next(r for r in regions if r.owner == "city")
    assert city.box[1] == 0
    (owner, sure), = assign([(1034, 150, 1334, 450)], regions)
    assert owner is city and sure > 0.4


def _cut_row(extra: list) -> object:
    from haizhi.extractors.layout import Mark

    last = [Mark(kind="seal", checked=True, label="applicant_sealed", bbox=(338, 536, 449, 647), confidence=0.98),
            Mark(kind="seal", checked=True, label="city_sealed", bbox=(335, 631, 446, 727))] + extra + [
            Mark(kind="seal", checked=False, label="provincial_sealed", bbox=(81, 672, 593, 687), confidence=0.6)]
    top = [Mark(kind="seal", checked=False, label="provincial_sealed", bbox=(81, 0, 597, 209), confidence=0.8)]
    text = [("省级科协意见", (90, 675, 200, 685)), ("同意推荐。", (300, 675, 360, 685))]
    return _pages(last, top, [("", (84, 72, 300, 118)), ("负责人（签字）：    （单位公\n章）", (300, 72, 516, 118))], text)


def test_no_seal_on_a_cut_rows_rest_answers_the_cut_rows_doubt() -> None:
    # TUNE base heavy 10961: the provincial row cut after its label line (named: its seal may be where its lines
    # went); its rest was looked at at the next page's top and holds no seal: "no seal" is sure (main: named)
    from haizhi.extractors.scan.mark_keys import marks_for

    got = marks_for(_cut_row([]), "base_application")
    assert got["provincial_sealed"] is False and "provincial_sealed" not in got.uncertain


def test_a_cut_rows_doubt_stays_when_its_page_has_a_seal_given_twice() -> None:
    from haizhi.extractors.layout import Mark
    from haizhi.extractors.scan.mark_keys import marks_for

    got = marks_for(_cut_row([Mark(kind="seal", checked=True, label="city_sealed", bbox=(335, 690, 446, 780))]),
                    "base_application")
    assert got["provincial_sealed"] is False and "provincial_sealed" in got.uncertain
