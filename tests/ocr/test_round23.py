"""Round 23 (issue 11): a long text's middle alone on a page; the test returns' signing label found on one line."""

from __future__ import annotations

from pathlib import Path

from haizhi.extractors.layout import Cell, Layout, Line, Page, Table
from haizhi.extractors.mapper import map_layout
from haizhi.extractors.scan.page_order import foreign_pages, order_pages
from haizhi.pipeline.core.fields import COOP

DATA = Path(__file__).parent / "data"
_REST = "企业对接海外技术团队，建设海外离岸创新中心两处。举办海外人才座谈会和政策宣讲会，为入驻项目提供办公场地和中试平台。"


def test_a_long_texts_middle_alone_on_a_page_is_read_with_it() -> None:
    """TUNE coop 12473: 2.近两年开展业务情况 ran over two page breaks; its middle (协助, two characters, a row whose
    ruling was not seen as a table) stood alone on page 3, and page 4 began with the rest (a table of one label-less
    cell). Page 2's cell ended with a stop, so page 3 was set aside as not of the form: 协助 was lost, silently."""
    p2 = Page(number=2, width=612, height=792, method="ocr")
    p2.tables.append(Table(cells=[
        Cell("2.近两年开展业务情况：", 0, 0, bbox=(87, 400, 303, 720)),
        Cell("设立专项资金支持人才项目孵化。典型案例包括某半导体团队落户并完成A轮融资。", 0, 1, bbox=(303, 400, 519, 720))],
        bbox=(87, 400, 519, 720)))
    p3 = Page(number=3, width=612, height=792, method="ocr", lines=[Line("协助", bbox=(86, 73, 519, 90))])
    p4 = Page(number=4, width=612, height=792, method="ocr")
    p4.tables.append(Table(cells=[Cell(_REST, 0, 0, bbox=(86, 73, 518, 185))], bbox=(86, 73, 518, 185)))
    p4.tables.append(Table(cells=[Cell("3.获得奖项及表彰情况", 0, 0, bbox=(86, 213, 302, 277)),
                                  Cell("2021年，获优秀组织奖。", 0, 1, bbox=(302, 213, 518, 277))], bbox=(86, 213, 518, 277)))
    pages = [p2, p3, p4]
    assert [p.number for p in order_pages(pages)] == [2, 3, 4]
    assert foreign_pages(pages) == []
    got = map_layout(Layout(pages=order_pages(pages)), COOP)
    assert "".join(got.fields["recent_work"].split()).endswith("A轮融资。协助" + _REST)


def test_a_one_cell_table_of_labelled_text_is_no_rest() -> None:
    """A page of a few words between two pages of the form, the next beginning with a one-cell table that names a
    field (a heading row), is not taken for a long text's middle by that rule."""
    p2 = Page(number=2, width=612, height=792, method="ocr")
    p2.tables.append(Table(cells=[Cell("2.近两年开展业务情况：", 0, 0), Cell("典型案例包括某半导体团队落户并完成A轮融资。", 0, 1)]))
    p3 = Page(number=3, width=612, height=792, method="ocr", lines=[Line("附件清单", bbox=(86, 73, 519, 90))])
    p4 = Page(number=4, width=612, height=792, method="ocr")
    p4.tables.append(Table(cells=[Cell("3.获得奖项及表彰情况：2021年，获中国国际人才交流大会优秀组织奖，2022年获评优秀工作站。", 0, 0)]))
    assert foreign_pages([p2, p3, p4]) == [p3]


def test_scanmakers_signing_label_is_on_one_line(tmp_path) -> None:
    """TUNE coop 12470: a profile line ending 签 (…科研机构签 / 订合作协议) above the label column's wrapped 字）
    read as 签字 across the line break, so the scan maker put the recommender's signature over the profile on page 2
    and its seal, with no split of the two blocks, on the institution's date: the truth was not the form's."""
    from tests.independent import family as fam
    from tests.independent.scanmaker import find_blocks

    fam.build_family(tmp_path, seed=470, n=1, forms=(COOP,), families=("sdt",))
    pdf = next(tmp_path.rglob("coop_sdt_*.pdf"))
    blocks = [b for b in find_blocks(pdf, COOP) if b.key]
    pages = {b.page for b in blocks}
    assert len(pages) == 1 and {b.key for b in blocks} == {"recommender_signed", "recommender_sealed",
                                                            "institution_signed", "institution_sealed"}
    rec = next(b for b in blocks if b.key == "recommender_sealed")
    ins = next(b for b in blocks if b.key == "institution_sealed")
    assert rec.region[2] <= ins.region[0] + 1  # side by side, split between them


def test_two_seals_pressed_11_mm_apart_each_with_its_star_are_two() -> None:
    """TUNE coop heavy 12472 (200 dpi, the seals' crop: red 255, dark ink 128): the recommender's and the institution's
    seals pressed 11 mm apart make one blob 47 × 40 mm. Both rings were found by their edges, but circles closer than
    0.7 radius were taken for one seal found twice: the institution's seal was lost. The institution's star lies at
    its circle's centre, and at no other circle's: two seals."""
    import cv2
    import numpy as np

    from haizhi.extractors.scan.seals import find_seals

    ink = cv2.imread(str(DATA / "round23_coop_two_seals_11mm_apart_heavy_12472.png"), cv2.IMREAD_GRAYSCALE)
    bgr = np.full((*ink.shape, 3), 250, np.uint8)
    bgr[ink > 200] = (40, 40, 220)
    bgr[(ink > 60) & (ink <= 200)] = (30, 30, 30)
    found = find_seals(bgr, 200.0)
    assert len(found) == 2, found
    centres = sorted(((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b, _ in found)
    for (x, y), (tx, ty) in zip(centres, [(218, 220), (303, 223)], strict=True):  # where the scan maker pressed them
        assert np.hypot(x - tx, y - ty) < 4 * 200 / 25.4


def test_two_signing_labels_on_one_line_are_side_by_side_blocks() -> None:
    """TUNE coop moderate 12473: 被推荐机构 lost under the recommender's seal; the two 签字 labels read on one line
    (负责人签字： and （公章）负责人签字：), the second 240 px from the first on a page 1728 px wide (200 dpi). Its place (left of a
    third of the page) made the blocks stacked, split across the signing line: both seals went to the recommender."""
    from types import SimpleNamespace as B

    from haizhi.extractors.scan.regions import coop_regions

    bits = [B(text="如以上承诺虚假，愿为此承担法律责任。", box=(266, 1022, 794, 1051)),
            B(text="推荐单位：四川省科学技术协会破推荐技服务有限公司", box=(265, 1099, 1286, 1159)),
            B(text="负责人签字：", box=(267, 1178, 426, 1207)), B(text="（公章）负责人签字：", box=(513, 1178, 826, 1207)),
            B(text="（公章）", box=(914, 1178, 997, 1207)), B(text="年月日孤F", box=(313, 1257, 707, 1305))]
    import cv2
    import numpy as np

    strip = cv2.imread(str(DATA / "round23_coop_signing_line_moderate_12473.png"), cv2.IMREAD_GRAYSCALE)
    binary = np.zeros((2222, 1728), np.uint8)  # the page's binary image (ink 255), its signing lines (rows 1000–1400)
    binary[1000:1400] = np.where(strip > 127, np.uint8(255), np.uint8(0))
    regions = {r.owner: r.box for r in coop_regions(bits, [], binary.shape, 30.2, 30, binary)}
    rec, ins = regions["recommender"], regions["institution"]
    assert rec[1] == ins[1] and rec[3] == ins[3]  # side by side
    assert 600 < rec[2] == ins[0] < 700  # between the first （公章） (ends about 600) and the second 负责人 (about 630)


def test_a_ring_read_as_a_citys_without_its_name_confirms_the_city_row_it_mostly_lies_in() -> None:
    """TUNE base clean 12486: the city's seal pressed half outside the table across the city and provincial rows (62 %
    of its overlap in the city's); its ring read 市科学技术协会, the city's name off the edge: it was named for a check
    ("印章跨在两个栏目之间"). A city's 科协 it is, or a municipality's (北京市…, provincial): the reading confirms the
    row the seal mostly lies in, never moves it to another."""
    from haizhi.extractors.scan.regions import AMBIGUOUS, Region, assign
    from haizhi.extractors.scan.seal_names import NAMED_SURE, by_name

    rows = [Region("applicant", (235, 1298, 1700, 1468), seal_key="applicant_sealed"),
            Region("city", (235, 1468, 1700, 1637), seal_key="city_sealed"),
            Region("provincial", (235, 1637, 1700, 2072), seal_key="provincial_sealed")]
    seal = (1279, 1444, 1560, 1742)
    res = assign([seal], rows)
    assert res[0][0].owner == "city" and res[0][1] < 1 - AMBIGUOUS  # unsure by overlap
    got = by_name([seal], rows, res, lambda _sb: ("市科学技术协会", 0.998), [])
    assert got[0][0].owner == "city" and got[0][1] >= NAMED_SURE
    low = (1279, 1520, 1560, 1818)  # pressed lower: mostly in the provincial row, the reading does not move it
    res = assign([low], rows)
    assert res[0][0].owner == "provincial"
    assert by_name([low], rows, res, lambda _sb: ("市科学技术协会", 0.998), []) == res
    # across the applicant's row, whose name is not on the page: the applicant may be a 市科协 itself
    high = (1279, 1330, 1560, 1628)
    res = assign([high], rows)
    assert by_name([high], rows, res, lambda _sb: ("市科学技术协会", 0.998), []) == res


def test_a_signature_begun_after_the_left_label_is_the_left_heads_though_the_right_labels_run_starts_before_it() -> None:
    """TUNE coop clean 12483: the recommender's head signed from just after his 负责人签字： (ends 402 px) over the line
    into the institution's block (3047 of 7888 px of ink there). The right label was read in one run with the left
    block's （公章） (（公章） 负责人签字：, from 483 px), so the signature (from 458 px) did not begin left of it by an em and
    stayed "across the line" for both blocks; the right label starts where its block does (687 px)."""
    from types import SimpleNamespace as B

    import numpy as np

    from haizhi.extractors.scan.regions import Region
    from haizhi.extractors.scan.sign_clusters import _before_label

    rec = Region("recommender", (0, 1007, 687, 1761), seal_key="recommender_sealed", sign_key="recommender_signed")
    ins = Region("institution", (687, 1007, 1701, 1761), seal_key="institution_sealed", sign_key="institution_signed")
    rec.label, ins.label = B(box=(252, 1431, 402, 1471)), B(box=(483, 1431, 955, 1471))
    assert _before_label(np.array([4841, 3047]), (458, 1348, 844, 1478), [rec, ins], 30, []) == 0
    # begun right of the right block's line: not the left head's
    assert _before_label(np.array([3047, 4841]), (700, 1348, 1000, 1478), [rec, ins], 30, []) is None


def test_a_signature_across_the_line_over_its_own_seal_is_sure_when_the_neighbour_signed_its_own() -> None:
    """TUNE coop heavy 12482: the recommender's head signed over his own seal, pressed near the line, so the name lay
    largely in both blocks (8729 and 5456 px); the institution's head signed in his own block. The seal told whose it
    was, yet "签字跨在两个栏目的分界线上" stayed on the recommender's: a block is signed once, and the neighbour's is
    its own signature, so the one over this block's seal is this block's."""
    import numpy as np

    from haizhi.extractors.scan.regions import Region
    from haizhi.extractors.scan.sign_clusters import signature_ink

    rec = Region("recommender", (0, 0, 600, 400), seal_key="recommender_sealed", sign_key="recommender_signed")
    ins = Region("institution", (600, 0, 1400, 400), seal_key="institution_sealed", sign_key="institution_signed")
    binary = np.zeros((400, 1400), np.uint8)
    for y in range(150, 250, 12):  # strokes, 4 px thick: a name across the line, and one in the right block alone
        binary[y:y + 4, 420:760] = 255
        binary[y:y + 4, 1000:1200] = 255
    masks = [binary[:, :600].copy(), binary[:, 600:].copy()]
    _, doubt, _ = signature_ink(binary, [rec, ins], masks, 30, [[(380, 100, 700, 420)], []])
    assert doubt == [False, False]
    _, doubt, _ = signature_ink(binary, [rec, ins], masks, 30, [[], []])  # no seal under it: whose is a doubt
    assert doubt == [True, False]
    lone = binary.copy()
    lone[:, 1000:1200] = 0  # the neighbour holds no signature of its own: the name may be its
    _, doubt, _ = signature_ink(lone, [rec, ins], [lone[:, :600].copy(), lone[:, 600:].copy()], 30,
                                [[(380, 100, 700, 420)], []])
    assert doubt == [True, True]


def _opinion_rows(top: int = 1298, h: int = 170) -> list[tuple[str, tuple[int, int, int, int]]]:
    """A base form's 八、单位意见 table at 200 dpi: label and opinion cells of its three rows, h px each."""
    cells = []
    for i, label in enumerate(("申报单位意见", "所在地市科协意见", "省级科协意见")):
        y0, y1 = top + h * i, top + h * (i + 1)
        cells += [(label, (235, y0, 700, y1)), ("同意。\n负责人（签字）：    （单位公章）\n年 月 日", (700, y0, 1500, y1))]
    return cells


def test_a_ringed_seal_across_a_ruling_with_3_mm_to_spare_belongs_to_its_row() -> None:
    """TUNE base clean 12250, 12286, 12364, heavy 12480, 12483: a seal whose ring is seen whole, pressed across the
    ruling between two opinion rows, 60/40 or so: named "印章跨在两个栏目之间" (and the neighbour's "no seal" for a
    check) though both edges are measured to a millimetre. Beyond doubt when moving it 3 mm toward the neighbour
    still leaves its own row ahead; a ring not seen whole, or a line guessed between text, keeps the doubt."""
    from haizhi.extractors.scan.regions import Region
    from haizhi.extractors.scan.seal_owners import clear_of

    mm = 200 / 25.4
    cells = [b for _, b in _opinion_rows()]
    app = Region("applicant", (235, 1298, 1700, 1468), seal_key="applicant_sealed")
    city = Region("city", (235, 1468, 1700, 1638), seal_key="city_sealed")
    ahead = (1279, 1285, 1579, 1585)  # 170 px in its row, 117 in the next: 26 px (3.3 mm) to spare
    close = (1279, 1305, 1579, 1605)  # 163 / 137: 13 px
    assert clear_of(ahead, app, [app, city], cells, True, mm)
    assert not clear_of(close, app, [app, city], cells, True, mm)
    assert not clear_of(ahead, app, [app, city], cells, False, mm)  # its box a guess (a ring not seen whole)
    assert not clear_of(ahead, app, [app, city], [], True, mm)  # no ruling there


def test_a_seal_in_the_applicants_row_naming_the_city_is_the_applicants_when_its_name_is_not_on_the_page() -> None:
    """TUNE base clean 12286, 12302, 12364, moderate 12345, heavy 12310: the applicant (a city's 科协, its name printed
    on page 1) stamped its own row; its ring read 常州市科学技术协会, a city's name, and the city's row, unstamped, was
    given that seal too: read sealed (wrong, named for a check). The applicant's name not on the page, the reading
    cannot tell its seal from the city's: its seal stands and the city's "no seal" is named for a check."""
    from types import SimpleNamespace as B

    import numpy as np

    from haizhi.extractors.scan.seal_signature import find_marks

    cells = _opinion_rows(900, 340)
    bits = [B(text=t.split("\n")[0], box=b, conf=1.0) for t, b in cells]
    page = np.full((2339, 1654, 3), 255, np.uint8)
    binary = np.zeros(page.shape[:2], np.uint8)
    seal = (1100, 920, 1400, 1220)  # inside the applicant's row

    def read(names: list) -> dict:
        marks = find_marks(page, binary, bits + names, cells, 200.0, seals=[(seal, 0.95)], red=binary,
                           namer=lambda _sb: ("常州市科学技术协会", 0.99))
        return {m.label: m for m in marks if m.kind == "seal"}

    got = read([])
    assert got["applicant_sealed"].checked and not got["applicant_sealed"].doubts
    assert not got["city_sealed"].checked and any("申报单位可能就是本单位" in d for d in got["city_sealed"].doubts)
    # the applicant named on the page (a company): the ring names another block, both named for a check as before
    got = read([B(text="申报单位：佛山人才发展集团有限公司", box=(235, 1200, 900, 1230), conf=1.0)])
    assert got["city_sealed"].checked and got["city_sealed"].doubts
    assert "印章上的单位名称指向另一个栏目" in got["applicant_sealed"].doubts


def test_a_speck_after_an_opinion_label_line_leaves_the_opinion_on_the_lines_below() -> None:
    """TUNE base heavy 12496 (the sample layout: opinions as paragraphs under their labels): a signature across
    所在地市科协意见： left a speck read as “.” after the label; taken for the opinion written on the label's line, it
    was a scribble, so the opinion was read empty at 0.9, silently, the line below (read with doubt) left out."""
    from haizhi.pipeline.core.fields import BASE

    def ln(text: str, y: float, conf: float = 0.99, x1: float = 300.0) -> Line:
        return Line(text, bbox=(100.4, y, x1, y + 9.5), confidence=conf)

    p = Page(number=5, width=595, height=842, method="ocr", lines=[
        ln("所在地市科协意见：.", 137.9, 0.79, 200.2), ln("该单位基础扎实、优势明显，同意推荐。", 164.9, 0.79, 281.5),
        ln("负责人（签字）：", 192.2, 0.99, 176.4), ln("（单位公章）", 192.2, 0.98), ln("省级科协意见：", 247.0, 0.97, 166.0),
        ln("情况属实，同意推荐该基地申报。", 274.3, 0.99, 249.8), ln("负责人（签字）", 301.7, 0.97, 176.4)])
    got = map_layout(Layout(pages=[p]), BASE)
    assert got.fields["city_opinion"] == "该单位基础扎实、优势明显，同意推荐。"
    assert got.provenance["city_opinion"]["confidence"] < 0.8  # its line's doubt, named


def test_an_opinion_label_cell_alone_in_its_table_takes_the_cells_beside_it() -> None:
    """TUNE base heavy 12497: the ruling between the label column and the opinion column broken under a seal, the
    省级科协意见 cell was found as a table of its own and its opinion and signing cells as another's: no cell right of
    the label in its table, so the opinion was read empty at 1.0, silently."""
    from haizhi.pipeline.core.fields import BASE

    p = Page(number=6, width=595, height=842, method="ocr")
    p.tables.append(Table(cells=[
        Cell("该单位基础扎实、优势明显，同意推荐。", 0, 0, bbox=(320.4, 407.2, 536.8, 422.6), confidence=0.99),
        Cell("负责人（签字）：    （单位公\n章\n年    月    日", 1, 0, bbox=(320.4, 422.6, 536.8, 468.7)),
        Cell("", 2, 0, bbox=(320.4, 468.7, 536.8, 484.2)),
        Cell("负景人（签字）：    （单位公\n章）\n年    班    日", 3, 0, bbox=(320.4, 484.2, 536.8, 529.9), confidence=0.7),
        Cell("同意推荐。", 4, 0, bbox=(320.4, 529.9, 536.8, 545.8), confidence=0.79),
        Cell("负责人（签字）    （单位公\n章）\n张明华一月    日", 5, 0, bbox=(320.4, 545.8, 536.8, 591.5), confidence=0.7)],
        bbox=(320.4, 407.2, 536.8, 591.5)))
    p.tables.append(Table(cells=[Cell("省级科协意见", 0, 0, bbox=(104.4, 529.9, 320.4, 591.5))],
                          bbox=(104.4, 529.9, 320.4, 591.5)))
    p.lines += [Line("申报单位意见", bbox=(103.7, 410.8, 172.4, 420.5)), Line("所在地市科协意见", bbox=(104.0, 472.0, 193.7, 481.3))]
    got = map_layout(Layout(pages=[p]), BASE)
    assert got.fields["provincial_opinion"] == "同意推荐。"
    assert got.provenance["provincial_opinion"]["confidence"] < 0.8
