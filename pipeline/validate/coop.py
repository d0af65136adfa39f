"""Rules for 推荐中国科协海智计划合作机构信息表 (form coop_institution).

Clauses cited: 科协外函〔2023〕32号 (《通知》) and its attachment (信息表).
"""

from __future__ import annotations

import math

from haizhi.pipeline.core.config import YearConfig
from haizhi.pipeline.core.fields import COOP_FORM, INSTITUTION_NATURES, INSTITUTION_TYPES, SERVICES
from haizhi.pipeline.core.record import Finding, Record
from haizhi.pipeline.validate.common import (
    add_years,
    as_number,
    blank,
    cjk_share,
    compact_code,
    contact_findings,
    finding,
    fmt_num,
    is_uscc,
    length_findings,
    mark_findings,
    norm_text,
    parse_date,
    regno_problem,
    required_findings,
    uscc_problem,
    value_type_findings,
)
from haizhi.pipeline.validate.contacts import CN, region_of

SPEC = COOP_FORM
B_REVIEW = "《通知》三、征选工作流程（二）1.初审"
B_AGE = "合作机构认定条件（一）"
B_CODE = "信息表 统一社会信用代码（境外注册机构填写注册号）"
B_COUNTRY = "信息表 注册地是否在境外、注册国家"
B_CONTACT = "信息表 机构负责人、机构联系人"
B_AREA = "信息表 机构场地"
B_STAFF = "信息表 人员情况"
B_TYPES = "信息表 机构类型（可多选）"
B_NATURE = "信息表 机构属性"
B_SERVICES = "信息表 可提供服务（可多选）"
B_CHINESE = "信息表 注2"
B_PROOF = "信息表 法人证书、营业执照扫描件或正式注册证明"
B_MARKS = {
    "recommender_signed": "信息表 三、承诺书（推荐单位负责人签字）",
    "recommender_sealed": "信息表 三、承诺书（推荐单位公章）",
    "institution_signed": "信息表 三、承诺书（被推荐机构负责人签字）",
    "institution_sealed": "信息表 三、承诺书（被推荐机构公章）",
}

DOMESTIC_COUNTRIES = {"中国", "中华人民共和国", "中国大陆", "CHINA", "PRC", "CN", "PEOPLE'SREPUBLICOFCHINA"}

# 注2: 除机构名称、地址、负责人及联系人姓名根据实际情况填写外，表格内其他部分内容请以中文填写。
# So every free-text field except names, addresses and person names (and codes,
# phones, e-mails, which are not words) should be mainly Chinese.
CHINESE_FIELDS = ("country", "head_title", "contact_title", "institution_nature_other", "services_other",
                  "profile", "qualifications", "recent_work", "awards", "recommender")
MIN_CJK_SHARE = 0.5  # Han characters among Han + Latin letters

# files a coop submission carries: the registration proof
PROOF_KINDS = {"proof", "registration", "license"}


def is_domestic_country(country: object) -> bool:
    return norm_text(country).upper() in DOMESTIC_COUNTRIES


def _phone_region(record: Record) -> str:
    """Numbers of an overseas institution are checked for its country (mainland ones still pass)."""
    if overseas_flag(record) or (overseas_flag(record) is None and not is_domestic_country(record.fields.get("country"))):
        return region_of(record.fields.get("country")) or CN
    return CN


def overseas_flag(record: Record) -> bool | None:
    """注册地是否在境外 as a bool; None if not given."""
    v = record.fields.get("overseas")
    if isinstance(v, bool):
        return v
    if isinstance(v, str):
        s = norm_text(v)
        if s in ("是", "Yes", "yes", "Y", "true"):
            return True
        if s in ("否", "No", "no", "N", "false"):
            return False
    return None


def is_overseas(record: Record) -> bool | None:
    """The flag, else inferred from the country; None when neither tells."""
    flag = overseas_flag(record)
    if flag is not None:
        return flag
    country = record.fields.get("country")
    if not blank(country):
        return not is_domestic_country(country)
    return None


def institution_key(record: Record) -> str:
    """Identity for duplicate checks: the credit code if valid, else the normalised Chinese name."""
    code = record.fields.get("credit_code")
    if isinstance(code, str) and is_uscc(code):
        return "code:" + compact_code(code)
    name = record.fields.get("name_cn") or record.fields.get("name_en") or ""
    return "name:" + norm_text(name).lower()


def _established(record: Record, cfg: YearConfig) -> list[Finding]:
    v = record.fields.get("registered_on")
    if blank(v):
        return []
    span = parse_date(v)
    rule, years, ref = "coop.established_two_years", cfg.coop.min_years_registered, cfg.coop.issued_on
    if span is None:
        return [finding(rule, "warning", "registered_on", f"注册时间 {v} 无法识别为日期（应为 YYYY-MM-DD）", B_AGE)]
    earliest, latest = span
    if earliest > ref:
        return [finding(rule, "error", "registered_on",
                        f"注册时间 {v} 晚于通知成文日期 {ref.isoformat()}", B_AGE)]
    # the notice's date (成文日期) is the reference: registered on or before ref minus N years
    if add_years(latest, years) <= ref:
        return []
    if add_years(earliest, years) > ref:
        return [finding(rule, "error", "registered_on",
                        f"注册时间 {v} 距 {ref.isoformat()} 不足 {years} 年（要求依法成立 {years} 年以上，含 {years} 年）",
                        B_AGE)]
    # YYYY-MM only: fine if registered early in the month, too young if late in it
    return [finding(rule, "warning", "registered_on",
                    f"注册时间 {v} 只写到月份：按当月最后一天 {latest.isoformat()} 计，距 {ref.isoformat()} 不足 {years} 年，"
                    f"按当月第一天计则满足；请补充具体日期", B_AGE)]


def _credit_code(record: Record) -> list[Finding]:
    code = record.fields.get("credit_code")
    if blank(code):
        return []
    code = str(code)
    overseas = is_overseas(record)
    rule = "coop.credit_code"
    if overseas:
        problem = regno_problem(code)
        if problem:
            return [finding(rule, "warning", "credit_code", f"境外机构注册号 {code} 不合规范：{problem}", B_CODE)]
        return []
    problem = uscc_problem(code)
    if problem:
        return [finding(rule, "warning", "credit_code",
                        f"统一社会信用代码 {code} 无效（GB 32100-2015）：{problem}", B_CODE)]
    return []


def _country(record: Record) -> list[Finding]:
    flag = overseas_flag(record)
    raw = record.fields.get("overseas")
    country = record.fields.get("country")
    rule = "coop.overseas_country"
    if flag is None:
        if not blank(raw):
            return [finding(rule, "warning", "overseas", f"注册地是否在境外应填“是”或“否”，实为 {raw}", B_COUNTRY)]
        return []
    if flag and (blank(country) or is_domestic_country(country)):
        shown = country if not blank(country) else "（未填）"
        return [finding(rule, "warning", "country",
                        f"注册地在境外，但注册国家为 {shown}：应填写中国以外的国家或地区", B_COUNTRY)]
    if not flag and not blank(country) and not is_domestic_country(country):
        return [finding(rule, "warning", "country",
                        f"注册地不在境外，但注册国家为 {country}：应为中国", B_COUNTRY)]
    return []


def _area(record: Record) -> list[Finding]:
    total, owned, rented = (as_number(record.fields.get(k)) for k in ("area_total", "area_owned", "area_rented"))
    out: list[Finding] = []
    if None in (total, owned, rented) or min(total, owned, rented) < 0:  # type: ignore[type-var]
        return out  # not numbers / negative: coop.value_type says so
    if not math.isclose(total, owned + rented, abs_tol=0.01):
        out.append(finding("coop.area_sum", "warning", "area_total",
                           f"总面积 {fmt_num(total)} 平方米 ≠ 自有面积 {fmt_num(owned)} + 租用面积 {fmt_num(rented)}"
                           f" = {fmt_num(owned + rented)} 平方米", B_AREA))
    return out


def _staff(record: Record) -> list[Finding]:
    total = as_number(record.fields.get("staff_total"))
    out = []
    if total is None:
        return out
    for k in ("staff_overseas", "staff_postgrad"):
        x = as_number(record.fields.get(k))
        if x is not None and x > total:
            out.append(finding("coop.staff_counts", "warning", k,
                               f"{SPEC.field(k).label} {fmt_num(x)} 人多于员工人数 {fmt_num(total)} 人", B_STAFF))
    return out


def _as_list(v: object) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return [v] if v.strip() else []
    if isinstance(v, list | tuple):
        return [str(x) for x in v]
    return [str(v)]


def _choices(record: Record) -> list[Finding]:
    f = record.fields
    out = []
    types = _as_list(f.get("institution_types"))
    bad = [t for t in types if t not in INSTITUTION_TYPES]
    if bad:
        out.append(finding("coop.institution_types", "warning", "institution_types",
                           f"机构类型 {'、'.join(bad)} 不在选项中（{'、'.join(INSTITUTION_TYPES)}）", B_TYPES))
    elif not types and "institution_types" in f:
        out.append(finding("coop.institution_types", "warning", "institution_types",
                           "机构类型至少应勾选一项", B_TYPES))
    natures = _as_list(f.get("institution_nature"))
    if len(natures) > 1:
        out.append(finding("coop.institution_nature", "warning", "institution_nature",
                           f"机构属性只能选一项，实选 {len(natures)} 项：{'、'.join(natures)}", B_NATURE))
    elif natures and natures[0] not in INSTITUTION_NATURES:
        out.append(finding("coop.institution_nature", "warning", "institution_nature",
                           f"机构属性 {natures[0]} 不在选项中（{'、'.join(INSTITUTION_NATURES)}）", B_NATURE))
    if "综合或其他" in natures and blank(f.get("institution_nature_other")):
        out.append(finding("coop.other_specified", "warning", "institution_nature_other",
                           "机构属性选择了“综合或其他”，但未注明具体内容", B_NATURE))
    services = _as_list(f.get("services"))
    bad = [s for s in services if s not in SERVICES]
    if bad:
        out.append(finding("coop.services", "warning", "services",
                           f"可提供服务 {'、'.join(bad)} 不在选项中", B_SERVICES))
    if "其他" in services and blank(f.get("services_other")):
        out.append(finding("coop.other_specified", "warning", "services_other",
                           "可提供服务选择了“其他”，但未注明具体内容", B_SERVICES))
    return out


def _chinese(record: Record) -> list[Finding]:
    out = []
    for k in CHINESE_FIELDS:
        v = record.fields.get(k)
        if not isinstance(v, str) or blank(v):
            continue
        share = cjk_share(v)
        if share is not None and share < MIN_CJK_SHARE:
            out.append(finding("coop.chinese_text", "warning", k,
                               f"“{SPEC.field(k).display}”应以中文填写（汉字仅占字母和汉字的 {share:.0%}）：{v[:40]}",
                               B_CHINESE))
    return out


def _attachments(files: list[dict] | None) -> list[Finding]:
    if files is None:
        return []
    if any(str(f.get("kind")) in PROOF_KINDS for f in files):
        return []
    return [finding("coop.attachment_registration", "warning", None,
                    "未见法人证书、营业执照扫描件或正式注册证明", B_PROOF)]


def validate_coop(record: Record, cfg: YearConfig, *, files: list[dict] | None = None) -> list[Finding]:
    # 注册国家 is checked with 注册地是否在境外 (may be left empty for a domestic institution)
    out = [f for f in required_findings(record, SPEC, "coop.required", B_REVIEW) if f.field != "country"]
    out += value_type_findings(record, SPEC, "coop.value_type", B_REVIEW, skip=("registered_on",))
    out += _established(record, cfg)
    out += _credit_code(record)
    out += _country(record)
    out += contact_findings(record, SPEC, {"head_mobile": "mobile", "contact_mobile": "mobile",
                                           "head_email": "email", "contact_email": "email"},
                            "coop", B_CONTACT, _phone_region(record))
    out += _area(record)
    out += _staff(record)
    out += _choices(record)
    out += length_findings(record, SPEC, cfg.text_limit, "coop.text_length", {
        "profile": f"信息表 机构简介（不超{cfg.coop.profile_max_chars}字）",
        "recent_work": f"信息表 近两年开展业务情况（不超{cfg.coop.recent_work_max_chars}字）",
    })
    out += _chinese(record)
    out += mark_findings(record, SPEC, "coop.signatures_seals", B_MARKS)
    out += _attachments(files)
    return out
