"""The 基地负责人 signing block when OCR did not read its label (issue 11, "What failed" 6: a signature across
the date line, over the label): the block is the lines of its section, from the 承诺 heading to the next one."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace as B

import cv2
import numpy as np

from haizhi.extractors.scan.seal_signature import find_marks

DPI = 200.0
BITS = [("服务海外高层次人才三百余人次。", (736, 1, 1146, 28)), ("六、申报单位负责人承诺", (146, 43, 458, 69)),
        ("本人已认真填写、检查申报材料，保证内容真实、准确、有效。", (146, 116, 929, 143)),
        ("林刚磊", (88, 189, 462, 321)), ("林XIK", (88, 253, 462, 289)), ("七、其他材料", (146, 336, 314, 363))]


def _head(binary: np.ndarray, bits: list) -> object:
    page = np.full((*binary.shape, 3), 250, np.uint8)
    runs = [B(text=t, box=b) for t, b in bits]
    return next((m for m in find_marks(page, binary, runs, [], DPI, seals=[]) if m.label == "head_signed"), None)


def test_a_signature_over_the_unread_head_label_is_the_heads() -> None:
    # TUNE base photo 9011 (200 dpi): 林刚磊 written large over 基地负责人（签字）： and the date line; OCR read the
    # label and the signature as one run 林刚磊, so the block was not found and head_signed was None (flagged)
    binary = cv2.imread(str(Path(__file__).parent / "data" / "head_label_under_signature_photo_9011.png"),
                        cv2.IMREAD_GRAYSCALE)
    head = _head(np.where(binary > 127, np.uint8(255), np.uint8(0)), BITS)
    assert head is not None and head.checked is True


def test_no_signature_in_a_head_block_told_by_its_headings_is_named() -> None:
    # the same section with nothing written in it and its label not read: "not signed" is a guess
    binary = np.zeros((420, 1200), np.uint8)
    head = _head(binary, [b for b in BITS if "林" not in b[0]])
    assert head is not None and head.checked is False and head.confidence < 0.75
