"""Phone numbers per country (phonenumbers) and e-mail syntax (email-validator)."""

from __future__ import annotations

import pytest

from haizhi.pipeline.validate import validate_record
from haizhi.pipeline.validate.contacts import email_problem, mobile_problem, phone_problem, region_of
from tests.validate.helpers import coop, with_fields

# (country as written on the form, a valid local number, the same number one digit short)
COUNTRIES = [
    ("德国", "0151 23456789", "0151 2345678"),
    ("新加坡", "8123 4567", "8123 456"),
    ("美国", "(650) 253-0000", "(650) 253-000"),
]


def _overseas(country: str, mobile: str):
    return with_fields(coop(), overseas=True, country=country, credit_code="C4123567",
                       head_mobile=mobile, contact_mobile="+1 650 253 0001")


@pytest.mark.parametrize("country,good,short", COUNTRIES)
def test_overseas_numbers_checked_for_the_institutions_country(cfg2023, country, good, short) -> None:
    assert [f for f in validate_record(_overseas(country, good), cfg2023) if f.field == "head_mobile"] == []
    bad = [f for f in validate_record(_overseas(country, short), cfg2023) if f.field == "head_mobile"]
    assert [f.rule for f in bad] == ["coop.mobile"]
    assert country in bad[0].message  # says which country's numbering it broke


@pytest.mark.parametrize("number", ["+49 151 23456789", "+65 6123 4567", "+1 650 253 0000"])
def test_country_code_wins_over_the_form(number: str) -> None:
    assert mobile_problem(number, "SG") is None
    assert mobile_problem(number[:-2], "SG") is not None


def test_mainland_mobile_of_an_overseas_institution_passes() -> None:
    assert mobile_problem("13812345678", "DE") is None
    assert mobile_problem("1381234567", "DE") is not None


def test_mainland_landline_is_not_a_mobile_but_is_a_phone() -> None:
    assert "不是手机号" in (mobile_problem("0755-26881234") or "")
    assert phone_problem("0755-26881234") is None
    assert phone_problem("0755-2688123") is not None


@pytest.mark.parametrize("name,code", [("德国", "DE"), ("Germany", "DE"), ("新加坡", "SG"), ("美国", "US"),
                                       ("USA", "US"), ("中国香港", "HK"), ("英国", "GB"), ("  日本 ", "JP")])
def test_country_names_map_to_regions(name: str, code: str) -> None:
    assert region_of(name) == code


def test_unknown_country_has_no_region() -> None:
    assert region_of("火星共和国") is None
    assert region_of(None) is None


@pytest.mark.parametrize("e", ["bad@-x.cn", "a@b..cn", "a.@b.cn", "a@localhost"])
def test_library_rejects_what_a_simple_pattern_misses(e: str) -> None:
    assert email_problem(e) is not None
