"""Whether a line read as plain text shows option labels where its boxes stand (before it is read box by box)."""

from __future__ import annotations

import re

from haizhi.extractors.normalize import CHECK_GLYPHS

BOX_READ = "口□☐回囗"  # how OCR reads an empty or ticked box left in the line
_PROSE = re.compile(r"[。，；“”！？]")
NEAR = 3  # characters between a box's place in the text and a label's start: the estimate's slack


def has_option_text(text: str, words: list[str], near: list[int] | None = None) -> bool:
    """Some option label, a box or a tick shows in the text (OCR-tolerant: one character off in a label
    of three or more), or the line ends with the start of a label that wraps. near: the places of the line's
    boxes in the text (box_places); a label then counts only when it starts within NEAR characters of one: a
    paragraph naming 企业 or 知识产权 far from the frame inside its 国 is plain text, not read again piece by piece."""
    s = re.sub(r"\s+", "", text)
    if re.search(rf"[{CHECK_GLYPHS}{BOX_READ}]", s):
        return True

    prose = bool(_PROSE.search(s))  # a sentence's stops: a label one character off there is a word of it

    def close(i: int) -> bool:
        return near is None or any(abs(i - p) <= NEAR for p in near)

    for w in words:
        n = len(w)
        if any(close(m.start()) for m in re.finditer(re.escape(w), s)):
            return True
        if any(s.endswith(w[:k]) and close(len(s) - k) for k in range(3, n)):  # ⊠国家海外人才离岸 | 创新创业基地
            return True
        if n >= 3 and not prose and any(close(i) and sum(a == b for a, b in zip(w, s[i:i + n], strict=False)) >= n - 1
                                        for i in range(len(s) - n + 2)):
            return True  # (in prose, 轮融资 of 完成A轮融资。 is no 投融资 with the frame in 轮 its box)
    return False


def box_places(runs: list[tuple[str, int, int]], centers: list[float]) -> list[int]:
    """Each box's place in the line's text (spaces left out): how many characters stand left of its centre,
    each run's characters spread over its ink by their widths (a Chinese character about as wide as the line
    is high, a Latin one about half). runs: (text, ink's left, ink's right)."""
    xs: list[float] = []
    for text, a, b in runs:
        w = [1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text if not ch.isspace()]
        total, acc = sum(w) or 1.0, 0.0
        for wi in w:
            xs.append(a + (acc + wi / 2) / total * (b - a))
            acc += wi
    return [sum(x < c for x in xs) for c in centers]
