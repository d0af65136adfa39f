"""Batch rules: quotas and overseas share per recommender, duplicates, deadlines."""

from __future__ import annotations

import copy
import datetime as dt

from haizhi.pipeline.core.config import Recommender
from haizhi.pipeline.validate import recommender_use, validate_batch, validate_record
from tests.validate.helpers import base, batch, coop, with_fields


def test_fixture_batch_records_are_clean(cfg2023) -> None:
    for r in batch():
        assert validate_record(r, cfg2023) == [], r.fields["name_cn"]


def test_fixture_batch_quota_overflow_and_low_share(cfg2023) -> None:
    records = batch()
    found = validate_batch(records, cfg2023)
    assert sorted(f.rule for f in found) == ["batch.overseas_share", "batch.quota"]
    quota = next(f for f in found if f.rule == "batch.quota")
    tsinghua = cfg2023.recommender("清华大学科协")
    limit = cfg2023.quota_for(tsinghua.kind)
    n = sum(1 for r in records if cfg2023.recommender(r.fields["recommender"]) == tsinghua)
    assert n > limit
    assert (quota.severity, quota.field) == ("warning", None)
    assert tsinghua.name in quota.message and f"推荐 {n} 家" in quota.message and f"名额 {limit} 家" in quota.message
    assert quota.basis == "《通知》五、推荐有关事项（一）"
    share = next(f for f in found if f.rule == "batch.overseas_share")
    assert tsinghua.name in share.message and f"{cfg2023.coop.min_overseas_share:.0%}" in share.message
    assert share.basis == "《通知》五、推荐有关事项（二）"


def test_share_exactly_at_minimum_passes(cfg2023) -> None:
    uses = {u.name: u for u in recommender_use(batch(), cfg2023)}
    chem = uses["中国化学会"]
    assert chem.count == 2 and chem.share == cfg2023.coop.min_overseas_share == 0.5
    gd = uses["广东省科学技术协会"]  # written with its alias 广东省科协
    assert gd.kind == "provincial_association" and gd.quota == cfg2023.coop.quota_major and gd.share == 1.0


def test_quota_follows_config(cfg2023) -> None:
    records = batch()
    tsinghua = sum(1 for r in records if r.fields["recommender"] == "清华大学科学技术协会")
    roomy = cfg2023.model_copy(update={"coop": cfg2023.coop.model_copy(update={"quota_minor": tsinghua,
                                                                                "min_overseas_share": 0.3})})
    assert validate_batch(records, roomy) == []


def test_unknown_recommender_is_a_warning_not_a_crash(cfg2023) -> None:
    r = with_fields(coop(), recommender="火星科学技术协会")
    (f, share) = validate_batch([r], cfg2023)
    assert (f.rule, f.severity) == ("batch.recommender_unknown", "warning") and "火星科学技术协会" in f.message
    assert share.rule == "batch.overseas_share"  # a lone domestic candidate still counts


def test_negotiated_quota_is_info(cfg2023) -> None:
    embassy = Recommender(name="中华人民共和国驻美国大使馆", kind="embassy")
    cfg = cfg2023.model_copy(update={"recommenders": (*cfg2023.recommenders, embassy)})
    r = with_fields(coop(), recommender=embassy.name, overseas=True, country="美国", credit_code="C4123567")
    (f,) = validate_batch([r], cfg)
    assert (f.rule, f.severity) == ("batch.quota", "info") and "商定" in f.message


def test_duplicates_across_recommenders(cfg2023) -> None:
    a = coop()
    b = with_fields(coop(), recommender="北京市科协", name_cn="深圳湾海创国际人才服务有限公司 ")
    c = with_fields(coop(), recommender="中国化学会", name_cn="深圳湾海创人才公司")  # same credit code
    d = with_fields(coop(), name_cn="另一家机构", credit_code="91440300708461136T")
    found = [f for f in validate_batch([a, b, c, d], cfg2023) if f.rule == "batch.duplicate"]
    (f,) = found
    assert "3 次" in f.message and "不同推荐单位" in f.message and "北京市科学技术协会" not in f.message
    assert "北京市科协" in f.message and "中国化学会" in f.message


def test_duplicate_by_name_without_code(cfg2023) -> None:
    a = coop()
    b = with_fields(coop(), credit_code=None)
    (f,) = [f for f in validate_batch([a, b], cfg2023) if f.rule == "batch.duplicate"]
    assert "同一推荐单位" in f.message
    b2 = with_fields(base(), applicant="另一申报单位")
    (g,) = [f for f in validate_batch([base(), b2], cfg2023) if f.rule == "batch.duplicate"]
    assert "基地" in g.message


def test_deadlines(cfg2023) -> None:
    r1 = copy.deepcopy(coop())
    r1.source = {"file": "/inbox/a/深圳湾.docx"}
    r2 = copy.deepcopy(base())
    r2.source = {"id": "B-7"}
    r3 = with_fields(coop(), recommender="中国化学会", name_cn="另一家", credit_code="91440300708461136T")
    r3.source = {"file": "c.pdf"}
    fw = cfg2023.forwarding["广东"]
    day = dt.timedelta(days=1)
    on_time = {"深圳湾.docx": fw.deadline, "B-7": cfg2023.base.deadline, "c.pdf": cfg2023.coop.platform_deadline}
    assert [f for f in validate_batch([r1, r2, r3], cfg2023, received=on_time) if f.rule == "batch.deadline"] == []
    late = {"/inbox/a/深圳湾.docx": fw.deadline + day, "B-7": cfg2023.base.deadline + day,
            "c.pdf": cfg2023.coop.platform_deadline + day}
    found = [f for f in validate_batch([r1, r2, r3], cfg2023, received=late) if f.rule == "batch.deadline"]
    by = {f.message.split(" ")[0]: f for f in found}
    assert by["深圳湾海创国际人才服务有限公司"].severity == "warning"  # Guangdong's own deadline
    assert fw.doc_number in by["深圳湾海创国际人才服务有限公司"].basis
    assert by["中国科协海智工作基地（佛山市顺德区）"].severity == "error"
    assert by["另一家"].severity == "error" and cfg2023.coop.platform_deadline.isoformat() in by["另一家"].message
    # dates not known: no deadline findings
    assert [f for f in validate_batch([r1, r2, r3], cfg2023) if f.rule == "batch.deadline"] == []


def test_received_date_in_source(cfg2023) -> None:
    r = copy.deepcopy(base())
    r.source = {"received": (cfg2023.base.deadline + dt.timedelta(days=3)).isoformat()}
    (f,) = validate_batch([r], cfg2023)
    assert f.rule == "batch.deadline" and f.severity == "error"
