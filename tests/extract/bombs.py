"""Crafted files that expand far beyond their size: PDF stream/operator/page/image bombs, DOCX bombs."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path


def pdf(objects: list[bytes]) -> bytes:
    """A PDF of the given objects (1 = catalog, 2 = pages), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", compressed: bytes | None = None) -> bytes:
    body = compressed if compressed is not None else zlib.compress(data, 9)
    return b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(body), extra) + body + b"\nendstream"


def _deflate_repeated(unit: bytes, total: int) -> bytes:
    comp = zlib.compressobj(9)
    chunk = unit * (2**20 // len(unit))
    out = bytearray()
    done = 0
    while done < total:
        out += comp.compress(chunk)
        done += len(chunk)
    return bytes(out + comp.flush())


def _one_page(content: bytes, resources: bytes = b"<< >>", more: list[bytes] = ()) -> bytes:
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents 4 0 R >>"
                % resources, content, *more])


def stream_bomb_pdf(path: Path, inflated: int = 200 * 2**20) -> Path:
    """A page whose content stream (blank lines) inflates to `inflated` bytes."""
    path.write_bytes(_one_page(stream(b"", compressed=_deflate_repeated(b"\n", inflated))))
    return path


def operator_bomb_pdf(path: Path, ops: int = 2_000_000) -> Path:
    """A page of `ops` drawing operators (one stroked line is 3), a few MB inflated."""
    path.write_bytes(_one_page(stream(b"", compressed=_deflate_repeated(b"0 0 m 1 1 l S\n", ops // 3 * 14))))
    return path


def form_reuse_pdf(path: Path, form_ops: int = 3000, uses: int = 1000) -> Path:
    """A small form XObject drawn `uses` times: few operators per stream, millions per page."""
    form = stream(b"0 0 m 1 1 l S\n" * (form_ops // 3), b"/Type /XObject /Subtype /Form /BBox [0 0 10 10]")
    path.write_bytes(_one_page(stream(b"/F Do\n" * uses), b"<< /XObject << /F 5 0 R >> >>", [form]))
    return path


def many_pages_pdf(path: Path, n: int = 5000) -> Path:
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(n))
    pages = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * n
    path.write_bytes(pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                          b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n), *pages]))
    return path


def huge_image_pdf(path: Path, side: int = 60000) -> Path:
    """A page drawing one image that declares side × side pixels (its data is a few bytes)."""
    img = stream(b"\0" * 64, b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                 b"/BitsPerComponent 8" % (side, side))
    path.write_bytes(_one_page(stream(b"q 500 0 0 800 0 0 cm /Im Do Q\n"),
                               b"<< /XObject << /Im 5 0 R >> >>", [img]))
    return path


def _rezip(good: bytes, change) -> bytes:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info)))
        extra = change(None, b"")
        if extra:
            zout.writestr(*extra)
    return buf.getvalue()


def zip_bomb_docx(good: bytes, path: Path, size: int = 1024 * 2**20) -> Path:
    """A real DOCX plus a media part of `size` zero bytes (~1 MB compressed per GB)."""
    buf = io.BytesIO(_rezip(good, lambda name, data: data if name else None))
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as z, z.open("word/media/image1.png", "w",
                                                                        force_zip64=True) as fh:
        zero = b"\0" * 2**20
        for _ in range(size // 2**20):
            fh.write(zero)
    path.write_bytes(buf.getvalue())
    return path


LAUGHS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE w:document [\n'
          '<!ENTITY lol "lol">\n'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
                    for i in range(1, 10))
          + ']>\n')


def billion_laughs_docx(good: bytes, path: Path) -> Path:
    """document.xml with the billion-laughs entities (10^9 'lol's once expanded) used in its text."""
    def change(name, data):  # type: ignore[no-untyped-def]
        if name == "word/document.xml":
            body = data.split(b"?>", 1)[1]
            return LAUGHS.encode() + body.replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", 1)
        return data if name else None
    path.write_bytes(_rezip(good, change))
    return path


def big_xml_docx(good: bytes, path: Path, size: int = 40 * 2**20) -> Path:
    """document.xml padded with `size` bytes of whitespace between elements."""
    def change(name, data):  # type: ignore[no-untyped-def]
        if name == "word/document.xml":
            return data.replace(b"<w:body>", b"<w:body>" + b" " * size, 1)
        return data if name else None
    path.write_bytes(_rezip(good, change))
    return path


def huge_png(path: Path, side: int = 60000) -> Path:
    """A PNG whose header declares side × side pixels; its one IDAT chunk is a few bytes."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
                     + chunk(b"IEND", b""))
    return path
