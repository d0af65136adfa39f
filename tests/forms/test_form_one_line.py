"""Pre-filled coop form: mobiles, e-mails, dates and numbers that fit a line are printed on one line.

The form is rendered from a record, converted by the warm LibreOffice converter, and its PDF text read
line by line with pdfplumber: each value must appear whole within one printed line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from haizhi.pipeline.core.config import YearConfig
from haizhi.pipeline.core.fields import COOP
from haizhi.pipeline.core.record import Record
from haizhi.pipeline.generate.forms import render_form
from haizhi.pipeline.office.convert import shared_converter

VALUES = {
    "head_mobile": "14700464651",
    "contact_mobile": "19912345678",
    "head_email": "zhangwei.intl-office@szbay.com",
    "contact_email": "international.coop@haizhi.org",
    "registered_on": "2019-12-28",
    "registered_capital": 123456.78,
    "credit_code": "91440300MA5FXT3K4L",
    "registered_address": "广东省深圳市南山区粤海街道科技南十二路18号A座1203室",
}
PRINTED = {  # how each value reads in the printed form
    "head_mobile": "14700464651",
    "contact_mobile": "19912345678",
    "head_email": "zhangwei.intl-office@szbay.com",
    "contact_email": "international.coop@haizhi.org",
    "registered_on": "2019年12月28日",
    "registered_capital": "123456.78",
    "credit_code": "91440300MA5FXT3K4L",
    "registered_address": VALUES["registered_address"],
}


@pytest.fixture(scope="module")
def printed_lines(tmp_path_factory, cfg2026: YearConfig) -> list[str]:
    from haizhi.pipeline.core.record import load_record
    from tests.conftest import FIXTURES

    rec: Record = load_record(FIXTURES / "records" / "coop_example.json")
    rec.fields.update(VALUES)
    out: Path = tmp_path_factory.mktemp("form")
    docx_path = out / "预填合作机构信息表.docx"
    docx_path.write_bytes(render_form(rec, COOP, cfg2026))
    pdf = shared_converter().convert(docx_path, out / "预填合作机构信息表.pdf")
    with pdfplumber.open(pdf) as doc:
        text = "\n".join(page.extract_text() for page in doc.pages)
    return [re.sub(r"\s+", "", line) for line in text.splitlines()]


def test_values_are_the_lengths_the_issue_names() -> None:
    assert all(len(VALUES[k]) == 11 and VALUES[k].isdigit() for k in ("head_mobile", "contact_mobile"))
    assert len(VALUES["head_email"]) == 30 and len(VALUES["contact_email"]) == 29


@pytest.mark.parametrize("key", list(PRINTED))
def test_value_printed_on_one_line(printed_lines: list[str], key: str) -> None:
    want = PRINTED[key]
    assert any(want in line for line in printed_lines), (
        f"{key} {want!r} is broken across lines: " + " | ".join(ln for ln in printed_lines if want[:4] in ln))


BASE_VALUES = {"contact_mobile": "13725896314", "email": "zhangwei.intl-office@szbay.com",
               "established_on": "2018-12-28"}
BASE_PRINTED = {"contact_mobile": "13725896314", "email": "zhangwei.intl-office@szbay.com",
                "established_on": "2018年12月28日"}


@pytest.fixture(scope="module")
def base_lines(tmp_path_factory, cfg2026: YearConfig) -> list[str]:
    from haizhi.pipeline.core.fields import BASE
    from haizhi.pipeline.core.record import load_record
    from tests.conftest import FIXTURES

    rec: Record = load_record(FIXTURES / "records" / "base_example.json")
    rec.fields.update(BASE_VALUES)
    out: Path = tmp_path_factory.mktemp("base")
    docx_path = out / "预填基地申报表.docx"
    docx_path.write_bytes(render_form(rec, BASE, cfg2026))
    pdf = shared_converter().convert(docx_path, out / "预填基地申报表.pdf")
    with pdfplumber.open(pdf) as doc:
        text = "\n".join(page.extract_text() for page in doc.pages)
    return [re.sub(r"\s+", "", line) for line in text.splitlines()]


@pytest.mark.parametrize("key", list(BASE_PRINTED))
def test_base_form_value_printed_on_one_line(base_lines: list[str], key: str) -> None:
    want = BASE_PRINTED[key]
    assert any(want in line for line in base_lines), key
