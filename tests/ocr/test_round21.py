"""Round 21: an unsure seal/signature reading says why (the clerk checks the right thing)."""

from __future__ import annotations

from haizhi.extractors.layout import Layout, Mark, Page


def test_a_doubt_lowers_confidence_and_is_kept_once() -> None:
    m = Mark("seal", False, "city_sealed", (0.0, 0.0, 10.0, 10.0), 0.8, "pixels")
    m.doubt(0.6, "邻近栏目的印章伸入本栏，本栏的印章可能压在其下")
    m.doubt(0.7, "邻近栏目的印章伸入本栏，本栏的印章可能压在其下")
    assert m.confidence == 0.6 and m.doubts == ["邻近栏目的印章伸入本栏，本栏的印章可能压在其下"]


def test_an_unsure_marks_finding_names_its_reasons() -> None:
    from haizhi.extractors.scan import marks_for
    from haizhi.extractors.scan.confidence import mark_findings
    from haizhi.pipeline.core.record import Record

    box = (0.0, 300.0, 260.0, 600.0)
    unsure = Mark("seal", False, "recommender_sealed", box, 0.8, "pixels")
    unsure.doubt(0.6, "另一栏目分到了两枚印章，其中一枚可能是本栏的")
    sure = Mark("seal", True, "institution_sealed", (230.0, 400.0, 340.0, 510.0), 0.9, "pixels",
                doubts=["印章颜色浅或印迹不完整"])  # a reason kept for a reading still sure: not told
    page = Page(number=3, marks=[unsure, sure,
                                 Mark("signature", True, "recommender_signed", box, 1.0, "pixels"),
                                 Mark("signature", True, "institution_signed", (260.0, 300.0, 600.0, 600.0), 1.0,
                                      "pixels")])
    got = marks_for(Layout(pages=[page], file="x.pdf"), "coop_institution")
    assert got.why == {"recommender_sealed": ["另一栏目分到了两枚印章，其中一枚可能是本栏的"]}
    rec = Record(form="coop_institution", marks=got)
    msgs = [f.message for f in mark_findings(rec)]
    assert len(msgs) == 1 and "recommender_sealed" in msgs[0] and "两枚印章" in msgs[0] and "颜色浅" not in msgs[0]


def _two_blocks(strokes: list[tuple[int, int, int, int]], left_label_x: tuple[int, int] = (253, 403)) -> tuple:
    """signature_ink over two side-by-side blocks split at x = 580 (their 签字 labels on one line, y 214–242),
    the strokes drawn as filled boxes: (clusters, doubt) per block."""
    from types import SimpleNamespace as B

    import cv2
    import numpy as np

    from haizhi.extractors.scan.regions import Region
    from haizhi.extractors.scan.sign_clusters import signature_ink

    h, w = 400, 1200
    binary = np.zeros((h, w), np.uint8)
    for x0, y0, x1, y1 in strokes:
        cv2.rectangle(binary, (x0, y0), (x1, y1), 255, -1)
    regions = [Region("recommender", (0, 0, 580, h), sign_key="recommender_signed",
                      label=B(text="负责人签字：", box=(left_label_x[0], 214, left_label_x[1], 242))),
               Region("institution", (580, 0, w, h), sign_key="institution_signed",
                      label=B(text="负责人签字：", box=(624, 214, 775, 242)))]
    masks = [binary[:, :580].copy(), binary[:, 580:].copy()]
    clusters, doubt, _alien = signature_ink(binary, regions, masks, 28)
    return clusters, doubt


def test_a_signature_begun_after_the_left_label_and_run_over_the_line_is_the_left_heads() -> None:
    # TUNE coop moderate 12354: the recommender's head wrote his name just after his 签字 label, a line above it,
    # running past the line between the blocks; a small piece of it lay apart. "A block is signed once" gave the
    # long part to the institution, which had not signed (read signed, named only by a doubt)
    clusters, doubt = _two_blocks([(300, 300, 360, 320), (460, 150, 680, 200)])  # a piece apart; across x = 580
    assert clusters[1] == [] and len(clusters[0]) == 2 and doubt == [False, False]


def test_a_signature_begun_far_from_the_left_label_stays_a_doubt() -> None:
    # the same strokes begun nine characters after the left label (over the date line, say): either head's
    _clusters, doubt = _two_blocks([(400, 150, 700, 200)], left_label_x=(100, 150))
    assert doubt == [True, True]


def _rows() -> list:
    from haizhi.extractors.scan.regions import Region

    return [Region("city", (250, 1600, 1740, 1910), seal_key="city_sealed"),
            Region("provincial", (250, 1910, 1740, 2220), seal_key="provincial_sealed")]


def test_a_seal_across_two_rows_pressed_on_its_own_rows_lines_only_is_sure() -> None:
    # TUNE base moderate/clean: a city seal as tall as two short opinion rows, pressed over the city's signing
    # and date lines at the foot of its row, reaching into the provincial row below (no print of it under the
    # seal): its block is the city's, surely; with the provincial's label under it too, still a doubt
    from types import SimpleNamespace as B

    from haizhi.extractors.scan.regions import AMBIGUOUS
    from haizhi.extractors.scan.seal_owners import ANCHORED, assign, by_print

    seal = (418, 1734, 717, 2040)
    bits = [B(text="负责人（签字）：", box=(276, 1773, 487, 1800)), B(text="（单位公章）", box=(691, 1773, 830, 1800)),
            B(text="年", box=(476, 1850, 501, 1875)), B(text="日", box=(653, 1850, 673, 1875)),
            B(text="省级科协意见：", box=(800, 1925, 1000, 1952))]
    regs = _rows()
    res = assign([seal], regs)
    assert res[0][0].owner == "city" and res[0][1] < 1 - AMBIGUOUS
    got = by_print([seal], regs, res, bits, AMBIGUOUS)
    assert got[0][0].owner == "city" and got[0][1] == ANCHORED
    bits[-1] = B(text="省级科协意见：", box=(276, 1925, 600, 1952))  # under the seal
    assert by_print([seal], regs, res, bits, AMBIGUOUS) == res


def test_a_ring_read_as_a_development_zones_committee_names_a_plain_organisation() -> None:
    from haizhi.extractors.scan.seal_names import _plain_org

    assert _plain_org("岛市高新区管奏") and _plain_org("市高新区管委")
    assert not _plain_org("高新区科学技术协会")


def test_strokes_begun_after_the_left_label_go_right_when_the_left_head_signed_large_elsewhere() -> None:
    # TUNE coop clean 12322: the recommender signed large above his label; the institution's head wrote below
    # his own label, running left over the line to just after the recommender's label. The left block holds a
    # signature of its own, larger: a block is signed once, the strokes are the institution's (still a doubt)
    clusters, doubt = _two_blocks([(200, 60, 520, 150), (460, 260, 760, 300)])
    assert len(clusters[0]) == 1 and len(clusters[1]) == 1 and doubt == [False, True]


def test_a_name_written_mostly_right_of_the_line_from_just_after_the_left_label_is_not_the_left_heads() -> None:
    # TUNE coop clean 12365: the institution's head wrote 林东丽 large below his label, beginning just after the
    # recommender's label, most of it on his own side: his (read for the recommender, silently, when the place
    # it began decided alone)
    clusters, doubt = _two_blocks([(480, 250, 820, 300)])  # across x = 580: 100 px left, 240 px right
    assert clusters[0] == [] and len(clusters[1]) == 1 and doubt == [True, True]


def _read(tmp_path, form_id: str, seed: int, level: str):  # noqa: ANN001, ANN202
    from haizhi.extractors.scan import marks_for
    from tests.ocr.ocr_helpers import tune_scan

    _s, t, layout = tune_scan(tmp_path, form_id, seed, level)
    return t, marks_for(layout, form_id)


def _right_or_named(t, got, key: str) -> bool:  # noqa: ANN001
    return got[key] is t.marks[key] or key in got.uncertain


def test_a_block_whose_label_was_lost_beside_a_block_with_two_names_is_named(tmp_path) -> None:  # noqa: ANN001
    # TUNE coop heavy 12381: the recommender's 签字 label misread, the split put after the only one read (the
    # institution's, left of its owner label): both heads' names in the recommender's block, the institution
    # "not signed" surely (silent)
    t, got = _read(tmp_path, "coop_institution", 12381, "heavy")
    assert t.marks["institution_signed"] is True
    assert _right_or_named(t, got, "institution_signed") and _right_or_named(t, got, "recommender_signed")


def test_a_right_heads_name_spilling_left_from_the_left_label_is_not_read_for_the_left_silently(tmp_path) -> None:  # noqa: ANN001
    # TUNE coop clean 12365 (see the synthetic case above, on the real scan)
    t, got = _read(tmp_path, "coop_institution", 12365, "clean")
    assert t.marks["recommender_signed"] is False and t.marks["institution_signed"] is True
    assert _right_or_named(t, got, "recommender_signed") and _right_or_named(t, got, "institution_signed")

