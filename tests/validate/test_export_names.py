"""Output file names built from institution names are safe everywhere."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haizhi.pipeline.export.names import FORBIDDEN, MAX_BYTES, RESERVED, safe_name, unique_name


@pytest.mark.parametrize("name,want", [
    ("深圳湾海创国际人才服务有限公司", "深圳湾海创国际人才服务有限公司"),
    ("../../etc/passwd", "etc_passwd"),
    ("a\\b/c", "a_b_c"),
    ("..", "未命名"),
    ("", "未命名"),
    ("CON", "_CON"),
    ("nul.docx", "_nul.docx"),
    ("com1", "_com1"),
    ("机构名称。。..", "机构名称。。"),
    ('A<B>C:D"E|F?G*H', "A_B_C_D_E_F_G_H"),
    ("第一行\n第二行\t名称", "第一行 第二行 名称"),
    ("abc\u202edocx.exe", "abc_docx.exe"),  # bidi override is not kept
])
def test_examples(name: str, want: str) -> None:
    assert safe_name(name) == want


def test_long_names_are_cut_by_bytes() -> None:
    s = safe_name("海" * 500)
    assert len(s.encode("utf-8")) <= MAX_BYTES and s.startswith("海海")


@given(st.text(max_size=400))
def test_any_name_is_safe(name: str) -> None:
    s = safe_name(name)
    assert s and s not in (".", "..")
    assert not (set(s) & FORBIDDEN)
    assert all(ord(ch) >= 32 and ch != "\x7f" for ch in s)
    assert not s.endswith((".", " ")) and not s.startswith((".", " "))
    assert len(s.encode("utf-8")) <= MAX_BYTES
    assert s.split(".", 1)[0].rstrip(" ").upper() not in RESERVED


def test_unique_names_case_insensitive() -> None:
    used: set[str] = set()
    assert [unique_name(n, used) for n in ("甲", "甲", "Abc", "abc", "甲")] == ["甲", "甲（2）", "Abc", "abc（2）", "甲（3）"]
