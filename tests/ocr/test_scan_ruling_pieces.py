"""A faint table's border, the table not found, crossing the lines outside tables: its pieces are no text
(TUNE base heavy 12070: each piece read as 1, one joined to 工作基础 as 二十家。1组织…, silently)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import ImageDraw

from haizhi.extractors.scan import read_scan
from haizhi.extractors.scan.reader import _ruling_piece
from tests.ocr.ocr_helpers import DPI, font, page

MM = DPI / 25.4
LINES = ["依托地方产业基础聚焦生物医药和集成电路。", "围绕海外科技人才引进与服务开展工作。", "力争培育高新技术企业二十家。",
         "组织国际创新创业大赛及项目路演活动。", "建设海外离岸创新中心两处。"]


def test_pieces_of_a_border_beside_the_lines_are_not_read_as_ones(tmp_path: Path) -> None:
    im = page(150, 80)
    d = ImageDraw.Draw(im)
    f = font(11)
    for i, text in enumerate(LINES):
        d.text((int(10 * MM), int((10 + 12 * i) * MM)), text, fill="black", font=f)
    x = int(135 * MM)  # the right border of a table whose other rulings were too faint to find: broken pieces
    for y in range(int(8 * MM), int(70 * MM), int(7 * MM)):
        d.line([(x, y), (x, y + int(5 * MM))], fill=(90, 90, 90), width=2)
    path = tmp_path / "p.png"
    im.save(path, dpi=(DPI, DPI))
    layout, _ = read_scan(path)
    texts = [ln.text.strip() for p in layout.pages for ln in p.lines]
    assert not [t for t in texts if t in {"1", "l", "I", "|", "丨"}], texts
    assert any("二十家。" in t for t in texts) and not any(t.endswith(("1", "|")) for t in texts), texts


def test_a_digit_one_of_type_is_not_a_ruling_piece() -> None:
    im = page(20, 10)
    ImageDraw.Draw(im).text((int(5 * MM), int(1 * MM)), "1", fill="black", font=font(11))
    ink = (np.asarray(im.convert("L")) < 128).astype(np.uint8) * 255
    rows = np.nonzero(ink.any(axis=1))[0]
    band = ink[max(0, rows[0] - 3):rows[-1] + 4]
    assert not _ruling_piece(band)
    stroke = np.zeros((30, 12), np.uint8)
    stroke[:, 5:8] = 255
    assert _ruling_piece(stroke)
