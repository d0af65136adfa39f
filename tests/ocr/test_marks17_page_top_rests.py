"""The top of a page holding two signing blocks above its first label (TUNE base clean 12072): the carried rest
of the applicant's row (负责人（签字） /（单位公章）, its seal pressed there) and the city's row, whose label was read
together with a signature (所在地市科K开). The page's top was all given to the city's row, the applicant's seal
with it, and the applicant read "not sealed" with no finding."""

from __future__ import annotations

from types import SimpleNamespace as B

from haizhi.extractors.scan.regions import assign, base_regions

S = 200 / 72  # points → pixels at 200 dpi


def _bits(rows: list[tuple[str, tuple[float, float, float, float]]]) -> list:
    return [B(text=t, box=tuple(int(v * S) for v in b)) for t, b in rows]


PAGE5 = [("负责人（签字）：", (93, 77, 168, 86)), ("（单位公章）", (242, 77, 292, 86)),
         ("所在地市科K开", (92, 105, 271, 156)),
         ("负责人（签字）：", (93, 159, 168, 168)), ("（单位公章）", (242, 159, 292, 168)),
         ("年", (164, 186, 174, 195)), ("月", (197, 186, 203, 195)), ("日", (229, 186, 235, 195)),
         ("省级科协意见：", (93, 214, 158, 223)), ("经审核，申报材料真实有效，同意申报。", (92, 241, 273, 250)),
         ("负责人（签字）：", (93, 268, 168, 278)), ("（单位公章）", (242, 268, 292, 278))]


def test_two_signing_lines_above_the_first_label_are_two_rows() -> None:
    regions = {r.owner: r for r in base_regions(_bits(PAGE5), [], (int(842 * S), int(595 * S)), 29)}
    assert {"applicant", "city", "provincial"} <= set(regions)
    app, city = regions["applicant"].box, regions["city"].box
    assert app[1] == 0 and app[3] <= int(159 * S) and city[1] >= int(86 * S)
    assert regions["city"].inferred  # told by its signing lines: a finding names the seals beside it
    # the three seals as found on that page: one each
    seals = [tuple(int(v * S) for v in b) for b in [(53, 37, 168, 152), (52, 112, 161, 221), (56, 212, 171, 327)]]
    got = [r.owner for r, _ in assign(seals, list(regions.values()))]
    assert got == ["applicant", "city", "provincial"]


def test_one_signing_line_above_the_first_label_stays_one_carried_rest() -> None:
    rows = [b for b in PAGE5 if b[1][1] >= 105 or b[1][1] < 90]  # the city's own signing line not there
    rows = [b for b in rows if not (105 <= b[1][1] < 200)]
    regions = {r.owner: r for r in base_regions(_bits(rows), [], (int(842 * S), int(595 * S)), 29)}
    assert "applicant" not in regions and regions["city"].box[1] == 0  # as before: the block before the first label
