"""The record dictionary: forms, field keys, labels, types and marks.

This is the project's own copy of shared/spec/record-fields.md. Templates,
extractors, validation rules and exports all read it; nothing else lists
field keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FieldType = Literal["text", "date", "number", "int", "bool", "choice", "choices"]

COOP = "coop_institution"
BASE = "base_application"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str  # label as printed on the form (for grouped rows: the sub-label)
    type: FieldType
    group: str | None = None  # grouped rows: 机构负责人, 机构场地, 八、单位意见 …
    options: tuple[str, ...] = ()  # choice / choices, in the form's order
    aliases: tuple[str, ...] = ()  # other labels applicants use for the same field
    max_chars: str | None = None  # key into the year config's text limits, if any
    required: bool = True

    @property
    def display(self) -> str:
        """Chinese column header: 'group · label' for grouped fields."""
        return f"{self.group} · {self.label}" if self.group else self.label


@dataclass(frozen=True)
class MarkSpec:
    key: str
    label: str


@dataclass(frozen=True)
class FormSpec:
    id: str
    title: str
    fields: tuple[FieldSpec, ...]
    marks: tuple[MarkSpec, ...]
    title_aliases: tuple[str, ...] = ()
    by_key: dict[str, FieldSpec] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_key.update({f.key: f for f in self.fields})

    def field(self, key: str) -> FieldSpec:
        return self.by_key[key]

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.fields]

    @property
    def mark_keys(self) -> list[str]:
        return [m.key for m in self.marks]


INSTITUTION_TYPES = ("荐才机构", "平台机构", "用才机构")
INSTITUTION_TYPE_NOTES = {
    "荐才机构": "发现并推荐引进具有来华发展意愿的海外科技人才的机构",
    "平台机构": "为海外科技人才来华发展提供各类助推服务，为其成长提供良好环境的机构",
    "用才机构": "为引进的海外科技人才提供工作岗位，充分发挥其优势和价值的机构",
}
INSTITUTION_NATURES = ("社会组织", "高校及科研机构", "孵化器、服务平台", "投资机构", "企业", "综合或其他")
SERVICES = (
    "投融资", "创业服务", "创业孵化", "管理咨询服务", "财税金融",
    "法律服务", "技术转移", "人才招聘", "知识产权", "其他",
)
BASE_TYPES = ("中国科协海智工作基地", "国家海外人才离岸创新创业基地", "海智国际研发社区")
BASE_TYPE_PAUSED = "中国科协海外创新创业基地"
# short names used in the notices and the year config
BASE_TYPE_SHORT = {
    "中国科协海智工作基地": "工作基地",
    "国家海外人才离岸创新创业基地": "离岸基地",
    "海智国际研发社区": "研发社区",
    "中国科协海外创新创业基地": "海外基地",
}

_C = FieldSpec
COOP_FORM = FormSpec(
    id=COOP,
    title="推荐中国科协海智计划合作机构信息表",
    title_aliases=("海智计划合作机构信息表", "合作机构信息表"),
    fields=(
        _C("name_cn", "机构名称（中文）", "text"),
        _C("name_en", "机构名称（英文）", "text"),
        _C("credit_code", "统一社会信用代码（境外注册机构填写注册号）", "text",
           aliases=("统一社会信用代码", "注册号")),
        _C("overseas", "注册地是否在境外", "bool"),
        _C("country", "注册国家", "text"),
        _C("registered_address", "注册地址", "text"),
        _C("contact_address", "联系地址", "text"),
        _C("registered_on", "注册时间", "date", aliases=("成立时间", "注册日期")),
        _C("registered_capital", "注册资金（万元）", "number", aliases=("注册资金", "注册资本")),
        _C("legal_representative", "法定代表人", "text"),
        _C("head_name", "姓名", "text", group="机构负责人"),
        _C("head_title", "职务", "text", group="机构负责人"),
        _C("head_mobile", "手机", "text", group="机构负责人"),
        _C("head_email", "电子邮箱", "text", group="机构负责人"),
        _C("contact_name", "姓名", "text", group="机构联系人"),
        _C("contact_title", "职务", "text", group="机构联系人"),
        _C("contact_mobile", "手机", "text", group="机构联系人"),
        _C("contact_email", "电子邮箱", "text", group="机构联系人"),
        _C("area_total", "总面积（平方米）", "number", group="机构场地"),
        _C("area_owned", "自有面积（平方米）", "number", group="机构场地"),
        _C("area_rented", "租用面积（平方米）", "number", group="机构场地"),
        _C("staff_total", "员工人数", "int", group="人员情况"),
        _C("staff_overseas", "有海外背景员工数", "int", group="人员情况"),
        _C("staff_postgrad", "硕士及以上学历员工数", "int", group="人员情况"),
        _C("institution_types", "机构类型（可多选）", "choices", options=INSTITUTION_TYPES,
           aliases=("机构类型",)),
        _C("institution_nature", "机构属性", "choice", options=INSTITUTION_NATURES),
        _C("institution_nature_other", "综合或其他（请注明）", "text", group="机构属性", required=False),
        _C("services", "可提供服务（可多选）", "choices", options=SERVICES, aliases=("可提供服务",)),
        _C("services_other", "其他（请注明）", "text", group="可提供服务", required=False),
        _C("profile", "机构简介（不超500字）", "text", aliases=("机构简介",), max_chars="profile"),
        _C("qualifications", "1.获得专业服务资质情况", "text", aliases=("获得专业服务资质情况",)),
        _C("recent_work", "2.近两年开展业务情况", "text", aliases=("近两年开展业务情况",),
           max_chars="recent_work"),
        _C("awards", "3.获得奖项及表彰情况", "text", aliases=("获得奖项及表彰情况",), required=False),
        _C("recommender", "推荐单位", "text", group="承诺书"),
    ),
    marks=(
        MarkSpec("recommender_signed", "推荐单位 负责人签字"),
        MarkSpec("recommender_sealed", "推荐单位 公章"),
        MarkSpec("institution_signed", "被推荐机构 负责人签字"),
        MarkSpec("institution_sealed", "被推荐机构 公章"),
    ),
)

BASE_FORM = FormSpec(
    id=BASE,
    title="中国科协海智计划基地申报表",
    title_aliases=("海智计划基地申报表", "基地申报表"),
    fields=(
        _C("base_name", "基地名称", "text"),
        _C("base_type", "基地类型", "choice", options=BASE_TYPES + (BASE_TYPE_PAUSED,)),
        _C("applicant", "申报单位", "text"),
        _C("address", "基地地址", "text"),
        _C("established_on", "成立时间", "date"),
        _C("head_name", "负责人姓名", "text"),
        _C("head_phone", "负责人电话", "text"),
        _C("contact_name", "联系人姓名", "text"),
        _C("contact_phone", "联系人电话", "text"),
        _C("contact_mobile", "联系人手机", "text"),
        _C("email", "电子信箱", "text", aliases=("电子邮箱",)),
        _C("service_area", "服务场所面积（平方米）", "number"),
        _C("office_area", "办公场所面积（平方米）", "number"),
        _C("staff_total", "工作人员总数（人）", "int"),
        _C("staff_fulltime", "专职工作人员数量（人）", "int", aliases=("专职工作人员数（人）",)),
        _C("work_funds", "年度专项工作经费（万元）", "number"),
        _C("support_funds", "年度人才或项目支持奖励经费（万元）", "number"),
        _C("overseas_talents", "现有海外科技人才数量（人）", "int"),
        _C("linked_talents", "长期联系海外人才数量（人）", "int"),
        _C("overseas_partners", "海外合作机构或合作伙伴数量（个）", "int"),
        _C("overseas_stations", "设立海外工作站点数量（个）", "int"),
        _C("resident_companies", "入驻企业数量（家）", "int"),
        _C("resident_rd_institutions", "入驻新型研发机构数量（家）", "int"),
        _C("foundation", "二、工作基础", "text", aliases=("工作基础",), max_chars="foundation"),
        _C("purpose", "三、设立目的及具备的优势", "text", aliases=("设立目的及具备的优势",),
           max_chars="purpose"),
        _C("goals", "四、预期目标", "text", aliases=("预期目标",), max_chars="goals"),
        _C("policies", "五、支持政策与条件保障", "text", aliases=("支持政策与条件保障",),
           max_chars="policies"),
        _C("applicant_opinion", "申报单位意见", "text", group="八、单位意见", required=False),
        _C("city_opinion", "所在地市科协意见", "text", group="八、单位意见", required=False),
        _C("provincial_opinion", "省级科协意见", "text", group="八、单位意见", required=False),
    ),
    marks=(
        MarkSpec("head_signed", "六、承诺 · 基地负责人签字"),
        MarkSpec("applicant_sealed", "申报单位 公章"),
        MarkSpec("city_sealed", "所在地市科协 公章"),
        MarkSpec("provincial_sealed", "省级科协 公章"),
    ),
)

FORMS: dict[str, FormSpec] = {COOP: COOP_FORM, BASE: BASE_FORM}


def form_spec(form_id: str) -> FormSpec:
    try:
        return FORMS[form_id]
    except KeyError:
        raise KeyError(f"未知的表单类型：{form_id}（应为 {' / '.join(FORMS)}）") from None
