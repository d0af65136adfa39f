"""Small synthetic pages for the scan reader tests (drawn with Pillow, no LibreOffice)."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

SERIF = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
DPI = 200


def font(size_pt: float, path: str = SANS) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, int(size_pt * DPI / 72))


def page(w_mm: float = 210, h_mm: float = 297) -> Image.Image:
    return Image.new("RGB", (int(w_mm * DPI / 25.4), int(h_mm * DPI / 25.4)), "white")


def to_bgr(im: Image.Image) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(im.convert("RGB"))[:, :, ::-1])


def draw_table(im: Image.Image, x0: int, y0: int, cols: list[int], rows: list[int],
               cells: dict[tuple[int, int], str], merges: list[tuple[int, int, int, int]] = (),
               size: float = 11) -> list[tuple[int, int, int, int]]:
    """Draw a ruled table; merges = (row, col, rowspan, colspan). Returns the cells' pixel boxes."""
    d = ImageDraw.Draw(im)
    xs = [x0]
    for w in cols:
        xs.append(xs[-1] + w)
    ys = [y0]
    for h in rows:
        ys.append(ys[-1] + h)
    covered: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for r, c, rs, cs in merges:
        for i in range(r, r + rs):
            for j in range(c, c + cs):
                covered[(i, j)] = (r, c, rs, cs)
    boxes = []
    f = font(size)
    for r in range(len(rows)):
        for c in range(len(cols)):
            r0, c0, rs, cs = covered.get((r, c), (r, c, 1, 1))
            if (r0, c0) != (r, c):
                continue
            box = (xs[c0], ys[r0], xs[c0 + cs], ys[r0 + rs])
            d.rectangle(box, outline="black", width=3)
            boxes.append(box)
            text = cells.get((r, c))
            if text:
                d.text((box[0] + 12, (box[1] + box[3]) // 2), text, font=f, fill="black", anchor="lm")
    return boxes


def tune_scan(tmp_path, form_id: str, seed: int, level: str, pages: list[int] | None = None,  # noqa: ANN001, ANN201
              p_mark: float = 0.85):
    """A TUNE return of the independent family scanned as bench_scans_independent scans it (same layout family,
    seed and seal names): (its sample, the scan with its true marks, the scan's layout). pages: only these pages
    are read; p_mark: the scan maker's chance of each seal and signature."""
    from pathlib import Path

    from haizhi.extractors.layout import Layout
    from haizhi.extractors.scan import read_scan
    from tests.independent import family as fam
    from tests.independent.scanmaker import make_scan

    s = fam.build_family(tmp_path / "fam", seed=seed % 1000, n=1, forms=(form_id,),
                         families=(fam.FAMILIES[seed % len(fam.FAMILIES)],))[0]
    f = s.truth.fields
    names = {"recommender": str(f.get("recommender") or "推荐单位"), "institution": str(f.get("name_cn") or "机构"),
             "applicant": str(f.get("applicant") or "申报单位"), "city": "市科学技术协会", "provincial": "省科学技术协会",
             "institution_signer": str(f.get("head_name") or "李明"), "head_signer": str(f.get("head_name") or "王伟")}
    t = make_scan(Path(s.pdf), form_id, tmp_path, level="heavy" if level == "photo" else level, seed=seed,
                  photo=level == "photo", names=names, p_mark=p_mark)
    layout, _ = read_scan(t.path, pages)
    return s, t, Layout(pages=layout.pages, file=str(t.path))
