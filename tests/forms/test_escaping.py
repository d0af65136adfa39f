"""Values that look like markup or tags are printed literally, in the DOCX and in the PDF."""

from __future__ import annotations

import importlib
import io
import subprocess

import docx
import pytest

from haizhi.pipeline.core.fields import COOP
from haizhi.pipeline.core.record import Finding
from haizhi.pipeline.generate.approval_sheet import render_approval_sheet
from haizhi.pipeline.generate.forms import render_form
from tests.forms.helpers import docx_text, squash

NASTY = {
    "name_cn": "A<B>&C \"双引号\" '单引号'",
    "name_en": "{{ r.credit_code }} and {% if true %}x{% endif %}",
    "legal_representative": "{{ 7*7 }}",
    "profile": "第一行 <w:t>&amp;\n第二行 {# comment #} }} %} {{",
    "services_other": "</w:t></w:r><w:r><w:t>injected",
}
CONTROL = {"contact_address": "北京市\x0b海淀区\x07学院路\x00"}  # Word's manual break, BEL, NUL


@pytest.fixture
def nasty_record(coop_record):
    coop_record.fields.update(NASTY)
    return coop_record


def test_special_characters_literal_in_docx(cfg2023, nasty_record):
    data = render_form(nasty_record, COOP, cfg2023)
    doc = docx.Document(io.BytesIO(data))  # still valid XML
    text = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    for v in NASTY.values():
        for line in v.split("\n"):
            assert line in text, line
    assert "49" not in docx_text(data)  # {{ 7*7 }} not evaluated
    assert "91440300MA5FXT3K4L and" not in text


def test_control_characters_do_not_break_the_docx(cfg2023, coop_record):
    coop_record.fields.update(CONTROL)
    data = render_form(coop_record, COOP, cfg2023)
    text = docx_text(data)
    assert "北京市" in text and "海淀区学院路" in text
    f = Finding("x", "warning", "contact_address", "含控制字符\x01的说明", None)
    assert "含控制字符的说明" in docx_text(render_approval_sheet(coop_record, [f], cfg2023))


def test_special_characters_literal_in_approval_sheet(cfg2023, nasty_record):
    f = Finding("x", "error", "name_cn", "名称含 <特殊> & {{ 字符 }}", "依据 {% raw %}")
    text = docx_text(render_approval_sheet(nasty_record, [f], cfg2023))
    assert NASTY["name_cn"] in text and "名称含 <特殊> & {{ 字符 }}" in text and "依据 {% raw %}" in text


def test_special_characters_literal_in_pdf(cfg2023, nasty_record, tmp_path):
    convert = importlib.import_module("haizhi.pipeline.office.convert")
    src = tmp_path / "nasty.docx"
    src.write_bytes(render_form(nasty_record, COOP, cfg2023))
    pdf = convert.shared_converter().convert(src, tmp_path / "nasty.pdf")
    text = squash(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                 check=True).stdout)
    for v in NASTY.values():
        for line in v.split("\n"):
            assert squash(line) in text, line
