"""Checks before a hostile file is opened: format by content, size, zip bombs, XML entities."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from haizhi.pipeline.core.errors import UnreadableInput

MAX_FILE_BYTES = 64 * 2**20
MAX_ZIP_MEMBERS = 5000
MAX_ZIP_TOTAL = 256 * 2**20  # uncompressed
MAX_MEMBER = 128 * 2**20
MAX_RATIO = 200  # uncompressed / compressed, for members over 1 MB
MAX_XML_PART = 32 * 2**20  # one XML part (document.xml of a long form is ~2 MB)
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.I)

IMAGE_EXT = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp"}  # the one list of image suffixes


def sniff(head: bytes, suffix: str) -> str:
    """'docx' | 'zip' | 'pdf' | 'ole' | 'rtf' | 'image' | 'unknown', from the first bytes."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"BM")) or (
            head.startswith(b"RIFF") and head[8:12] == b"WEBP"):
        return "image"
    if head.lstrip().startswith((b"<?xml", b"<w:document", b"<html", b"<HTML")) and suffix in (".doc", ".wps"):
        return "rtf"  # Word 2003 XML / HTML saved as .doc: LibreOffice reads them
    return "unknown"


def is_odt(data: bytes) -> bool:
    """An OpenDocument text (LibreOffice / WPS 'save as ODT'): its first member names the type."""
    return data[:4] == b"PK\x03\x04" and b"mimetypeapplication/vnd.oasis.opendocument.text" in data[:100]


def check_size(path: Path) -> int:
    size = path.stat().st_size
    if size == 0:
        raise UnreadableInput("文件是空的（0 字节）")
    if size > MAX_FILE_BYTES:
        raise UnreadableInput(f"文件过大（{size / 2**20:.0f} MB，上限 {MAX_FILE_BYTES // 2**20} MB）")
    return size


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels")) or name == "[Content_Types].xml"


def check_docx_zip(path: Path | bytes) -> None:
    """Refuse zip bombs and XML with DTDs (entity expansion, external entities) before parsing."""
    import io

    try:
        zf = zipfile.ZipFile(io.BytesIO(path) if isinstance(path, bytes) else path)
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise UnreadableInput(f"文件已损坏，不是完整的 Word 文档（{type(e).__name__}）") from e
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise UnreadableInput(f"Word 文档内含 {len(infos)} 个部件，异常多，已拒绝读取")
        total = 0
        names = set()
        for info in infos:
            total += info.file_size
            names.add(info.filename)
            size = f"{info.file_size / 2**20:.0f} MB"
            if info.file_size > MAX_MEMBER:
                raise UnreadableInput(f"Word 文档的部件 {info.filename} 解压后 {size}，超过上限 "
                                      f"{MAX_MEMBER // 2**20} MB（疑似压缩炸弹），已拒绝读取")
            if total > MAX_ZIP_TOTAL:
                raise UnreadableInput(f"Word 文档解压后合计超过 {MAX_ZIP_TOTAL // 2**20} MB"
                                      "（疑似压缩炸弹），已拒绝读取")
            if _is_xml(info.filename) and info.file_size > MAX_XML_PART:
                raise UnreadableInput(f"Word 文档的 XML 部件 {info.filename} 解压后 {size}，超过上限 "
                                      f"{MAX_XML_PART // 2**20} MB，已拒绝读取")
            if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(1, info.compress_size):
                raise UnreadableInput(f"Word 文档的部件 {info.filename} 压缩比异常（{size} 压缩为 "
                                      f"{info.compress_size / 1024:.0f} KB，疑似压缩炸弹），已拒绝读取")
        if "[Content_Types].xml" not in names:
            raise UnreadableInput("压缩包不是 Word 文档（缺少 [Content_Types].xml）")
        if not any(n.startswith("word/") or n.endswith("document.xml") for n in names):
            raise UnreadableInput("文件不是 Word 文档（可能是 Excel、PPT 或其他压缩包）")
        for info in infos:
            if _is_xml(info.filename):
                try:
                    with zf.open(info) as fh:
                        data = fh.read(MAX_XML_PART + 1)
                except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as e:
                    raise UnreadableInput(f"Word 文档的部件 {info.filename} 已损坏，无法解压") from e
                if _DTD.search(data[:4096]) or _DTD.search(data):
                    raise UnreadableInput(f"Word 文档的部件 {info.filename} 含有 XML 实体声明（可能是恶意构造），已拒绝读取")
