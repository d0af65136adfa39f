"""PDF checks for generated documents: fonts embedded, page not blank, no missing glyphs.

missing_glyphs() is a check on the font programs themselves, not on pixels:

1. pdfminer (the engine under pdfplumber) interprets every page with a device
   that records, per font, each character code shown and the Unicode text the
   ToUnicode map gives it.
2. For each font with an embedded program (FontFile / FontFile2 / FontFile3),
   fontTools parses the program (Type 1 via t1Lib, bare CFF via cffLib,
   TrueType/OpenType via TTFont) and resolves each code to the glyph the
   viewer will draw, as the PDF spec does: CIDToGIDMap for CIDFontType2,
   the CFF charset for CID-keyed CFF, the font's built-in (or the PDF's
   /Differences) encoding for Type 1/CFF simple fonts, and the (3,0)/(1,0)
   cmap subtable for simple TrueType.
3. A character is missing when that glyph is .notdef / GID 0, is not in the
   program, or (for a non-blank character) has no outline.

This is what tofu is: LibreOffice, finding no face with the character, shows
the fallback face's .notdef box and still maps it to the character in
ToUnicode. Fonts that are not embedded are fonts_not_embedded()'s business;
Type 3 fonts (glyphs drawn by PDF operators) are not checked.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
from fontTools import t1Lib
from fontTools.cffLib import CFFFontSet
from fontTools.encodings.StandardEncoding import StandardEncoding
from fontTools.pens.boundsPen import ControlBoundsPen
from fontTools.ttLib import TTFont
from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdffont import PDFFont
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral
from PIL import Image

from haizhi.pipeline.core.errors import UnreadableInput


@dataclass(frozen=True)
class PdfFont:
    """One row of pdffonts."""

    name: str
    type: str
    encoding: str
    embedded: bool
    subset: bool
    unicode: bool

    @property
    def base_name(self) -> str:
        """Name without the subset tag (ABCDEF+)."""
        return re.sub(r"^[A-Z]{6}\+", "", self.name)


PDFFONTS_TIMEOUT = 30.0  # seconds; pdffonts spins on some fuzzed files

_ROW = re.compile(r"^(?P<rest>.*?)\s+(?P<emb>yes|no)\s+(?P<sub>yes|no)\s+(?P<uni>yes|no)\s+\d+\s+\d+\s*$")
_TYPES = ("CID TrueType (OT)", "CID TrueType", "CID Type 0C (OT)", "CID Type 0C", "CID Type 0",
          "TrueType (OT)", "TrueType", "Type 1C (OT)", "Type 1C", "Type 1", "Type 3", "unknown")


def pdf_fonts(pdf: Path) -> list[PdfFont]:
    """Fonts of a PDF as poppler's pdffonts lists them."""
    exe = shutil.which("pdffonts")
    if exe is None:
        raise UnreadableInput("未找到 pdffonts，请安装 poppler-utils（sudo apt-get install poppler-utils）")
    try:
        res = subprocess.run([exe, str(pdf)], capture_output=True, timeout=PDFFONTS_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise UnreadableInput(f"读取 PDF {Path(pdf).name} 的字体超时") from None
    if res.returncode != 0:
        msg = res.stderr.decode("utf-8", "replace").strip()[:200]
        raise UnreadableInput(f"无法读取 PDF {Path(pdf).name} 的字体（{msg}）")
    return parse_pdffonts(res.stdout.decode("utf-8", "replace"))


def parse_pdffonts(text: str) -> list[PdfFont]:
    """Rows of pdffonts output; parsed from the right, as names and types may hold spaces."""
    fonts = []
    for line in text.splitlines()[2:]:
        m = _ROW.match(line)
        if not m:
            continue
        name_type, _, encoding = m["rest"].rstrip().rpartition(" ")
        name_type = name_type.rstrip()
        ftype = next((t for t in _TYPES if name_type.endswith(" " + t) or name_type == t), "unknown")
        name = name_type[: len(name_type) - len(ftype)].strip() if name_type.endswith(ftype) else name_type
        fonts.append(PdfFont(name, ftype, encoding, m["emb"] == "yes", m["sub"] == "yes", m["uni"] == "yes"))
    return fonts


def _not_embedded(fonts: list[PdfFont]) -> list[str]:
    return [f.name for f in fonts if not f.embedded and f.type != "Type 3"]


def fonts_not_embedded(pdf: Path) -> list[str]:
    """Names of the fonts the PDF uses without embedding them (Type 3 counts as embedded)."""
    return _not_embedded(pdf_fonts(pdf))


# Faces made for Japanese, Korean or Traditional Chinese: their glyph forms differ from Simplified
# Chinese (海 with one stroke where Chinese has two dots). Regional faces of Noto CJK / Source Han
# (collections and standalone fonts) and the usual system faces of those languages.
_FOREIGN_FACE = (
    re.compile(r"CJK(jp|kr|tc|hk)", re.I),
    re.compile(r"(Sans|Serif|Mono)(JP|KR|TC|HK|J|K|HC)(-|$)"),
    re.compile(r"^SourceHan(Sans|Serif)(-|$)"),  # the Pan-CJK default face is the Japanese one
    re.compile(r"(MS|Yu|IPA|IPAex|Takao|VL|Hiragino\w*)-?P?(Mincho|Gothic)|Meiryo|Batang|Gulim|Dotum|Gungsuh"
               r"|Malgun|Nanum|MingLiU|JhengHei|DFKai|U(Ming|Kai)(TW|HK)", re.I),
)


def is_foreign_face(name: str) -> bool:
    """True for a font name (PostScript or family) of a face made for Japanese, Korean or Traditional Chinese."""
    return any(p.search(name) for p in _FOREIGN_FACE)


def _foreign(fonts: list[PdfFont]) -> list[str]:
    return [n for n in dict.fromkeys(f.base_name for f in fonts) if is_foreign_face(n)]


def foreign_faces(pdf: Path) -> list[str]:
    """Names (without subset tag) of the fonts of a PDF made for Japanese, Korean or Traditional Chinese."""
    return _foreign(pdf_fonts(pdf))


def render_page_png(pdf: Path, page: int = 1, dpi: int = 100, out: Path | None = None) -> Image.Image:
    """Render one page (1-based) with pdfium; also saved as PNG when out is given."""
    try:
        doc = pdfium.PdfDocument(str(pdf))
    except (pdfium.PdfiumError, OSError) as e:
        raise UnreadableInput(f"无法打开 PDF {Path(pdf).name}（{e}）") from e
    try:
        if not 1 <= page <= len(doc):
            raise UnreadableInput(f"{Path(pdf).name} 没有第 {page} 页（共 {len(doc)} 页）")
        img = doc[page - 1].render(scale=dpi / 72, fill_color=(255, 255, 255, 255)).to_pil()
    except pdfium.PdfiumError as e:
        raise UnreadableInput(f"无法渲染 PDF {Path(pdf).name} 的第 {page} 页（{e}）") from e
    finally:
        doc.close()
    if out is not None:
        img.save(out, format="PNG")
    return img


def page_is_blank(img: Image.Image, ink_level: int = 200, min_ink: float = 0.0005) -> bool:
    """True when fewer than min_ink of the pixels are darker than ink_level (0..255)."""
    gray = np.asarray(img.convert("L"))
    return gray.size == 0 or float((gray < ink_level).mean()) < min_ink


# -- missing glyphs --------------------------------------------------------------------------


class _SpecRecorder(PDFResourceManager):
    """Resource manager that remembers the (merged) font dictionary of each font object."""

    def __init__(self) -> None:
        super().__init__(caching=True)
        self.specs: dict[int, dict[str, Any]] = {}

    def get_font(self, objid: object, spec: Any) -> PDFFont:
        font = super().get_font(objid, spec)
        self.specs.setdefault(id(font), dict(spec))  # Type0: the inner (descendant) call comes first
        return font


class _CharRecorder(PDFTextDevice):
    def __init__(self, rsrcmgr: PDFResourceManager) -> None:
        super().__init__(rsrcmgr)
        self.shown: dict[int, tuple[PDFFont, dict[int, str]]] = {}

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:  # type: ignore[no-untyped-def, override]
        codes = self.shown.setdefault(id(font), (font, {}))[1]
        if cid not in codes:
            try:
                codes[cid] = font.to_unichr(cid)
            except Exception:  # no ToUnicode entry: still check the glyph
                codes[cid] = ""
        try:
            return font.char_width(cid) * fontsize * scaling
        except Exception:
            return 0.0


def _name(obj: Any) -> str:
    return obj.name if isinstance(obj, PSLiteral) else str(obj or "")


class _Program:
    """An embedded font program resolved to 'glyph name or None' per character code."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.subtype = _name(resolve1(spec.get("Subtype")))
        desc = resolve1(spec.get("FontDescriptor")) or {}
        self.kind, stream = "", None
        for key in ("FontFile", "FontFile2", "FontFile3"):
            if key in desc:
                self.kind, stream = key, resolve1(desc[key])
                break
        self.embedded = stream is not None
        self.glyphset: Any = None
        self.order: list[str] = []
        self.encoding: list[str] | None = None
        self.sym_cmaps: list[dict[int, str]] = []
        self.uni_cmaps: list[dict[int, str]] = []
        self.cid_keyed = False
        self.index: dict[str, int] = {}
        if stream is None:
            return
        self._load(stream)
        self.index = {n: i for i, n in enumerate(self.order)}
        if self.kind == "FontFile":  # Type 1 has no glyph ids: only the name .notdef is tofu
            self.index = dict.fromkeys(self.order, 1)

    def _load(self, stream: Any) -> None:
        data = stream.get_data()
        sub = _name(resolve1(stream.get("Subtype")))
        if self.kind == "FontFile":
            t1 = t1Lib.T1Font.__new__(t1Lib.T1Font)  # T1Font() insists on a path; the PDF gives bytes
            t1.data, t1.encoding = data, "ascii"
            t1.parse()
            self.glyphset = t1.getGlyphSet()
            self.order = list(t1.font["CharStrings"].keys())
            enc = t1.font.get("Encoding")
            self.encoding = list(enc) if isinstance(enc, list) else StandardEncoding
        elif self.kind == "FontFile3" and sub in ("Type1C", "CIDFontType0C"):
            cff = CFFFontSet()
            cff.decompile(io.BytesIO(data), None)
            top = cff[cff.fontNames[0]]
            self.glyphset = top.CharStrings
            self.order = list(top.charset)
            self.cid_keyed = hasattr(top, "ROS")
            enc = getattr(top, "Encoding", "StandardEncoding")
            self.encoding = list(enc) if isinstance(enc, list) else StandardEncoding
        else:  # FontFile2 (TrueType) or FontFile3/OpenType
            tt = TTFont(io.BytesIO(data), fontNumber=0, lazy=True)
            self.glyphset = tt.getGlyphSet()
            self.order = tt.getGlyphOrder()
            self.cid_keyed = "CFF " in tt and hasattr(tt["CFF "].cff.topDictIndex[0], "ROS")
            if "cmap" in tt:
                tables = tt["cmap"].tables
                self.sym_cmaps = [t.cmap for t in tables if (t.platformID, t.platEncID) in ((3, 0), (1, 0))]
                self.uni_cmaps = [t.cmap for t in tables if t.isUnicode()]
        diffs = resolve1(resolve1(self.spec.get("Encoding")) or {})
        if isinstance(diffs, dict) and "Differences" in diffs and self.encoding is not None:
            enc, code = list(self.encoding), 0
            for item in resolve1(diffs["Differences"]):
                if isinstance(item, int):
                    code = item
                else:
                    if 0 <= code < 256:
                        enc[code] = _name(item)
                    code += 1
            self.encoding = enc

    def glyph(self, code: int, text: str) -> str | None:
        """Glyph name drawn for this code, or None when there is none."""
        is_cid = self.subtype in ("CIDFontType0", "CIDFontType2")
        if is_cid and self.cid_keyed:
            name = f"cid{code:05d}"
            return name if name in self.index else None
        if is_cid:
            gid = self._cid_to_gid(code)
            return self.order[gid] if 0 <= gid < len(self.order) else None
        if self.encoding is not None:  # Type 1 / CFF simple font
            return self.encoding[code] if 0 <= code < len(self.encoding) else None
        # simple TrueType: code in a symbolic subtable, else the character in a Unicode one
        for cmap in self.sym_cmaps:
            for k in (code, 0xF000 + code, 0xF100 + code, 0xF200 + code):
                if k in cmap:
                    return cmap[k]
        uni = ord(text) if len(text) == 1 else code
        return next((cmap[uni] for cmap in self.uni_cmaps if uni in cmap), None)

    def _cid_to_gid(self, cid: int) -> int:
        m = resolve1(self.spec.get("CIDToGIDMap"))
        if m is None or _name(m) == "Identity":
            return cid
        raw = m.get_data()
        return int.from_bytes(raw[2 * cid: 2 * cid + 2], "big") if 2 * cid + 2 <= len(raw) else -1

    def has_outline(self, name: str) -> bool:
        pen = ControlBoundsPen(self.glyphset)
        self.glyphset[name].draw(pen)
        return pen.bounds is not None


def _is_blank_char(text: str) -> bool:
    return not text or all(ch.isspace() or unicodedata.category(ch) in ("Zs", "Cc", "Cf") for ch in text)


def _describe(text: str, code: int) -> str:
    if not text:
        return f"代码 {code}"
    return "“" + text + "”(" + " ".join(f"U+{ord(c):04X}" for c in text) + ")"


def _shown_fonts(pdf: Path) -> Iterator[tuple[str, _Program | Exception, dict[int, str]]]:
    """(font name without subset tag, its program or the parse error, {code: text}) per embedded font."""
    try:
        doc = PDFDocument(PDFParser(io.BytesIO(Path(pdf).read_bytes())))  # objects resolve lazily
        rsrc = _SpecRecorder()
        device = _CharRecorder(rsrc)
        interp = PDFPageInterpreter(rsrc, device)
        for page in PDFPage.create_pages(doc):
            interp.process_page(page)
    except Exception as e:
        raise UnreadableInput(f"无法读取 PDF {Path(pdf).name}（{type(e).__name__}: {e}）") from e
    for key, (font, codes) in device.shown.items():
        spec = rsrc.specs.get(key, {})
        fontname = re.sub(r"^[A-Z]{6}\+", "", str(getattr(font, "fontname", "?")))
        if _name(resolve1(spec.get("Subtype"))) == "Type3":
            continue
        try:
            prog: _Program | Exception = _Program(spec)
        except Exception as e:
            prog = e
        if isinstance(prog, Exception) or prog.embedded:
            yield fontname, prog, codes


def missing_glyphs(pdf: Path) -> list[str]:
    """Characters drawn without a real glyph (tofu), one Chinese line per font and character code.

    A subset font shows all its tofu with one code (.notdef), which ToUnicode maps to
    one character: that character is the one named.
    """
    problems: list[str] = []
    for fontname, prog, codes in _shown_fonts(pdf):
        if isinstance(prog, Exception):
            problems.append(f"字体 {fontname}：嵌入的字体程序无法解析（{type(prog).__name__}），无法确认字形")
            continue
        for code, text in sorted(codes.items()):
            name = prog.glyph(code, text)
            if name is None or name == ".notdef" or name not in prog.index or prog.index[name] == 0:
                problems.append(f"字体 {fontname} 缺少字形：{_describe(text, code)}")
            elif not _is_blank_char(text) and not prog.has_outline(name):
                problems.append(f"字体 {fontname} 的字形为空：{_describe(text, code)}")
    return problems


def glyphs_drawn(pdf: Path) -> dict[str, tuple[str, str | None]]:
    """Character → (font, glyph name in the embedded program) for each character first drawn."""
    out: dict[str, tuple[str, str | None]] = {}
    for fontname, prog, codes in _shown_fonts(pdf):
        for code, text in codes.items():
            if text and not isinstance(prog, Exception):
                out.setdefault(text, (fontname, prog.glyph(code, text)))
    return out


def font_problems(pdf: Path) -> list[str]:
    """Fonts not embedded and faces made for Japanese, Korean or Traditional Chinese (one pdffonts run)."""
    fonts = pdf_fonts(pdf)
    return ([f"字体未嵌入：{n}" for n in _not_embedded(fonts)]
            + [f"字体 {n} 是日文、韩文或繁体中文字形，不是简体中文" for n in _foreign(fonts)])


def check_pdf(pdf: Path, dpi: int = 60) -> list[str]:
    """All checks at once; empty list = fine. Messages are Chinese."""
    problems = font_problems(pdf)
    if page_is_blank(render_page_png(pdf, 1, dpi=dpi)):
        problems.append("第 1 页是空白页")
    return problems + missing_glyphs(pdf)
