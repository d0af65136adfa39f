"""Shared checks: GB 32100-2015 credit codes, phones, e-mails, Chinese text, counting, dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haizhi.pipeline.validate.common import (
    USCC_ALPHABET,
    add_years,
    cjk_share,
    count_chars,
    email_problem,
    is_uscc,
    mobile_problem,
    parse_date,
    phone_problem,
    regno_problem,
    uscc_check_char,
    uscc_problem,
)

# published codes of well-known companies (business licence registry)
REAL_CODES = ["914403001922038216", "91440300708461136T", "91330100716105852F", "91110000802100433B"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_credit_codes_pass(code: str) -> None:
    assert is_uscc(code)
    assert is_uscc(code.lower())  # case and spaces are forgiven
    assert is_uscc(code[:6] + " " + code[6:])


@pytest.mark.parametrize("code", REAL_CODES)
def test_wrong_check_character_is_named(code: str) -> None:
    wrong = USCC_ALPHABET[(USCC_ALPHABET.index(code[-1]) + 1) % 31]
    problem = uscc_problem(code[:17] + wrong)
    assert problem is not None and f"应为 {code[-1]}" in problem


@pytest.mark.parametrize("code,why", [
    ("91440300MA5FXT3K4", "18 位"),
    ("91440300MA5FXT3K4LX", "18 位"),
    ("91440300MA5FXTOK4L", "不允许的字符"),  # O is not used
    ("9144AB00MA5FXT3K4L", "行政区划码"),
])
def test_malformed_codes(code: str, why: str) -> None:
    problem = uscc_problem(code)
    assert problem is not None and why in problem


_body = st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17).map(lambda s: s[:2] + "110108" + s[8:])


@given(_body, st.integers(0, 16), st.sampled_from(USCC_ALPHABET))
def test_check_character_catches_any_single_substitution(body: str, pos: int, ch: str) -> None:
    code = body + uscc_check_char(body)
    assert is_uscc(code)
    if ch != code[pos] and not (2 <= pos < 8 and not ch.isdigit()):
        changed = code[:pos] + ch + code[pos + 1:]
        assert not is_uscc(changed)


@pytest.mark.parametrize("m", ["13812345678", "199 1234 5678", "+86 138-1234-5678", "008613812345678",
                               "+1 650 555 0134", "+44 20 7946 0958", "+852 9123 4567", "１３８１２３４５６７８"])
def test_valid_mobiles(m: str) -> None:
    assert mobile_problem(m) is None


@pytest.mark.parametrize("m,why", [("12812345678", "13—19"), ("1381234567", "11 位"), ("0755-26881234", "不是手机号"),
                                   ("+86 12812345678", "13—19"), ("138abc45678", "非数字"),
                                   ("+1234567890123456", "15 位")])
def test_invalid_mobiles(m: str, why: str) -> None:
    problem = mobile_problem(m)
    assert problem is not None and why in problem


def test_phone_accepts_landlines_and_mobiles() -> None:
    assert phone_problem("0757-22381234") is None
    assert phone_problem("010-62174066转8001") is None
    assert phone_problem("13725896314") is None
    assert phone_problem("22381234") is not None


@pytest.mark.parametrize("e", ["a@b.cn", "liu.xy@szbay-talent.cn", "x+y@mail.example.org"])
def test_valid_emails(e: str) -> None:
    assert email_problem(e) is None


@pytest.mark.parametrize("e,why", [("a＠b.cn", "全角"), ("a b@c.cn", "空格"), ("ab.cn", "@"), ("a@@b.cn", "@"),
                                   ("a@b", "格式"), ("a@b.c", "格式")])
def test_invalid_emails(e: str, why: str) -> None:
    problem = email_problem(e)
    assert problem is not None and why in problem


def test_registration_numbers() -> None:
    assert regno_problem("HRB 204518") is None
    assert regno_problem("C4123567") is None
    assert regno_problem("无") is not None
    assert regno_problem("ABCDEF") is not None  # no digit
    assert regno_problem("1") is not None


def test_cjk_share_and_counting() -> None:
    assert cjk_share("专注于海外人才服务") == 1.0
    assert cjk_share("We serve overseas talents") == 0.0
    assert cjk_share("2023") is None
    assert 0.5 < cjk_share("建设AI平台服务海外人才") < 1.0  # a few Latin letters are fine
    assert count_chars("海智 计划\n合作　机构\t") == 8  # spaces, full-width spaces, breaks not counted


def test_dates() -> None:
    assert parse_date("2015-06-18") == (dt.date(2015, 6, 18),) * 2
    assert parse_date("2021-02") == (dt.date(2021, 2, 1), dt.date(2021, 2, 28))
    assert parse_date("2015-13-01") is None
    assert parse_date("去年") is None
    assert add_years(dt.date(2020, 2, 29), 2) == dt.date(2022, 2, 28)
