"""Scans made by the independent scan maker (tests/independent/scanmaker.py), not by pipeline/simulate.

Seals and signatures are placed in each way people place them (issue 11, "What failed" 6), and
chosen options are ticked in other glyphs or by hand (5). Only the pages that matter are read
(OCR is slow): the signing page(s) for marks, the first pages for choices.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from haizhi.extractors.layout import Layout, Line
from haizhi.extractors.mapper import map_layout
from haizhi.extractors.scan import confidence_findings, marks_for, read_scan
from haizhi.extractors.scan.confidence import mark_findings
from haizhi.extractors.scan.mark_keys import MarkResult
from haizhi.extractors.scan.regions import Region, attribute
from haizhi.pipeline.core.record import Record, load_record
from tests.independent.scanmaker import SEAL_WAYS, find_blocks, make_scan

ROOT = Path(__file__).resolve().parents[2]
COOP, BASE = "coop_institution", "base_application"


@pytest.fixture(scope="module")
def records() -> dict[str, Record]:
    return {COOP: load_record(ROOT / "fixtures" / "records" / "coop_example.json"),
            BASE: load_record(ROOT / "fixtures" / "records" / "base_example.json")}


@pytest.fixture(scope="module")
def pdfs(records, tmp_path_factory) -> dict[str, Path]:
    """The filled forms as PDFs (the office's pre-filled forms; the scan maker takes any filled PDF)."""
    from haizhi.pipeline.core.config import load_year
    from haizhi.pipeline.simulate.source import form_pdf

    d = tmp_path_factory.mktemp("indep-forms")
    out = {}
    for form, rec in records.items():
        out[form] = d / f"{form}.pdf"
        out[form].write_bytes(form_pdf(rec, load_year(2026)))
    return out


def _names(rec: Record) -> dict[str, str]:
    f = rec.fields
    return {"recommender": str(f.get("recommender") or "推荐单位"), "institution": str(f.get("name_cn") or "机构"),
            "applicant": str(f.get("applicant") or "申报单位"), "city": "市科学技术协会", "provincial": "省科学技术协会"}


def test_scanmaker_is_independent_of_the_simulator() -> None:
    for name in ("scanmaker.py", "scan_ink.py"):
        src = (ROOT / "tests" / "independent" / name).read_text(encoding="utf-8")
        assert "simulate" not in src.replace("simulate/", "").split('"""', 2)[2]  # no import, no call
        assert "templates" not in src.split('"""', 2)[2]


@pytest.mark.parametrize("way", SEAL_WAYS)
def test_scanmaker_truth_follows_the_overlap_rule(pdfs, records, tmp_path, way) -> None:
    """Wherever a seal is pressed, the block it overlaps most is the block the truth names."""
    t = make_scan(pdfs[BASE], BASE, tmp_path, level="clean", seed=3, p_mark=1.0, ways={"seal": way},
                  names=_names(records[BASE]), pages=[5, 6])
    blocks = [b for b in find_blocks(pdfs[BASE], BASE) if b.kind == "seal" and b.key]
    seals = [p for p in t.placed if p["kind"] == "seal"]
    assert {p["key"] for p in seals} == {"applicant_sealed", "city_sealed", "provincial_sealed"}
    assert all(p["way"] == way for p in seals)
    for p in seals:
        box = p["box"]
        ov = {b.key: max(0, min(box[2], b.region[2]) - max(box[0], b.region[0]))
              * max(0, min(box[3], b.region[3]) - max(box[1], b.region[1])) for b in blocks if b.page == p["page"]}
        assert max(ov, key=ov.get) == p["key"], (way, p, ov)
    assert t.marks == {"head_signed": True, "applicant_sealed": True, "city_sealed": True, "provincial_sealed": True}


def test_attribute_by_overlap_and_ambiguity() -> None:
    a = Region("city", (0, 0, 1000, 300), seal_key="city_sealed")
    b = Region("provincial", (0, 300, 1000, 600), seal_key="provincial_sealed")
    r, sure = attribute((400, 200, 600, 400 + 60), [a, b])  # more of it in the row below
    assert r is b and 0 < sure < 0.5
    r, sure = attribute((400, 20, 600, 220), [a, b])
    assert r is a and sure == 1.0
    r, _ = attribute((400, 700, 600, 900), [a, b])
    assert r is None


def test_uncertain_and_unfound_marks_get_findings() -> None:
    marks = MarkResult({"head_signed": True, "applicant_sealed": None, "city_sealed": False,
                        "provincial_sealed": True})
    marks.uncertain["provincial_sealed"] = (6, (100.0, 200.0, 220.0, 320.0), 0.55)
    found = mark_findings(Record(form=BASE, marks=marks))
    text = " ".join(f.message for f in found)
    assert "applicant_sealed" in text and "provincial_sealed" in text and "第 6 页" in text
    assert "head_signed" not in text and "city_sealed" not in text


def _read(path: Path, pages: list[int] | None) -> tuple[Layout, list]:
    layout, findings = read_scan(path, pages)
    return layout, findings


# seal way, signature way, ink, size — every way of "What failed" 6 at least once
COOP_CASES = [("overlap", "below", "blue", "small"), ("label_column", "date", "black", "large"),
              ("half_outside", "seal", "blue-black", "large"), ("date", "above", "black", "small")]


@pytest.mark.parametrize("seal_way,sign_way,ink,size", COOP_CASES)
def test_coop_marks_placed_as_people_place_them(pdfs, records, tmp_path, seal_way, sign_way, ink, size) -> None:
    t = make_scan(pdfs[COOP], COOP, tmp_path, level="moderate", seed=7, p_mark=1.0, names=_names(records[COOP]),
                  ways={"seal": seal_way, "signature": sign_way, "ink": ink, "size": size}, pages=[3])
    layout, _ = _read(t.path, None)
    got = marks_for(layout, COOP)
    assert got == t.marks, (t.placed, got)


def test_coop_blocks_left_blank_read_as_absent(pdfs, records, tmp_path) -> None:
    t = make_scan(pdfs[COOP], COOP, tmp_path, level="moderate", seed=8, p_mark=0.0, pages=[3])
    layout, _ = _read(t.path, None)
    assert marks_for(layout, COOP) == dict.fromkeys(t.marks, False)


BASE_CASES = [("label_column", "below", "blue", "large"), ("overlap", "date", "black", "small")]


@pytest.mark.parametrize("seal_way,sign_way,ink,size", BASE_CASES)
def test_base_marks_placed_as_people_place_them(pdfs, records, tmp_path, seal_way, sign_way, ink, size) -> None:
    t = make_scan(pdfs[BASE], BASE, tmp_path, level="moderate", seed=9, p_mark=1.0, names=_names(records[BASE]),
                  ways={"seal": seal_way, "signature": sign_way, "ink": ink, "size": size}, pages=[5, 6])
    layout, _ = _read(t.path, None)
    got = marks_for(layout, BASE)
    assert got == t.marks, (t.placed, got)


CHOICES = {COOP: ("institution_nature", "overseas", "services", "institution_types")}


@pytest.mark.parametrize("tick", ["box_cross", "check", "filled", "box_fill"])
def test_choices_ticked_in_other_glyphs_and_by_hand(pdfs, records, tmp_path, tick) -> None:
    form = COOP  # 基地类型 is written, not ticked, on the base form
    pages = [1, 2]
    t = make_scan(pdfs[form], form, tmp_path, level="moderate", seed=11, hand_ticks=1.0, ways={"tick": tick},
                  pages=pages)
    assert t.ticks and all(x["way"] == tick for x in t.ticks)
    layout, _ = _read(t.path, None)
    rec = map_layout(layout, form)
    flagged = {f.field for f in rec.findings + confidence_findings(rec)}
    for key in CHOICES[form]:
        if key not in records[form].fields:
            continue
        truth = records[form].fields[key]
        # right, or else named by a finding (never silently wrong)
        assert rec.fields.get(key) == truth or key in flagged, (key, truth, rec.fields.get(key))
        if tick != "box_cross":  # a cross running into the next option's text is not always read yet
            assert rec.fields.get(key) == truth, (tick, key, truth, rec.fields.get(key))


def test_second_label_glued_to_a_value_gets_its_gap_back() -> None:
    from haizhi.extractors.scan.line_join import unglue as _unglue

    assert _unglue("推荐单位：福建省科学技术协会被推荐机构：青岛星桥") == "推荐单位：福建省科学技术协会    被推荐机构：青岛星桥"
    assert _unglue("机构名称（中文）：深圳湾") == "机构名称（中文）：深圳湾"


def test_photographed_signing_page(pdfs, records, tmp_path) -> None:
    """A phone photo (perspective, shadow, a table edge around the sheet) is not turned upside down."""
    t = make_scan(pdfs[COOP], COOP, tmp_path, level="heavy", seed=12, photo=True, p_mark=1.0,
                  names=_names(records[COOP]), pages=[3])
    layout, findings = _read(t.path, None)
    assert not any(f.rule == "scan.foreign_page" for f in findings)
    assert marks_for(layout, COOP) == t.marks


def test_seal_on_a_page_starting_with_the_rest_of_the_last_block_is_that_blocks() -> None:
    from haizhi.extractors.layout import Mark, Page
    from haizhi.extractors.scan.mark_keys import marks_for as marks_of

    p5 = Page(number=5, width=620, height=798, method="ocr", lines=[Line("八、单位意见", bbox=(94, 551, 156, 561))])
    p5.marks = [Mark(kind="seal", checked=True, label="applicant_sealed", bbox=(456, 557, 565, 673), confidence=1.0),
                Mark(kind="seal", checked=False, label="city_sealed", bbox=(88, 637, 620, 698), confidence=0.8),
                Mark(kind="seal", checked=False, label="provincial_sealed", bbox=(88, 698, 620, 729), confidence=0.8)]
    p6 = Page(number=6, width=620, height=798, method="ocr", lines=[Line("负责人（签字）：", bbox=(96, 76, 172, 87))])
    p6.marks = [Mark(kind="seal", checked=True, label=None, bbox=(100, 59, 202, 168), confidence=0.85)]
    got = marks_of(Layout(pages=[p5, p6]), BASE)
    # the provincial row, the page's last, holds no signing lines there (cut): its rest and seal are on page 6,
    # beside its 负责人（签字） line, the only block going on: sure (marks14; was named for a check)
    assert got["provincial_sealed"] is True and "provincial_sealed" not in got.uncertain
    assert got["city_sealed"] is False


def test_scanmaker_names_opinion_rows_by_their_label_when_a_seal_label_is_cut_by_the_page_break(tmp_path) -> None:
    """TUNE .doc base return 691: the city row's （单位公 / 章） wraps over the page break, so only two seal labels
    are found; named by order, the provincial row's was called the city's and the truth said the provincial row
    (which holds a seal) had none. The row's label cell names the owner."""
    from tests.independent import family as fam

    fam.build_family(tmp_path, seed=691, n=1, forms=(BASE,), families=("doc",))
    pdf = next(tmp_path.rglob("base_doc_*.pdf"))
    seals = {b.page: b.key for b in find_blocks(pdf, BASE) if b.kind == "seal"}
    assert "city_sealed" not in seals.values()
    assert seals[max(seals)] == "provincial_sealed" and seals[min(seals)] == "applicant_sealed"
