"""The builders produce valid templates (the committed .docx files may since have been edited in Word)."""

from __future__ import annotations

from pathlib import Path

import pytest

from haizhi.pipeline.core.fields import BASE, COOP
from haizhi.pipeline.generate.forms import form_context
from haizhi.pipeline.generate.render import render_docx
from haizhi.pipeline.generate.templates_check import check_all
from haizhi.templates.build import forms
from haizhi.templates.build import review_docs as sheets
from tests.forms.helpers import base_seed_form, coop_seed_form, docx_text, squash


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("built")
    return {p.name: p for p in forms.build(out) + sheets.build(out)}


def test_builders_write_all_templates(built):
    assert set(built) == {"coop_institution.docx", "base_application.docx", "approval_sheet.docx",
                          "batch_list.docx", "public_notice.docx"}


def test_built_templates_pass_the_check(built, cfg2023):
    assert check_all(list(built.values()), cfg2023) == []


def test_built_blank_forms_match_seeds(built, cfg2023, shared_dir):
    coop = docx_text(render_docx(built["coop_institution.docx"], form_context(None, COOP, cfg2023)))
    base = docx_text(render_docx(built["base_application.docx"], form_context(None, BASE, cfg2023)))
    assert squash(coop) == squash(coop_seed_form(shared_dir))
    assert squash(base) == squash(base_seed_form(shared_dir))
