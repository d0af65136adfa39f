"""haizhi generate end to end: one full 2023 package with PDFs (LibreOffice), manifest, zip, subcommands."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result

from haizhi.pipeline.cli import cli
from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.office.pdfcheck import fonts_not_embedded, missing_glyphs, page_is_blank, render_page_png
from tests.docx_text import docx_text
from tests.generate.conftest import norm

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = ["合作机构通知", "广东转发通知", "合作机构信息表", "基地通知", "基地申报表", "基地建设方案参考提纲"]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=True)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    out = tmp_path_factory.mktemp("pkg")
    result = run("generate", "--year", "2023", "--province", "广东", "--out", str(out), "-q")
    return out, result


def test_generate_writes_folder_manifest_zip(package: tuple[Path, Result]) -> None:
    out, result = package
    assert result.exit_code == 0, result.output + repr(result.exception)
    folder = out / "2023-通知包"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    names = [f["name"] for f in manifest["files"]]
    assert names == [f"{s}.{ext}" for s in EXPECTED for ext in ("docx", "pdf")]
    assert sorted(p.name for p in folder.iterdir()) == sorted([*names, "manifest.json"])
    for f in manifest["files"]:
        data = (folder / f["name"]).read_bytes()
        assert f["bytes"] == len(data) and f["sha256"] == hashlib.sha256(data).hexdigest(), f["name"]
    with zipfile.ZipFile(out / "2023-通知包.zip") as z:
        assert z.testzip() is None
        assert sorted(z.namelist()) == sorted(f"2023-通知包/{n}" for n in [*names, "manifest.json"])
        for f in manifest["files"]:
            assert hashlib.sha256(z.read(f"2023-通知包/{f['name']}")).hexdigest() == f["sha256"]
    assert "2023-通知包.zip" in result.output and "manifest.json" in result.output


def test_package_docx_open_and_match_seeds(package: tuple[Path, Result], seed) -> None:
    folder = package[0] / "2023-通知包"
    for stem in EXPECTED:
        docx.Document(str(folder / f"{stem}.docx"))  # opens
    assert norm(docx_text(folder / "广东转发通知.docx")) == norm(seed("000"))
    assert norm(docx_text(folder / "基地通知.docx")) == norm(seed("001"))
    # the standalone forms and outline are the same text as the notice's attachments
    base = norm(docx_text(folder / "基地通知.docx"))
    assert base.endswith(norm(docx_text(folder / "基地申报表.docx")) + "附件" +
                         norm(docx_text(folder / "基地建设方案参考提纲.docx")))


@pytest.mark.parametrize("stem", ["广东转发通知", "基地通知", "合作机构信息表", "基地建设方案参考提纲"])
def test_pdfs_embedded_not_blank_no_tofu(package: tuple[Path, Result], stem: str) -> None:
    pdf = package[0] / "2023-通知包" / f"{stem}.pdf"
    assert fonts_not_embedded(pdf) == []
    assert not page_is_blank(render_page_png(pdf, 1, dpi=60))
    assert missing_glyphs(pdf) == []


def test_pdf_text_layer_has_notice_wording(package: tuple[Path, Result]) -> None:
    import pdfplumber

    with pdfplumber.open(package[0] / "2023-通知包" / "基地通知.pdf") as pdf:
        first = pdf.pages[0].extract_text() or ""
        n = len(pdf.pages)
    assert "中国科协部门发文" in norm(first) and "科协外函〔2023〕30号" in norm(first)
    assert n >= 6  # notice (3+ pages) + cover + form + outline


def test_no_pdf_programme_base_only(tmp_path: Path) -> None:
    result = run("generate", "--year", "2026", "--programme", "base", "--no-pdf", "--out", str(tmp_path), "-q")
    assert result.exit_code == 0, result.output + repr(result.exception)
    folder = tmp_path / "2026-通知包"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["基地通知.docx", "基地申报表.docx", "基地建设方案参考提纲.docx", "manifest.json"])
    assert "科协外函〔2026〕17号" in docx_text(folder / "基地通知.docx")
    # a second run replaces the package; a foreign non-empty folder is refused
    assert run("generate", "--year", "2026", "--programme", "base", "--no-pdf", "--out", str(tmp_path),
               "-q").exit_code == 0
    foreign = tmp_path / "other"
    (foreign / "2026-通知包").mkdir(parents=True)
    (foreign / "2026-通知包" / "我的文件.txt").write_text("x")
    bad = run("generate", "--year", "2026", "--no-pdf", "--out", str(foreign), "-q")
    assert isinstance(bad.exception, HaizhiError) and "其他文件" in str(bad.exception)
    assert (foreign / "2026-通知包" / "我的文件.txt").exists()


def test_unknown_province_fails_before_writing(tmp_path: Path) -> None:
    result = run("generate", "--year", "2023", "--province", "浙江", "--no-pdf", "--out", str(tmp_path), "-q")
    assert isinstance(result.exception, HaizhiError)
    assert "浙江" in str(result.exception) and "广东" in str(result.exception)
    assert not (tmp_path / "2023-通知包").exists()


def test_generate_form_subcommand(tmp_path: Path) -> None:
    rec = ROOT / "fixtures" / "records" / "coop_example.json"
    dst = tmp_path / "预填.docx"
    result = run("generate", "form", "--record", str(rec), "--year", "2026", "--out", str(dst), "--no-pdf")
    assert result.exit_code == 0, result.output + repr(result.exception)
    text = docx_text(dst)
    assert "深圳湾海创国际人才服务有限公司" in text and "推荐中国科协海智计划合作机构信息表" in text
    # the group's --year reaches the subcommand
    dst2 = tmp_path / "b.docx"
    rec_b = ROOT / "fixtures" / "records" / "base_example.json"
    result = run("generate", "--year", "2026", "form", "--record", str(rec_b), "--out", str(dst2), "--no-pdf")
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert "(2026年)" in docx_text(dst2)


def test_generate_sheet_subcommand(tmp_path: Path) -> None:
    rec = ROOT / "fixtures" / "records" / "coop_example.json"
    findings = tmp_path / "f.json"
    findings.write_text(json.dumps([{"rule": "coop.text_limit.profile", "severity": "error", "field": "profile",
                                     "message": "机构简介超过500字", "basis": "通知附件表"}], ensure_ascii=False))
    dst = tmp_path / "审核表.docx"
    result = run("generate", "sheet", "--record", str(rec), "--findings", str(findings), "--year", "2023",
                 "--out", str(dst), "--no-pdf")
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert "机构简介超过500字" in docx_text(dst)


def test_help_is_chinese_with_examples() -> None:
    for args in (["generate", "--help"], ["generate", "form", "--help"], ["generate", "sheet", "--help"]):
        result = run(*args)
        assert result.exit_code == 0 and "示例" in result.output and "haizhi generate" in result.output
