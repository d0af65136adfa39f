"""Drawing the codes onto a printed form (vector QR, top-right margin) and finding them in a scan.

stamp_pdf overlays one QR per page on the converted PDF (segno draws it, pypdf
merges it), so the layout of the form itself is unchanged. decode_image reads
every QR on a page image with zxing-cpp; a red seal over a code is dropped by
also trying the red channel (red ink is light there, black print stays dark).
"""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np

MM = 72 / 25.4
SIZE_MM = 19.0  # the code with its quiet zone
EDGE_MM = 9.0  # from the top and right edges of the page: clear of the text area (top margin ≈ 37 mm)
BORDER = 2  # quiet-zone modules; the page margin around it is blank too
UPSCALE_MAX_PIXELS = 12_000_000  # the last try doubles the page: only for pages up to ≈ A4 at 250 dpi


def qr_pdf(text: str, size_pt: float) -> bytes:
    """One PDF page holding just the QR code for text, size_pt square."""
    import segno

    qr = segno.make(text, error="q", boost_error=False, micro=False)
    modules = qr.symbol_size(border=BORDER)[0]
    buf = io.BytesIO()
    qr.save(buf, kind="pdf", scale=size_pt / modules, border=BORDER)
    return buf.getvalue()


def stamp_pdf(pdf: bytes, code_for: Callable[[int, int], str]) -> bytes:
    """The PDF with code_for(page, pages) as a QR code in the top-right margin of every page."""
    from pypdf import PdfReader, PdfWriter, Transformation

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    n = len(writer.pages)
    size = SIZE_MM * MM
    for i, page in enumerate(writer.pages, start=1):
        box = page.mediabox
        stamp = PdfReader(io.BytesIO(qr_pdf(code_for(i, n), size))).pages[0]
        sw, sh = float(stamp.mediabox.width), float(stamp.mediabox.height)
        tx = float(box.right) - EDGE_MM * MM - sw
        ty = float(box.top) - EDGE_MM * MM - sh
        page.merge_transformed_page(stamp, Transformation().translate(tx, ty))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _read(img: np.ndarray) -> list[str]:
    import zxingcpp

    found = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode, try_rotate=True,
                                   try_downscale=True)
    return [b.text for b in found if b.valid and b.text]


def decode_image(bgr: np.ndarray, grey_texts: list[str] | None = None) -> list[str]:
    """Texts of the QR codes on a page image (BGR or gray), each once.

    Tried in turn until one of ours is found: the grey page; the red channel (a red seal
    fades out) thresholded locally (uneven light, JPEG blocks); the red channel at twice the
    size (a code of under three pixels per module after blur). grey_texts: what a read of the
    grey page already found (the scan reader's), so that try is not made again.
    """
    import cv2

    base = np.ascontiguousarray(bgr[:, :, 2]) if bgr.ndim == 3 else bgr
    steps: list[Callable[[], np.ndarray]] = [
        lambda: cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY) if bgr.ndim == 3 else bgr,
        lambda: cv2.adaptiveThreshold(base, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 31, 10),
    ]
    if base.size <= UPSCALE_MAX_PIXELS:  # a fine scan gains nothing from it, and costs memory and time
        steps.append(lambda: cv2.resize(base, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC))
    out: list[str] = list(dict.fromkeys(grey_texts or []))
    if grey_texts is not None:
        steps = steps[1:]
        if any(t.startswith("HZ1:") for t in out):
            return out
    for step in steps:
        for t in _read(step()):
            if t not in out:
                out.append(t)
        if any(t.startswith("HZ1:") for t in out):
            break
    return out


def code_boxes(pdf: bytes) -> list[tuple[int, tuple[float, float, float, float]]]:
    """Where stamp_pdf puts each page's code: (page, (x0, top, x1, bottom) in points from the top-left)."""
    from pypdf import PdfReader

    out = []
    size = SIZE_MM * MM
    for i, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        w = float(page.mediabox.width)
        x1, y0 = w - EDGE_MM * MM, EDGE_MM * MM
        out.append((i, (x1 - size, y0, x1, y0 + size)))
    return out
