"""Rules for the base application form: thresholds per type from the year config."""

from __future__ import annotations

import pytest

from haizhi.pipeline.core.fields import BASE_TYPE_SHORT
from haizhi.pipeline.validate import record_status, validate_record
from haizhi.pipeline.validate.base import CLAUSE, THRESHOLD_FIELDS
from haizhi.pipeline.validate.common import fmt_num
from tests.validate.helpers import base, rules, with_fields

FULL = {short: full for full, short in BASE_TYPE_SHORT.items()}
ALL_FILES = [{"kind": "support_letter", "level": "provincial"}, {"kind": "plan"}, {"kind": "proof"},
             {"kind": "partner_proof", "count": 50}]


def of_type(short: str, cfg) -> object:
    """The example turned into a base of `short` type that meets every threshold."""
    th = cfg.base.thresholds[short]
    changes = {"base_type": FULL[short], "base_name": f"{FULL[short]}（佛山市顺德区）"}
    for key, field in THRESHOLD_FIELDS.items():
        need = getattr(th, key)
        if need is not None:
            changes[field] = need
    return with_fields(base(), **changes)


def _no_infos(found):
    return [f for f in found if f.severity != "info"]


def test_example_passes_cleanly(cfg2023) -> None:
    assert validate_record(base(), cfg2023) == []
    assert validate_record(with_fields(base(), applicant_opinion=None), cfg2023) == []  # optional


@pytest.mark.parametrize("cfg_name", ["cfg2023", "cfg2026"])
@pytest.mark.parametrize("short", ["工作基地", "离岸基地", "研发社区"])
def test_each_threshold_from_config(request, cfg_name, short) -> None:
    cfg = request.getfixturevalue(cfg_name)
    th = cfg.base.thresholds[short]
    at_threshold = of_type(short, cfg)
    assert _no_infos(validate_record(at_threshold, cfg)) == []  # "以上" includes the number itself
    checked = 0
    for key, field in THRESHOLD_FIELDS.items():
        need = getattr(th, key)
        if need is None:
            continue
        checked += 1
        below = with_fields(at_threshold, **{field: need - 1})
        (f,) = _no_infos(validate_record(below, cfg))
        assert (f.rule, f.field) == ("base.threshold", field)
        assert f.severity == ("warning" if key == "talents_attracted" else "error")
        assert f.basis == f"基地申报条件 {short}（{CLAUSE[short][key]}）"
        assert fmt_num(need - 1) in f.message and fmt_num(need) in f.message and short in f.message
    assert checked >= 3


def test_seed_threshold_clause_for_offshore_service_area(cfg2023) -> None:
    r = with_fields(of_type("离岸基地", cfg2023), service_area=4999)
    (f,) = _no_infos(validate_record(r, cfg2023))
    assert f.basis == "基地申报条件 离岸基地（3）" and "4999" in f.message and "5000" in f.message
    assert record_status([f]) == "不符合条件"


def test_international_organisations_is_an_info_for_reviewers(cfg2023) -> None:
    found = validate_record(of_type("研发社区", cfg2023), cfg2023)
    (f,) = found
    assert (f.rule, f.severity, f.field) == ("base.threshold_proof", "info", None)
    assert "国际科技组织" in f.message and str(cfg2023.base.thresholds["研发社区"].international_organisations) in f.message
    assert f.basis == "基地申报条件 研发社区（5）"
    assert record_status(found) == "通过"


def test_paused_type_rejected(cfg2023) -> None:
    paused = cfg2023.base.paused_types[0]
    r = with_fields(base(), base_type=paused, base_name=f"{paused}（顺德）")
    (f,) = validate_record(r, cfg2023)
    assert (f.rule, f.severity, f.field) == ("base.type_accepted", "error", "base_type")
    assert "暂不接受申报" in f.message and f.basis == "《通知》一、申报条件（引言）"


def test_type_short_name_and_unknown(cfg2023) -> None:
    (f,) = validate_record(with_fields(base(), base_type="工作基地"), cfg2023)
    assert f.severity == "warning" and "全称" in f.message
    found = validate_record(with_fields(base(), base_type="人才驿站"), cfg2023)
    assert rules(found) == {("base.type_accepted", "warning", "base_type")}
    assert found[0].basis == "填表说明 二"


@pytest.mark.parametrize("name,ok", [
    ("中国科协海智工作基地（佛山市顺德区）", True),
    ("中国科协海智工作基地(佛山市顺德区)", True),
    ("佛山市顺德区海智工作基地", False),
    ("海智国际研发社区（佛山市顺德区）", False),
    ("中国科协海智工作基地（）", False),
])
def test_base_name_format(cfg2023, name, ok) -> None:
    found = validate_record(with_fields(base(), base_name=name), cfg2023)
    if ok:
        assert found == []
    else:
        assert rules(found) == {("base.name_format", "warning", "base_name")}
        assert found[0].basis == "填表说明 一"


@pytest.mark.parametrize("key", ["foundation", "purpose", "goals", "policies"])
def test_section_limits(cfg2023, cfg2026, key) -> None:
    for cfg in (cfg2023, cfg2026):
        limit = cfg.text_limit(key)
        assert validate_record(with_fields(base(), **{key: "海" * limit}), cfg) == []
        (f,) = validate_record(with_fields(base(), **{key: "海" * (limit + 1)}), cfg)
        assert (f.rule, f.field) == ("base.text_length", key) and f"{limit} 字" in f.message


@pytest.mark.parametrize("changes,rule,field", [
    ({"head_phone": "2238123"}, "base.phone", "head_phone"),
    ({"contact_mobile": "0757-22385678"}, "base.mobile", "contact_mobile"),
    ({"email": "haizhi@sdkx"}, "base.email", "email"),
    ({"staff_fulltime": 13}, "base.staff_counts", "staff_fulltime"),
    ({"purpose": None}, "base.required", "purpose"),
])
def test_other_base_rules(cfg2023, changes, rule, field) -> None:
    found = validate_record(with_fields(base(), **changes), cfg2023)
    assert rules(found) == {(rule, "warning", field)}


def test_scan_needs_signature_and_three_seals(cfg2023) -> None:
    r = base()
    r.source["method"] = "ocr"
    r.marks = {"head_signed": True, "applicant_sealed": True, "city_sealed": False, "provincial_sealed": True}
    (f,) = validate_record(r, cfg2023)
    assert f.rule == "base.signatures_seals" and "所在地市科协" in f.message and "八、单位意见" in f.basis
    r.marks["city_sealed"] = True
    assert validate_record(r, cfg2023) == []
    r.marks["head_signed"] = None
    (f,) = validate_record(r, cfg2023)
    assert "签字" in f.message and "承诺" in f.basis


def test_attachments_when_files_known(cfg2023) -> None:
    r = base()  # 工作基地: city support letter
    assert validate_record(r, cfg2023) == []  # files unknown: not checked
    assert validate_record(r, cfg2023, files=[{"kind": "support_letter", "level": "city"},
                                              {"kind": "plan"}, {"kind": "proof"}]) == []
    found = validate_record(r, cfg2023, files=[])
    assert len(found) == 3 and {f.rule for f in found} == {"base.attachments"}
    assert any("地市政府支持函" in f.message for f in found)


def test_offshore_needs_provincial_letter_and_partner_proofs(cfg2023) -> None:
    r = of_type("离岸基地", cfg2023)
    need = cfg2023.base.thresholds["离岸基地"].partner_proofs
    assert cfg2023.base.thresholds["离岸基地"].support_letter == "provincial"
    files = [{"kind": "support_letter", "level": "city"}, {"kind": "plan"}, {"kind": "proof"},
             *[{"kind": "partner_proof"}] * (need - 1)]
    found = validate_record(r, cfg2023, files=files)
    msgs = " ".join(f.message for f in found)
    assert len(found) == 2 and "省政府支持函" in msgs and f"实有 {need - 1}" in msgs
    assert validate_record(r, cfg2023, files=ALL_FILES) == []
    # files unknown: reviewers are reminded of the partner proofs
    (f,) = validate_record(r, cfg2023)
    assert f.severity == "info" and str(need) in f.message


def test_value_types_and_none_written_as_wu(cfg2023) -> None:
    (f,) = validate_record(with_fields(base(), established_on="不详"), cfg2023)
    assert (f.rule, f.field) == ("base.value_type", "established_on")
    assert validate_record(with_fields(base(), overseas_stations="无"), cfg2023) == []  # 填表说明 四
    (f,) = validate_record(with_fields(base(), linked_talents="无"), cfg2023)  # "无" is none: below 20
    assert (f.rule, f.severity, f.field) == ("base.threshold", "error", "linked_talents")
