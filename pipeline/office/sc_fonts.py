"""Simplified Chinese faces for LibreOffice, cut out of the Noto CJK collections.

Debian ships Noto Serif/Sans CJK as OpenType collections (.ttc) whose faces
(JP, KR, SC, TC, HK) share one CFF table named after the Japanese face
(NotoSerifCJKjp-Bold); only each face's cmap and GSUB pick the regional
glyphs. LibreOffice 7.4 asked for the SC face of such a collection draws the
Japanese glyphs (海 with one stroke where Chinese has two dots) and names the
embedded font NotoSerifCJKjp-…. So the faces haizhi prints with are cut out
once into standalone fonts:

- the SC face's own tables (its cmap maps 海 to the Chinese glyph), copied as they are;
- the shared CFF with its font names changed from …CJKjp-… to …CJKsc-… (same
  length, so no offset moves and nothing is recompiled);
- family names "Noto Serif CJK SC" → "Noto Serif SC" (and Sans), the names of
  Google's region-specific SC fonts, so fonts.conf can ask for them before the
  collection's SC face (and a real Noto Serif SC, when installed, serves too).

They are written to $XDG_DATA_HOME/haizhi/fonts (default ~/.local/share),
the folder pipeline/office/fonts.conf adds with <dir prefix="xdg">.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import uuid
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont
from fontTools.ttLib.tables.DefaultTable import DefaultTable

log = logging.getLogger(__name__)

# (family in the collection, standalone family, PostScript stem) and the styles cut out
FAMILIES = (
    ("Noto Serif CJK SC", "Noto Serif SC", "NotoSerifCJK"),
    ("Noto Sans CJK SC", "Noto Sans SC", "NotoSansCJK"),
)
STYLES = {"NotoSerifCJK": ("Light", "Regular", "Bold"), "NotoSansCJK": ("Regular", "Bold")}
# Regional faces whose glyphs are not Simplified Chinese (PostScript names and families)
FOREIGN_FACE_MARKS = ("jp", "kr", "tc", "hk", "japan", "korea", "traditional", "mincho", "gothic", "ming")


def font_dir() -> Path:
    """Where the SC faces live: the folder fonts.conf names with <dir prefix="xdg">haizhi/fonts</dir>."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "haizhi" / "fonts"


def _collection_faces() -> dict[str, tuple[str, int]]:
    """PostScript name → (collection file, face index) of every installed SC face of a Noto CJK collection."""
    exe = shutil.which("fc-list")
    if exe is None:
        return {}
    try:
        out = subprocess.run([exe, "-f", "%{postscriptname}|%{file}|%{index}\n", ":lang=zh-cn"],
                             capture_output=True, text=True, timeout=30,
                             env={k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    faces = {}
    for line in out.splitlines():
        ps, _, rest = line.partition("|")
        path, _, idx = rest.rpartition("|")
        if "CJKsc-" in ps and path.lower().endswith((".ttc", ".otc")):
            faces[ps] = (path, int(idx or 0))
    return faces


def cut_face(collection: Path, index: int, family: str, standalone: str, dst: Path) -> Path:
    """Write face `index` of an OpenType collection as one standalone font named `standalone`."""
    coll = TTCollection(str(collection), lazy=True)
    src = coll.fonts[index]
    out = TTFont(sfntVersion=src.sfntVersion, recalcBBoxes=False, recalcTimestamp=False)
    for tag in src.reader.tables:
        if tag == "name":
            continue
        table = DefaultTable(tag)
        table.data = src.reader[tag]
        if tag == "CFF ":
            stem = family.replace(" ", "").replace("CJKSC", "CJK")  # NotoSerifCJK
            table.data = table.data.replace(f"{stem}jp-".encode(), f"{stem}sc-".encode())
        out[tag] = table
    name = src["name"]
    for rec in name.names:
        text = rec.toUnicode()
        if family in text:
            rec.string = text.replace(family, standalone)
    out["name"] = name
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".{dst.name}.{uuid.uuid4().hex[:8]}")  # dot file: fontconfig skips it
    try:
        out.save(str(tmp), reorderTables=False)
        os.replace(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)
        coll.close()
    return dst


def ensure_sc_fonts() -> list[Path]:
    """Cut out the SC faces that are missing (or older than their collection, when it is looked up anyway);
    returns the fonts present.

    Never raises: a machine without the collections (or without a writable home)
    gets a warning, and LibreOffice falls back to the collections' SC faces.
    """
    folder = font_dir()
    present: list[Path] = []
    faces: dict[str, tuple[str, int]] | None = None
    for family, standalone, stem in FAMILIES:
        for style in STYLES[stem]:
            ps = f"{stem}sc-{style}"
            dst = folder / f"{standalone.replace(' ', '')}-{style}.otf"
            if faces is None and not dst.is_file():
                faces = _collection_faces()
            src = (faces or {}).get(ps)
            fresh = dst.is_file() and (src is None or dst.stat().st_mtime >= Path(src[0]).stat().st_mtime)
            if fresh:
                present.append(dst)
                continue
            if src is None:
                log.warning("未找到字体 %s（Noto CJK 字体集），PDF 可能使用非简体中文字形", ps)
                continue
            try:
                present.append(cut_face(Path(src[0]), src[1], family, standalone, dst))
            except (OSError, ValueError, KeyError) as e:
                log.warning("无法生成简体中文字体 %s（%s），PDF 可能使用非简体中文字形", dst.name, e)
    return present
