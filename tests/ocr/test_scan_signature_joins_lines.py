"""A signature 6 mm high joins an opinion's line to the 负责人（签字） line below it (TUNE base photo 10600):
read as one band, the opinion was taken for the signing line's and dropped, silently. The band is cut
into its two lines of print without the blobs a good deal taller than a character."""

from __future__ import annotations

from pathlib import Path

import cv2

from haizhi.extractors.scan.cells import split_lines
from haizhi.extractors.scan.engines import get_engine
from haizhi.extractors.scan.ink import binarize

DATA = Path(__file__).parent / "data"
MIN_H = 11  # 4 pt at 200 dpi, as the reader has it


def _cell():
    return cv2.imread(str(DATA / "lead_signature_joins_lines_photo_10600.png"), cv2.IMREAD_GRAYSCALE)


def test_signature_bridging_two_lines_is_cut_between_them() -> None:
    gray = _cell()
    lines = split_lines(binarize(gray), MIN_H)
    assert len(lines) == 4, lines  # 同意推荐。 / 负责人（签字）… / 章） / the date
    y0, y1 = lines[0]
    assert y1 - y0 < 3 * MIN_H  # one line of type, not two


def test_the_opinion_line_reads_alone() -> None:
    gray = _cell()
    y0, y1 = split_lines(binarize(gray), MIN_H)[0]
    text, _ = get_engine("rapidocr").recognize_line(gray[max(0, y0 - 4):y1 + 4, :160])
    assert text.startswith("同意推荐")
