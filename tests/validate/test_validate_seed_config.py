"""The 2023 config holds the seed notices' numbers, read here from the seed text itself."""

from __future__ import annotations

import datetime as dt
import re

import pytest

CN_NUM = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5}


@pytest.fixture(scope="module")
def coop_text(shared_dir) -> str:
    (p,) = (shared_dir / "seeds").glob("000_*.txt")
    return "".join(p.read_text(encoding="utf-8").split())


@pytest.fixture(scope="module")
def base_text(shared_dir) -> str:
    (p,) = (shared_dir / "seeds").glob("001_*.txt")
    return "".join(p.read_text(encoding="utf-8").split())


def num(pattern: str, text: str) -> int:
    m = re.search(pattern, text)
    assert m, f"not in seed text: {pattern}"
    g = m.group(1)
    return CN_NUM[g] if g in CN_NUM else int(g)


def test_coop_numbers(cfg2023, coop_text) -> None:
    c = cfg2023.coop
    assert c.min_years_registered == num(r"依法成立(.)年以上（含", coop_text)
    assert c.quota_major == num(r"合作机构推荐名额原则上不超过(\d+)个", coop_text)
    assert c.quota_minor == num(r"“科创中国”联合体推荐名额原则上不超过(\d+)个", coop_text)
    assert c.min_overseas_share == num(r"境外机构应不少于(\d+)%", coop_text) / 100
    assert c.profile_max_chars == num(r"机构简介（不超(\d+)字）", coop_text)
    assert c.recent_work_max_chars == num(r"典型案例等，不超(\d+)字", coop_text)
    m = re.search(r"(\d{4})年(\d+)月(\d+)日附件推荐", coop_text)
    assert c.issued_on == dt.date(*map(int, m.groups()))
    assert c.platform_deadline == dt.date(cfg2023.year, num(r"此项工作于(\d+)月\d+日前完成", coop_text),
                                          num(r"此项工作于\d+月(\d+)日前完成", coop_text))
    fw = cfg2023.forwarding["广东"]
    assert fw.deadline == dt.date(cfg2023.year, num(r"并于(\d+)月\d+日之前填报", coop_text),
                                  num(r"并于\d+月(\d+)日之前填报", coop_text))


def test_base_numbers(cfg2023, base_text) -> None:
    th = cfg2023.base.thresholds
    work, off, rd = th["工作基地"], th["离岸基地"], th["研发社区"]
    assert work.service_area == num(r"拥有服务场地(\d+)平方米以上", base_text)
    assert work.linked_talents == num(r"来华（回国）海外科技人才应达到(\d+)人以上", base_text)
    assert off.service_area == num(r"拥有服务场地(\d+)平米以上，入驻企业", base_text)
    assert off.resident_companies == num(r"入驻企业(\d+)家以上", base_text)
    assert off.overseas_partners == num(r"知名海外机构达到(\d+)家以上", base_text)
    assert off.linked_talents == num(r"长期联系服务的海外科技人才(\d+)人以上", base_text)
    assert off.work_funds == num(r"资金规模不低于人民币(\d+)万元", base_text)
    assert off.talents_attracted == num(r"创新创业海外科技人才达到(\d+)人以上", base_text)
    assert off.partner_proofs == num(r"离岸基地提供不少于(\d+)家", base_text)
    assert rd.service_area == num(r"拥有服务场地(\d+)平米以上，入驻新型研发机构", base_text)
    assert rd.resident_rd_institutions == num(r"国际科技组织办事机构等(\d+)家以上", base_text)
    assert rd.linked_talents == num(r"长期联系(\d+)名以上的海外科技人才", base_text)
    assert rd.overseas_partners == num(r"海外科技人才和(\d+)家以上海外机构", base_text)
    assert rd.international_organisations == num(r"与(\d+)家以上国际科技组织建立合作", base_text)
    assert work.support_letter == rd.support_letter == "city" and "工作基地、研发社区须提供地市政府支持函" in base_text
    assert off.support_letter == "provincial" and "申请离岸基地须提供省政府支持函" in base_text
    b = cfg2023.base
    assert b.foundation_max_chars == num(r"工作机制建设等，(\d+)字以内", base_text)
    assert b.purpose_max_chars == num(r"优势条件，(\d+)字以内", base_text)
    assert b.goals_max_chars == num(r"定量目标。(\d+)字以内", base_text)
    assert b.policies_max_chars == num(r"条件保障情况，(\d+)字以内", base_text)
    m = re.search(r"请各省级科协于(\d{4})年(\d+)月(\d+)日前", base_text)
    assert b.deadline == dt.date(*map(int, m.groups()))
    assert "中国科协海外创新创业基地（简称“海外基地”）暂不接受申报" in base_text
    assert b.paused_types == ("中国科协海外创新创业基地",)
