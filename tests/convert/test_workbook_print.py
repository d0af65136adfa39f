"""The reviewers' workbook prints landscape, one page wide, with its header row on every page."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook

from haizhi.pipeline.core.config import load_year
from haizhi.pipeline.export import write_exports
from haizhi.pipeline.export.xlsx import LEGEND_SHEET
from tests.validate.test_export_files import export_batch


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    records = export_batch()
    coop = [r for r in records if r.form == "coop_institution"]
    many = records + [coop[i % len(coop)] for i in range(150)]  # findings enough for several printed pages
    out = tmp_path_factory.mktemp("xlsx")
    return write_exports(many, load_year(2023), out, sheets=False)["xlsx"]


def test_every_sheet_has_the_print_layout(workbook: Path) -> None:
    wb = load_workbook(workbook)
    assert len(wb.sheetnames) >= 4
    for ws in wb.worksheets:
        ps = ws.page_setup
        assert ps.orientation == "landscape", ws.title
        assert int(ps.paperSize) == int(ws.PAPERSIZE_A4), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True, ws.title
        assert (ps.fitToWidth, ps.fitToHeight) == (1, 0), ws.title
        want = "$1:$2" if ws.title == LEGEND_SHEET else "$1:$1"
        assert ws.print_title_rows == want, ws.title


def test_printed_pages_are_landscape_with_the_header_on_each(workbook: Path, tmp_path: Path, converter) -> None:
    """LibreOffice prints the workbook by these settings: landscape pages, each sheet one page wide,
    the findings sheet over several pages, each starting with the header row."""
    pdf = converter.convert(workbook, tmp_path / "初审汇总.pdf")
    with pdfplumber.open(pdf) as doc:
        pages = [(p.width, p.height, "".join((p.extract_text() or "").split())) for p in doc.pages]
    assert all(w > h for w, h, _ in pages), "portrait page"
    header = "记录表单规则严重程度字段说明依据"
    findings = [t for _, _, t in pages if "coop." in t]
    assert len(findings) >= 2, len(pages)
    assert all(t.startswith(header) for t in findings)
    # 154 records: every sheet one page wide (2 form sheets, findings, quota, legend) instead of dozens of pages
    assert len(pages) <= 8, len(pages)
    assert pages[-1][2].startswith("2023年度初审结果")
