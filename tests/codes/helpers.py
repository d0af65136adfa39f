"""Helpers for the codes tests: a ledger and secret per test session, a pen that alters a printed page."""

from __future__ import annotations

import io

import pdfplumber
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject


def value_box(pdf: bytes, text: str) -> tuple[int, tuple[float, float, float, float]]:
    """(page, box in points from the top-left) of the first place the printed text appears."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for pno, page in enumerate(doc.pages, start=1):
            hits = page.search(text, regex=False)
            if hits:
                h = hits[0]
                return pno, (h["x0"], h["top"], h["x1"], h["bottom"])
    raise AssertionError(f"{text!r} not printed in the PDF")


def overwrite(pdf: bytes, old: str, new: str) -> bytes:
    """What a person does with correction fluid and a pen: white over the printed `old`, write `new` there."""
    page_no, (x0, top, x1, bottom) = value_box(pdf, old)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    page = writer.pages[page_no - 1]
    h = float(page.mediabox.height)
    y0, y1 = h - bottom, h - top
    size = (y1 - y0) * 0.95
    ops = (f"q 1 1 1 rg {x0 - 1:.2f} {y0 - 1:.2f} {x1 - x0 + 2:.2f} {y1 - y0 + 2:.2f} re f Q "
           f"q BT /HZPen {size:.2f} Tf 0.05 0.1 0.45 rg {x0:.2f} {y0 + size * 0.2:.2f} Td ({new}) Tj ET Q")
    stream = DecodedStreamObject()
    stream.set_data(ops.encode("latin-1"))
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica-Oblique")})
    res = page["/Resources"].get_object()
    fonts = res.get("/Font")
    if fonts is None:
        res[NameObject("/Font")] = DictionaryObject()
        fonts = res["/Font"]
    fonts.get_object()[NameObject("/HZPen")] = writer._add_object(font)
    page.merge_page(_blank_with(writer, page, stream), over=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _blank_with(writer: PdfWriter, like, stream: DecodedStreamObject):
    from pypdf import PageObject

    blank = PageObject.create_blank_page(width=float(like.mediabox.width), height=float(like.mediabox.height))
    blank[NameObject("/Contents")] = writer._add_object(stream)
    blank[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): like["/Resources"]["/Font"]})
    return blank
