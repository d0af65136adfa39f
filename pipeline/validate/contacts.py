"""Phone numbers and e-mail addresses, checked with libraries made for them.

Numbers: `phonenumbers` (libphonenumber's metadata) per country. A number written with
+country code is checked for that country; one without is checked for the country the
institution is registered in (an overseas institution's staff write their local format),
and also accepted when it is a valid mainland number, since contacts of an overseas
institution are often in China. E-mail: `email-validator` (syntax only, no DNS).
Country names in Chinese or English map to ISO regions through Babel's CLDR names.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import phonenumbers as pn
from babel import Locale
from email_validator import EmailNotValidError, validate_email

CN = "CN"
_EXT = re.compile(r"\s*(?:转|分机|-?ext\.?|x)\s*(\d{1,6})\s*$", re.I)
_MOBILE_TYPES = {pn.PhoneNumberType.MOBILE, pn.PhoneNumberType.FIXED_LINE_OR_MOBILE}
# names people write that CLDR spells differently
_ALIASES = {
    "美国": "US", "USA": "US", "U.S.": "US", "U.S.A.": "US", "UK": "GB", "英国": "GB", "英格兰": "GB",
    "香港": "HK", "中国香港": "HK", "澳门": "MO", "中国澳门": "MO", "台湾": "TW", "中国台湾": "TW",
    "韩国": "KR", "南韩": "KR", "朝鲜": "KP", "俄罗斯": "RU", "荷兰": "NL", "新西兰": "NZ",
}


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", s)).strip().casefold()


@cache
def _names() -> dict[str, str]:
    out: dict[str, str] = {}
    for loc in ("en", "zh", "zh_Hant"):
        for code, name in Locale.parse(loc).territories.items():
            if len(code) == 2 and code.isalpha():
                out.setdefault(_norm(name), code)
    out.update({_norm(k): v for k, v in _ALIASES.items()})
    return out


def region_of(country: object) -> str | None:
    """ISO 3166 region of a country name (中文 or English), None if unknown."""
    if not isinstance(country, str) or not country.strip():
        return None
    s = _norm(country)
    if len(s) == 2 and s.isalpha() and s.upper() in pn.SUPPORTED_REGIONS:
        return s.upper()
    names = _names()
    return names.get(s) or names.get(s.removesuffix("特别行政区")) or names.get(s.removeprefix("中国"))


def _country_cn(region: str) -> str:
    return Locale.parse("zh").territories.get(region, region)


def _parse(value: str, region: str) -> pn.PhoneNumber | None:
    s = unicodedata.normalize("NFKC", value).strip()
    m = _EXT.search(s)
    ext = None
    if m:
        s, ext = s[:m.start()], m.group(1)
    if s.startswith("00"):
        s = "+" + s[2:]
    try:
        n = pn.parse(s, region)
    except pn.NumberParseException:
        return None
    if ext:
        n.extension = ext
    return n


def _problem(value: str, region: str, mobile: bool) -> str | None:
    body = _EXT.sub("", re.sub(r"[\s\-()（）.]", "", unicodedata.normalize("NFKC", value)))
    if not re.fullmatch(r"\+?\d+", body):
        return "含有非数字字符"
    if len(body.lstrip("+0")) > 15:
        return "号码不应超过 15 位数字（含国家代码）"
    for r in dict.fromkeys((region, CN)):  # the institution's country, then mainland
        n = _parse(value, r)
        if n is None or not pn.is_valid_number(n):
            continue
        if mobile and pn.region_code_for_number(n) == CN and pn.number_type(n) not in _MOBILE_TYPES:
            return "这是固定电话，不是手机号"
        return None
    n = _parse(value, region)
    where = pn.region_code_for_country_code(n.country_code) if n is not None else region
    if where == CN:
        national = str(n.national_number) if n is not None else body
        if national.startswith("1") and len(national) != 11:
            return f"大陆手机号应为 11 位（实为 {len(national)} 位）"
        if national.startswith("1"):
            return f"{national[:3]} 不是大陆手机号段（应以 13—19 开头且号段已分配）"
        if mobile:
            return "不是手机号：大陆手机号为 11 位（1[3-9] 开头），境外号码请写国家代码（如 +1、+44）"
        return "应为固定电话（区号-号码）或手机号，境外号码请写国家代码"
    return f"不是有效的{_country_cn(where)}号码（位数或号段不符）"


def mobile_problem(value: str, region: str = CN) -> str | None:
    """None if `value` is a valid mobile (mainland) or a valid number of `region`/its +country code."""
    return _problem(value, region or CN, mobile=True)


def phone_problem(value: str, region: str = CN) -> str | None:
    """A telephone field: landline (区号-号码[转分机]) or mobile, checked per country."""
    return _problem(value, region or CN, mobile=False)


def email_problem(value: str) -> str | None:
    s = value.strip()
    if "＠" in s or "。" in s:
        return "含有全角字符（＠ 或 。），应为半角"
    if any(ch.isspace() for ch in s):
        return "含有空格"
    if s.count("@") != 1:
        return "应含有且仅含有一个 @"
    try:
        ok = validate_email(s, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        return "格式不正确（应如 name@example.cn）"
    tld = ok.ascii_domain.rsplit(".", 1)[-1]
    if len(tld) < 2 or not (tld.isalpha() or tld.startswith("xn--")):  # no real top-level domain is shorter
        return "格式不正确（应如 name@example.cn）"
    return None
