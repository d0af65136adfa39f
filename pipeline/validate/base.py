"""Rules for 中国科协海智计划基地申报表 (form base_application).

Clauses cited: 科协外函〔2023〕30号 (《通知》), its 申报条件 per base type and the
form's 填表说明. Every minimum comes from cfg.base.thresholds[short type name].
"""

from __future__ import annotations

import re

from haizhi.pipeline.core.config import BaseThresholds, YearConfig
from haizhi.pipeline.core.fields import BASE_FORM, BASE_TYPE_SHORT
from haizhi.pipeline.core.record import Finding, Record
from haizhi.pipeline.validate.common import (
    as_number,
    blank,
    contact_findings,
    finding,
    fmt_num,
    length_findings,
    mark_findings,
    norm_text,
    required_findings,
    value_type_findings,
)

SPEC = BASE_FORM
B_FILL = "填表说明 四"
B_TYPE = "填表说明 二"
B_NAME = "填表说明 一"
B_PAUSED = "《通知》一、申报条件（引言）"
B_CONTACT = "申报表 一、基本信息"
B_LETTER = "《通知》二、申报程序（一）2"
B_PLAN = "申报表 七、其他材料 2"
B_PROOF = "申报表 七、其他材料 3"
B_PARTNERS = "申报表 七、其他材料 5"
B_MARKS = {
    "head_signed": "申报表 六、申报单位负责人承诺",
    "applicant_sealed": "申报表 八、单位意见（申报单位）",
    "city_sealed": "申报表 八、单位意见（所在地市科协）",
    "provincial_sealed": "申报表 八、单位意见（省级科协）",
}

# threshold key → record field it is checked against.
# talents_attracted (离岸基地（5）: 吸引来华（回国）创新创业海外科技人才达到100人以上) has no
# field of its own; the form's closest is overseas_talents (现有海外科技人才数量), the talents
# already at the base. Current ≤ attracted, so a shortfall there is only a warning asking
# for proof, not an ineligibility.
THRESHOLD_FIELDS: dict[str, str] = {
    "service_area": "service_area",
    "staff_fulltime": "staff_fulltime",
    "work_funds": "work_funds",
    "linked_talents": "linked_talents",
    "overseas_partners": "overseas_partners",
    "resident_companies": "resident_companies",
    "resident_rd_institutions": "resident_rd_institutions",
    "talents_attracted": "overseas_talents",
}
APPROXIMATE = {"talents_attracted"}
# thresholds the form has no field for: reviewers check the proofs
PROOF_ONLY = ("international_organisations",)

WHAT = {
    "service_area": ("服务场地", "平方米"),
    "staff_fulltime": ("专职工作人员", "人"),
    "work_funds": ("专项工作经费", "万元/年"),
    "linked_talents": ("长期联系服务的海外科技人才", "人"),
    "overseas_partners": ("建立合作的海外机构", "家"),
    "resident_companies": ("入驻企业", "家"),
    "resident_rd_institutions": ("入驻新型研发机构、国际科技组织办事机构", "家"),
    "talents_attracted": ("吸引来华（回国）创新创业海外科技人才", "人"),
    "international_organisations": ("建立合作的国际科技组织", "家"),
    "partner_proofs": ("与境外海智合作机构合作的证明材料", "家"),
}

# 申报条件 item number per type and threshold (科协外函〔2023〕30号 一、申报条件)
CLAUSE: dict[str, dict[str, int]] = {
    "工作基地": {"service_area": 2, "staff_fulltime": 2, "work_funds": 5, "linked_talents": 5},
    "离岸基地": {"service_area": 3, "resident_companies": 3, "overseas_partners": 4, "linked_talents": 4,
             "work_funds": 5, "talents_attracted": 5},
    "研发社区": {"service_area": 2, "resident_rd_institutions": 2, "linked_talents": 4, "overseas_partners": 4,
             "work_funds": 4, "international_organisations": 5},
}

LETTER_LEVEL = {"city": 1, "provincial": 2}
LETTER_CN = {"city": "地市政府", "provincial": "省政府"}


def threshold_basis(short: str, key: str) -> str:
    n = CLAUSE.get(short, {}).get(key)
    return f"基地申报条件 {short}（{n}）" if n else f"基地申报条件 {short}"


def resolve_type(record: Record, cfg: YearConfig) -> tuple[str | None, list[Finding]]:
    """The full type name to check thresholds against (None if unusable), with findings."""
    raw = record.fields.get("base_type")
    if blank(raw):
        return None, []
    t = norm_text(raw)
    rule = "base.type_accepted"
    if t in cfg.base.paused_types:
        return None, [finding(rule, "error", "base_type",
                              f"基地类型“{t}”{cfg.year} 年暂不接受申报（国家正在规范相关工作）", B_PAUSED)]
    if t in cfg.base.accepted_types:
        return t, []
    by_short = {BASE_TYPE_SHORT.get(full): full for full in cfg.base.accepted_types}
    if t in by_short:
        full = by_short[t]
        return full, [finding(rule, "warning", "base_type",
                              f"基地类型写作简称“{t}”，应填写全称“{full}”", B_TYPE)]
    if t in BASE_TYPE_SHORT:
        return None, [finding(rule, "error", "base_type", f"基地类型“{t}”{cfg.year} 年不接受申报", B_PAUSED)]
    return None, [finding(rule, "warning", "base_type",
                          f"基地类型“{t}”不是可申报的类型，应从 {'、'.join(cfg.base.accepted_types)} 中选择一种",
                          B_TYPE)]


def _name(record: Record, base_type: str | None) -> list[Finding]:
    name = record.fields.get("base_name")
    if blank(name) or base_type is None:
        return []
    n = norm_text(name)
    rule = "base.name_format"
    want = f"{base_type}（城市或园区名）"
    m = re.fullmatch(r"(.+?)[（(](.+)[）)]", n)
    if not m:
        return [finding(rule, "warning", "base_name", f"基地名称“{name}”应按“{want}”的格式填写", B_NAME)]
    if m.group(1) != base_type:
        return [finding(rule, "warning", "base_name",
                        f"基地名称“{name}”中的类型“{m.group(1)}”与基地类型“{base_type}”不一致，应为“{want}”",
                        B_NAME)]
    return []


def _thresholds(record: Record, short: str, th: BaseThresholds) -> list[Finding]:
    out = []
    for key, field_key in THRESHOLD_FIELDS.items():
        need = getattr(th, key)
        if need is None:
            continue
        have = as_number(record.fields.get(field_key))
        if have is None:
            continue  # reported as missing by base.required
        if have >= need:  # "以上"/"不低于" include the number itself
            continue
        what, unit = WHAT[key]
        label = SPEC.field(field_key).display
        if key in APPROXIMATE:
            out.append(finding("base.threshold", "warning", field_key,
                               f"{short}要求{what}达到 {fmt_num(need)} {unit}以上；表中“{label}”为 {fmt_num(have)}，"
                               f"请提供吸引人才情况的证明", threshold_basis(short, key)))
        else:
            out.append(finding("base.threshold", "error", field_key,
                               f"“{label}”为 {fmt_num(have)}，低于{short}要求的{what} {fmt_num(need)} {unit}",
                               threshold_basis(short, key)))
    for key in PROOF_ONLY:
        need = getattr(th, key)
        if need is not None:
            what, unit = WHAT[key]
            out.append(finding("base.threshold_proof", "info", None,
                               f"{short}要求{what} {fmt_num(need)} {unit}以上，申报表无此项，请审核人员核对证明材料",
                               threshold_basis(short, key)))
    return out


def _staff(record: Record) -> list[Finding]:
    total = as_number(record.fields.get("staff_total"))
    full = as_number(record.fields.get("staff_fulltime"))
    if total is not None and full is not None and full > total:
        return [finding("base.staff_counts", "warning", "staff_fulltime",
                        f"专职工作人员 {fmt_num(full)} 人多于工作人员总数 {fmt_num(total)} 人", B_CONTACT)]
    return []


def _attachments(short: str, th: BaseThresholds, files: list[dict] | None) -> list[Finding]:
    if files is None:
        if th.partner_proofs:
            what, unit = WHAT["partner_proofs"]
            return [finding("base.attachments", "info", None,
                            f"{short}应提供不少于 {th.partner_proofs} {unit}{what}，请审核人员核对", B_PARTNERS)]
        return []
    out = []
    need = th.support_letter
    letters = [f for f in files if f.get("kind") == "support_letter"]
    if not letters:
        out.append(finding("base.attachments", "warning", None,
                           f"缺少{LETTER_CN[need]}支持函（{short}须提供{LETTER_CN[need]}支持函）", B_LETTER))
    elif not any(LETTER_LEVEL.get(str(f.get("level")), 0) >= LETTER_LEVEL[need] for f in letters):
        levels = "、".join(LETTER_CN.get(str(f.get("level")), "级别不明") for f in letters)
        sev = "info" if all(f.get("level") not in LETTER_LEVEL for f in letters) else "warning"
        out.append(finding("base.attachments", sev, None,
                           f"{short}须提供{LETTER_CN[need]}支持函，现有支持函：{levels}", B_LETTER))
    if not any(f.get("kind") == "plan" for f in files):
        out.append(finding("base.attachments", "warning", None, "缺少海智计划基地建设方案", B_PLAN))
    if not any(f.get("kind") == "proof" for f in files):
        out.append(finding("base.attachments", "warning", None,
                           "缺少人员、经费、办公条件、预算等相关证明材料", B_PROOF))
    if th.partner_proofs:
        have = sum(int(f.get("count", 1)) for f in files if f.get("kind") == "partner_proof")
        if have < th.partner_proofs:
            what, unit = WHAT["partner_proofs"]
            out.append(finding("base.attachments", "warning", None,
                               f"{short}应提供不少于 {th.partner_proofs} {unit}{what}，实有 {have} {unit}", B_PARTNERS))
    return out


def validate_base(record: Record, cfg: YearConfig, *, files: list[dict] | None = None) -> list[Finding]:
    out = required_findings(record, SPEC, "base.required", B_FILL)
    out += value_type_findings(record, SPEC, "base.value_type", B_FILL)
    base_type, found = resolve_type(record, cfg)
    out += found
    out += _name(record, base_type)
    short = BASE_TYPE_SHORT.get(base_type or "")
    th = cfg.base.thresholds.get(short) if short else None  # type: ignore[call-overload]
    if short and th is not None:
        out += _thresholds(record, short, th)
    out += _staff(record)
    out += contact_findings(record, SPEC, {"head_phone": "phone", "contact_phone": "phone",
                                           "contact_mobile": "mobile", "email": "email"}, "base", B_CONTACT)
    b = cfg.base
    out += length_findings(record, SPEC, cfg.text_limit, "base.text_length", {
        "foundation": f"申报表 二、工作基础（{b.foundation_max_chars}字以内）",
        "purpose": f"申报表 三、设立目的及具备的优势（{b.purpose_max_chars}字以内）",
        "goals": f"申报表 四、预期目标（{b.goals_max_chars}字以内）",
        "policies": f"申报表 五、支持政策与条件保障（{b.policies_max_chars}字以内）",
    })
    out += mark_findings(record, SPEC, "base.signatures_seals", B_MARKS)
    if short and th is not None:
        out += _attachments(short, th, files)
    return out
