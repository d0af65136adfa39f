"""Page images of a stored original, rendered once and cached on disk by the file's hash.

Scans are turned upright and levelled the way the scan reader did it, so the
boxes the reader recorded (points, top-left origin, on the upright page) land
on the picture; red seals are found on the same picture. Text PDFs and images
are drawn as they are. DOCX/DOC/WPS copies are turned into a PDF by LibreOffice
first. Concurrent renders of one file (several workers) wait on a file lock;
every cached file is written to a temp name and renamed.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from haizhi.extractors.safety import IMAGE_EXT

VIEW_DPI = 110.0  # the picture shown in the browser
OFFICE_SUFFIXES = {".docx", ".doc", ".wps", ".odt", ".rtf"}


class PageCache:
    def __init__(self, root: Path, store_root: Path) -> None:
        self.root = Path(root)
        self.store_root = Path(store_root)

    def folder(self, sha: str) -> Path:
        return self.root / "pages" / sha

    def meta(self, sha: str, suffix: str, method: str | None) -> dict[str, Any]:
        """{"pages": [{"n", "width", "height", "seals": [[x0,y0,x1,y1] …]}], "error": str|None}."""
        d = self.folder(sha)
        mf = d / "meta.json"
        if mf.is_file():
            return json.loads(mf.read_text(encoding="utf-8"))
        d.mkdir(parents=True, exist_ok=True)
        with (d / ".lock").open("w") as lk:
            fcntl.flock(lk, fcntl.LOCK_EX)
            if mf.is_file():
                return json.loads(mf.read_text(encoding="utf-8"))
            src = self.store_root / sha[:2] / sha[2:]
            try:
                meta = {"pages": _render(src, suffix.lower(), method, d), "error": None}
            except Exception as e:  # a picture we cannot draw is said on the page, not a 500
                meta = {"pages": [], "error": f"无法显示原件页面：{type(e).__name__}: {e}"[:300]}
            _atomic(mf, json.dumps(meta, ensure_ascii=False).encode())
            return meta

    def image(self, sha: str, n: int) -> Path:
        return self.folder(sha) / f"{n}.jpg"


def _atomic(dst: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=dst.parent)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, dst)


def _save(img_bgr: Any, dst: Path) -> None:
    import cv2

    ok, buf = cv2.imencode(".jpg", img_bgr, [cv2.IMWRITE_JPEG_QUALITY, 82])
    if not ok:
        raise ValueError("JPEG 编码失败")
    _atomic(dst, buf.tobytes())


def _shrink(bgr: Any, dpi: float) -> Any:
    import cv2

    if dpi <= VIEW_DPI:
        return bgr
    f = VIEW_DPI / dpi
    return cv2.resize(bgr, (max(1, int(bgr.shape[1] * f)), max(1, int(bgr.shape[0] * f))),
                      interpolation=cv2.INTER_AREA)


def _render(src: Path, suffix: str, method: str | None, out: Path) -> list[dict[str, Any]]:
    if suffix in OFFICE_SUFFIXES:
        return _render_office(src, suffix, out)
    if method == "ocr" or suffix in IMAGE_EXT:
        return _render_scan(src, suffix, out)
    return _render_pdf(src, out)


def _local_copy(src: Path, suffix: str, tmp: Path) -> Path:
    import shutil

    from haizhi.pipeline.intake.work import _suffix

    local = tmp / f"original{_suffix(suffix)}"
    shutil.copyfile(src, local)
    return local


def _render_scan(src: Path, suffix: str, out: Path) -> list[dict[str, Any]]:
    """Upright, levelled pages as the scan reader saw them, plus red seals."""
    import cv2

    from haizhi.extractors.scan.engines import get_engine
    from haizhi.extractors.scan.ink import binarize, text_gray
    from haizhi.extractors.scan.orient import orient
    from haizhi.extractors.scan.raster import read_pages
    from haizhi.extractors.scan.reader import WORK_DPI, WORK_PIXELS
    from haizhi.extractors.scan.seals import find_seals

    pages: list[dict[str, Any]] = []
    engine = None
    with tempfile.TemporaryDirectory(prefix="haizhi-web-") as tmp:
        for pi in read_pages(_local_copy(src, suffix, Path(tmp))):
            if not pi.is_page or pi.image is None:
                continue
            bgr, dpi = pi.image, pi.dpi
            f = min(WORK_DPI / dpi, (WORK_PIXELS / max(1, bgr.shape[0] * bgr.shape[1])) ** 0.5)
            if f < 0.9:
                bgr = cv2.resize(bgr, (max(1, int(bgr.shape[1] * f)), max(1, int(bgr.shape[0] * f))),
                                 interpolation=cv2.INTER_AREA)
                dpi *= f
            g0 = text_gray(bgr)
            b0 = binarize(g0)
            if float((b0 > 0).mean()) >= 0.0008:
                engine = engine or get_engine(None)
                bgr, _g, _b, _k, _a = orient(bgr, engine, text_gray, binarize, g0, b0, dpi)
            s = 72.0 / dpi
            seals = [[round(x * s, 1), round(y * s, 1), round((x + w) * s, 1), round((y + h) * s, 1)]
                     for (x, y, w, h), _c in find_seals(bgr, dpi)]
            _save(_shrink(bgr, dpi), out / f"{pi.number}.jpg")
            pages.append({"n": pi.number, "width": round(bgr.shape[1] * s, 1),
                          "height": round(bgr.shape[0] * s, 1), "seals": seals})
    return pages


def _render_pdf(src: Path, out: Path) -> list[dict[str, Any]]:
    import numpy as np
    import pypdfium2 as pdfium

    from haizhi.extractors.scan.raster import MAX_PAGES

    pages: list[dict[str, Any]] = []
    pdf = pdfium.PdfDocument(str(src))
    try:
        for i in range(min(len(pdf), MAX_PAGES)):
            page = pdf[i]
            w, h = page.get_size()
            pil = page.render(scale=VIEW_DPI / 72).to_pil().convert("RGB")
            bgr = np.ascontiguousarray(np.asarray(pil)[:, :, ::-1])
            _save(bgr, out / f"{i + 1}.jpg")
            pages.append({"n": i + 1, "width": round(w, 1), "height": round(h, 1), "seals": []})
            page.close()
    finally:
        pdf.close()
    return pages


def _render_office(src: Path, suffix: str, out: Path) -> list[dict[str, Any]]:
    """Through the process's warm LibreOffice converter (started on first use)."""
    from haizhi.pipeline.office.convert import shared_converter

    with tempfile.TemporaryDirectory(prefix="haizhi-web-") as tmp:
        local = _local_copy(src, suffix, Path(tmp))
        pdf = Path(tmp) / "original.pdf"
        with contextlib.suppress(FileNotFoundError):
            pdf.unlink()
        shared_converter().convert(local, pdf)
        return _render_pdf(pdf, out)
