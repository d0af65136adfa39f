"""Form templates: blank forms reproduce the seeds, pre-filled forms carry every value."""

from __future__ import annotations

import io
import re
import unicodedata

import docx
import pytest

from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.core.fields import BASE, BASE_FORM, COOP, COOP_FORM, FORMS
from haizhi.pipeline.core.record import Record
from haizhi.pipeline.generate.forms import field_values, form_context, render_form
from haizhi.pipeline.generate.render import TEMPLATES_DIR, cn_date, num
from tests.forms.helpers import base_seed_form, coop_seed_form, docx_text, squash


def norm(s: str) -> str:
    return squash(unicodedata.normalize("NFKC", s))


@pytest.fixture(scope="module")
def blank_coop(cfg2023) -> str:
    return docx_text(render_form(None, COOP, cfg2023))


@pytest.fixture(scope="module")
def blank_base(cfg2023) -> str:
    return docx_text(render_form(None, BASE, cfg2023))


def test_blank_coop_equals_seed(blank_coop, shared_dir):
    assert squash(blank_coop) == squash(coop_seed_form(shared_dir))


def test_blank_base_equals_seed(blank_base, shared_dir):
    assert squash(blank_base) == squash(base_seed_form(shared_dir))


def test_blank_forms_print_placeholders_not_values(blank_coop):
    for placeholder in ("是或否", "下拉菜单", "（运营方向、发展历史等）", "（上传JPEG或PDF格式文件）", "例：1.2019年"):
        assert placeholder in blank_coop
    assert "☑" not in blank_coop
    assert blank_coop.count("□") == 3 + 6 + 10


@pytest.mark.parametrize("form_id", [COOP, BASE])
def test_every_field_label_is_printed(form_id, cfg2023, blank_coop, blank_base):
    text = norm(blank_coop if form_id == COOP else blank_base)
    for f in FORMS[form_id].fields:
        assert norm(f.label) in text, f.key


def _cells(table) -> list[list]:
    """Rows of distinct cells (merged cells once)."""
    out = []
    for row in table.rows:
        seen: list = []
        for c in row.cells:
            if not seen or c._tc is not seen[-1]._tc:
                seen.append(c)
        out.append(seen)
    return out


@pytest.mark.parametrize("form_id", [COOP, BASE])
def test_each_value_tag_sits_next_to_its_label(form_id):
    """The extractor maps a label cell to the value cell beside (or, for long texts, below) it."""
    doc = docx.Document(str(TEMPLATES_DIR / f"{form_id}.docx"))
    spec = FORMS[form_id]
    found: dict[str, str] = {}
    for table in doc.tables:
        rows = _cells(table)
        for i, row in enumerate(rows):
            for j, cell in enumerate(row):
                for key in spec.keys:
                    if f"r.{key}|" not in cell.text or key in found:
                        continue
                    left = row[j - 1].text if j else ""
                    above = rows[i - 1][0].text if i else ""
                    found[key] = left if j else above
                    if key.endswith("_other"):
                        # written on the 其他 option's line: 其他 ___（请注明）
                        found[key] = re.sub(r"\{\{.*?\}\}", "", cell.text)
    for f in spec.fields:
        assert f.key in found, f"no value cell for {f.key}"
        assert norm(f.label).split("(不超")[0] in norm(found[f.key]), (f.key, found[f.key])


def _expect(f, v) -> list[str]:
    if f.type == "date":
        return [cn_date(v)]
    if f.type in ("number", "int"):
        return [num(v)]
    if f.type == "bool":
        return ["☑是□否" if v else "□是☑否"]
    if f.type == "choice" and f.key == "base_type":
        return [v]  # printed as text
    if f.type == "choice":
        return ["☑" + v] + ["□" + o for o in f.options if o != v]
    if f.type == "choices":
        return ["☑" + o if o in v else "□" + o for o in f.options]
    return str(v).split("\n")


@pytest.mark.parametrize("which", ["coop", "base"])
def test_prefilled_form_contains_every_value(which, cfg2023, coop_record, base_record):
    rec = coop_record if which == "coop" else base_record
    text = squash(docx_text(render_form(rec, rec.form, cfg2023)))
    spec = FORMS[rec.form]
    for key, v in rec.fields.items():
        if v is None:
            continue
        for piece in _expect(spec.field(key), v):
            assert squash(piece) in text, (key, piece)
    assert "是或否" not in text and "下拉菜单" not in text


def test_checkbox_states_and_other_text(cfg2023, coop_record):
    coop_record.fields["institution_nature"] = "综合或其他"
    coop_record.fields["institution_nature_other"] = "产业联盟"
    text = squash(docx_text(render_form(coop_record, COOP, cfg2023)))
    assert "☑荐才机构（发现并推荐" in text and "☑平台机构" in text and "□用才机构" in text
    assert "☑综合或其他产业联盟（请注明）" in text
    assert "□孵化器、服务平台" in text
    assert "☑其他海外人才签证及落户咨询（请注明）" in text
    assert "□投融资" in text and "☑创业服务" in text
    assert "□是☑否" in text  # overseas false
    assert text.count("☑") == 2 + 1 + 5 + 1


def test_multiline_text_keeps_line_breaks(cfg2023, coop_record):
    doc = docx.Document(io.BytesIO(render_form(coop_record, COOP, cfg2023)))
    cell = next(c for t in doc.tables for row in t.rows for c in row.cells if "公司成立于2015年" in c.text)
    assert "专注于海外高层次人才引进与创新创业服务。\n在硅谷" in cell.text


def test_base_cover_and_type_as_text(cfg2023, base_record):
    text = docx_text(render_form(base_record, BASE, cfg2023))
    cover = squash(text.split("填表说明")[0].split("填 表 说 明")[0])
    assert "基地类型:中国科协海智工作基地" in cover
    assert "申报单位:佛山市顺德区科学技术协会" in cover
    assert "(2023年)" in cover and "2023年制" in cover


def test_2026_config_changes_limits_and_dates(cfg2026):
    coop = squash(docx_text(render_form(None, COOP, cfg2026)))
    assert "机构简介（不超800字）" in coop and "不超500字" not in coop
    assert "不超600字）" in coop
    base = squash(docx_text(render_form(None, BASE, cfg2026)))
    assert "(2026年)" in base and "2026年制" in base
    assert "请各省级科协于2026年9月18日前" in base
    assert "未来3年建设的预期目标，包括定性目标和定量目标。500字以内" in base
    assert "400字以内" not in base


def test_context_has_every_key(cfg2023, coop_record):
    ctx = form_context(coop_record, COOP, cfg2023)
    assert set(ctx["r"]) == set(COOP_FORM.keys)
    assert ctx["blank"] is False and ctx["year"] == 2023
    del coop_record.fields["awards"]
    assert field_values(coop_record, COOP)["awards"] is None
    assert set(form_context(None, BASE, cfg2023)["r"]) == set(BASE_FORM.keys)


def test_bad_records_are_refused(cfg2023, coop_record, base_record):
    with pytest.raises(HaizhiError, match="没有的字段"):
        render_form(Record(COOP, {"name_cn": "x", "nickname": "y"}), COOP, cfg2023)
    with pytest.raises(HaizhiError, match="不能填入"):
        render_form(base_record, COOP, cfg2023)
    with pytest.raises(HaizhiError, match="未知的表单类型"):
        render_form(None, "nonsense", cfg2023)
    coop_record.fields["registered_on"] = "2015年6月18日"
    with pytest.raises(HaizhiError, match="注册时间"):
        render_form(coop_record, COOP, cfg2023)
    coop_record.fields["registered_on"] = "2015-06"
    coop_record.fields["services"] = ["投融资", "其它"]
    with pytest.raises(HaizhiError, match="其它.*不是表中的选项"):
        render_form(coop_record, COOP, cfg2023)
    base_record.fields["base_type"] = "中国科协海外创新创业基地"  # paused type: printed, rejected by 初审
    assert "中国科协海外创新创业基地" in docx_text(render_form(base_record, BASE, cfg2023))
