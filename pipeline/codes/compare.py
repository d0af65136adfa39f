"""Printed values against what OCR read on the returned page: altered by hand, or an OCR slip.

A value OCR reads far from what was printed (more than a character or two of a
long text, any digit of a short value or number, a different set of ticked
options ticked) is a warning: someone may have changed it on paper after printing. A
near miss, or a printed tick OCR missed, is an info finding (OCR noise). A value OCR did not find is not
compared (its page is missing, or the cell could not be read).
"""

from __future__ import annotations

from typing import Any

from rapidfuzz.distance import Levenshtein

from haizhi.pipeline.codes.issue import _jsonable
from haizhi.pipeline.core.fields import FORMS
from haizhi.pipeline.core.record import Finding
from haizhi.pipeline.validate.common import blank, norm_text
from haizhi.pipeline.validate.compare import _canon
from haizhi.pipeline.validate.compare import show_value as _show

BASIS = "打印时登记的取值（二维码）"


def _noise_allowance(ftype: str, printed: str) -> int:
    """Characters OCR may get wrong before a difference counts as a change."""
    if ftype in ("number", "int", "date", "bool", "choice", "choices") or len(printed) < 6:
        return 0
    return max(1, len(printed) // 12)


_DATE_LINE = set("年月日（）()签字盖章：:")


def _residue(printed: str, read: str, raw: object = None) -> bool:
    """The printed text plus a scrap OCR kept from around it: the 年 月 日 / 签字 line under an
    opinion, or a short neighbouring line (a box and its option) read on a line of its own."""
    i = read.find(printed)
    if not printed or i < 0:
        return False
    extra = read[:i] + read[i + len(printed):]
    if 0 < len(extra) <= 3 and set(extra) <= _DATE_LINE:
        return True
    lines = [norm_text(ln) for ln in str(raw).splitlines() if ln.strip()] if isinstance(raw, str) else []
    return 0 < len(extra) <= 6 and len(lines) > 1 and extra in (lines[0], lines[-1])


def differences(form: str, printed: dict[str, Any], read: dict[str, Any],
                provenance: dict[str, dict[str, Any]]) -> list[Finding]:
    out: list[Finding] = []
    for spec in FORMS[form].fields:
        if spec.key not in read:
            continue
        p, r = printed.get(spec.key), read.get(spec.key)
        if _jsonable(_canon(spec, p)) == _jsonable(_canon(spec, r)):
            continue
        page = (provenance.get(spec.key) or {}).get("page")
        where = f"（扫描件第 {page} 页）" if page else ""
        if blank(r):
            out.append(Finding("codes.not_read", "info", spec.key,
                               f"“{spec.display}”在扫描件上没有读出文字{where}，打印时为 {_show(p)}；"
                               "记录采用打印值，请核对原件该处是否被涂改", BASIS))
            continue
        if spec.type == "choices" and _canon(spec, r) < _canon(spec, p):
            out.append(Finding("codes.ocr_noise", "info", spec.key,
                               f"“{spec.display}”扫描件上少读出了打印时勾选的选项{where}：打印为 {_show(p)}，"
                               f"识别为 {_show(r)}，多为漏判的勾；记录采用打印值", BASIS))
            continue
        a, b = norm_text(_show(p) if not isinstance(p, str) else p), norm_text(_show(r) if not isinstance(r, str) else r)
        if Levenshtein.distance(a, b) <= _noise_allowance(spec.type, a) or _residue(a, b, r):
            out.append(Finding("codes.ocr_noise", "info", spec.key,
                               f"“{spec.display}”扫描件的识别结果与打印值略有出入{where}：打印为 {_show(p)}，"
                               f"识别为 {_show(r)}，多为识别误差；记录采用打印值", BASIS))
        else:
            out.append(Finding("codes.altered", "warning", spec.key,
                               f"“{spec.display}”扫描件上的内容与打印时不同{where}：打印为 {_show(p)}，"
                               f"扫描件上为 {_show(r)}；可能在打印后被手工改动，请核对原件", BASIS))
    return out


def issue_pairing(editable_source: dict[str, Any], scan_source: dict[str, Any]) -> list[Finding]:
    """The editable copy and the scan, tied by the issued record they match (editable: by values hash;
    scan: by its codes). Different issues: the two copies are of different printings."""
    a, b = editable_source.get("issue_id"), (scan_source.get("codes") or {}).get("issue_id")
    if a and b and a != b:
        return [Finding("codes.issue_mismatch", "warning", None,
                        f"可编辑版本与打印编号 {a} 的登记取值一致，而盖章扫描件上的二维码是打印编号 {b}："
                        "两份不是同一次打印的表格", BASIS)]
    if b and not a:
        return [Finding("codes.editable_differs", "info", None,
                        f"盖章扫描件按二维码读出打印编号 {b} 的登记取值；可编辑版本与之不完全一致，"
                        "差异见逐项比对", BASIS)]
    return []
