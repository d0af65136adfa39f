"""The editable copy against the stamped scan."""

from __future__ import annotations

import copy

from haizhi.pipeline.validate.compare import compare_records
from tests.validate.helpers import base, coop, with_fields


def test_identical_and_whitespace_only_differences_match() -> None:
    a = coop()
    assert compare_records(a, coop()) == []
    b = with_fields(coop(), profile=a.fields["profile"].replace("\n", " \n  "),
                    name_cn="深圳湾海创 国际人才服务有限公司", registered_capital="1,200",
                    institution_types=["平台机构", "荐才机构"], overseas="否")
    assert compare_records(a, b) == []


def test_each_difference_is_a_finding_with_both_values() -> None:
    a = coop()
    b = with_fields(coop(), staff_total=64, head_mobile="13812345679", registered_on="2015-06")
    del b.fields["awards"]
    found = compare_records(a, b)
    assert {f.field for f in found} == {"staff_total", "head_mobile", "registered_on", "awards"}
    assert all(f.rule == "compare.mismatch" and f.severity == "warning" and f.basis for f in found)
    staff = next(f for f in found if f.field == "staff_total")
    assert "46" in staff.message and "64" in staff.message
    awards = next(f for f in found if f.field == "awards")
    assert "未读出" in awards.message


def test_different_forms() -> None:
    (f,) = compare_records(coop(), base())
    assert f.field is None and "基地申报表" in f.message


def test_base_numbers_compare_numerically() -> None:
    a = base()
    b = copy.deepcopy(a)
    b.fields["service_area"] = 800.0
    assert compare_records(a, b) == []
    b.fields["service_area"] = 80
    (f,) = compare_records(a, b)
    assert f.field == "service_area"
