"""Value normalisation as the contract lists it."""

from __future__ import annotations

import pytest

from haizhi.extractors.normalize import (
    clean_text,
    is_placeholder,
    norm_bool,
    norm_date,
    norm_int,
    norm_number,
    strip_signature_lines,
)


@pytest.mark.parametrize("raw, want", [
    ("2015年6月18日", "2015-06-18"),
    ("2015 年 6 月 18 日", "2015-06-18"),
    ("2015.6.18", "2015-06-18"),
    ("2015/06/18", "2015-06-18"),
    ("2015-6-18", "2015-06-18"),
    ("二〇一五年六月十八日", "2015-06-18"),
    ("二〇二〇年十二月三十一日", "2020-12-31"),
    ("二○一九年十月一日", "2019-10-01"),
    ("２０１５年６月１８日", "2015-06-18"),
    ("２０１５．０６．１８", "2015-06-18"),
    ("2015年6月", "2015-06"),
    ("2015.06", "2015-06"),
    ("二〇一五年六月", "2015-06"),
    ("20150618", "2015-06-18"),
    ("  2015年6月18日。 ", "2015-06-18"),
    ("", None),
    ("   ", None),
])
def test_dates(raw: str, want: str | None) -> None:
    assert norm_date(raw) == want


@pytest.mark.parametrize("raw", ["2015年2月30日", "2015年13月", "去年六月", "2015", "18/06/2015", "1850年1月1日"])
def test_bad_dates(raw: str) -> None:
    with pytest.raises(ValueError):
        norm_date(raw)


@pytest.mark.parametrize("raw, want", [
    ("1200", 1200), ("1,200", 1200), ("1，200", 1200), ("１，２００", 1200), ("1200万元", 1200),
    ("1,200 万元", 1200), ("1200.50", 1200.5), ("1200.0", 1200), ("500㎡", 500), ("500平方米", 500),
    ("约300平方米", 300), ("１５００", 1500), ("0", 0), ("12.75", 12.75), ("", None),
])
def test_numbers(raw: str, want: float | None) -> None:
    got = norm_number(raw)
    assert got == want and type(got) is type(want)


@pytest.mark.parametrize("raw", ["一千二百", "12,00", "1.2.3", "很多", "-", "1200美元"])
def test_bad_numbers(raw: str) -> None:
    with pytest.raises(ValueError):
        norm_number(raw)


@pytest.mark.parametrize("raw, want", [("46人", 46), ("４６", 46), ("46", 46), ("1,046人", 1046), ("6家", 6),
                                       ("3个", 3), ("46.0", 46)])
def test_ints(raw: str, want: int) -> None:
    got = norm_int(raw)
    assert got == want and isinstance(got, int)


def test_int_rejects_fraction() -> None:
    with pytest.raises(ValueError):
        norm_int("46.5人")


@pytest.mark.parametrize("raw, want", [
    ("是", True), ("否", False), ("Yes", True), ("no", False), ("☑是 □否", True), ("□是 ☑否", False),
    ("■是  □否", True), ("□是 √否", False), ("是或否", None), ("□是 □否", None), ("", None),
])
def test_bools(raw: str, want: bool | None) -> None:
    assert norm_bool(raw) is want


@pytest.mark.parametrize("raw", ["☑是 ☑否", "也许", "不清楚"])
def test_bad_bools(raw: str) -> None:
    with pytest.raises(ValueError):
        norm_bool(raw)


@pytest.mark.parametrize("ph", ["是或否", "下拉菜单", "（运营方向、发展历史等）", "(运营方向、发展历史等)",
                                "例：1.2019年,中国外国专家局授予中国国家外专局指定海外培训机构资格证书。",
                                "（上传JPEG或PDF格式文件）", "（请注明）", "（请简述基地区位条件、人才状况，1000字以内。）"])
def test_placeholders_are_not_values(ph: str) -> None:
    assert is_placeholder(ph)
    assert clean_text(ph) is None


def test_text_trimmed_inner_breaks_kept() -> None:
    assert clean_text("  第一段。 \n\n 第二段。\n ") == "第一段。\n\n第二段。"
    assert clean_text("（运营方向、发展历史等）\n公司简介正文") == "公司简介正文"
    assert clean_text("行业协会（请注明）") == "行业协会"


def test_signature_block_dropped_from_opinions() -> None:
    raw = "同意申报。\n单位名称：佛山市科协\n负责人（签字）：        （单位公章）\n2023年8月1日"
    assert strip_signature_lines(raw).strip() == "同意申报。"
    assert strip_signature_lines("同意推荐。\n年   月   日").strip() == "同意推荐。"


def test_handwriting_after_opinion_dropped_only_for_scans() -> None:
    raw = "同意推荐。      王五\n负责人签学：李"
    assert strip_signature_lines(raw, scanned=True).strip() == "同意推荐。"
    assert strip_signature_lines("同意推荐。      0", scanned=False).strip() == "同意推荐。    0"
