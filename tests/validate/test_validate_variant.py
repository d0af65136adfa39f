"""A year config with one threshold changed: the check (and the notice) change with it."""

from __future__ import annotations

import re

from haizhi.pipeline.core.config import load_config_file
from haizhi.pipeline.validate import record_status, validate_record
from tests.validate.helpers import ROOT, base, coop, with_fields


def _with_work_base_area(cfg, area: float):
    th = cfg.base.thresholds["工作基地"].model_copy(update={"service_area": area})
    b = cfg.base.model_copy(update={"thresholds": {**cfg.base.thresholds, "工作基地": th}})
    return cfg.model_copy(update={"base": b})


def test_model_copy_variant_changes_the_check(cfg2026) -> None:
    r = base()  # 工作基地 with service_area 800
    have = r.fields["service_area"]
    assert validate_record(r, cfg2026) == []
    stricter = _with_work_base_area(cfg2026, have + 1)
    (f,) = validate_record(r, stricter)
    assert f.rule == "base.threshold" and f"{have + 1:g}" in f.message
    assert record_status([f]) == "不符合条件"
    assert validate_record(r, _with_work_base_area(cfg2026, have)) == []


def _yaml_variant(tmp_path, old: str, new: str):
    text = (ROOT / "fixtures" / "years" / "2026.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    p = tmp_path / "2026-variant.yaml"
    p.write_text(text.replace(old, new), encoding="utf-8")
    return load_config_file(p)


def test_yaml_variant_changes_check_and_notice(tmp_path, cfg2026) -> None:
    from haizhi.pipeline.generate.notices import render_notice
    from tests.docx_text import docx_text

    old = "    工作基地:\n      service_area: 300\n"
    assert cfg2026.base.thresholds["工作基地"].service_area == 300
    variant = _yaml_variant(tmp_path, old, old.replace("300", "900"))
    r = base()
    assert validate_record(r, cfg2026) == []
    (f,) = validate_record(r, variant)
    assert "900" in f.message and "800" in f.message and f.basis == "基地申报条件 工作基地（2）"

    def area_clause(cfg) -> str:
        text = docx_text(render_notice(cfg, "base", with_attachments=False))
        m = re.search(r"拥有服务场地(\d+)平方?米以上，配备专职人员", text)
        assert m, "工作基地 service area clause not found in the notice"
        return m.group(1)

    assert area_clause(cfg2026) == "300"
    assert area_clause(variant) == "900"


def test_yaml_variant_of_coop_age(tmp_path, cfg2026) -> None:
    r = with_fields(coop(), registered_on="2022-06-30")  # exactly 4 years before 2026-06-30
    assert cfg2026.coop.min_years_registered == 3
    assert validate_record(r, cfg2026) == []
    variant = _yaml_variant(tmp_path, "min_years_registered: 3\n", "min_years_registered: 5\n")
    (f,) = validate_record(r, variant)
    assert f.rule == "coop.established_two_years" and "不足 5 年" in f.message
