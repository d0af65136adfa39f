"""Every PDF haizhi makes prints Simplified Chinese faces, and the notice keeps GB/T 9704's 22-line grid.

The PDFs come from the real pipeline: the 2026 package (notices, 广东 forwarding notice, blank forms,
outline), both pre-filled forms and an approval sheet, converted by the warm LibreOffice converter.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFont

from haizhi.pipeline.core.config import YearConfig
from haizhi.pipeline.core.fields import BASE, COOP
from haizhi.pipeline.core.record import load_record
from haizhi.pipeline.generate.approval_sheet import render_approval_sheet
from haizhi.pipeline.generate.forms import render_form
from haizhi.pipeline.generate.package import generate_package
from haizhi.pipeline.office.convert import Converter, shared_converter
from haizhi.pipeline.office.pdfcheck import check_pdf, is_foreign_face, pdf_fonts
from haizhi.pipeline.simulate.stamps import sc_face_index
from tests.conftest import FIXTURES

# region tags a JP / KR / TC / HK face carries in its PostScript name (NotoSerifCJKjp-…, NotoSansTC-…)
REGION = re.compile(r"CJK(jp|kr|tc|hk)|(JP|KR|TC|HK|J|K)-|(JP|KR|TC|HK)$", re.I)
MM = 72 / 25.4


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory, cfg2026: YearConfig) -> dict[str, Path]:
    coop_record = load_record(FIXTURES / "records" / "coop_example.json")
    base_record = load_record(FIXTURES / "records" / "base_example.json")
    out = tmp_path_factory.mktemp("sc")
    pkg = generate_package(cfg2026, out, province="广东", progress=False)
    found = {p.stem: p for p in pkg.folder.glob("*.pdf")}
    conv = shared_converter()
    extra = {"预填合作机构信息表": render_form(coop_record, COOP, cfg2026),
             "预填基地申报表": render_form(base_record, BASE, cfg2026),
             "初审审核表": render_approval_sheet(coop_record, [], cfg2026)}
    for stem, data in extra.items():
        docx_path = out / f"{stem}.docx"
        docx_path.write_bytes(data)
        found[stem] = conv.convert(docx_path, docx_path.with_suffix(".pdf"))
    assert len(found) == 9, sorted(found)
    return found


def test_every_pdf_embeds_only_simplified_chinese_faces(pdfs: dict[str, Path]) -> None:
    for stem, pdf in pdfs.items():
        names = sorted({f.base_name for f in pdf_fonts(pdf)})
        assert names, stem
        foreign = [n for n in names if REGION.search(n) or is_foreign_face(n)]
        assert foreign == [], f"{stem}: {names}"
        assert any("CJKsc-" in n for n in names), f"{stem}: no Noto CJK SC face in {names}"
        assert check_pdf(pdf) == [], stem  # embedded, no tofu, and the SC check of pdfcheck agrees


def test_foreign_face_names() -> None:
    for name in ("NotoSerifCJKjp-Bold-VKana", "NotoSansCJKkr-Regular", "NotoSansTC-Regular", "NotoSerifHK-Bold",
                 "SourceHanSans-Regular", "SourceHanSerifK-Light", "MS-Mincho", "PMingLiU", "Batang"):
        assert is_foreign_face(name), name
    for name in ("NotoSerifCJKsc-Light-VKana", "NotoSansSC-Regular", "SourceHanSansSC-Bold", "LXGWWenKai-Regular",
                 "WenQuanYiZenHei", "LiberationSerif", "CenturyGothic"):
        assert not is_foreign_face(name), name


# -- 海 as printed vs 海 drawn from the SC and the JP face ---------------------------------------------


def _collection(weight: str, serif: bool = True) -> str:
    family = "Noto Serif CJK SC" if serif else "Noto Sans CJK SC"
    env = {"PATH": "/usr/bin:/bin"}  # the machine's own fontconfig, not haizhi's fonts.conf
    return subprocess.run(["fc-match", "-f", "%{file}", f"{family}:style={weight}"], capture_output=True,
                          text=True, env=env, check=True).stdout


def _jp_index(path: str) -> int:
    from fontTools.ttLib import TTCollection

    coll = TTCollection(path, lazy=True)
    try:
        return next(i for i, f in enumerate(coll.fonts) if "jp-" in str(f["name"].getDebugName(6)).lower())
    finally:
        coll.close()


def _ink(img: Image.Image) -> np.ndarray:
    return np.asarray(img.convert("L")) < 128


def _reference(path: str, index: int, px: int, char: str = "海") -> np.ndarray:
    font = ImageFont.truetype(path, px, index=index)
    im = Image.new("L", (2 * px, 2 * px), 255)
    ImageDraw.Draw(im).text((px // 2, px // 2), char, font=font, fill=0)
    ink = _ink(im)
    ys, xs = np.nonzero(ink)
    return ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def _mismatch(region: np.ndarray, ref: np.ndarray) -> float:
    """Smallest share of differing pixels over every placement of ref inside region."""
    h, w = ref.shape
    best = 1.0
    for dy in range(region.shape[0] - h + 1):
        for dx in range(region.shape[1] - w + 1):
            best = min(best, float((region[dy:dy + h, dx:dx + w] ^ ref).mean()))
    return best


def _printed(pdf: Path, weight: str, scale: float) -> tuple[np.ndarray, float]:
    """Ink around the first 海 printed in a font of that weight, and its size in points."""
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            c = next((c for c in page.chars if c["text"] == "海" and weight in c["fontname"]), None)
            if c is not None:
                break
        else:
            raise AssertionError(f"no 海 in a {weight} face in {pdf.name}")
    n = c["page_number"] - 1
    pad = 0.3 * c["size"]
    box = (c["x0"] - pad, c["top"] - pad, c["x1"] + pad, c["bottom"] + pad)
    doc2 = pdfium.PdfDocument(str(pdf))
    try:
        img = doc2[n].render(scale=scale).to_pil()
    finally:
        doc2.close()
    region = img.crop(tuple(round(v * scale) for v in box))
    return _ink(region), c["size"]


@pytest.mark.parametrize("weight", ["Light", "Bold"])
def test_printed_hai_has_the_simplified_chinese_form(pdfs: dict[str, Path], weight: str) -> None:
    """海 in the notice (body 仿宋 → Light, title 小标宋 → Bold) looks like the SC face's 海, not the JP one."""
    scale = 5.0
    region, size = _printed(pdfs["合作机构通知"], weight, scale)
    path = _collection(weight)
    px = round(size * scale)
    sc = _mismatch(region, _reference(path, sc_face_index(path), px))
    jp = _mismatch(region, _reference(path, _jp_index(path), px))
    assert sc < 0.06 and sc < jp / 2, (sc, jp)  # measured: Light 0.03 vs 0.10, Bold 0.04 vs 0.11


# -- GB/T 9704 grid: 22 lines of body text on a full page --------------------------------------------


def _body_lines(page) -> list[float]:
    """Tops of the text lines in the type area (37 mm from the top, 225 mm high), body size 三号."""
    top, bottom = 37 * MM, (37 + 225) * MM
    tops = Counter(round(c["top"]) for c in page.chars
                   if c["text"].strip() and top <= c["top"] and c["bottom"] <= bottom and abs(c["size"] - 16) < 0.5)
    return sorted(tops)


def test_full_notice_page_has_22_body_lines(pdfs: dict[str, Path]) -> None:
    with pdfplumber.open(pdfs["合作机构通知"]) as doc:
        counts = [len(_body_lines(p)) for p in doc.pages]
        full = [i for i, n in enumerate(counts) if n == 22]
        assert full and max(counts) == 22, counts
        tops = _body_lines(doc.pages[full[0]])
    pitch = (tops[-1] - tops[0]) / 21
    assert pitch == pytest.approx(225 * MM / 22, abs=0.1)  # the 22 lines fill the 225 mm type area


def test_sc_faces_under_a_japanese_locale(tmp_path: Path, pdfs: dict[str, Path], monkeypatch) -> None:
    """The machine's locale does not pick the faces: LibreOffice started under ja_JP prints SC faces too."""
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")  # LibreOffice's default locale
    monkeypatch.setenv("LANGUAGE", "ja")
    monkeypatch.setenv("FC_LANG", "ja")  # fontconfig's default language
    src = tmp_path / "notice.docx"  # ASCII: the ja_JP locale may not be installed (then names decode as ASCII)
    src.write_bytes(pdfs["合作机构通知"].with_suffix(".docx").read_bytes())
    with Converter(timeout=120) as conv:
        pdf = conv.convert(src, tmp_path / "notice.pdf")
    names = sorted({f.base_name for f in pdf_fonts(pdf)})
    assert not [n for n in names if is_foreign_face(n)], names
    assert any("CJKsc-" in n for n in names), names
