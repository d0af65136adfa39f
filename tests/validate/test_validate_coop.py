"""Rules for the cooperation-institution form: one failing and one passing record per rule."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from haizhi.pipeline.validate import record_status, validate_record
from haizhi.pipeline.validate.common import add_years
from tests.validate.helpers import coop, rules, with_fields

OVERSEAS = {"overseas": True, "country": "美国", "credit_code": "C4123567", "head_mobile": "+1 650 555 0134",
            "contact_mobile": "+1 650 555 0135"}


def test_examples_pass_cleanly(cfg2023) -> None:
    assert validate_record(coop(), cfg2023) == []
    assert validate_record(with_fields(coop(), **OVERSEAS), cfg2023) == []
    assert record_status([]) == "通过"


# (changes, rule, severity, field) — each breaks exactly one rule of the otherwise clean example
BREAKS = [
    ({"name_en": None}, "coop.required", "warning", "name_en"),
    ({"profile": "  "}, "coop.required", "warning", "profile"),
    ({"credit_code": "91440300MA5FXT3K4M"}, "coop.credit_code", "warning", "credit_code"),
    ({"credit_code": "914403"}, "coop.credit_code", "warning", "credit_code"),
    ({**OVERSEAS, "credit_code": "无"}, "coop.credit_code", "warning", "credit_code"),
    ({"overseas": True}, "coop.overseas_country", "warning", "country"),
    ({"country": "美国"}, "coop.overseas_country", "warning", "country"),
    ({"country": "中国香港"}, "coop.overseas_country", "warning", "country"),  # 境外 though Chinese
    ({**OVERSEAS, "country": None}, "coop.overseas_country", "warning", "country"),
    ({"head_mobile": "0755-26881234"}, "coop.mobile", "warning", "head_mobile"),
    ({"contact_mobile": "1398765432"}, "coop.mobile", "warning", "contact_mobile"),
    ({"head_email": "chenlp＠szbay-talent.cn"}, "coop.email", "warning", "head_email"),
    ({"contact_email": "liuxy@szbay-talent"}, "coop.email", "warning", "contact_email"),
    ({"area_total": 1600}, "coop.area_sum", "warning", "area_total"),
    ({"staff_overseas": 47}, "coop.staff_counts", "warning", "staff_overseas"),
    ({"staff_postgrad": 50}, "coop.staff_counts", "warning", "staff_postgrad"),
    ({"institution_types": ["荐才机构", "中介机构"]}, "coop.institution_types", "warning", "institution_types"),
    ({"institution_nature": ["企业", "投资机构"]}, "coop.institution_nature", "warning", "institution_nature"),
    ({"institution_nature": "综合或其他"}, "coop.other_specified", "warning", "institution_nature_other"),
    ({"services_other": None}, "coop.other_specified", "warning", "services_other"),
    ({"recent_work": "We organised 32 matchmaking events for overseas talents in the last two years."},
     "coop.chinese_text", "warning", "recent_work"),
    ({"head_title": "CEO"}, "coop.chinese_text", "warning", "head_title"),
    ({"country": "China"}, None, None, None),  # an English country name for China: consistent but not Chinese
]


@pytest.mark.parametrize("changes,rule,severity,field", BREAKS)
def test_each_rule_breaks(cfg2023, changes, rule, severity, field) -> None:
    found = validate_record(with_fields(coop(), **changes), cfg2023)
    if rule is None:
        assert rules(found) == {("coop.chinese_text", "warning", "country")}
        return
    assert rules(found) == {(rule, severity, field)}, found
    f = found[0]
    assert f.basis and f.message
    assert record_status(found) == "需补正"


def test_missing_required_key_says_not_found(cfg2023) -> None:
    r = coop()
    del r.fields["legal_representative"]
    (f,) = validate_record(r, cfg2023)
    assert (f.rule, f.field) == ("coop.required", "legal_representative") and "未找到" in f.message


def test_optional_fields_may_be_empty(cfg2023) -> None:
    assert validate_record(with_fields(coop(), awards=None, institution_nature_other=None), cfg2023) == []


@pytest.mark.parametrize("cfg_name", ["cfg2023", "cfg2026"])
def test_established_years_from_config(request, cfg_name) -> None:
    cfg = request.getfixturevalue(cfg_name)
    ref, years = cfg.coop.issued_on, cfg.coop.min_years_registered
    exactly = add_years(ref, -years)  # "两年以上（含两年）": the anniversary itself passes
    assert validate_record(with_fields(coop(), registered_on=exactly.isoformat()), cfg) == []
    too_young = exactly + dt.timedelta(days=1)
    (f,) = validate_record(with_fields(coop(), registered_on=too_young.isoformat()), cfg)
    assert (f.rule, f.severity, f.field) == ("coop.established_two_years", "error", "registered_on")
    assert f.basis == "合作机构认定条件（一）"
    assert too_young.isoformat() in f.message and ref.isoformat() in f.message and str(years) in f.message
    assert record_status([f]) == "不符合条件"


def test_established_month_only_is_judged_fairly(cfg2023) -> None:
    ref, years = cfg2023.coop.issued_on, cfg2023.coop.min_years_registered
    month = add_years(ref, -years)  # 2021-07: passes if registered by the 24th, not after
    (f,) = validate_record(with_fields(coop(), registered_on=f"{month.year}-{month.month:02d}"), cfg2023)
    assert f.severity == "warning" and "最后一天" in f.message
    before = add_years(ref, -years).replace(day=1) - dt.timedelta(days=1)
    assert validate_record(with_fields(coop(), registered_on=f"{before.year}-{before.month:02d}"), cfg2023) == []
    after = month.replace(day=28) + dt.timedelta(days=7)
    (f,) = validate_record(with_fields(coop(), registered_on=f"{after.year}-{after.month:02d}"), cfg2023)
    assert f.severity == "error"


def test_established_unreadable_or_future(cfg2023) -> None:
    (f,) = validate_record(with_fields(coop(), registered_on="去年"), cfg2023)
    assert f.severity == "warning"
    (f,) = validate_record(with_fields(coop(), registered_on="2024-03-01"), cfg2023)
    assert f.severity == "error" and "晚于" in f.message


@pytest.mark.parametrize("cfg_name", ["cfg2023", "cfg2026"])
@pytest.mark.parametrize("key", ["profile", "recent_work"])
def test_text_limits_from_config(request, cfg_name, key) -> None:
    cfg = request.getfixturevalue(cfg_name)
    limit = cfg.text_limit(key)
    at_limit = ("海" * (limit - 10)) + " \n" + ("智" * 10)  # whitespace is not counted
    assert validate_record(with_fields(coop(), **{key: at_limit}), cfg) == []
    (f,) = validate_record(with_fields(coop(), **{key: at_limit + "。"}), cfg)
    assert (f.rule, f.field) == ("coop.text_length", key)
    assert f"{limit + 1} 字" in f.message and f"{limit} 字" in f.message and "空格" in f.message
    assert str(limit) in f.basis


def test_scan_needs_all_signatures_and_seals(cfg2023) -> None:
    r = coop()
    r.source["method"] = "ocr"
    found = validate_record(r, cfg2023)
    assert len(found) == 4 and {f.rule for f in found} == {"coop.signatures_seals"}
    assert all("无法判断" in f.message for f in found)
    r.marks = {"recommender_signed": True, "recommender_sealed": True, "institution_signed": True,
               "institution_sealed": False}
    (f,) = validate_record(r, cfg2023)
    assert "未检出公章" in f.message and "被推荐机构" in f.message and "承诺书" in f.basis
    r.marks["institution_sealed"] = True
    assert validate_record(r, cfg2023) == []


def test_marks_from_pdf_are_checked_even_without_ocr(cfg2023) -> None:
    r = coop()
    r.source["method"] = "pdf_text"
    r.marks = {"recommender_signed": True, "recommender_sealed": None, "institution_signed": True,
               "institution_sealed": True}
    assert len(validate_record(r, cfg2023)) == 1
    r.marks = {k: None for k in r.marks}  # editable file: marks cannot be shown, not checked
    assert validate_record(r, cfg2023) == []


def test_registration_proof_attachment(cfg2023) -> None:
    assert validate_record(coop(), cfg2023, files=[{"kind": "proof"}]) == []
    (f,) = validate_record(coop(), cfg2023, files=[])
    assert f.rule == "coop.attachment_registration"


def test_many_problems_at_once_keep_worst_status(cfg2023) -> None:
    r = with_fields(copy.deepcopy(coop()), head_mobile="123", registered_on="2023-01-01")
    found = validate_record(r, cfg2023)
    assert {f.severity for f in found} == {"error", "warning"}
    assert record_status(found) == "不符合条件"


@pytest.mark.parametrize("changes,field,why", [
    ({"staff_total": "四十六"}, "staff_total", "应为数字"),
    ({"area_owned": -5, "area_total": 995}, "area_owned", "负数"),
    ({"staff_postgrad": 4.5}, "staff_postgrad", "整数"),
    ({"registered_capital": "很多"}, "registered_capital", "应为数字"),
])
def test_value_types(cfg2023, changes, field, why) -> None:
    (f,) = validate_record(with_fields(coop(), **changes), cfg2023)
    assert (f.rule, f.field) == ("coop.value_type", field) and why in f.message


def test_hong_kong_is_overseas(cfg2023) -> None:
    assert validate_record(with_fields(coop(), **{**OVERSEAS, "country": "中国香港"}), cfg2023) == []


def test_domestic_country_may_be_empty(cfg2023) -> None:
    assert validate_record(with_fields(coop(), country=None), cfg2023) == []
    assert validate_record(with_fields(coop(), country="中华人民共和国"), cfg2023) == []
