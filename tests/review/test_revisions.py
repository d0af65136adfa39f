"""Corrections and verifications: kept as revisions, validated, re-checked at once, kept by the next intake."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from haizhi.pipeline.intake.db import Application, FindingRow, RecordRow, default_url, open_db
from haizhi.pipeline.review.errors import Invalid, NotFound, PermissionDenied
from haizhi.pipeline.review.models import FieldRevision
from haizhi.pipeline.review.revisions import correct_field, history, reviewed_record, verify_field
from haizhi.pipeline.review.values import normalise
from tests.review.conftest import intake


def _rid(S, app_id):
    with S() as s:
        return s.get(Application, app_id).current_record_id


def _active(s, scope, field):
    return [f for f in s.scalars(select(FindingRow).where(FindingRow.scope == scope, FindingRow.field == field,
                                                          FindingRow.active.is_(True)))]


def test_correction_is_a_revision_revalidated_at_once(ledger):
    S, ids = ledger
    rid = _rid(S, ids["jia"])
    with S() as s:
        assert s.get(Application, ids["jia"]).status == "需补正"
        assert _active(s, f"application:{ids['jia']}", "staff_total")  # editable 46 vs scan 47
        out = correct_field(s, rid, "staff_total", "47人", "小王", "以盖章扫描件为准")
        assert out.value == 47 and out.status == "通过"
        assert not [f for f in out.findings if f.severity in ("error", "warning")]
        note = [f for f in out.findings if f.rule == "review.corrected"]
        assert len(note) == 1 and "小王" in note[0].message and "46" in note[0].message and "47" in note[0].message
    with S() as s:
        assert s.get(Application, ids["jia"]).status == "通过"
        assert not _active(s, f"application:{ids['jia']}", "staff_total")  # the comparison finding retired
        assert s.get(RecordRow, rid).fields["staff_total"] == 46  # the machine's value is kept
        correct_field(s, rid, "staff_total", 48, "老李", "电话核实")
        revs = list(s.scalars(select(FieldRevision).where(FieldRevision.record_id == rid)))
        assert [(r.value, r.kind) for r in revs] == [(47, "correction"), (48, "correction")]
        h = history(s, rid, "staff_total")
        assert [(e["kind"], e["value"], e["user"]) for e in h] == [
            ("machine", 46, None), ("correction", 47, "小王"), ("correction", 48, "老李")]
        assert h[1]["reason"] == "以盖章扫描件为准" and h[1]["at"]
        rec = reviewed_record(s, rid)
        assert rec.fields["staff_total"] == 48
        (c,) = rec.source["corrections"]
        assert (c["field"], c["machine"], c["value"], c["user"]) == ("staff_total", 46, 48, "老李")


def test_a_correction_can_raise_a_finding(ledger):
    S, ids = ledger
    rid = _rid(S, ids["jia"])
    with S() as s:
        out = correct_field(s, rid, "head_mobile", "12345", "小王", "测试")
        assert out.status == "需补正"
        assert any(f.field == "head_mobile" and f.rule.startswith("coop.") for f in out.findings)
        assert _active(s, f"record:{rid}", "head_mobile")
        out = correct_field(s, rid, "head_mobile", "13812345678", "小王")
        assert not any(f.field == "head_mobile" and f.severity != "info" for f in out.findings)
        assert not _active(s, f"record:{rid}", "head_mobile")


def test_batch_rules_rerun_after_a_correction(ledger):
    S, ids = ledger
    rid = _rid(S, ids["yi"])
    with S() as s:
        correct_field(s, rid, "recommender", "火星科学技术协会", "小王", "按推荐函")
        batch = [f.message for f in s.scalars(select(FindingRow).where(FindingRow.scope == "batch:2026",
                                                                       FindingRow.active.is_(True)))]
        assert any("火星科学技术协会" in m and "不在" in m for m in batch), batch


def test_verify_settles_reading_findings_only(ledger):
    S, ids = ledger
    with S() as s:
        out = verify_field(s, _rid(S, ids["jia"]), "staff_total", "小王")
        assert out.revision.kind == "verified" and out.value == 46 and out.status == "通过"
        # a rule finding stays after a verification: the value is checked, not made valid
        out = verify_field(s, _rid(S, ids["yi"]), "head_mobile", "小王")
        assert any(f.field == "head_mobile" and f.severity == "warning" for f in out.findings)
        rec = reviewed_record(s, _rid(S, ids["yi"]))
        assert rec.source["verified"][0]["user"] == "小王" and "corrections" not in rec.source


def test_marks_can_be_corrected(ledger):
    S, ids = ledger
    rid = _rid(S, ids["bing"])
    with S() as s:
        out = correct_field(s, rid, "recommender_sealed", "否", "小王", "扫描件上没有推荐单位公章")
        assert out.value is False
        assert reviewed_record(s, rid).marks["recommender_sealed"] is False
        assert any("未检出公章：推荐单位 公章" in f.message and f.severity == "warning" for f in out.findings)


@pytest.mark.parametrize("field,value,expect", [
    ("registered_on", "2015-13-45", "“注册时间”的值无效"),
    ("staff_total", "四十多", "应为整数"),
    ("staff_total", 4.5, "应为整数"),
    ("registered_capital", "很多", "应为数字"),
    ("overseas", "也许", "应为是 或 否"),
    ("institution_nature", "外星机构", "应为以下之一"),
    ("institution_types", ["荐才机构", "造星机构"], "含有表单没有的选项：造星机构"),
    ("no_such_field", "x", "没有字段“no_such_field”"),
    ("profile", {"a": 1}, "的值无效"),
])
def test_bad_values_are_refused_in_chinese(ledger, field, value, expect):
    S, ids = ledger
    rid = _rid(S, ids["jia"])
    with S() as s, pytest.raises(Invalid) as e:
        correct_field(s, rid, field, value, "小王", "x")
    assert expect in str(e.value)
    with S() as s:
        assert s.scalar(select(FieldRevision.id)) is None  # nothing written


def test_normalise_matches_the_record_contract():
    assert normalise("coop_institution", "registered_on", "2015年6月8日") == "2015-06-08"
    assert normalise("coop_institution", "registered_capital", "1,200万元") == 1200
    assert normalise("coop_institution", "registered_capital", 35.5) == 35.5
    assert normalise("coop_institution", "overseas", "是") is True
    assert normalise("coop_institution", "institution_types", "用才机构、荐才机构") == ["荐才机构", "用才机构"]
    assert normalise("coop_institution", "name_cn", "  甲  ") == "甲"
    assert normalise("coop_institution", "name_cn", "") is None
    assert normalise("coop_institution", "profile", "甲\x00乙\r\n丙\x1b") == "甲乙\n丙"
    assert normalise("coop_institution", "profile", "<b>{{ x }}</b>") == "<b>{{ x }}</b>"
    assert normalise("base_application", "base_type", "海智国际研发社区") == "海智国际研发社区"


def test_refusals(ledger):
    S, ids = ledger
    rid = _rid(S, ids["jia"])
    with S() as s:
        with pytest.raises(Invalid, match="没有变化"):
            correct_field(s, rid, "staff_total", 46, "小王")
        with pytest.raises(NotFound):
            correct_field(s, 99999, "staff_total", 1, "小王")
        with pytest.raises(NotFound):
            correct_field(s, rid, "staff_total", 1, "nobody")
        from haizhi.pipeline.review.accounts import set_active

        set_active(s, "小王", False)
        with pytest.raises(PermissionDenied):
            correct_field(s, rid, "staff_total", 1, "小王")


def test_next_intake_keeps_corrections(tmp_path, ledger):
    S, ids = ledger
    rid = _rid(S, ids["jia"])
    with S() as s:
        correct_field(s, rid, "staff_total", 47, "小王", "扫描件为准")
    intake(tmp_path)  # the same inbox again: intake's 初审 applies the revisions too
    engine, S2 = open_db(default_url(tmp_path / "out"))
    with S2() as s:
        app = s.get(Application, ids["jia"])
        assert app.status == "通过" and app.current_record_id == rid
        assert not _active(s, f"application:{ids['jia']}", "staff_total")
    engine.dispose()


def test_quick_recheck_agrees_with_a_full_review(ledger):
    from haizhi.pipeline.core.config import load_year
    from haizhi.pipeline.intake.review import review

    S, ids = ledger
    with S() as s:
        correct_field(s, _rid(S, ids["yi"]), "recommender", "火星科学技术协会", "小王", "按推荐函")
        correct_field(s, _rid(S, ids["jia"]), "name_cn", None, "小王", "测试：名称清空")

        def state():
            return ({(f.scope, f.origin, f.digest) for f in s.scalars(select(FindingRow).where(FindingRow.active.is_(True)))},
                    {a.id: a.status for a in s.scalars(select(Application))})

        before = state()
        _cur, _batch, changes = review(s, load_year(2026), None)
        assert changes == {"added": 0, "retired": 0, "status_changed": 0}
        assert state() == before


def test_correcting_back_to_the_machine_value(ledger):
    S, ids = ledger
    rid = _rid(S, ids["jia"])
    with S() as s:
        correct_field(s, rid, "staff_total", 50, "小王", "误改")
        out = correct_field(s, rid, "staff_total", 46, "小王", "改回")
        assert not [f for f in out.findings if f.rule == "review.corrected"]
        rec = reviewed_record(s, rid)
        assert rec.fields["staff_total"] == 46 and "corrections" not in rec.source
        assert [h["value"] for h in history(s, rid, "staff_total")] == [46, 50, 46]
        assert out.status == "通过"  # a person settled the field: the copies' difference no longer counts
