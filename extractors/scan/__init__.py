"""Read scanned returns: OCR fallback, checkboxes, seals and signatures.

    ocr_pages(path, pages=None, engine=None) -> Layout
    read_scan(path, pages=None, engine=None) -> (Layout, findings)
    marks_for(layout, form_id) -> {mark key: True / False / None}
    confidence_findings(record, threshold) -> findings for fields a person should check
"""

from __future__ import annotations

from haizhi.extractors.scan.confidence import LOW_CONFIDENCE, confidence_findings
from haizhi.extractors.scan.engines import DEFAULT_ENGINE, ENGINES, get_engine
from haizhi.extractors.scan.reader import ocr_pages, read_scan
from haizhi.extractors.scan.seal_signature import marks_for

__all__ = ["DEFAULT_ENGINE", "ENGINES", "LOW_CONFIDENCE", "confidence_findings", "get_engine",
           "marks_for", "ocr_pages", "read_scan"]
