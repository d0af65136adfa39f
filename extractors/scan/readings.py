"""A reading's text weighed: a printed label's, as many characters as its run's ink holds, comparable to
another reading of the same run."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from haizhi.extractors.scan.guesses import HAN
from haizhi.pipeline.core.fields import FORMS


def _printed_labels() -> frozenset[str]:
    out = set()
    for spec in FORMS.values():
        for f in spec.fields:
            for lb in (f.label, *f.aliases, f.group or ""):
                for v in (lb, re.sub(r"[（(][^）)]*[）)]$", "", lb)):  # 工作人员总数（人）, its unit left out
                    if len(v) >= 4:
                        out.add(_label_key(v))
    return frozenset(out)


def _label_key(text: str) -> str:
    t = "".join(text.split()).replace("(", "（").replace(")", "）")
    return re.sub(r"^[一二三四五六七八九十\d]{1,3}[、.．]", "", t).rstrip("：:")


_LABELS = _printed_labels()


def printed_label(text: str) -> bool:
    """The text is one of the forms' printed labels (its colon, numbering, spaces and bracket widths aside):
    print whose every character is known, not a value."""
    return _label_key(text) in _LABELS


def _too_short(text: str, width: int, height: int) -> bool:
    """The characters read fill well under the run's ink width (a Chinese character is about as wide as
    the line is high, a Latin one about half): characters were dropped (情况属实，同报。)."""
    est = sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text if not ch.isspace()) * height
    return est < 0.7 * width


def _width_gap(text: str, width: int, height: int) -> float:
    """How far the characters read fall short of, or run past, the run's ink width (as _too_short counts)."""
    return abs(sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text if not ch.isspace()) * height - width)


_STOPS = "：:·.．,，;；、"


def _label_stop(a: str, b: str) -> str:
    """The printed label both readings start with when they differ only in the stop after it (所在地市科协意见：
    / 所在地市科协意见；, 推荐单位· / 推荐单位：), or in one of them having none (所在地市科协意见经审核… / 所在地市
    科协意见：经审核…: TUNE base photo 12537): the value read alike in both; '' otherwise."""
    if abs(len(a) - len(b)) == 1:
        short, long = sorted((a, b), key=len)
        i = next((k for k, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
        if long[i] in _STOPS and long[:i] + long[i + 1:] == short and printed_label(short[:i]):
            return short[:i]
        return ""
    if len(a) != len(b):
        return ""
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diff) != 1 or a[diff[0]] not in _STOPS or b[diff[0]] not in _STOPS:
        return ""
    head = a[:diff[0]]
    return head if printed_label(head) else ""


def _meaning(text: str) -> int:
    """Characters that carry content: letters, digits, CJK (not spaces or punctuation)."""
    return sum(ch.isalnum() for ch in text)


def _within(short: str, long: str) -> bool:
    """short's content characters appear in long, in order, and long has more of them."""
    a, b = [ch for ch in short if ch.isalnum()], iter(ch for ch in long if ch.isalnum())
    return all(ch in b for ch in a) and len(a) < _meaning(long)


def _dropped_inside(short: str, long: str) -> bool:
    """short is long with content characters left out between two it keeps (有效同童申报 → 有效申报), not only at
    its ends (单位名称张叶 → 单位名称: strokes beside the print read as characters)."""
    a, b = [ch for ch in short if ch.isalnum()], [ch for ch in long if ch.isalnum()]
    ops = SequenceMatcher(None, b, a, autojunk=False).get_opcodes()
    return _within(short, long) and any(op == "delete" and i1 > 0 and i2 < len(b) for op, i1, i2, _j1, _j2 in ops)


def han_only(a: str, b: str) -> bool:
    """Two readings of a run (comparable) that differ only in Chinese characters changed or put in (同意性荐 /
    同意推荐, 优势显 / 优势明显), no stop, digit or letter among the differences, and none dropped from a: under a
    seal the stops are what both images confuse (扎实、/ 扎实，), a character dropped is a character lost."""
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal" and (i2 - i1 > j2 - j1 or not all(HAN.match(ch) for ch in a[i1:i2] + b[j1:j2])):
            return False
    return a != b
