"""Runs read on a printed signing block (负责人（签字）, （公章）, 年 月 日, a name signed under them): their OCR
confidence is about handwriting, not about any value."""

from __future__ import annotations

import re

from haizhi.extractors.normalize import SIGN_LINE, SIGN_START, SIGN_WORDS, sign_block_line, signature_line
from haizhi.extractors.scan.context import printed_label

_DATE_RESIDUE = re.compile(r"^\s*\d{2,4}\s*年[^，。,；;！？]{0,10}$")  # 2024年M1: a signing block's date line, strokes in it


def signing_run(text: str, after_sign: bool) -> bool:
    """A line of a printed signing block (负责人（签字）, （公章）, 年 月 日) with whatever was written on it, or
    a name or date written under one: its OCR confidence is about handwriting, not about any value. Not a
    line whose opinion ran into the block's label (经审核，申报材料真实有负责人（签字）): that one counts."""
    if SIGN_LINE.match(text.strip()):
        return True  # 单位名称：…, 负责人（签字）：…, （公章）, a date: the block's own lines
    if sign_block_line(text):
        found = [m for m in (SIGN_START.search(text), SIGN_WORDS.search(text)) if m]  # 同意责推（签字）: 负责人 lost
        m = min(found, key=lambda m: m.start()) if found else None
        before = re.sub(r"负责人\W*$", "", text[:m.start()]) if m else ""  # 负责人、（签字）: the block's own
        return len(re.findall(r"[\u4e00-\u9fff]", before)) < 2
    return after_sign and bool(signature_line(text) or _DATE_RESIDUE.match(text)) and not printed_label(text)
