"""Readers for returned forms: DOCX, DOC/WPS (via LibreOffice), text PDFs, scans (extractors.scan).

    extract_file(path, *, ocr_engine=None, timeout=None) -> ExtractResult
    extract_file_guarded(path, *, ocr_engine=None, timeout=60, max_memory_mb=2048) -> ExtractResult
"""

from __future__ import annotations

from haizhi.extractors.extract import extract_file, read_layout, records_from_layout
from haizhi.extractors.guard import extract_file_guarded
from haizhi.extractors.mapper import map_layout

__all__ = ["extract_file", "extract_file_guarded", "map_layout", "read_layout", "records_from_layout"]
