"""Read scanned returns: OCR fallback, checkboxes, seals and signatures.

    ocr_pages(path, pages=None, engine=None) -> Layout
    read_scan(path, pages=None, engine=None) -> (Layout, findings)
    marks_for(layout, form_id) -> {mark key: True / False / None}
    confidence_findings(record, threshold) -> findings for fields a person should check
"""

from __future__ import annotations

import os

import cv2

from haizhi.extractors.scan.confidence import LOW_CONFIDENCE, confidence_findings
from haizhi.extractors.scan.engines import DEFAULT_ENGINE, ENGINES, get_engine
from haizhi.extractors.scan.mark_keys import marks_for
from haizhi.extractors.scan.reader import ocr_pages, read_scan

# One core per reading process, like the OCR sessions ($HAIZHI_OCR_THREADS, default 1): a batch runs one
# worker per core, and OpenCV's own thread pool would only make them contend.
cv2.setNumThreads(int(os.environ.get("HAIZHI_OCR_THREADS", "1") or 1))

__all__ = ["DEFAULT_ENGINE", "ENGINES", "LOW_CONFIDENCE", "confidence_findings", "get_engine",
           "marks_for", "ocr_pages", "read_scan"]
