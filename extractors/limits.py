"""What a PDF may expand to, checked before and while it is parsed.

A 200 KB file can inflate to gigabytes or hold millions of drawing operators;
pdfminer (pure Python) would then work for minutes. check_pdf() walks the raw
file once, before any parser: it inflates each compressed stream with a bounded
decompressor (never more than the limit plus one chunk), counts the operators
of content streams, the page objects and the pixels each image declares.
pdf_operator_budget() then counts the operators pdfminer actually executes per
page (a form XObject drawn ten thousand times is expanded only there).
Each refusal is a LimitExceeded whose Chinese message says what was too large.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
import threading
import zlib
from collections.abc import Iterator

from haizhi.extractors.pdf_reader import MAX_PAGES as MAX_PDF_PAGES  # more is not one application
from haizhi.pipeline.core.errors import UnreadableInput

MAX_STREAM_BYTES = 16 * 2**20  # one inflated content / form / object stream
MAX_FONT_BYTES = 64 * 2**20  # one inflated embedded font (a full CJK face is ~20 MB)
MAX_INFLATED_TOTAL = 256 * 2**20  # all inflated non-image streams of a file
MAX_OPERATORS = 100_000  # drawing operators per content stream and per page (a dense form page has ~1000)
MAX_IMAGE_PIXELS = 100_000_000  # one embedded image (A3 at 600 dpi is ~70 million)

_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[<>()]+)")
_NAME = re.compile(rb"/([^\s/\[\]<>()]+)")
_LENGTH = re.compile(rb"/Length\s+(\d+)\b(?!\s+\d+\s+R)")
_WIDTH = re.compile(rb"/Width\s+(\d+)")
_HEIGHT = re.compile(rb"/Height\s+(\d+)")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_FONT = re.compile(rb"/Length[123]\b|/Subtype\s*/(?:Type1C|CIDFontType0C|OpenType)\b")
_NOT_CONTENT = re.compile(rb"/Type\s*/(?:ObjStm|XRef|Metadata|EmbeddedFile|CMap)\b|/Length[123]\b|/N\s+\d")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm\b")
_PAGE = re.compile(rb"/Type\s*/Page\b")
_OBJ_NUM = re.compile(rb"(\d+)\s+\d+\s+obj\b")
# an operator: 1-3 letters (and *, ', ") standing alone; not a /Name, a number or part of a word
_OPERATOR = re.compile(rb"(?<![\w/#.+\-])(?:[A-Za-z]{1,3}\*?|d[01]|'|\")(?![\w])")
_PRINTABLE = bytes([9, 10, 13, *range(32, 127)])
CHUNK = 2**20


class LimitExceeded(UnreadableInput):
    """The file would expand beyond a limit; str() says what, in Chinese."""


def _mb(n: int) -> str:
    return f"{n / 2**20:.0f} MB"


def _inflate(raw: bytes, cap: int) -> tuple[bytes, bool]:
    """(data, over): inflate at most cap + 1 bytes; a damaged stream gives what came before the damage."""
    d = zlib.decompressobj()
    out = bytearray()
    buf = raw
    try:
        while buf:
            out += d.decompress(buf, min(CHUNK, cap + 1 - len(out)))
            if len(out) > cap:
                return bytes(out), True
            buf = d.unconsumed_tail
            if d.eof:
                break
    except zlib.error:
        pass
    return bytes(out), False


def _decode(raw: bytes, filters: list[bytes], cap: int) -> tuple[bytes | None, bool]:
    """(data, over) through the filters we can bound; (None, False) when a filter is one we do not decode."""
    data = raw
    for f in filters:
        try:
            if f in (b"FlateDecode", b"Fl"):
                data, over = _inflate(data, cap)
                if over:
                    return data, True
            elif f in (b"ASCIIHexDecode", b"AHx"):
                hexed = re.sub(rb"[^0-9A-Fa-f]", b"", data.split(b">", 1)[0])
                data = binascii.unhexlify(hexed + b"0" * (len(hexed) % 2))
            elif f in (b"ASCII85Decode", b"A85"):
                data = base64.a85decode(data.strip().removesuffix(b"~>").removeprefix(b"<~"), adobe=False,
                                        ignorechars=b" \t\n\r\x0b\x0c")
            elif f in (b"LZWDecode", b"LZW"):
                data, over = _lzw(data, cap)
                if over:
                    return data, True
            else:  # image codecs (DCT, JPX, CCITT, JBIG2), RunLength, Crypt: bounded by pixels or not ours
                return None, False
        except (ValueError, binascii.Error):
            return None, False
    return data, len(data) > cap


def _lzw(raw: bytes, cap: int) -> tuple[bytes, bool]:
    from io import BytesIO

    from pdfminer.lzw import LZWDecoder

    out = bytearray()
    try:
        for chunk in LZWDecoder(BytesIO(raw)).run():
            out += chunk
            if len(out) > cap:
                return bytes(out), True
    except Exception:  # noqa: BLE001 - damaged LZW data: what came before the damage
        pass
    return bytes(out), False


def count_operators(content: bytes, cap: int = MAX_OPERATORS) -> int:
    """Drawing operators in a content stream, counted up to cap + 1."""
    n = 0
    for _ in _OPERATOR.finditer(content):
        n += 1
        if n > cap:
            break
    return n


def _text_like(data: bytes) -> bool:
    sample = data[:65536]
    return bool(sample) and len(sample.translate(None, _PRINTABLE)) < len(sample) * 0.02


def check_pdf(data: bytes) -> None:
    """Raise LimitExceeded when the PDF would inflate, draw or hold more than the limits allow."""
    total = 0
    pages: set[bytes] = set()
    loose_pages = 0
    for m in _STREAM.finditer(data):
        head_at = data.rfind(b"obj", max(0, m.start() - 8192), m.start())
        head = data[head_at if head_at >= 0 else max(0, m.start() - 2048):m.end()]
        start = m.end()
        length = _LENGTH.search(head)
        end = -1
        if length:
            end = start + int(length.group(1))
            if data.find(b"endstream", end, end + 64) < 0:
                end = -1
        if end < 0:
            end = data.find(b"endstream", start)
            end = len(data) if end < 0 else end
        if _IMAGE.search(head):
            w, h = _WIDTH.search(head), _HEIGHT.search(head)
            if w and h and int(w.group(1)) * int(h.group(1)) > MAX_IMAGE_PIXELS:
                raise LimitExceeded(f"PDF 中有一张 {int(w.group(1))}×{int(h.group(1))} 像素的图片，"
                                    f"超过上限 {MAX_IMAGE_PIXELS // 10**6} 百万像素，已拒绝读取")
            continue  # image data is decoded by pixels, bounded by the check above
        found = _FILTER.search(head)
        filters = _NAME.findall(found.group(1)) if found else []
        font = bool(_FONT.search(head))
        cap = MAX_FONT_BYTES if font else MAX_STREAM_BYTES
        decoded, over = _decode(data[start:end], filters, cap)
        if decoded is None:
            continue
        if over:
            what = "嵌入字体" if font else "数据流"
            raise LimitExceeded(f"PDF 中有一个{what}解压后超过 {_mb(cap)}（压缩时 {len(data[start:end]) / 1024:.0f} KB，"
                                "疑似解压炸弹），已拒绝读取")
        total += len(decoded)
        if total > MAX_INFLATED_TOTAL:
            raise LimitExceeded(f"PDF 的数据流解压后合计超过 {_mb(MAX_INFLATED_TOTAL)}，已拒绝读取")
        if _OBJSTM.search(head):
            loose_pages += len(_PAGE.findall(decoded))
        elif not _NOT_CONTENT.search(head) and _text_like(decoded):
            n = count_operators(decoded)
            if n > MAX_OPERATORS:
                raise LimitExceeded(f"PDF 中有一个内容流含有超过 {MAX_OPERATORS:,} 个绘图指令，"
                                    "疑似恶意构造，已拒绝读取")
    for m in _PAGE.finditer(data):
        nums = _OBJ_NUM.findall(data, max(0, m.start() - 4096), m.start())
        if nums:
            pages.add(nums[-1])
        else:
            loose_pages += 1
    n_pages = len(pages) + loose_pages
    if n_pages > MAX_PDF_PAGES:
        raise LimitExceeded(f"PDF 有 {n_pages} 个页面对象，超过上限 {MAX_PDF_PAGES} 页，不像一份申报表，已拒绝读取")


# -- operators per page, while pdfminer interprets ------------------------------------------------

_local = threading.local()


class _Budget:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.page = 0
        self.ops = 0

    def new_page(self) -> None:
        self.page += 1
        self.ops = 0

    def tick(self) -> None:
        self.ops += 1
        if self.ops > self.limit:
            raise LimitExceeded(f"PDF 第 {self.page} 页的绘图指令超过 {self.limit:,} 个"
                                "（可能反复引用同一图形），疑似恶意构造，已拒绝读取")


_installed = False
_install_lock = threading.Lock()


def _install() -> None:
    """Wrap pdfminer's content parser and page loop once; they count only inside pdf_operator_budget()."""
    global _installed
    with _install_lock:
        if _installed:
            return
        from pdfminer import pdfinterp
        from pdfminer.psparser import PSKeyword

        base = pdfinterp.PDFContentParser

        class CountingContentParser(base):  # type: ignore[misc, valid-type]
            def nextobject(self):  # type: ignore[no-untyped-def]
                pos_obj = super().nextobject()
                budget = getattr(_local, "budget", None)
                if budget is not None and isinstance(pos_obj[1], PSKeyword):
                    budget.tick()
                return pos_obj

        process_page = pdfinterp.PDFPageInterpreter.process_page

        def counted_process_page(self, page):  # type: ignore[no-untyped-def]
            budget = getattr(_local, "budget", None)
            if budget is not None:
                budget.new_page()
            return process_page(self, page)

        pdfinterp.PDFContentParser = CountingContentParser  # type: ignore[misc]
        pdfinterp.PDFPageInterpreter.process_page = counted_process_page  # type: ignore[method-assign]
        _installed = True


@contextlib.contextmanager
def pdf_operator_budget(limit: int = MAX_OPERATORS) -> Iterator[None]:
    """Within: pdfminer raises LimitExceeded (wrapped by pdfplumber; see limit_cause) past `limit`
    operators on one page, in this thread."""
    _install()
    old = getattr(_local, "budget", None)
    _local.budget = _Budget(limit)
    try:
        yield
    finally:
        _local.budget = old


def limit_cause(e: BaseException) -> LimitExceeded | None:
    """The LimitExceeded behind an exception a parser wrapped around it, if any."""
    seen = 0
    cur: BaseException | None = e
    while cur is not None and seen < 10:
        if isinstance(cur, LimitExceeded):
            return cur
        inner = cur.args[0] if cur.args and isinstance(cur.args[0], BaseException) else None
        cur = inner or cur.__cause__ or cur.__context__
        seen += 1
    return None
