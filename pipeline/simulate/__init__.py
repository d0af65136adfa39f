"""Scan simulator: a pre-filled form, signed, stamped, printed and scanned badly.

    simulate_scan(record, level, out_dir, fmt="pdf", seed=0) -> SimResult

record → render_form (DOCX) → PDF (warm converter) → pages at 150–300 dpi →
a share of the printed ☑ turned into a printed □ with a hand-drawn tick →
red seals over the seal blocks, handwritten signatures on the signature
blocks → skew, noise, blur, JPEG, uneven light (per level) → optionally
shuffled and mixed with foreign pages (a cover letter, a photo, a blank sheet)
→ a PDF of images or JPEG pages, plus the truth record JSON and the truth
marks JSON. Deterministic for a given seed; hand ticks and foreign pages draw
from their own random streams, so with both off the pages are the same as
without them.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from haizhi.pipeline.core.config import YearConfig
from haizhi.pipeline.core.fields import BASE, form_spec
from haizhi.pipeline.core.record import Record
from haizhi.pipeline.simulate.degrade import LEVELS, degrade, level
from haizhi.pipeline.simulate.extra import KINDS, foreign_kinds, foreign_page
from haizhi.pipeline.simulate.source import Block, find_blocks, find_glyphs, form_pdf
from haizhi.pipeline.simulate.stamps import draw_seal, draw_signature, multiply
from haizhi.pipeline.simulate.ticks import CHECKED, HandTick, hand_tick_page

FORMATS = ("pdf", "jpeg")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰晓燕鹏飞宇浩然欣怡子涵梓轩思远博文嘉怡雨萱"


@dataclass
class SimResult:
    pages: list[Path]  # the scan file(s): one PDF, or one JPEG per page
    truth_record: Path
    truth_marks: Path
    marks: dict[str, bool] = field(default_factory=dict)
    turns: list[int] = field(default_factory=list)
    dpi: int = 200
    page_order: list[int] = field(default_factory=list)  # per scanned page: its form page (1-based), 0 = foreign
    extra_kinds: list[str] = field(default_factory=list)  # per foreign page, in scan order: letter | photo | blank
    hand_ticks: list[HandTick] = field(default_factory=list)  # chosen options ticked by hand


def person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def _place(record: Record, key: str) -> str:
    """Seal text for a mark key."""
    f = record.fields
    if record.form == BASE:
        addr = str(f.get("address") or f.get("applicant") or "")
        prov = re.match(r"(.{2,3}?(?:省|自治区|市))", addr)
        city = re.search(r"(?:省|自治区)(.{2,4}?市)", addr)
        p = prov.group(1) if prov else "广东省"
        c = city.group(1) if city else p
        return {"applicant_sealed": str(f.get("applicant") or "申报单位"),
                "city_sealed": f"{c}科学技术协会",
                "provincial_sealed": f"{p}科学技术协会"}.get(key, "科学技术协会")
    return {"recommender_sealed": str(f.get("recommender") or "推荐单位"),
            "institution_sealed": str(f.get("name_cn") or "被推荐机构")}.get(key, "单位")


def _signer(record: Record, key: str | None, rng: random.Random) -> str:
    f = record.fields
    if key in ("institution_signed", "head_signed"):
        return str(f.get("head_name") or f.get("legal_representative") or person(rng))
    return person(rng)


def _stamp(page: Image.Image, blk: Block, record: Record, dpi: int, rng: random.Random, faint: float) -> None:
    s = dpi / 72
    x0, y0, x1, y1 = (v * s for v in blk.box)
    mm = dpi / 25.4
    if blk.kind == "seal":
        seal = draw_seal(_place(record, blk.key or ""), dpi, rng, rng.choice((40.0, 42.0)), faint=faint * rng.random())
        cx = (x0 + x1) / 2 + rng.uniform(-6, 6) * mm
        cy = (y0 + y1) / 2 + rng.uniform(-6, 4) * mm
        multiply(page, seal, (int(cx - seal.width / 2), int(cy - seal.height / 2)))
    else:
        sig = draw_signature(_signer(record, blk.key, rng), dpi, rng, rng.uniform(6.5, 9.0))
        if page.width - 25 * mm - x1 >= 30 * mm:  # room after the label: sign there
            x = x1 + rng.uniform(1, 5) * mm
            cy = (y0 + y1) / 2 + rng.uniform(-2, 1.5) * mm
        else:  # the label ends at the margin: sign just above it
            x = x1 - sig.width + rng.uniform(-3, 2) * mm
            cy = y0 - rng.uniform(0.45, 0.7) * sig.height
        multiply(page, sig, (int(x), int(cy - sig.height / 2)))


def simulate_scan(record: Record, level_name: str, out_dir: Path, cfg: YearConfig, fmt: str = "pdf",
                  seed: int = 0, p_mark: float = 0.85, shuffle: bool = False, stem: str | None = None,
                  hand_ticks: float | None = None, extra_pages: int = 0, pdf: bytes | None = None,
                  seals_at: list[tuple[int, tuple[float, float, float, float]]] | None = None) -> SimResult:
    """Write a simulated scan of `record` and its truth files into out_dir.

    hand_ticks: share of the printed ☑ drawn as a hand tick in a printed □ (None: the level's default).
    extra_pages: foreign pages (cover letter, photo, blank sheet) inserted at random places.
    pdf: the printed form (e.g. with codes) instead of render_form's own conversion.
    seals_at: extra seals, (page, box in points), e.g. over the printed codes.
    """
    import pypdfium2 as pdfium

    lv = level(level_name)
    if fmt not in FORMATS:
        raise ValueError(f"未知的输出格式：{fmt}（应为 {' / '.join(FORMATS)}）")
    share = lv.hand_ticks if hand_ticks is None else hand_ticks
    if not 0 <= share <= 1:
        raise ValueError(f"手写勾选比例应在 0 到 1 之间：{share}")
    if extra_pages < 0:
        raise ValueError(f"非本表页面数不能为负数：{extra_pages}")
    rng = random.Random(f"{seed}:{level_name}:{record.form}")
    tick_rng = random.Random(f"{seed}:{level_name}:{record.form}:ticks")
    extra_rng = random.Random(f"{seed}:{level_name}:{record.form}:extra")
    dpi = rng.randint(*lv.dpi)
    pdf = pdf if pdf is not None else form_pdf(record, cfg)
    blocks = find_blocks(pdf, record.form) + [Block(pg, box, "extra_seal", "seal") for pg, box in seals_at or []]
    checks = find_glyphs(pdf, CHECKED) if share > 0 else []
    spec = form_spec(record.form)
    present = {k: rng.random() < p_mark for k in spec.mark_keys}
    doc = pdfium.PdfDocument(pdf)
    pages: list[Image.Image] = []
    turns: list[int] = []
    ticks: list[HandTick] = []
    try:
        for i in range(len(doc)):
            im = doc[i].render(scale=dpi / 72).to_pil().convert("RGB")
            ticks += hand_tick_page(im, [g for g in checks if g.page == i + 1], dpi, tick_rng, share)
            for blk in blocks:
                if blk.page == i + 1 and (present.get(blk.key, True) if blk.key else rng.random() < 0.7):
                    _stamp(im, blk, record, dpi, rng, lv.faint_seal)
            im, t = degrade(im, lv, rng, dpi)
            pages.append(im)
            turns.append(t)
    finally:
        doc.close()
    n_form = len(pages)
    order = list(range(n_form))
    if shuffle:
        rng.shuffle(order)
    kinds = foreign_kinds(extra_pages, extra_rng)
    size = _page_size(pdf, dpi) if kinds else (0, 0)
    for kind in kinds:
        im, t = degrade(foreign_page(kind, size, dpi, extra_rng), lv, extra_rng, dpi)
        order.insert(extra_rng.randint(0, len(order)), len(pages))
        pages.append(im)
        turns.append(t)
    page_order = [k + 1 if k < n_form else 0 for k in order]
    extra_kinds = [kinds[k - n_form] for k in order if k >= n_form]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = stem or f"{record.form}-{level_name}-{seed}"
    files: list[Path] = []
    if fmt == "pdf":
        p = out_dir / f"{stem}.pdf"
        ims = [pages[k] for k in order]
        ims[0].save(p, "PDF", save_all=True, append_images=ims[1:], resolution=float(dpi), quality=90)
        files.append(p)
    else:
        for n, k in enumerate(order, start=1):
            p = out_dir / f"{stem}-p{n:02d}.jpg"
            pages[k].save(p, "JPEG", quality=92, dpi=(dpi, dpi))
            files.append(p)
    truth = Record(form=record.form, fields=dict(record.fields), marks=dict(present))
    rec_path = out_dir / f"{stem}.truth.json"
    rec_path.write_text(truth.to_json(), encoding="utf-8")
    marks_path = out_dir / f"{stem}.marks.json"
    scan_turns = [turns[k] for k in order]
    marks_path.write_text(json.dumps({"form": record.form, "level": level_name, "seed": seed, "dpi": dpi,
                                      "marks": present, "turns": scan_turns, "page_order": page_order,
                                      "extra_pages": [{"page": n, "kind": kinds[k - n_form]}
                                                      for n, k in enumerate(order, start=1) if k >= n_form],
                                      "hand_ticks": len(ticks),
                                      "hand_tick_boxes": [t.to_json() for t in ticks]},
                                     ensure_ascii=False, indent=2),
                          encoding="utf-8")
    return SimResult(files, rec_path, marks_path, present, scan_turns, dpi, page_order, extra_kinds, ticks)


def _page_size(pdf: bytes, dpi: int) -> tuple[int, int]:
    """Pixel size of the form's first page at dpi, as pdfium renders it (the foreign pages match it)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        w, h = doc[0].get_size()
    finally:
        doc.close()
    return round(w * dpi / 72), round(h * dpi / 72)


__all__ = ["FORMATS", "KINDS", "LEVELS", "SimResult", "simulate_scan"]
