"""Fields read with low OCR confidence get an info finding asking a person to check them."""

from __future__ import annotations

import re

from haizhi.extractors.labels import is_long
from haizhi.pipeline.core.fields import form_spec
from haizhi.pipeline.core.record import Finding, Record

LOW_CONFIDENCE = 0.80
HIDDEN_PRINT = 0.2  # a run read as letters where print lies under a signature: no surer than this (opinion_rows)


def confidence_findings(record: Record, threshold: float = LOW_CONFIDENCE) -> list[Finding]:
    """One info finding per OCR'd field whose provenance confidence is under threshold."""
    spec = form_spec(record.form)
    out: list[Finding] = []
    for key, prov in record.provenance.items():
        if not isinstance(prov, dict) or key not in spec.by_key:
            continue
        conf = prov.get("confidence")
        if not isinstance(conf, int | float) or conf >= threshold:
            continue
        where = f"第 {prov.get('page', '?')} 页"
        bbox = prov.get("bbox")
        if isinstance(bbox, list | tuple) and len(bbox) == 4:
            where += "，位置 (" + ", ".join(f"{float(v):.0f}" for v in bbox) + ")"
        out.append(Finding(
            rule="scan.low_confidence", severity="info", field=key,
            message=f"“{spec.field(key).display}”为扫描识别结果，置信度 {conf:.2f} 偏低，请人工核对（{where}）"))
    return out + shape_findings(record, {f.field for f in out}) + mark_findings(record)


_FORM_WORDS = re.compile(r"签\s*[字名]|公\s*章|盖\s*章|填表说明|[（(]\s*签")
_RESIDUE = re.compile(r"^[\u4e00-\u9fff\s]{0,4}[年月日][\u4e00-\u9fff\s]{0,4}$|^[\u4e00-\u9fff]{1,4}$")


def shape_findings(record: Record, already: set[str | None]) -> list[Finding]:
    """Scanned text values of an unexpected shape: the printed form or handwriting mixed into them.

    A value holding 签字/公章 words, another field's label, or (after its first line) a short line
    of date residue or a few loose characters (a signature read as text) is named for a person to check.
    """
    spec = form_spec(record.form)
    labels = [(f.key, f.label) for f in spec.fields if len(f.label) >= 4]
    out: list[Finding] = []
    for f in spec.fields:
        v, prov = record.fields.get(f.key), record.provenance.get(f.key)
        if f.type != "text" or not isinstance(v, str) or f.key in already or not isinstance(prov, dict) \
                or prov.get("method") != "ocr":
            continue
        flat = re.sub(r"\s+", "", v)
        lines = [ln.strip() for ln in v.split("\n") if ln.strip()]
        why = None
        if f.key.endswith("email") and _ambiguous_email(flat):
            why = "其中的 l、1、I 等字符容易认错"
        elif f.group == "八、单位意见" and re.match(r"^[^，。,]{1,6}[：:]", flat):
            why = "开头像是栏目标签的残余"
        elif f.group == "八、单位意见" and not flat.endswith(("。", "！", ".", "!", "；", ";", "）", ")")):
            why = "没有以句号结尾，可能被印章或签名遮住了一部分"
        elif f.key == "recommender" and _odd_region(flat):
            why = "开头不是省、自治区或直辖市的名称，可能认错了字"
        elif _FORM_WORDS.search(flat):
            why = "混入了表格上印好的签字、盖章等文字"
        elif any(lb in flat for k, lb in labels if k != f.key and lb not in f.label):
            why = "混入了其他栏目的标签或内容"
        elif len(lines) > 1 and any(_RESIDUE.match(ln) for ln in (lines[-1:] if is_long(f) else lines[1:])):
            # a long text's short line inside it is a wrap's tail (…的工作 / 闭环); residue is at its end
            why = "末尾有零散的字（可能是手写签名或日期被识别成文字）"
        if why:
            out.append(Finding("scan.odd_value", "info", f.key,
                               f"“{f.display}”为扫描识别结果，{why}，请人工核对（{_where(prov)}）"))
    return out


_LOOKALIKE = re.compile(r"[lI|][0-9]|[0-9][lI|]|[a-zA-Z]1[a-zA-Z]|1[a-zA-Z]|[lI|]$|I")


def _ambiguous_email(flat: str) -> bool:
    """An OCR'd e-mail address where l, 1, I sit where either could be: next to the other
    kind (letters beside digits), or l/I ending the local part (where digits usually are)."""
    local, _, domain = flat.partition("@")
    return bool(_LOOKALIKE.search(local) or re.search(r"[a-z]1|1[a-z]|[lI][0-9]|[0-9][lI]", domain))


_REGIONS = ("北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
            "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾",
            "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门", "中国", "新疆生产建设兵团")


def _odd_region(flat: str) -> bool:
    """A recommending 科协 whose name starts with 省/市 words but not with a province's name."""
    m = re.match(r"^(.{1,4}?)省", flat)
    region = next((r for r in sorted(_REGIONS, key=len, reverse=True) if flat.startswith(r) and r != "中国"), None)
    if region and not region.endswith("兵团") and not re.match(_AFTER_REGION, flat[len(region):]):
        return True  # 福建科学技术协会: the 省 after the province's name was lost
    if "科学技术" in flat and not flat.endswith(("科学技术协会", "科协")):
        return True  # 广东省科学技术办会: 协 misread
    return bool(m) and not flat.startswith(_REGIONS) or ("科学技术协" in flat and not flat.endswith("科学技术协会")
                                                         and "科学技术协会" not in flat) or "被推荐" in flat


_AFTER_REGION = r"省|市|[\u4e00-\u9fff]{0,3}自治区|特别行政区|生产建设兵团"


def _where(prov: dict) -> str:
    where = f"第 {prov.get('page', '?')} 页"
    bbox = prov.get("bbox")
    if isinstance(bbox, list | tuple) and len(bbox) == 4:
        where += "，位置 (" + ", ".join(f"{float(v):.0f}" for v in bbox) + ")"
    return where


MARK_NAMES = {"recommender_signed": "推荐单位负责人签字", "recommender_sealed": "推荐单位公章",
              "institution_signed": "被推荐机构负责人签字", "institution_sealed": "被推荐机构公章",
              "head_signed": "基地负责人签字", "applicant_sealed": "申报单位公章",
              "city_sealed": "所在地市科协公章", "provincial_sealed": "省级科协公章"}


def mark_findings(record: Record) -> list[Finding]:
    """A finding for each mark that could not be looked at (block not found) or was read unsure."""
    marks = record.marks or {}
    uncertain = getattr(marks, "uncertain", {})
    out: list[Finding] = []
    for key, val in marks.items():
        name = MARK_NAMES.get(key, key)
        if val is None:
            out.append(Finding("scan.mark_unknown", "warning", None,
                               f"扫描件中没有找到“{name}”所在的栏目，无法判断是否已{'盖章' if 'sealed' in key else '签字'}，"
                               f"请人工核对（标记 {key}）"))
        elif key in uncertain:
            pno, bbox, conf = uncertain[key]
            where = f"第 {pno} 页" + (f"，位置 ({', '.join(f'{v:.0f}' for v in bbox)})" if bbox else "")
            state = "有" if val else "没有"
            why = "；".join(getattr(marks, "why", {}).get(key, []))
            out.append(Finding("scan.mark_uncertain", "info", None,
                               f"“{name}”判断为{state}，但把握不大（置信度 {conf:.2f}"
                               f"{'；' + why if why else ''}），请人工核对（{where}，标记 {key}）"))
    return out
