"""Year config: loads, holds the seed numbers, and explains errors in Chinese naming the key."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from haizhi.pipeline.core.config import _Loader, available_years, load_config_file, load_year, parse_config
from haizhi.pipeline.core.errors import ConfigError

YEARS = Path(__file__).resolve().parent.parent / "fixtures" / "years"


def _data(year: int = 2023) -> dict:
    return yaml.load((YEARS / f"{year}.yaml").read_text(encoding="utf-8"), Loader=_Loader)


def test_bundled_years_load():
    assert available_years() == [2023, 2024, 2025, 2026]
    for y in available_years():
        assert load_year(y).year == y


def test_2023_holds_the_seed_numbers(shared_dir):
    cfg = load_year(2023)
    coop_seed = (shared_dir / "seeds" / "000_a51ef95c50158c06.txt").read_text(encoding="utf-8")
    base_seed = re.sub(r"\s+", "", (shared_dir / "seeds" / "001_ca113fdc5d696308.txt").read_text(encoding="utf-8"))
    for doc_no in (cfg.coop.doc_number, cfg.forwarding["广东"].doc_number):
        assert doc_no in coop_seed
    assert cfg.base.doc_number in base_seed
    assert cfg.coop.issued_on == dt.date(2023, 7, 24)
    assert "2023年7月24日" in coop_seed
    assert f"{cfg.coop.platform_deadline.month}月{cfg.coop.platform_deadline.day}日前完成" in coop_seed
    assert f"于{cfg.forwarding['广东'].deadline.month}月{cfg.forwarding['广东'].deadline.day}日之前" in coop_seed
    assert f"不超过{cfg.coop.quota_major}个" in coop_seed and f"不超过{cfg.coop.quota_minor}个" in coop_seed
    assert f"不少于{int(cfg.coop.min_overseas_share * 100)}%" in coop_seed
    assert f"不超{cfg.coop.profile_max_chars}字" in coop_seed
    assert f"不超{cfg.coop.recent_work_max_chars}字" in coop_seed
    assert f"{cfg.base.deadline.year}年{cfg.base.deadline.month}月{cfg.base.deadline.day}日前" in base_seed
    t = cfg.base.thresholds
    assert f"拥有服务场地{t['工作基地'].service_area:g}平方米以上" in base_seed
    assert f"拥有服务场地{t['离岸基地'].service_area:g}平米以上" in base_seed
    assert f"拥有服务场地{t['研发社区'].service_area:g}平米以上" in base_seed
    assert f"入驻企业{t['离岸基地'].resident_companies}家以上" in base_seed
    assert f"海外科技人才应达到{t['工作基地'].linked_talents}人以上" in base_seed
    assert f"海外科技人才{t['离岸基地'].linked_talents}人以上" in base_seed
    assert f"知名海外机构达到{t['离岸基地'].overseas_partners}家以上" in base_seed
    assert f"不低于人民币{t['离岸基地'].work_funds:g}万元/年" in base_seed
    assert f"达到{t['离岸基地'].talents_attracted}人以上" in base_seed
    assert f"长期联系{t['研发社区'].linked_talents}名以上的海外科技人才和{t['研发社区'].overseas_partners}家以上海外机构" in base_seed
    assert f"与{t['研发社区'].international_organisations}家以上国际科技组织" in base_seed
    assert f"等{t['研发社区'].resident_rd_institutions}家以上" in base_seed
    assert f"不少于{t['离岸基地'].partner_proofs}家" in base_seed
    for key, n in (("foundation", 1000), ("purpose", 600), ("goals", 400), ("policies", 1000)):
        assert cfg.text_limit(key) == n
        assert f"{n}字以内" in base_seed
    assert "中国科协海外创新创业基地" in cfg.base.paused_types
    assert "中国科协海外创新创业基地" not in cfg.base.accepted_types


def test_missing_key_is_named_in_chinese():
    d = _data()
    del d["coop"]["quota_major"]
    with pytest.raises(ConfigError) as e:
        parse_config(d, "2023.yaml")
    assert "coop.quota_major" in str(e.value) and "缺少此键" in str(e.value)


def test_bad_date_is_named_in_chinese(tmp_path):
    text = (YEARS / "2023.yaml").read_text(encoding="utf-8").replace("deadline: 2023-09-15", "deadline: 2023-02-30")
    p = tmp_path / "bad.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_config_file(p)
    assert "base.deadline" in str(e.value) and "日期" in str(e.value)


def test_unknown_key_and_year_mismatch():
    d = _data()
    d["coop"]["quota_majr"] = 3
    with pytest.raises(ConfigError, match="coop.quota_majr"):
        parse_config(d)
    d = _data()
    d["year"] = 2024
    with pytest.raises(ConfigError, match="年份"):
        parse_config(d)


def test_unknown_year_lists_known_ones():
    with pytest.raises(ConfigError, match="2023"):
        load_year(1999)


def test_quota_and_registry(cfg2023, cfg2026):
    assert cfg2023.quota_for("national_society") == 10
    assert cfg2023.quota_for("university_association") == 5
    assert cfg2026.quota_for("national_society") == 8
    r = cfg2023.recommender("广东省科协")
    assert r is not None and r.kind == "provincial_association"
    assert cfg2023.recommender("不存在的单位") is None
