"""The dashboard list and an application's page."""

from __future__ import annotations

import pytest

from haizhi.pipeline.intake.db import Application
from haizhi.pipeline.review.decisions import decide
from haizhi.pipeline.review.errors import NotFound
from haizhi.pipeline.review.queries import application_detail, list_applications
from haizhi.pipeline.review.revisions import correct_field, verify_field


def test_dashboard_counts_filters_and_overview(ledger):
    S, ids = ledger
    with S() as s:
        d = list_applications(s)
        assert d["year"] == 2026 and d["total"] == 3
        assert d["counts"] == {"通过": 0, "需补正": 0, "不符合条件": 0, "待复核": 3}
        assert d["machine_counts"]["需补正"] == 3
        (gd,) = d["recommenders"]
        assert (gd["name"], gd["count"], gd["overseas"], gd["share_ok"]) == ("广东省科学技术协会", 3, 0, False)
        assert any(f["rule"] == "batch.overseas_share" for f in d["batch_findings"])
        assert d["processing"] == {"runs": [], "pending_files": 0, "failed_files": 0}

        decide(s, ids["yi"], "需补正", "老李", items=["补交营业执照"])
        decide(s, ids["bing"], "通过", "老李")
        verify_field(s, s.get(Application, ids["jia"]).current_record_id, "staff_total", "小王")
        d = list_applications(s)
        assert d["counts"] == {"通过": 1, "需补正": 1, "不符合条件": 0, "待复核": 1}
        by = {it["id"]: it for it in d["items"]}
        assert by[ids["yi"]]["status"] == "需补正" and by[ids["yi"]]["decision"]["user"] == "老李"
        assert by[ids["jia"]]["status"] == "待复核" and by[ids["jia"]]["machine_status"] == "通过"
        assert not by[ids["jia"]]["flagged"] and by[ids["yi"]]["flagged"]
        assert [it["id"] for it in d["items"]][-1] == ids["jia"]  # flagged first

        assert [it["id"] for it in list_applications(s, status="需补正")["items"]] == [ids["yi"]]
        assert {it["id"] for it in list_applications(s, flagged=True)["items"]} == {ids["yi"], ids["bing"]}
        assert [it["id"] for it in list_applications(s, q="丙海外")["items"]] == [ids["bing"]]
        assert [it["id"] for it in list_applications(s, q="91440300ma5fxt3k4l")["items"]] == [ids["jia"]]
        assert list_applications(s, form="base_application")["total"] == 0
        assert list_applications(s, recommender="广东省科学技术协会")["total"] == 3
        assert list_applications(s, recommender="广东省科协")["total"] == 0
        page = list_applications(s, limit=2, offset=2)
        assert page["total"] == 3 and len(page["items"]) == 1
        # the search and the quota use read reviewed values
        correct_field(s, s.get(Application, ids["jia"]).current_record_id, "overseas", True, "小王", "境外注册")
        correct_field(s, s.get(Application, ids["jia"]).current_record_id, "country", "新加坡", "小王", "境外注册")
        (gd,) = list_applications(s)["recommenders"]
        assert gd["overseas"] == 1


def test_application_page(ledger):
    S, ids = ledger
    with S() as s:
        d = application_detail(s, ids["bing"])
        assert d["application"]["status"] == "待复核" and d["application"]["machine_status"] == "需补正"
        assert {f["kind"] for f in d["files"]} == {"form", "license"} and all("id" in f for f in d["files"])
        assert [r["copy"] for r in d["records"]] == ["scan"] and d["records"][0]["current"]
        fields = d["fields"]
        flagged = [f["key"] for f in fields if f["flagged"]]
        assert flagged == [f["key"] for f in fields[:len(flagged)]]  # flagged first
        assert set(flagged) == {"name_en", "credit_code"}
        en = next(f for f in fields if f["key"] == "name_en")
        assert en["low_confidence"] and en["page"] == 1 and en["box"] == [100, 200, 400, 230]
        assert next(f for f in fields if f["key"] == "institution_sealed")["type"] == "mark"

        rid = d["application"]["current_record_id"]
        verify_field(s, rid, "name_en", "小王")
        correct_field(s, rid, "credit_code", "91310000MA1FL00001", "小王", "按执照")
        d = application_detail(s, ids["bing"])
        en = next(f for f in d["fields"] if f["key"] == "name_en")
        assert not en["flagged"] and en["verified"]["user"] == "小王"
        cc = next(f for f in d["fields"] if f["key"] == "credit_code")
        assert cc["machine"] == "91310000MA1FL0000X" and cc["value"] == "91310000MA1FL00001"
        assert cc["corrected"]["user"] == "小王" and cc["corrected"]["reason"] == "按执照"
        assert [(r["kind"], r["field"]) for r in d["revisions"]] == [
            ("machine", "name_en"), ("verified", "name_en"), ("machine", "credit_code"), ("correction", "credit_code")]
        assert d["decisions"] == [] and d["decision"] is None
        with pytest.raises(NotFound):
            application_detail(s, 12345)


def test_editable_and_scan_page(ledger):
    S, ids = ledger
    with S() as s:
        d = application_detail(s, ids["jia"])
        assert sorted(r["copy"] for r in d["records"]) == ["editable", "scan"]
        st = next(f for f in d["fields"] if f["key"] == "staff_total")
        assert d["fields"][0]["key"] == "staff_total" and st["differs"] and st["flagged"]
        assert any(f["rule"] == "compare.mismatch" for f in st["findings"])


def test_files_only_by_id_and_owner(ledger):
    from haizhi.pipeline.review.queries import file_of

    S, ids = ledger
    with S() as s:
        mine = application_detail(s, ids["jia"])["files"]
        other = application_detail(s, ids["yi"])["files"][0]["id"]
        assert file_of(s, mine[0]["id"], ids["jia"]).sha256 == mine[0]["sha256"]
        with pytest.raises(NotFound):
            file_of(s, other, ids["jia"])
        with pytest.raises(NotFound):
            file_of(s, 99999)


def test_outcome_as_json(ledger):
    import json

    S, ids = ledger
    with S() as s:
        out = correct_field(s, s.get(Application, ids["jia"]).current_record_id, "staff_total", "47", "小王", "x")
        d = json.loads(json.dumps(out.to_dict(), ensure_ascii=False))
        assert d["status"] == "通过" and d["revision"]["value"] == 47 and d["revision"]["kind"] == "correction"
        assert any(f["rule"] == "review.corrected" for f in d["findings"])


def test_empty_ledger(tmp_path):
    from haizhi.pipeline.intake.db import default_url, open_db
    from haizhi.pipeline.review.errors import Invalid
    from haizhi.pipeline.review.exports import write_reviewed_exports

    engine, S = open_db(default_url(tmp_path))
    with S() as s:
        d = list_applications(s)
        assert d["total"] == 0 and d["items"] == [] and d["counts"]["待复核"] == 0 and d["year"] is None
        with pytest.raises(Invalid, match="还没有任何申请"):
            write_reviewed_exports(s, tmp_path / "x", pdf=False)
    engine.dispose()


def test_a_new_version_reopens_a_decision(ledger, tmp_path):
    import os

    from haizhi.pipeline.intake.db import default_url, open_db
    from tests.intake.helpers import coop, write_json
    from tests.review.conftest import JIA, RECEIVED, intake

    S, ids = ledger
    with S() as s:
        decide(s, ids["jia"], "需补正", "老李", items=["员工人数两份不一致"])
        assert list_applications(s, status="需补正")["total"] == 1
    p = write_json(tmp_path / "inbox" / "甲公司" / "信息表-补正.json", coop(*JIA, staff_total=47))
    os.utime(p, (RECEIVED, RECEIVED))
    intake(tmp_path)
    engine, S2 = open_db(default_url(tmp_path / "out"))
    with S2() as s:
        it = next(x for x in list_applications(s)["items"] if x["id"] == ids["jia"])
        assert it["status"] == "待复核" and it["decision_stale"] and it["decision"]["decision"] == "需补正"
        d = application_detail(s, ids["jia"])
        assert d["application"]["status"] == "待复核" and d["application"]["decision_stale"]
        assert [r["version"] for r in d["records"]] == [1, 2, 3]
        decide(s, ids["jia"], "通过", "老李")
        it = next(x for x in list_applications(s)["items"] if x["id"] == ids["jia"])
        assert it["status"] == "通过" and not it["decision_stale"]
    engine.dispose()
