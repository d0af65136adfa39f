"""haizhi validate on record JSON: table, --json, exit codes."""

from __future__ import annotations

import json

from click.testing import CliRunner

from haizhi.pipeline.cli import cli
from tests.validate.helpers import BATCH, RECORDS


def run(*args: str):
    return CliRunner().invoke(cli, ["validate", *args], catch_exceptions=False)


def test_table_output_for_batch() -> None:
    files = sorted(str(p) for p in BATCH.glob("*.json"))
    res = run("--year", "2023", *files)
    assert res.exit_code == 0, res.output
    out = res.output
    assert out.count("状态：通过") == len(files)
    assert "批次检查" in out and "batch.quota" in out and "batch.overseas_share" in out
    for h in ("规则", "严重程度", "字段", "说明", "依据"):
        assert h in out
    assert "通过 10 / 需补正 0 / 不符合条件 0" in out


def test_json_output_is_contract_format(tmp_path) -> None:
    bad = json.loads((RECORDS / "coop_example.json").read_text(encoding="utf-8"))
    bad["fields"]["registered_on"] = "2023-01-01"
    bad["fields"]["head_mobile"] = "12345"
    two = [bad, json.loads((RECORDS / "base_example.json").read_text(encoding="utf-8"))]
    p = tmp_path / "two.json"
    p.write_text(json.dumps(two, ensure_ascii=False), encoding="utf-8")
    res = run("--year", "2023", "--json", str(p))
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert [r["status"] for r in data["records"]] == ["不符合条件", "通过"]
    fs = data["records"][0]["findings"]
    assert {f["rule"] for f in fs} == {"coop.established_two_years", "coop.mobile"}
    for f in fs:
        assert set(f) == {"rule", "severity", "field", "message", "basis"}
        assert f["severity"] in ("error", "warning", "info")
    assert data["summary"] == {"通过": 1, "需补正": 0, "不符合条件": 1}
    assert data["year"] == 2023


def test_year_changes_the_outcome(tmp_path) -> None:
    d = json.loads((RECORDS / "coop_example.json").read_text(encoding="utf-8"))
    d["fields"]["registered_on"] = "2022-06-30"  # under 2 years before 2023-07-24; 4 before 2026-06-30
    p = tmp_path / "young.json"
    p.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    res23 = json.loads(run("--year", "2023", "--json", str(p)).output)
    res26 = json.loads(run("--year", "2026", "--json", str(p)).output)
    assert res23["records"][0]["status"] == "不符合条件"
    assert res26["records"][0]["status"] == "通过"


def test_config_file_option(tmp_path) -> None:
    text = (RECORDS.parent / "years" / "2023.yaml").read_text(encoding="utf-8")
    p = tmp_path / "strict.yaml"
    p.write_text(text.replace("      service_area: 100\n", "      service_area: 1000\n", 1), encoding="utf-8")
    data = json.loads(run("--config", str(p), "--json", str(RECORDS / "base_example.json")).output)
    (f,) = data["records"][0]["findings"]
    assert f["rule"] == "base.threshold" and "1000" in f["message"]


def test_unreadable_input_exits_2_but_reports_the_rest(tmp_path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    res = CliRunner().invoke(cli, ["validate", "--year", "2023", str(broken), str(RECORDS / "coop_example.json")])
    assert res.exit_code == 2
    assert "不是有效的 JSON" in res.output and "状态：通过" in res.output
    res = CliRunner().invoke(cli, ["validate", "--year", "2023", str(tmp_path / "missing.json")])
    assert res.exit_code == 2 and "找不到" in res.output


def test_existing_extraction_findings_are_kept(tmp_path) -> None:
    d = json.loads((RECORDS / "coop_example.json").read_text(encoding="utf-8"))
    d["findings"] = [{"rule": "extract.low_confidence", "severity": "warning", "field": "name_cn",
                      "message": "识别置信度低", "basis": None},
                     {"rule": "coop.mobile", "severity": "warning", "field": "head_mobile",
                      "message": "旧的初审结果", "basis": None}]
    p = tmp_path / "r.json"
    p.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    data = json.loads(run("--year", "2023", "--json", str(p)).output)
    rec = data["records"][0]
    assert [f["rule"] for f in rec["findings"]] == ["extract.low_confidence"]  # stale validation dropped
    assert rec["status"] == "需补正"


def test_reads_returned_forms_through_the_extractor(tmp_path, cfg2023) -> None:
    from haizhi.pipeline.core.record import load_record
    from haizhi.pipeline.generate.forms import render_form

    r = load_record(RECORDS / "coop_example.json")
    r.fields["head_mobile"] = "1381234567"
    docx = tmp_path / "回件.docx"
    docx.write_bytes(render_form(r, "coop_institution", cfg2023))
    data = json.loads(run("--year", "2023", "--json", str(docx)).output)
    (rec,) = data["records"]
    assert rec["status"] == "需补正" and rec["input"] == str(docx)
    assert [(f["rule"], f["field"]) for f in rec["findings"]] == [("coop.mobile", "head_mobile")]


def test_unreadable_form_file_exits_2(tmp_path) -> None:
    bad = tmp_path / "坏文件.docx"
    bad.write_bytes(b"garbage")
    res = CliRunner().invoke(cli, ["validate", "--year", "2023", str(bad)])
    assert res.exit_code == 2 and "无法读取" in res.output
