"""The last opinion row of a page cut at the page break right after its label line (issue 11, marks ≥ 98 %): its
signing lines and its seal are on the next page, so it does not run on into the blank below the table, where the
row above's seal hangs. TUNE base heavy 10407, page 6 (200 dpi, upright): the cells and text runs read there."""

from __future__ import annotations

from types import SimpleNamespace as B

from haizhi.extractors.scan.regions import assign, base_regions

CELLS = [("申报单位意见：同意推荐。\n负责人（签字）：（单公章）\n非明一月日", (255, 1607, 1455, 1776)),
         ("所在地市科协意见：经审核，报材料真实有效，同意申报。\n负责人（签字）：（单位公章）\n年月日", (255, 1776, 1455, 1946)),
         ("省级科协意见：经审核，申折材料真实，同意申报。", (255, 1946, 1455, 1988))]
BITS = [("八、单位意见", (274, 1541, 444, 1567)), ("申报单位意见：同意推荐。", (274, 1617, 581, 1644)),
        ("负责人（签字）：", (274, 1701, 484, 1728)), ("（单公章）", (689, 1701, 828, 1728)),
        ("非明一月", (418, 1739, 582, 1771)), ("日", (649, 1739, 670, 1771)),
        ("所在地市科协意见：经审核，报材料真实有效，同意申报。", (272, 1781, 1019, 1814)),
        ("负责人（签字）：", (274, 1871, 484, 1898)), ("（单位公章）", (687, 1871, 827, 1898)),
        ("年", (474, 1913, 498, 1938)), ("月", (563, 1913, 582, 1938)), ("日", (650, 1913, 671, 1938)),
        ("省级科协意见：经审核，申折材料真实，同意申报。", (274, 1955, 960, 1983)), ("o-", (863, 2092, 894, 2108))]


def test_a_seal_hanging_below_the_table_from_the_row_above_a_cut_row_is_the_row_aboves() -> None:
    # the city's seal, pressed over its （单位公章） and date, hangs into the provincial row's label line and below
    # the table; the provincial row ran on to the page's foot and took it (flagged, but wrong: city "no seal")
    bits = [B(text=t, box=b) for t, b in BITS]
    regions = base_regions(bits, CELLS, (2230, 1740), 28)
    seals = [(596, 1566, 925, 1849), (623, 1821, 936, 2134)]  # the applicant's, the city's
    assert [r.owner if r else None for r, _sure in assign(seals, regions)] == ["applicant", "city"]


def test_a_last_row_with_its_signing_lines_still_runs_on_below_the_table() -> None:
    # the same page with the provincial row's signing lines on it: its seal may hang below the table
    cells = CELLS[:2] + [("省级科协意见：经审核，申折材料真实，同意申报。\n负责人（签字）：（单位公章）", (255, 1946, 1455, 2040))]
    bits = [B(text=t, box=b) for t, b in BITS] + [B(text="负责人（签字）：", box=(274, 2005, 484, 2032))]
    rows = {r.owner: r.box for r in base_regions(bits, cells, (2230, 1740), 28)}
    assert rows["provincial"][3] > 2150
