"""Record contract: JSON round trip and clear errors for bad record files."""

from __future__ import annotations

import json

import pytest

from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.core.fields import FORMS
from haizhi.pipeline.core.record import Finding, Record, load_record, load_records


def test_fixture_records_cover_every_field(coop_record, base_record):
    for rec in (coop_record, base_record):
        assert set(rec.fields) == set(FORMS[rec.form].keys)


def test_round_trip(tmp_path, coop_record):
    coop_record.findings.append(Finding("x.rule", "warning", "name_cn", "说明", "依据"))
    p = tmp_path / "r.json"
    p.write_text(coop_record.to_json(), encoding="utf-8")
    again = load_record(p)
    assert again == coop_record


def test_list_file(tmp_path, coop_record, base_record):
    p = tmp_path / "rs.json"
    p.write_text(json.dumps([coop_record.to_dict(), base_record.to_dict()], ensure_ascii=False), encoding="utf-8")
    assert [r.form for r in load_records(p)] == ["coop_institution", "base_application"]


@pytest.mark.parametrize("content, msg", [
    ("{not json", "不是有效的 JSON"),
    ('{"form": "nope"}', "form 字段无效"),
    ('{"form": "coop_institution", "fields": {"bogus": 1}}', "bogus"),
    ('{"form": "coop_institution", "findings": [{"rule": "r", "severity": "fatal"}]}', "严重程度"),
])
def test_bad_record_files(tmp_path, content, msg):
    p = tmp_path / "bad.json"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(HaizhiError, match=msg):
        load_records(p)


def test_missing_file(tmp_path):
    with pytest.raises(HaizhiError, match="找不到"):
        load_record(tmp_path / "none.json")


def test_record_form_ids():
    assert Record(form="base_application").to_dict()["fields"] == {}
