"""PDF checks: each one is shown to pass on a good PDF and to fail on a bad one."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from convert_helpers import make_docx
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from PIL import Image

from haizhi.pipeline.core.errors import UnreadableInput
from haizhi.pipeline.office.convert import Converter
from haizhi.pipeline.office.pdfcheck import (
    check_pdf,
    fonts_not_embedded,
    glyphs_drawn,
    missing_glyphs,
    page_is_blank,
    parse_pdffonts,
    pdf_fonts,
    render_page_png,
)


def build_pdf(path: Path, content: bytes, font: bytes | None = None, extra: list[bytes] = ()) -> Path:
    """A minimal valid PDF (correct xref), one page; font = the dict of /F1 (object 5)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        + (b" /Resources << /Font << /F1 5 0 R >> >>" if font else b"") + b" >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        font or b"null",
        *extra,
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))
    return path


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def handmade_pdf(path: Path, content: bytes, font: bool = True) -> Path:
    return build_pdf(path, content, HELVETICA if font else None)


def tiny_truetype() -> bytes:
    """A TrueType font with a box for A, an empty outline for B, no Z."""
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder([".notdef", "A", "B", "space"])
    fb.setupCharacterMap({ord("A"): "A", ord("B"): "B", 32: "space"})
    pen = TTGlyphPen(None)
    for x0, y0, x1, y1 in ((50, 0, 450, 700),):
        pen.moveTo((x0, y0))
        pen.lineTo((x0, y1))
        pen.lineTo((x1, y1))
        pen.lineTo((x1, y0))
        pen.closePath()
    box = pen.glyph()
    fb.setupGlyf({".notdef": box, "A": box, "B": TTGlyphPen(None).glyph(), "space": TTGlyphPen(None).glyph()})
    fb.setupHorizontalMetrics({n: (500, 0) for n in (".notdef", "A", "B", "space")})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Tiny", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    buf = io.BytesIO()
    fb.save(buf)
    return buf.getvalue()


def test_unembedded_font_is_reported(tmp_path: Path):
    pdf = handmade_pdf(tmp_path / "helv.pdf", b"BT /F1 48 Tf 72 700 Td (Hello haizhi) Tj ET")
    assert fonts_not_embedded(pdf) == ["Helvetica"]
    (font,) = pdf_fonts(pdf)
    assert (font.type, font.embedded) == ("Type 1", False)
    assert not page_is_blank(render_page_png(pdf))
    assert "字体未嵌入：Helvetica" in check_pdf(pdf)


def test_blank_page_is_blank(tmp_path: Path):
    pdf = handmade_pdf(tmp_path / "blank.pdf", b"", font=False)
    img = render_page_png(pdf, 1, dpi=50, out=tmp_path / "blank.png")
    assert page_is_blank(img)
    assert Image.open(tmp_path / "blank.png").size == img.size
    assert "第 1 页是空白页" in check_pdf(pdf)
    # a single thin rule is enough ink to count as not blank
    ruled = handmade_pdf(tmp_path / "rule.pdf", b"4 w 72 400 m 520 400 l S", font=False)
    assert not page_is_blank(render_page_png(ruled, 1, dpi=50))


def test_render_page_out_of_range_and_garbage(tmp_path: Path):
    pdf = handmade_pdf(tmp_path / "one.pdf", b"", font=False)
    with pytest.raises(UnreadableInput, match="第 2 页"):
        render_page_png(pdf, 2)
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    with pytest.raises(UnreadableInput):
        fonts_not_embedded(junk)


def test_tofu_is_caught_as_missing_glyph(converter: Converter, tmp_path: Path):
    # U+2A6D6 (CJK Ext. B) and U+E000 (private use) are in no installed font:
    # LibreOffice draws the .notdef box and maps it to the character in ToUnicode.
    src = make_docx(tmp_path / "tofu.docx", [
        ("生僻字\U0002A6D6与私用区\ue000结束", "仿宋_GB2312", 16, False),
        ("楷体里也有\U0002A6D6", "楷体_GB2312", 16, False),
    ])
    pdf = converter.convert(src, tmp_path / "tofu.pdf")
    assert fonts_not_embedded(pdf) == []  # embedded, yet still tofu
    problems = missing_glyphs(pdf)
    assert problems and all("缺少字形" in p for p in problems)
    assert any("U+2A6D6" in p and "NotoSerifCJK" in p for p in problems)
    assert not any("生" in p or "结" in p for p in problems)  # real glyphs are not reported
    assert problems[0] in check_pdf(pdf)


def test_good_document_passes_every_check(converter: Converter, official_docx: Path, tmp_path: Path):
    pdf = converter.convert(official_docx, tmp_path / "good.pdf")
    assert check_pdf(pdf) == []
    names = {f.base_name for f in pdf_fonts(pdf)}
    assert any(n.startswith("LXGWWenKai") for n in names)
    assert any(n.startswith("NotoSansCJK") for n in names)


def test_missing_and_empty_glyphs_in_an_embedded_truetype(tmp_path: Path):
    ttf = tiny_truetype()
    font = (b"<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+Tiny /FirstChar 32 /LastChar 90"
            b" /Widths [" + b" 500" * 59 + b"] /Encoding /WinAnsiEncoding /FontDescriptor 6 0 R >>")
    desc = (b"<< /Type /FontDescriptor /FontName /ABCDEF+Tiny /Flags 32 /FontBBox [0 -200 1000 800]"
            b" /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 7 0 R >>")
    stream = b"<< /Length %d /Length1 %d >>\nstream\n" % (len(ttf), len(ttf)) + ttf + b"\nendstream"
    good = build_pdf(tmp_path / "good.pdf", b"BT /F1 40 Tf 72 700 Td (AA A) Tj ET", font, [desc, stream])
    assert fonts_not_embedded(good) == [] and missing_glyphs(good) == []
    bad = build_pdf(tmp_path / "bad.pdf", b"BT /F1 40 Tf 72 700 Td (AZB) Tj ET", font, [desc, stream])
    problems = missing_glyphs(bad)
    assert problems == ["字体 Tiny 的字形为空：“B”(U+0042)", "字体 Tiny 缺少字形：“Z”(U+005A)"]


def test_cjk_glyphs_are_the_simplified_chinese_forms(converter: Converter, tmp_path: Path):
    # Noto CJK's CFF is named "...CJKjp..." in every face; the SC face differs by its cmap,
    # which picks the mainland forms of these characters (other CIDs than the JP face).
    chars = "骨直写角"
    pdf = converter.convert(make_docx(tmp_path / "sc.docx", [(chars, "宋体", 16, False)]), tmp_path / "sc.pdf")
    drawn = glyphs_drawn(pdf)

    def face_cmap(pattern: str) -> dict[int, str]:
        res = subprocess.run(["fc-match", "-f", "%{file}:%{index}", pattern], capture_output=True, text=True)
        file, _, index = res.stdout.rpartition(":")
        return TTFont(file, fontNumber=int(index), lazy=True).getBestCmap()

    sc, jp = face_cmap("Noto Serif CJK SC:regular"), face_cmap("Noto Serif CJK JP:regular")
    assert any(sc[ord(c)] != jp[ord(c)] for c in chars)  # the check can tell them apart
    for c in chars:
        font, glyph = drawn[c]
        assert font.startswith("NotoSerifCJK") and glyph == sc[ord(c)], (c, font, glyph)


def test_parse_pdffonts_rows_with_spaces():
    text = """name                                 type              encoding         emb sub uni object ID
------------------------------------ ----------------- ---------------- --- --- --- ---------
[none]                               Type 3            Custom           yes no  no      12  0
ABCDEF+SimSun                        CID TrueType      Identity-H       yes yes yes     20  0
A Very Long Font Name With Spaces In It CID Type 0C (OT) Identity-H     no  no  yes    531  0
Helvetica                            Type 1            WinAnsi          no  no  no       5  0
"""
    rows = parse_pdffonts(text)
    assert [(f.name, f.type, f.encoding, f.embedded, f.subset) for f in rows] == [
        ("[none]", "Type 3", "Custom", True, False),
        ("ABCDEF+SimSun", "CID TrueType", "Identity-H", True, True),
        ("A Very Long Font Name With Spaces In It", "CID Type 0C (OT)", "Identity-H", False, False),
        ("Helvetica", "Type 1", "WinAnsi", False, False),
    ]
    assert rows[1].base_name == "SimSun"


def test_hostile_pdfs_are_read_or_refused(shared_dir: Path):
    """Fuzzer crashes, encrypted and malformed PDFs: each check answers or raises UnreadableInput."""
    files = sorted(p for p in (shared_dir / "corpora" / "hostile_pdf").rglob("*") if p.is_file())
    assert len(files) > 50
    refused = 0
    for f in files:
        for check in (fonts_not_embedded, lambda p: page_is_blank(render_page_png(p, dpi=20)), missing_glyphs):
            try:
                check(f)
            except UnreadableInput as e:
                assert f.name in str(e) or "PDF" in str(e)
                refused += 1
    assert refused > 0
