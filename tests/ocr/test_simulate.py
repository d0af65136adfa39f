"""The scan simulator: hand-drawn ticks in printed boxes, foreign pages, shuffling, determinism, CLI."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from haizhi.pipeline.core.fields import form_spec
from haizhi.pipeline.core.record import Record, load_record
from haizhi.pipeline.simulate import LEVELS, SimResult, simulate_scan
from haizhi.pipeline.simulate.extra import KINDS, letter_text
from haizhi.pipeline.simulate.source import find_glyphs, form_pdf
from haizhi.pipeline.simulate.ticks import CHECKED, EMPTY, hand_tick_page, print_empty_box

RECORD = Path(__file__).resolve().parents[2] / "fixtures" / "records" / "coop_example.json"


@pytest.fixture(scope="module")
def rec() -> Record:
    return load_record(RECORD)


@pytest.fixture(scope="module")
def cfg():
    from haizhi.pipeline.core.config import load_year

    return load_year(2026)


@pytest.fixture(scope="module")
def pdf(rec, cfg) -> bytes:
    return form_pdf(rec, cfg)


@pytest.fixture(scope="module")
def mixed(rec, cfg, tmp_path_factory) -> SimResult:
    """Every chosen option hand-ticked, three foreign pages, shuffled."""
    return simulate_scan(rec, "clean", tmp_path_factory.mktemp("mixed"), cfg, fmt="jpeg", seed=7, shuffle=True,
                         hand_ticks=1.0, extra_pages=3)


def _render(pdf: bytes, page: int, dpi: int) -> Image.Image:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return doc[page - 1].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        doc.close()


def _gray(im: Image.Image) -> np.ndarray:
    return np.asarray(im.convert("L"), dtype=np.int16)


# hand ticks on the rendered page ---------------------------------------------------------------------------


def test_printed_check_becomes_an_empty_box_like_the_forms_own(pdf) -> None:
    dpi = 200
    glyphs = find_glyphs(pdf, CHECKED + EMPTY)
    checks = [g for g in glyphs if g.text == CHECKED]
    assert checks, "the example record has chosen options"
    g = checks[0]
    empty = next(e for e in glyphs if e.text == EMPTY and e.page == g.page)
    page = _render(pdf, g.page, dpi)
    before = _gray(page)
    x0, y0, x1, y1 = print_empty_box(page, g, dpi)
    after = _gray(page)
    # the ☑'s check stroke is gone: the inside of the box is white again, and it was not before
    assert before[y0 + 3:y1 - 2, x0 + 3:x1 - 2].min() < 100
    assert after[y0 + 3:y1 - 2, x0 + 3:x1 - 2].min() > 200
    # a printed outline on all four sides
    for side in (after[y0:y1 + 1, x0 - 1:x0 + 2].min(axis=1), after[y0:y1 + 1, x1 - 1:x1 + 2].min(axis=1),
                 after[y0 - 1:y0 + 2, x0:x1 + 1].min(axis=0), after[y1 - 1:y1 + 2, x0:x1 + 1].min(axis=0)):
        assert (side < 200).mean() > 0.8
    # the same size as a printed □ of the form
    s = dpi / 72
    ex0, ey0, ex1, ey1 = (int(round(v * s)) for v in empty.box)
    ys, xs = np.nonzero(after[ey0:ey1 + 1, ex0:ex1] < 160)
    assert abs((xs.max() - xs.min()) - (x1 - x0)) <= 2 and abs((ys.max() - ys.min()) - (y1 - y0)) <= 2


def test_hand_ticks_sit_in_their_boxes(pdf) -> None:
    dpi = 150
    checks = find_glyphs(pdf, CHECKED)
    pno = max({g.page for g in checks}, key=lambda p: sum(g.page == p for g in checks))
    mine = [g for g in checks if g.page == pno]
    page = _render(pdf, pno, dpi)
    ticks = hand_tick_page(page, mine, dpi, random.Random(3), 1.0)
    assert len(ticks) == len(mine) > 1
    assert {t.page for t in ticks} == {pno}
    a = np.asarray(page, dtype=np.int16)
    ref = np.asarray(_render(pdf, pno, dpi), dtype=np.int16)
    pen = (ref - a).max(axis=2) > 40  # ink added to the page
    s = dpi / 72
    near = np.zeros(pen.shape, dtype=bool)
    for t in ticks:
        x0, y0, x1, y1 = (int(round(v * s)) for v in t.box)
        side = x1 - x0
        inside = pen[y0 + 2:y1 - 1, x0 + 2:x1 - 1]
        assert inside.sum() >= side, t  # a visible stroke inside the box, not just the outline
        m = int(side * 0.35)
        near[y0 - side:y1 + side, x0 - side:x1 + side] = True
        # most of this mark's ink is in the box or just around it
        wide = pen[y0 - side:y1 + side, x0 - side:x1 + side].sum()
        assert pen[y0 - m:y1 + m, x0 - m:x1 + m].sum() >= 0.75 * wide, t
    # nothing changed away from the boxes (an overshooting arm stays within one box side)
    changed = np.abs(a - ref).max(axis=2) > 30
    assert changed[near].sum() > 0 and changed[~near].sum() == 0


def test_no_share_no_ticks(pdf) -> None:
    checks = find_glyphs(pdf, CHECKED)
    page = _render(pdf, checks[0].page, 100)
    ref = page.copy()
    assert hand_tick_page(page, checks, 100, random.Random(1), 0.0) == []
    assert np.array_equal(np.asarray(page), np.asarray(ref))


# whole scans -----------------------------------------------------------------------------------------------


def test_marks_json_counts_hand_ticks(mixed, pdf) -> None:
    truth = json.loads(mixed.truth_marks.read_text(encoding="utf-8"))
    n = len(find_glyphs(pdf, CHECKED))
    assert truth["hand_ticks"] == len(mixed.hand_ticks) == len(truth["hand_tick_boxes"]) == n > 0
    assert {b["kind"] for b in truth["hand_tick_boxes"]} <= {"check", "cross"}
    # the truth record still says the options are chosen
    fields = json.loads(mixed.truth_record.read_text(encoding="utf-8"))["fields"]
    assert fields["institution_types"] and fields["services"]


def test_extra_pages_are_in_the_scan_and_marked(mixed, pdf) -> None:
    import pypdfium2 as pdfium

    n_form = len(pdfium.PdfDocument(pdf))
    truth = json.loads(mixed.truth_marks.read_text(encoding="utf-8"))
    order = truth["page_order"]
    assert order == mixed.page_order and len(order) == len(mixed.pages) == n_form + 3
    assert order.count(0) == 3 and sorted(k for k in order if k) == list(range(1, n_form + 1))
    assert len(truth["turns"]) == len(order)
    extras = truth["extra_pages"]
    assert [e["page"] for e in extras] == [n for n, k in enumerate(order, start=1) if k == 0]
    assert [e["kind"] for e in extras] == mixed.extra_kinds and sorted(mixed.extra_kinds) == sorted(KINDS)
    for e in extras:
        a = np.asarray(Image.open(mixed.pages[e["page"] - 1]).convert("RGB"), dtype=np.int16)
        gray = a.mean(axis=2)
        dark = (gray < 128).mean()
        colour = (a.max(axis=2) - a.min(axis=2) > 30).mean()
        if e["kind"] == "photo":
            assert colour > 0.5, colour
        elif e["kind"] == "blank":
            assert dark < 0.001 and colour < 0.01, (dark, colour)
        else:  # letter: typed text, no ruled table
            assert 0.005 < dark < 0.2 and colour < 0.01, (dark, colour)
            assert ((gray < 128).mean(axis=1) < 0.5).all()
    # the form pages are the same size as the foreign ones (± skew)
    sizes = [Image.open(p).size for p in mixed.pages]
    assert max(w for w, _ in sizes) - min(w for w, _ in sizes) < 0.03 * sizes[0][0]


def test_shuffle_with_extra_pages_keeps_the_form_pages(mixed, rec, cfg, tmp_path) -> None:
    plain = simulate_scan(rec, "clean", tmp_path, cfg, fmt="jpeg", seed=7, shuffle=True, hand_ticks=1.0)
    assert plain.page_order == [k for k in mixed.page_order if k]
    assert plain.page_order != sorted(plain.page_order)  # seed 7 does shuffle
    form_pages = [p for p, k in zip(mixed.pages, mixed.page_order, strict=True) if k]
    assert [p.read_bytes() for p in plain.pages] == [p.read_bytes() for p in form_pages]
    assert json.loads(plain.truth_marks.read_text(encoding="utf-8"))["extra_pages"] == []


def test_deterministic_per_seed(mixed, rec, cfg, tmp_path) -> None:
    again = simulate_scan(rec, "clean", tmp_path / "a", cfg, fmt="jpeg", seed=7, shuffle=True, hand_ticks=1.0,
                          extra_pages=3)
    assert [p.read_bytes() for p in again.pages] == [p.read_bytes() for p in mixed.pages]
    assert again.truth_marks.read_text(encoding="utf-8") == mixed.truth_marks.read_text(encoding="utf-8")
    other = simulate_scan(rec, "clean", tmp_path / "b", cfg, fmt="jpeg", seed=8, shuffle=True, hand_ticks=1.0,
                          extra_pages=3)
    assert [p.read_bytes() for p in other.pages] != [p.read_bytes() for p in mixed.pages]


def test_level_default_share_and_validation(rec, cfg, tmp_path) -> None:
    assert [LEVELS[k].hand_ticks for k in ("clean", "moderate", "heavy")] == [0.3, 0.4, 0.5]
    default = simulate_scan(rec, "clean", tmp_path / "d", cfg, fmt="jpeg", seed=2)
    explicit = simulate_scan(rec, "clean", tmp_path / "e", cfg, fmt="jpeg", seed=2, hand_ticks=0.3)
    none = simulate_scan(rec, "clean", tmp_path / "n", cfg, fmt="jpeg", seed=2, hand_ticks=0.0)
    assert [p.read_bytes() for p in default.pages] == [p.read_bytes() for p in explicit.pages]
    assert [t.to_json() for t in default.hand_ticks] == [t.to_json() for t in explicit.hand_ticks]
    assert none.hand_ticks == [] and json.loads(none.truth_marks.read_text(encoding="utf-8"))["hand_ticks"] == 0
    assert [p.read_bytes() for p in none.pages] != [p.read_bytes() for p in default.pages]
    assert default.page_order == sorted(default.page_order) and 0 not in default.page_order
    with pytest.raises(ValueError, match="手写勾选比例"):
        simulate_scan(rec, "clean", tmp_path, cfg, hand_ticks=1.5)
    with pytest.raises(ValueError, match="非本表页面数"):
        simulate_scan(rec, "clean", tmp_path, cfg, extra_pages=-1)


def test_cover_letter_has_no_form_labels() -> None:
    labels = set()
    for form in ("coop_institution", "base_application"):
        for f in form_spec(form).fields:
            labels |= {f.label, f.group or ""}
    words = {re.sub(r"^[0-9一二三四五六七八九十]+[.、]|（.*?）", "", w) for w in labels} - {""}
    words |= {"联系电话", "机构名称", "签字", "公章", "盖章"}
    for seed in range(30):
        title, greeting, paras, closing, date = letter_text(random.Random(seed))
        text = title + greeting + "".join(paras) + closing + date
        assert len(paras) >= 3 and len(text) > 150
        assert not [w for w in words if w in text], seed


# the CLI ---------------------------------------------------------------------------------------------------


def test_simulate_scan_cli_extra_pages(tmp_path) -> None:
    from haizhi.pipeline.cli import cli

    r = CliRunner().invoke(cli, ["simulate-scan", str(RECORD), "--level", "clean", "--out", str(tmp_path),
                                 "--format", "jpeg", "--seed", "4", "--year", "2026", "--extra-pages", "2",
                                 "--hand-ticks", "1"])
    assert r.exit_code == 0, r.output
    assert "非本表页面 2 页" in r.output and "手写打勾" in r.output
    marks = json.loads((tmp_path / "coop_example-clean-4.marks.json").read_text(encoding="utf-8"))
    assert marks["page_order"].count(0) == 2 and marks["hand_ticks"] > 0
    assert len(sorted(tmp_path.glob("coop_example-clean-4-p*.jpg"))) == len(marks["page_order"])
    for n in (e["page"] for e in marks["extra_pages"]):
        assert f"第 {n} 页" in r.output
    bad = CliRunner().invoke(cli, ["simulate-scan", str(RECORD), "--level", "clean", "--out", str(tmp_path),
                                   "--extra-pages", "-1"])
    assert bad.exit_code != 0 and not (tmp_path / "coop_example-clean-0.marks.json").exists()
