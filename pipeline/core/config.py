"""Year config: every date, number, quota and threshold a year's notices state.

One YAML file per year (fixtures/years/YYYY.yaml). The notice templates and
the validation rules both read it. Checked on load; errors are Chinese and
name the key.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from haizhi.pipeline.core.errors import ConfigError

YEARS_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "years"


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so the schema (not YAML) reports a bad date by key."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in rs if tag != "tag:yaml.org,2002:timestamp"]
    for ch, rs in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Contact(_M):
    name: str
    phone: str | None = None
    dept: str | None = None
    email: str | None = None


class Mailing(_M):
    address: str
    recipient: str
    phone: str
    postcode: str


class Issuer(_M):
    department: str  # 中国科协国际合作部
    short_name: str  # 国际部
    masthead: str  # 发文机关标志: 中国科协部门发文
    implementing_org: str  # 中国国际科技交流中心
    office: str  # 中国科协海智办


RecommenderKind = Literal[
    "national_society", "provincial_association", "cooperation_institution",
    "enterprise_association", "university_association", "international_organisation",
    "country_organisation", "alliance", "embassy", "other",
]

RECOMMENDER_KIND_CN: dict[str, str] = {
    "national_society": "全国学会",
    "provincial_association": "省级科协",
    "cooperation_institution": "海智计划合作机构",
    "enterprise_association": "企业科协",
    "university_association": "高校科协",
    "international_organisation": "国际科技组织",
    "country_organisation": "国别组织",
    "alliance": "学会（产学）联合体、“科创中国”联合体",
    "embassy": "我驻外使领馆",
    "other": "其他单位",
}


class Recommender(_M):
    name: str
    kind: RecommenderKind
    aliases: tuple[str, ...] = ()


class CoopNotice(_M):
    doc_number: str  # 科协外函〔2023〕32号
    title: str
    issued_on: dt.date  # 成文日期
    platform_deadline: dt.date  # 推荐单位审核后提交 … 于8月30日前完成
    min_years_registered: int  # 依法成立两年以上（含两年）
    quota_major: int  # 全国学会、省级科协、合作机构: 10
    quota_minor: int  # 企业科协、高校科协、国际组织…: 5
    major_kinds: tuple[RecommenderKind, ...]
    minor_kinds: tuple[RecommenderKind, ...]
    min_overseas_share: float  # 0.5
    profile_max_chars: int  # 500
    recent_work_max_chars: int  # 600
    contacts: tuple[str, ...]
    phone: str
    email: str

    @model_validator(mode="after")
    def _share(self) -> CoopNotice:
        if not 0 <= self.min_overseas_share <= 1:
            raise ValueError("min_overseas_share 应在 0 到 1 之间")
        return self


class BaseThresholds(_M):
    """Minimums for one base type; None where the notice sets none."""

    service_area: float | None = None  # 服务场地 m²
    staff_fulltime: int | None = None  # 配备专职人员
    work_funds: float | None = None  # 专项工作经费 万元/年
    linked_talents: int | None = None  # 长期联系海外科技人才
    overseas_partners: int | None = None  # 海外机构
    resident_companies: int | None = None  # 入驻企业
    resident_rd_institutions: int | None = None  # 入驻新型研发机构、国际科技组织办事机构
    talents_attracted: int | None = None  # 吸引来华创新创业海外科技人才
    international_organisations: int | None = None  # 与国际科技组织建立合作
    partner_proofs: int | None = None  # 与境外海智合作机构合作的证明材料
    support_letter: Literal["city", "provincial"]  # 地市政府 / 省政府支持函


class BaseNotice(_M):
    doc_number: str  # 科协外函〔2023〕30号
    title: str
    issued_on: dt.date | None  # 成文日期 (the 2023 seed text does not show it)
    deadline: dt.date  # 省级科协提交截止
    accepted_types: tuple[str, ...]  # full type names accepted this year
    paused_types: tuple[str, ...]  # e.g. 中国科协海外创新创业基地 in 2023
    thresholds: dict[Literal["工作基地", "离岸基地", "研发社区"], BaseThresholds]
    public_notice_days: int  # 公示时间不少于3天
    plan_years: tuple[int, int]  # 建设方案（2024-2026年）
    goal_years: int  # 未来3年
    foundation_max_chars: int  # 1000
    purpose_max_chars: int  # 600
    goals_max_chars: int  # 400
    policies_max_chars: int  # 1000
    contacts: tuple[str, ...]
    contact_org: str
    address: str
    postcode: str
    phone: str
    email: str


class Forwarding(_M):
    province: str  # 广东
    issuer: str  # 广东省科协办公室
    doc_number: str  # 粤科协办发〔2023〕30号
    issued_on: dt.date
    deadline: dt.date  # 于8月20日之前填报
    addressees: str
    mail_to: Mailing
    contacts: tuple[Contact, ...]
    email_hint: str = "工作邮箱"


class YearConfig(_M):
    year: int
    issuer: Issuer
    coop: CoopNotice
    base: BaseNotice
    forwarding: dict[str, Forwarding]  # by province short name
    recommenders: tuple[Recommender, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> YearConfig:
        for key, d in (("coop.issued_on", self.coop.issued_on), ("base.deadline", self.base.deadline)):
            if d.year != self.year:
                raise ValueError(f"{key} 的年份 {d.year} 与 year {self.year} 不一致")
        return self

    # --- helpers the templates and rules share ---------------------------------
    def quota_for(self, kind: str) -> int | None:
        if kind in self.coop.major_kinds:
            return self.coop.quota_major
        if kind in self.coop.minor_kinds:
            return self.coop.quota_minor
        return None

    def recommender(self, name: str) -> Recommender | None:
        n = "".join(name.split())
        for r in self.recommenders:
            if n == r.name or n in r.aliases:
                return r
        return None

    def text_limit(self, key: str) -> int | None:
        limits = {
            "profile": self.coop.profile_max_chars,
            "recent_work": self.coop.recent_work_max_chars,
            "foundation": self.base.foundation_max_chars,
            "purpose": self.base.purpose_max_chars,
            "goals": self.base.goals_max_chars,
            "policies": self.base.policies_max_chars,
        }
        return limits.get(key)


_ERR_CN = {
    "missing": "缺少此键",
    "extra_forbidden": "不认识的键（拼写错误？）",
    "date_from_datetime_parsing": "日期格式错误，应为 YYYY-MM-DD",
    "date_parsing": "日期格式错误，应为 YYYY-MM-DD",
    "date_type": "应为日期（YYYY-MM-DD）",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "string_type": "应为文字",
    "literal_error": "取值不在允许的范围内",
    "tuple_type": "应为列表",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
}


def _explain(err: ValidationError, source: str) -> ConfigError:
    lines = []
    for e in err.errors():
        key = ".".join(str(p) for p in e["loc"]) or "（顶层）"
        msg = _ERR_CN.get(e["type"])
        if msg is None:
            msg = str(e.get("ctx", {}).get("error") or e["msg"]).removeprefix("Value error, ")
        got = e.get("input")
        shown = "" if e["type"] == "missing" or isinstance(got, dict) else f"（当前值：{got!r}）"
        lines.append(f"  - {key}：{msg}{shown}")
    return ConfigError(f"年度配置 {source} 有 {len(lines)} 处错误：\n" + "\n".join(lines))


def parse_config(data: Any, source: str = "<config>") -> YearConfig:
    if not isinstance(data, dict):
        raise ConfigError(f"年度配置 {source} 的顶层应为映射（键: 值）")
    try:
        return YearConfig.model_validate(data)
    except ValidationError as e:
        raise _explain(e, source) from None


def load_config_file(path: str | Path) -> YearConfig:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"找不到年度配置文件：{p}") from None
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 (safe loader subclass)
    except yaml.YAMLError as e:
        raise ConfigError(f"年度配置 {p} 不是有效的 YAML：{e}") from None
    return parse_config(data, str(p))


def available_years() -> list[int]:
    return sorted(int(p.stem) for p in YEARS_DIR.glob("*.yaml") if p.stem.isdigit())


@cache
def load_year(year: int) -> YearConfig:
    """The bundled config for a year (fixtures/years/YYYY.yaml)."""
    p = YEARS_DIR / f"{year}.yaml"
    if not p.exists():
        have = "、".join(str(y) for y in available_years()) or "无"
        raise ConfigError(f"没有 {year} 年的年度配置（现有：{have}）。可用 --config 指定配置文件。")
    return load_config_file(p)


def resolve_config(year: int | None = None, config: str | Path | None = None) -> YearConfig:
    """--config wins over --year; without either, the newest bundled year."""
    if config:
        return load_config_file(config)
    if year is None:
        years = available_years()
        if not years:
            raise ConfigError("没有任何年度配置")
        year = years[-1]
    return load_year(year)
