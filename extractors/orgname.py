"""A recommending organisation's name read from a scan: its fixed ending repaired, a name cut short or
misread named by a finding.

推荐单位 is a 科学技术协会 of a province, city, university or company (or a national society). On
scans the seal and the signature are pressed over exactly this line, so OCR often loses or misreads a
character or two of it. What can be known is used, nothing more:

- the fixed ending 科学技术协会 with one character lost, misread or cut off at the end is written out in
  full (科学技木协会, 学技术协会, 科学技术协) — and the field is named, since it was repaired;
- a province's name cut at its start is finished when only one province ends that way (苏省 → 江苏省);
- a name whose start is neither a province, city or region nor an organisation (省科学技术协会,
  福科学技术协会, 张华科学技术协会: a signature read into it) is left as read and named.
"""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz.distance import Levenshtein

from haizhi.extractors.doubts import where
from haizhi.pipeline.core.fields import FieldSpec
from haizhi.pipeline.core.record import Finding

ORG_FIELDS = frozenset({"recommender"})

ENDING = "科学技术协会"
_SHORT = "科协"
PROVINCES = ("河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北",
             "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾")
MUNICIPALITIES = ("北京", "天津", "上海", "重庆")
AUTONOMOUS = ("内蒙古", "广西", "西藏", "宁夏", "新疆")
SPECIAL = ("香港", "澳门")
REGIONS = PROVINCES + MUNICIPALITIES + AUTONOMOUS + SPECIAL
# the start of a region's full name: its level word, or a city or district of it (江苏省南京市)
_LEVEL = re.compile(r"^(?:省|市|(?:[\u4e00-\u9fff]{0,4})?自治区|特别行政区|生产建设兵团)")
# a university's, company's or institute's own 科协 (清华大学科学技术协会, 华为技术有限公司科学技术协会)
_BODY = ("大学", "学院", "公司", "集团", "研究院", "研究所", "科学院", "医院", "中心", "学会", "协会", "联合会", "中国")
# a prefecture-level city or county named without its province: 苏州市, 延边朝鲜族自治州
_CITY = re.compile(r"^[\u4e00-\u9fff]{2,6}(?:市|州|盟|地区|县|区)$")


def org_ending(v: str) -> tuple[str, str, bool] | None:
    """(name before the ending, how it was repaired or '', whether the repair is sure) when v ends with
    科学技术协会 or something one character from it; None when v is no 科学技术协会's name.

    Sure: the ending cut off (科学技术协) or one of its characters lost (学技术协会) — no other name
    ends so; a character in it read otherwise (科学技木协会) is corrected but named."""
    if v.endswith(ENDING):
        return v[: -len(ENDING)], "", True
    if v.endswith(_SHORT) and len(v) > 2:
        return v[:-2], "", True
    for n in range(len(ENDING) - 1, 3, -1):  # cut off at the end: 科学技术协, 科学技术
        if v.endswith(ENDING[:n]) and (n >= 5 or v[:-n]):
            return v[:-n], "末尾缺字，已按“科学技术协会”补全", True
    found = []
    for n in (len(ENDING) - 1, len(ENDING), len(ENDING) + 1):  # one character misread, lost or added
        tail = v[-n:]
        if len(v) >= n and Levenshtein.distance(tail, ENDING) == 1 and (tail[-1] == ENDING[-1] or tail[:2] == ENDING[:2]):
            found.append((v[:-n], f"“{tail}”疑为“{ENDING}”的误识，已更正", n < len(ENDING)))
    # 江苏省学技术协会: 科 lost (省学技术协会 is one from the ending too): the reading whose start is a name
    return next((x for x in found if _region_ok(x[0])), found[0] if found else None)


def _region_ok(p: str) -> bool:
    """The start of a 科协's name: a region with its level word (or a city of it), or an organisation."""
    if p.endswith(_BODY) or _CITY.match(p):
        return True
    for r in sorted(REGIONS, key=len, reverse=True):
        if p.startswith(r):
            rest = p[len(r):]
            return bool(_LEVEL.match(rest)) or (r in MUNICIPALITIES + SPECIAL and not rest)
    return False


def _finish_province(p: str) -> tuple[str, bool] | None:
    """苏省… → 江苏省…: the province's name cut at its start, when only one province ends that way;
    陕西首 → 陕西省, 福建 → 福建省: the level word after a province's or municipality's name misread or lost."""
    for r in sorted(PROVINCES + MUNICIPALITIES, key=len, reverse=True):
        if p.startswith(r) and len(p) <= len(r) + 1 and not _region_ok(p):
            return r + ("省" if r in PROVINCES else "市"), True
    m = re.match(r"^([\u4e00-\u9fff]{1,2})省", p)
    if not m:
        return None
    head = m.group(1)
    fits = [r for r in PROVINCES if r.endswith(head) and r != head]
    sure = True
    if not fits and len(head) == 2:  # one character misread (汪苏省); 队西省 fits 山西, 陕西 and 江西: left
        fits, sure = [r for r in PROVINCES if len(r) == 2 and Levenshtein.distance(r, head) == 1], False
    return (fits[0] + p[len(head):], sure) if len(fits) == 1 else None


def check_org(value: str) -> tuple[str, str | None]:
    """→ (value, repaired with doubt or doubtful: why, in Chinese, for a finding; None when the name looks
    whole or was surely repaired)."""
    v = re.sub(r"\s+", "", value)
    got = org_ending(v)
    if got is None:
        if len(v) < 4 and re.search(r"[\u4e00-\u9fff]", v):  # 推荐单位：江  (the rest under the seal)
            return value, "名称过短，可能被印章或签名遮住了一部分"
        return value, None
    p, fixed, sure = got
    notes = [fixed] if fixed and not sure else []
    if not _region_ok(p):
        finished = _finish_province(p)
        if finished is not None:
            p = finished[0]
            if not finished[1]:
                notes.append(f"开头的地区名称有误，已更正为“{p}”")
        elif not p:
            notes.append("缺少开头的地区或单位名称，可能被印章或签名遮住")
        else:
            notes.append(f"开头“{p}”不是省、市或单位的名称，可能被印章或签名遮住或认错了字")
    if fixed or p != got[0]:
        value = p + (_SHORT if v.endswith(_SHORT) and not fixed else ENDING)
    return value, "；".join(notes) or None


SEAL_DOUBT = 0.65  # a run under a seal or a signature's stroke is read at 0.7–0.79; under it, characters were lost
_FULL = {"内蒙古": "内蒙古自治区", "广西": "广西壮族自治区", "西藏": "西藏自治区", "宁夏": "宁夏回族自治区",
         "新疆": "新疆维吾尔自治区"}
_PROVINCIAL = frozenset([r + "省" for r in PROVINCES] + [r + "市" for r in MUNICIPALITIES] + list(_FULL.values())
                        + ["新疆生产建设兵团"])


def provincial(value: str) -> bool:
    """A provincial-level 科协's exact name (江苏省科学技术协会, 北京市科学技术协会, 广西壮族自治区科学技术协会): one of
    some thirty, none of them a character or two from another but for 东/西 or 南/北, which OCR hardly
    takes for each other even where a seal's ring or a stroke crosses them."""
    return value.endswith(ENDING) and value[: -len(ENDING)] in _PROVINCIAL


def _in_order(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def provincial_level(region: str) -> bool:
    """A region's name (浙江省, 北京市, 广西壮族自治区) is of provincial level."""
    return region in _PROVINCIAL


def provincial_fit(reading: str) -> str | None:
    """The one provincial-level 科协 whose name holds a reading's characters in order, when the reading holds its
    region's level word and more of its region's name (建省协会: 福建省科学技术协会 with the characters under a
    signature lost); None when it fits none or several (省科学技术协会, 东省协会: 广东 or 山东)."""
    v = "".join(ch for ch in reading if "\u4e00" <= ch <= "\u9fff")
    if len(v) < 4 or not re.search(r"[^科学技术协会]{2}", v):
        return None
    fits = [p + ENDING for p in _PROVINCIAL if _in_order(v, p + ENDING)]
    return fits[0] if len(fits) == 1 else None


def org_doubts(f: FieldSpec, value: Any, prov: dict[str, Any]) -> tuple[Any, list[Finding]]:
    """A scanned recommending organisation's name, repaired where it can be and named when it was
    repaired or looks cut or misread."""
    if f.key not in ORG_FIELDS or prov.get("method") != "ocr" or not isinstance(value, str):
        return value, []
    from haizhi.extractors.scan.confidence import LOW_CONFIDENCE  # a scan's value: the scan reader is loaded

    fixed, why = check_org(value)
    conf = prov.get("confidence")
    if why is None and fixed == value and isinstance(conf, int | float) and SEAL_DOUBT <= conf < LOW_CONFIDENCE \
            and provincial(value):
        prov["confidence"] = LOW_CONFIDENCE  # a province's 科协 read whole under its seal: no other name reads so
    if why is None:  # whole, or surely repaired
        return fixed, []
    return fixed, [Finding("scan.odd_value", "info", f.key,
                           f"“{f.display}”扫描读出为“{value[:40]}”：{why}{where(prov)}，请人工核对")]


def whole_org(cands: list[Any]) -> Any:
    """Of a name's candidates (best first), the first that reads as a whole name, when the best does not
    (推荐单位 printed in a table row and again on the 承诺书 line, one copy under the seal)."""
    def whole(c: Any) -> bool:
        v = re.sub(r"\s+", "", c.text or "")
        return bool(v) and check_org(v)[1] is None and org_ending(v) is not None and org_ending(v)[1] == ""

    def scanned(c: Any) -> bool:
        page = c.where[1] if isinstance(c.where, tuple) else c.where.page
        return page.method == "ocr"

    if not cands or whole(cands[0]) or not scanned(cands[0]):
        return cands[0]
    return next((c for c in cands[1:] if c.score >= 0.85 and whole(c)), cands[0])
