"""Readers for returned forms: DOCX, DOC/WPS (via LibreOffice), text PDFs, scans (extractors.scan).

The one entry point for a file from outside (an applicant's return, an upload to
the web app, a file in the intake's inbox):

    extract_file(path, *, ocr_engine=None, timeout=None, max_memory_mb=None) -> ExtractResult

It never raises for bad input. The file is parsed in a child process with a time
limit (default 180 s, $HAIZHI_READ_TIMEOUT) and a memory cap (default 2048 MB,
$HAIZHI_READ_MEMORY_MB), after checks of what it may expand to (inflated PDF
streams, operators per page, pages, image pixels, DOCX parts and XML size;
extractors.limits, extractors.safety), so a crafted file is answered in seconds
with an "extract.unreadable" finding saying what was too large. `haizhi extract`,
`validate`, `export`, the intake workers and the web app all call it.

Below it: extractors.readers (READERS: one reader per kind, each
`reader(path, data, ctx) -> Layout`, the format sniffed once), extractors.extract
(records_from_layout; extract_unguarded, for the guard's child only).
"""

from __future__ import annotations

from haizhi.extractors.extract import records_from_layout
from haizhi.extractors.guard import extract_file, extract_file_guarded
from haizhi.extractors.mapper import map_layout
from haizhi.extractors.readers import READERS, read_layout

__all__ = ["READERS", "extract_file", "extract_file_guarded", "map_layout", "read_layout", "records_from_layout"]
