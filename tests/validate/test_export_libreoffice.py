"""The workbook survives LibreOffice: converted headless (xlsx → xlsx) and read back."""

from __future__ import annotations

import io

from haizhi.pipeline.export import write_exports
from haizhi.pipeline.office.convert import shared_converter
from tests.validate.test_export_files import check_workbook, export_batch


def _fake_sheet(record, findings, cfg) -> bytes:
    from docx import Document

    d = Document()
    d.add_paragraph(f"初审审核表：{record.fields.get('name_cn') or record.fields.get('base_name')}")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_workbook_round_trip_through_libreoffice(tmp_path, cfg2023) -> None:
    rs = export_batch()
    paths = write_exports(rs, cfg2023, tmp_path / "out", sheets=False)
    converted = shared_converter().convert(paths["xlsx"], tmp_path / "converted" / "初审汇总.xlsx")
    assert converted.is_file() and converted.read_bytes().startswith(b"PK")
    check_workbook(converted, rs, cfg2023, view=False)


def test_approval_sheet_pdf_through_converter(tmp_path, cfg2023, monkeypatch) -> None:
    from haizhi.pipeline.generate import approval_sheet

    monkeypatch.setattr(approval_sheet, "render_approval_sheet", _fake_sheet, raising=False)
    rs = export_batch()[:1]
    paths = write_exports(rs, cfg2023, tmp_path, pdf=True)
    (pdf,) = [p for k, p in paths.items() if k.startswith("pdf:")]
    assert pdf.suffix == ".pdf" and pdf.read_bytes().startswith(b"%PDF")
    assert pdf.with_suffix(".docx") == paths[f"docx:{pdf.stem}"]
