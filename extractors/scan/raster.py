"""Pages in: PDF pages rasterised with pypdfium2, image files read with Pillow.

Everything is capped: pages per file, pixels per page (a decompression bomb
is refused before it is decoded), and tiny pages are reported, not read.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from haizhi.pipeline.core.errors import UnreadableInput
from haizhi.pipeline.core.record import Finding

MAX_PAGES = 60  # pages read from one file
MAX_PIXELS = 40_000_000  # per page (≈ A3 at 400 dpi)
MIN_SIDE = 200  # px: anything smaller cannot hold a form
DPI = 200  # rasterising PDF pages


@dataclass
class PageImage:
    number: int  # 1-based page number in the file
    image: np.ndarray | None  # BGR uint8; None when the page was refused
    dpi: float
    findings: list[Finding] = field(default_factory=list)
    is_page: bool = True  # False: a note about the file (too many pages), not a page


def _finding(rule: str, msg: str) -> Finding:
    return Finding(rule=f"scan.{rule}", severity="warning", field=None, message=msg)


def _pil_to_bgr(im: Image.Image) -> np.ndarray:
    if im.mode not in ("RGB", "L"):
        if "A" in im.getbands() or im.mode == "P":
            im = im.convert("RGBA")
            bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
            im = Image.alpha_composite(bg, im)
        im = im.convert("RGB")
    a = np.asarray(im)
    if a.ndim == 2:
        a = np.stack([a] * 3, axis=-1)
    return np.ascontiguousarray(a[:, :, ::-1])


def _image_dpi(im: Image.Image) -> float:
    dpi = im.info.get("dpi")
    try:
        d = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        d = 0.0
    if not 50 <= d <= 1200:  # absent or absurd: guess from an A4 page's width
        w = min(im.size)
        d = max(72.0, min(600.0, w / 8.27))
    return d


def read_images(path: Path, pages: list[int] | None = None) -> list[PageImage]:
    """Frames of an image file (TIFF may hold several), each a page."""
    out: list[PageImage] = []
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        old = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        try:
            im = Image.open(path)
        except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
                OSError, ValueError) as e:
            raise UnreadableInput(f"无法读取图片 {path.name}：{_why(e)}") from None
        try:
            n = getattr(im, "n_frames", 1)
            for i in range(min(n, MAX_PAGES)):
                num = i + 1
                if pages is not None and num not in pages:
                    continue
                try:
                    im.seek(i)
                    w, h = im.size
                    if w * h > MAX_PIXELS:
                        out.append(PageImage(num, None, 0, [_finding(
                            "too_large", f"第 {num} 页图片过大（{w}×{h} 像素），超过上限，未识别")]))
                        continue
                    if min(w, h) < MIN_SIDE:
                        out.append(PageImage(num, None, 0, [_finding(
                            "too_small", f"第 {num} 页图片太小（{w}×{h} 像素），无法识别")]))
                        continue
                    frame = ImageOps.exif_transpose(im.copy()) if i == 0 else im.copy()
                    out.append(PageImage(num, _pil_to_bgr(frame), _image_dpi(im)))
                except (OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning,
                        SyntaxError) as e:
                    out.append(PageImage(num, None, 0, [_finding(
                        "damaged_page", f"第 {num} 页图片损坏：{_why(e)}")]))
            if n > MAX_PAGES:
                out.append(PageImage(MAX_PAGES + 1, None, 0, [_finding(
                    "too_many_pages", f"文件有 {n} 页，只识别前 {MAX_PAGES} 页")], is_page=False))
        finally:
            im.close()
            Image.MAX_IMAGE_PIXELS = old
    return out


def _why(e: BaseException) -> str:
    if isinstance(e, Image.DecompressionBombError | Image.DecompressionBombWarning):
        return "像素数超过上限（疑似解压炸弹）"
    if isinstance(e, UnidentifiedImageError):
        return "不是可识别的图片格式"
    return str(e) or type(e).__name__


def read_pdf(path: Path, pages: list[int] | None = None, dpi: float = DPI) -> list[PageImage]:
    """Rasterise PDF pages (1-based numbers; None = all, up to MAX_PAGES)."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except Exception as e:  # pdfium raises PdfiumError for damaged/encrypted files
        msg = str(e)
        why = "文件已加密" if "password" in msg.lower() else f"文件损坏或不是 PDF（{msg}）"
        raise UnreadableInput(f"无法打开 PDF {path.name}：{why}") from None
    out: list[PageImage] = []
    try:
        n = len(doc)
        wanted = [p for p in (pages or range(1, n + 1)) if 1 <= p <= n]
        if len(wanted) > MAX_PAGES:
            out.append(PageImage(wanted[MAX_PAGES], None, 0, [_finding(
                "too_many_pages", f"文件有 {len(wanted)} 页需要识别，只识别前 {MAX_PAGES} 页")], is_page=False))
            wanted = wanted[:MAX_PAGES]
        for num in wanted:
            try:
                page = doc[num - 1]
                w_pt, h_pt = page.get_size()
                if min(w_pt, h_pt) * dpi / 72 < MIN_SIDE / 2:
                    out.append(PageImage(num, None, 0, [_finding(
                        "too_small", f"第 {num} 页尺寸太小（{w_pt:.0f}×{h_pt:.0f} 磅），无法识别")]))
                    continue
                d = dpi
                if w_pt * h_pt * (d / 72) ** 2 > MAX_PIXELS:  # huge media box: lower the resolution
                    d = 72 * (MAX_PIXELS / max(1.0, w_pt * h_pt)) ** 0.5
                bmp = page.render(scale=d / 72, grayscale=False, may_draw_forms=True)
                # pdfium renders BGR: its buffer copied as it is (through PIL it went to RGB and back)
                img = np.array(bmp.to_numpy(), copy=True) if bmp.mode == "BGR" else _pil_to_bgr(bmp.to_pil())
                out.append(PageImage(num, img, d))
            except Exception as e:
                out.append(PageImage(num, None, 0, [_finding(
                    "damaged_page", f"第 {num} 页无法渲染：{e}")]))
    finally:
        doc.close()
    return out


def is_pdf(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return b"%PDF" in f.read(1024)
    except OSError:
        return False


def read_pages(path: Path, pages: list[int] | None = None, dpi: float = DPI) -> list[PageImage]:
    path = Path(path)
    if not path.is_file():
        raise UnreadableInput(f"找不到文件：{path}")
    if is_pdf(path):
        return read_pdf(path, pages, dpi)
    return read_images(path, pages)


def encode_png(img: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(img[:, :, ::-1] if img.ndim == 3 else img).save(buf, "PNG")
    return buf.getvalue()
