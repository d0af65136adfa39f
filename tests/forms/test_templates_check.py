"""haizhi templates check: broken tags and unknown names are named, with the text around them."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from haizhi.pipeline.cli import cli
from haizhi.pipeline.generate.render import TEMPLATES_DIR
from haizhi.pipeline.generate.templates_check import check_all, check_template, default_templates


def edit_xml(src: Path, dst: Path, *edits: tuple[str, str]) -> Path:
    """Copy a DOCX, replacing text in word/document.xml (each edit must apply)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                for old, new in edits:
                    assert old in xml, old
                    xml = xml.replace(old, new, 1)
                data = xml.encode("utf-8")
            zout.writestr(item, data)
    return dst


def messages(path: Path, cfg) -> str:
    return "\n".join(str(p) for p in check_template(path, cfg))


def test_shipped_templates_pass(cfg2026):
    names = {p.name for p in default_templates()}
    assert {"coop_institution.docx", "base_application.docx", "approval_sheet.docx", "batch_list.docx",
            "public_notice.docx"} <= names
    assert check_all(None, cfg2026) == []


def test_missing_closing_braces_named_with_context(tmp_path, cfg2026):
    p = edit_xml(TEMPLATES_DIR / "coop_institution.docx", tmp_path / "coop_institution.docx",
                 ("{{ r.name_cn|t }}", "{{ r.name_cn|t }"))
    out = messages(p, cfg2026)
    assert "“{{”没有在同一段内闭合（缺少“}}”" in out
    assert "{{ r.name_cn|t }" in out and "机构名称（中文）" in out  # the row, so staff can find it
    assert "表格1第2行" in out


def test_tag_split_by_word_runs_is_fine_but_split_paragraph_is_not(tmp_path, cfg2026):
    # Word splitting a tag over runs (spell-check marks) is harmless: docxtpl joins runs
    ok = edit_xml(TEMPLATES_DIR / "coop_institution.docx", tmp_path / "coop_institution_ok.docx",
                  ("{{ r.name_en|t }}", '{{ r.name_en</w:t></w:r><w:proofErr w:type="spellStart"/>'
                   '<w:r><w:t xml:space="preserve">|t }}'))
    assert check_template(ok, cfg2026) == []
    # Word's autocorrect turning quotes into smart quotes is harmless too
    quotes = edit_xml(TEMPLATES_DIR / "coop_institution.docx", tmp_path / "coop_institution_q.docx",
                      ("box('荐才机构')", "box(‘荐才机构’)"))
    assert check_template(quotes, cfg2026) == []
    # pressing Enter inside a tag moves its end into a new paragraph
    bad = edit_xml(TEMPLATES_DIR / "coop_institution.docx", tmp_path / "coop_institution_bad.docx",
                   ("{{ r.name_en|t }}", "{{ r.name_en</w:t></w:r></w:p><w:p><w:r><w:t>|t }}"))
    out = messages(bad, cfg2026)
    assert "没有在同一段内闭合" in out and "多余的“}}”" in out
    # a space typed between the braces breaks the opener
    spaced = edit_xml(TEMPLATES_DIR / "coop_institution.docx", tmp_path / "coop_institution_sp.docx",
                      ("{{ r.head_email|t }}", "{ { r.head_email|t }}"))
    out = messages(spaced, cfg2026)
    assert "多余的“}}”（前面缺少“{{”）" in out and "{ { r.head_email|t }}" in out


def test_unknown_variable_field_config_and_filter_are_named(tmp_path, cfg2026):
    p = edit_xml(TEMPLATES_DIR / "coop_institution.docx", tmp_path / "coop_institution.docx",
                 ("r.name_en|t", "r.name_eng|t"),
                 ("cfg.coop.profile_max_chars", "cfg.coop.profile_limit"),
                 ("r.legal_representative|t", "r.legal_representative|tt"),
                 ("{{ r.head_name|t }}", "{{ head_name }}"))
    problems = check_template(p, cfg2026)
    out = "\n".join(map(str, problems))
    assert len(problems) == 4, out
    assert "“r.name_eng”：表单没有这个字段" in out and "是否应为“r.name_en”" in out
    assert "年度配置没有“cfg.coop.profile_limit”" in out and "profile_max_chars" in out
    assert "过滤器“tt”不存在" in out
    assert "变量“head_name”不存在" in out


def test_unbalanced_blocks(tmp_path, cfg2026):
    p = edit_xml(TEMPLATES_DIR / "coop_institution.docx", tmp_path / "coop_institution.docx",
                 ("下拉菜单{% else %}{{ r.country|t }}{% endif %}", "下拉菜单{% else %}{{ r.country|t }}"))
    out = messages(p, cfg2026)
    assert "{% if blank %}：缺少对应的 {% endif %}" in out and "注册国家" in out
    q = edit_xml(TEMPLATES_DIR / "approval_sheet.docx", tmp_path / "approval_sheet.docx", ("{%tr for f in findings %}", ""))
    out = messages(q, cfg2026)
    assert "多余的 {% endfor %}" in out
    assert "变量“f”不存在" in out  # the loop variable is unknown without its loop


def test_loop_variables_are_checked_against_list_items(tmp_path, cfg2026):
    p = edit_xml(TEMPLATES_DIR / "approval_sheet.docx", tmp_path / "approval_sheet.docx", ("f.message", "f.mesage"))
    out = messages(p, cfg2026)
    assert "“f.mesage”" in out and "是否应为“f.message”" in out


def test_syntax_error_inside_tag(tmp_path, cfg2026):
    p = edit_xml(TEMPLATES_DIR / "base_application.docx", tmp_path / "base_application.docx",
                 ("{{ r.base_name|t }}", "{{ r.base_name| }}"))
    out = messages(p, cfg2026)
    assert "{{ r.base_name| }}：标签语法错误" in out


def test_cli_exit_codes(tmp_path):
    runner = CliRunner()
    res = runner.invoke(cli, ["templates", "check"])
    assert res.exit_code == 0, res.output
    assert "全部模板检查通过" in res.output
    bad = edit_xml(TEMPLATES_DIR / "batch_list.docx", tmp_path / "batch_list.docx", ("c.status", "c.state"))
    good = shutil.copy(TEMPLATES_DIR / "batch_list.docx", tmp_path / "good.docx")
    res = runner.invoke(cli, ["templates", "check", str(good), str(bad)])
    assert res.exit_code == 1
    assert "batch_list.docx" in res.output and "c.state" in res.output and "共 1 处问题" in res.output


def test_not_a_docx(tmp_path, cfg2026):
    p = tmp_path / "x.docx"
    p.write_bytes(b"not a zip")
    assert "不是有效的 DOCX" in messages(p, cfg2026)


@pytest.mark.parametrize("name", ["notice_coop.docx", "notice_base.docx", "forwarding_notice.docx"])
def test_other_templates_are_checked_with_their_context(name, tmp_path, cfg2026):
    src = TEMPLATES_DIR / name
    assert src.exists(), f"{name} is part of the templates"
    p = shutil.copy(src, tmp_path / name)
    edit_xml(src, Path(p), ("{{ cfg.", "{{ cfg.nope."))
    assert "年度配置没有“cfg.nope" in messages(Path(p), cfg2026)
