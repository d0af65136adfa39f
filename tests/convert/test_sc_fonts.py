"""The standalone SC faces cut from the Noto CJK collections, and fonts.conf choosing them."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection, TTFont

from haizhi.pipeline.office.convert import FONTS_CONF
from haizhi.pipeline.office.sc_fonts import ensure_sc_fonts, font_dir


@pytest.fixture(scope="module")
def sc_fonts() -> list[Path]:
    return ensure_sc_fonts()


def test_cut_faces_are_simplified_chinese(sc_fonts: list[Path]) -> None:
    names = sorted(p.name for p in sc_fonts)
    assert names == ["NotoSansSC-Bold.otf", "NotoSansSC-Regular.otf", "NotoSerifSC-Bold.otf",
                     "NotoSerifSC-Light.otf", "NotoSerifSC-Regular.otf"]
    for path in sc_fonts:
        font = TTFont(str(path), lazy=True)
        cff_name = font["CFF "].cff.fontNames[0]
        assert "CJKsc-" in cff_name and "jp" not in cff_name, cff_name  # what pdffonts will list
        assert (font["name"].getDebugName(16) or font["name"].getDebugName(1)) in ("Noto Serif SC", "Noto Sans SC")
        hai = font.getBestCmap()[ord("海")]
        coll_path = subprocess.run(["fc-match", "-f", "%{file}", font["name"].getDebugName(6) or ""],
                                   capture_output=True, text=True, check=True,
                                   env={"PATH": os.environ.get("PATH", "")}).stdout
        coll = TTCollection(coll_path, lazy=True)
        by_region = {str(f["name"].getDebugName(6)).split("-")[0][-2:]: f.getBestCmap()[ord("海")] for f in coll.fonts}
        coll.close()
        assert hai == by_region["sc"] != by_region["jp"], (path.name, hai, by_region)


def test_ensure_is_cheap_once_done(sc_fonts: list[Path]) -> None:
    stamps = {p: p.stat().st_mtime_ns for p in sc_fonts}
    assert ensure_sc_fonts() == sc_fonts
    assert {p: p.stat().st_mtime_ns for p in sc_fonts} == stamps  # not written again
    assert all(p.parent == font_dir() for p in sc_fonts)


@pytest.mark.parametrize(("pattern", "want"), [
    ("方正小标宋简体", "NotoSerifSC-Bold.otf"),
    ("仿宋_GB2312", "NotoSerifSC-Light.otf"),
    ("宋体", "NotoSerifSC-Regular.otf"),
    ("黑体", "NotoSansSC-Regular.otf"),
    ("Noto Serif CJK SC", "NotoSerifSC-Regular.otf"),
    ("serif:lang=ja", "NotoSerifSC-Regular.otf"),
    ("sans-serif:lang=ja", "NotoSansSC-Regular.otf"),
])
def test_fonts_conf_picks_the_sc_faces(sc_fonts: list[Path], pattern: str, want: str) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "FONTCONFIG_FILE": str(FONTS_CONF), "LANG": "ja_JP.UTF-8",
           "FC_LANG": "ja", "HOME": os.environ.get("HOME", "/root")}
    if "XDG_DATA_HOME" in os.environ:
        env["XDG_DATA_HOME"] = os.environ["XDG_DATA_HOME"]
    got = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, env=env,
                         check=True).stdout
    assert Path(got).name == want
