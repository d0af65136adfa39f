"""Seals pressed over each other down a column of opinion rows: a faint seal whose ring the close does not join up,
half over its neighbour's; three on a slant whose red makes one round blob wider than one seal."""

from __future__ import annotations

from pathlib import Path

import pytest


def _scan_and_read(tmp_path: Path, form_id: str, seed: int, level: str):  # noqa: ANN202
    """A TUNE return scanned as the bench scans it and the marks read from it: (the scan with its true marks,
    marks_for's answer)."""
    from haizhi.extractors.scan import marks_for
    from tests.ocr.ocr_helpers import tune_scan

    _s, t, layout = tune_scan(tmp_path, form_id, seed, level)
    return t, marks_for(layout, form_id)


def test_a_faint_applicant_seal_over_the_city_seal_is_found(tmp_path: Path) -> None:
    # TUNE base heavy 12047: the applicant's seal, faint, pressed over the row line, the city's seal half over it
    # (main: one seal found, given to the city; the applicant's "not sealed" only flagged)
    t, got = _scan_and_read(tmp_path, "base_application", 12047, "heavy")
    assert t.marks["applicant_sealed"] is True and t.marks["city_sealed"] is True
    assert got["applicant_sealed"] is True
    assert got["city_sealed"] is True


def test_three_seals_on_a_slant_give_each_lower_block_its_own(tmp_path: Path) -> None:
    # TUNE base heavy 12046: three seals pressed down the opinion rows on a slant, the top one faint; their red
    # one round blob 50 mm across (main: read as one seal, the city's; the provincial's "not sealed" flagged)
    t, got = _scan_and_read(tmp_path, "base_application", 12046, "heavy")
    assert all(t.marks[k] is True for k in ("applicant_sealed", "city_sealed", "provincial_sealed"))
    assert got["city_sealed"] is True
    assert got["provincial_sealed"] is True
    assert got["applicant_sealed"] is True or "applicant_sealed" in got.uncertain


def test_a_seal_between_two_blocks_goes_to_the_one_its_ring_names(tmp_path: Path) -> None:
    # TUNE coop heavy 12052: the recommending 科协 pressed its seal between 推荐单位 and 被推荐机构, 70 % of it
    # in the institution's block (main: the institution "sealed", surely; the recommender's "no seal" flagged)
    t, got = _scan_and_read(tmp_path, "coop_institution", 12052, "heavy")
    assert t.marks["recommender_sealed"] is True and t.marks["institution_sealed"] is False
    assert got["recommender_sealed"] is True
    assert got["institution_sealed"] is False or "institution_sealed" in got.uncertain


class _Bit:
    def __init__(self, text: str, box: tuple[int, int, int, int]) -> None:
        self.text, self.box = text, box


def _regions():  # noqa: ANN202
    from haizhi.extractors.scan.regions import Region

    return [Region("recommender", (0, 0, 500, 400), "recommender_signed", "recommender_sealed"),
            Region("institution", (500, 0, 1000, 400), "institution_signed", "institution_sealed"),
            Region("city", (0, 400, 1000, 600), "city_signed", "city_sealed"),
            Region("provincial", (0, 600, 1000, 800), "provincial_signed", "provincial_sealed")]


BITS = [_Bit("推荐单位：浙江省科学技术协会        被推荐机构：苏州远帆国际人才发展中心", (60, 100, 950, 130))]


def test_a_kexie_seal_beside_an_applicant_of_unknown_name_stays_where_it_lies() -> None:
    # TUNE base heavy 12050: the applicant is 绍兴市科学技术协会 (its name on page 1); its seal reaches into the
    # city's row: a city 科协's seal by its level, but the applicant's by its name
    from haizhi.extractors.scan.regions import Region
    from haizhi.extractors.scan.seal_names import by_name
    from haizhi.extractors.scan.seal_owners import assign

    regs = [Region("applicant", (0, 0, 1000, 300), "head_signed", "applicant_sealed"),
            Region("city", (0, 300, 1000, 600), "city_signed", "city_sealed")]
    box = (600, 100, 900, 400)
    res = by_name([box], regs, assign([box], regs), lambda _b: ("绍兴市科学技术协会", 0.99), [_Bit("申报单位意见", (0, 0, 90, 30))])
    assert res[0][0] is not None and res[0][0].owner == "applicant"
    named = [_Bit("申报单位：绍兴市科学技术协会", (0, 0, 300, 30))]
    res = by_name([box], regs, assign([box], regs), lambda _b: ("绍兴市科学技术协会", 0.99), named)
    assert res[0][0] is not None and res[0][0].owner == "applicant"  # both fit: as it lay


@pytest.mark.parametrize(("box", "reading", "owner"), [
    ((400, 50, 700, 350), ("浙江省科于技省协会", 0.9), "recommender"),  # two characters misread: still its name
    ((300, 50, 600, 350), ("苏州远帆国际人才", 0.8), "institution"),
    ((400, 50, 700, 350), ("浙江省科于技省协会", 0.4), "institution"),  # read too unsure: by overlap
    ((400, 50, 700, 350), ("日旷不协", 0.7), "institution"),  # names neither block
    ((100, 480, 400, 780), ("杭州市科学技术协会", 0.95), "city"),
    ((100, 480, 400, 780), ("浙江省科学技术协会", 0.95), "provincial"),
    ((100, 480, 400, 780), ("北京市科学技术协会", 0.95), "provincial"),  # a municipality is of provincial level
    ((100, 480, 400, 780), ("杭州市科于技术协会", 0.95), "provincial"),  # not whole: its level untold, by overlap
])
def test_by_name(box: tuple[int, int, int, int], reading: tuple[str, float], owner: str) -> None:
    from haizhi.extractors.scan.seal_names import by_name
    from haizhi.extractors.scan.seal_owners import assign

    regs = _regions()
    res = by_name([box], regs, assign([box], regs), lambda _b: reading, BITS)
    assert res[0][0] is not None and res[0][0].owner == owner


@pytest.mark.parametrize(("seal_conf", "flagged"), [(0.6, True), (0.8, False)])
def test_not_signed_is_as_unsure_as_not_sealed(seal_conf: float, flagged: bool) -> None:
    # a block whose "no seal" is unsure (a seal beside it given to the neighbour) may have lost its signature's
    # ink to the neighbour the same way: its "not signed" is named too; a sure "no seal" leaves it alone
    from haizhi.extractors.layout import Layout, Mark, Page
    from haizhi.extractors.scan import marks_for

    box = (0.0, 300.0, 260.0, 600.0)
    page = Page(number=3, marks=[
        Mark("seal", False, "recommender_sealed", box, seal_conf, "pixels"),
        Mark("signature", False, "recommender_signed", box, 1.0, "pixels"),
        Mark("seal", True, "institution_sealed", (230.0, 400.0, 340.0, 510.0), 1.0, "pixels"),
        Mark("signature", True, "institution_signed", (260.0, 300.0, 600.0, 600.0), 1.0, "pixels")])
    got = marks_for(Layout(pages=[page], file="x.pdf"), "coop_institution")
    assert got["recommender_signed"] is False and got["recommender_sealed"] is False
    assert ("recommender_signed" in got.uncertain) is flagged
    assert "institution_signed" not in got.uncertain


def test_a_head_who_signed_in_his_seal_over_the_line_signed_his_block(tmp_path: Path) -> None:
    # TUNE coop clean 12061: the recommending 科协's seal pressed across the line between the two blocks, its head's
    # signature written inside it, on the institution's side; the institution's head signed beside his own label
    # (main: the recommender "not signed", surely)
    t, got = _scan_and_read(tmp_path, "coop_institution", 12061, "clean")
    assert t.marks["recommender_signed"] is True and t.marks["institution_signed"] is True
    assert got["recommender_signed"] is True
    assert got["institution_signed"] is True
