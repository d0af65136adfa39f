"""统一社会信用代码 read from a scan: letters the code never uses, read where a digit looks like them, are
put back and named unless the code's check digit then confirms them.

The code (GB 32100-2015) is 18 characters of 0–9 and the capitals A–Y without I, O, S, V, Z, chosen so
that no character of it is taken for another. OCR reads 1 as I, 0 as O, 2 as Z, 5 as S with high
confidence (91CWMH2PPYM1MTRGEC → …YMIMT…, silent); such a letter in an 18-character code is surely a
misread. A code registered abroad (注册号) has no fixed shape and is left as read.
"""

from __future__ import annotations

import re
from typing import Any

from stdnum.cn import uscc

from haizhi.extractors.doubts import where
from haizhi.pipeline.core.fields import FieldSpec
from haizhi.pipeline.core.record import Finding

CODE_FIELDS = frozenset({"credit_code"})
_LOOKS = {"I": "1", "O": "0", "Z": "2", "S": "5"}  # a letter the code never uses → the digit it looks like
_NEVER = re.compile(r"[IOSVZ]")


def code_doubts(f: FieldSpec, value: Any, prov: dict[str, Any]) -> tuple[Any, list[Finding]]:
    """A credit code holding letters the code never uses: on a scan, the look-alike digits put back (sure when
    the check digit then holds, else named); typed, named as written."""
    if f.key not in CODE_FIELDS or not isinstance(value, str):
        return value, []
    v = re.sub(r"\s+", "", value)
    if len(v) != 18 or not re.fullmatch(r"[0-9A-Za-z]+", v) or not _NEVER.search(v.upper()):
        return value, []
    ocr = prov.get("method") == "ocr"
    fixed = "".join(_LOOKS.get(c, c) for c in v.upper()) if ocr else v
    if ocr and not _NEVER.search(fixed) and uscc.is_valid(fixed):
        return fixed, []  # the check digit confirms every letter put back
    why = (f"读出为“{v}”，其中的字母 I、O、Z、S 不会出现在统一社会信用代码中，已按形近数字更正为“{fixed}”"
           if fixed != v else f"“{v}”中含有统一社会信用代码不使用的字母（I、O、S、V、Z）")
    return fixed, [Finding("scan.odd_value" if ocr else "extract.odd_value", "info", f.key,
                           f"“{f.display}”{why}{where(prov)}，请人工核对")]
