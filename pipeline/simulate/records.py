"""Plausible random records for both forms (deterministic per seed), for benchmarks and demos."""

from __future__ import annotations

import random
import string

from haizhi.pipeline.core.fields import (
    BASE,
    BASE_TYPES,
    COOP,
    INSTITUTION_NATURES,
    INSTITUTION_TYPES,
    SERVICES,
)
from haizhi.pipeline.core.record import Record

_PROVINCES = [("广东省", ["广州市", "深圳市", "佛山市", "东莞市", "珠海市"]), ("江苏省", ["南京市", "苏州市", "无锡市"]),
              ("浙江省", ["杭州市", "宁波市", "温州市"]), ("山东省", ["济南市", "青岛市", "烟台市"]),
              ("四川省", ["成都市", "绵阳市"]), ("湖北省", ["武汉市", "宜昌市"])]
_DISTRICTS = ["高新区", "南山区", "天河区", "江宁区", "滨江区", "历下区", "武侯区", "洪山区", "顺德区", "工业园区"]
_ROADS = ["科技南十二路", "创新大道", "学府路", "中山路", "人民路", "建设大道", "环城西路", "软件园路"]
_WORDS = ["海创", "智汇", "启明", "英才", "星河", "远航", "博睿", "汇智", "联科", "新桥", "海纳", "卓越"]
_KINDS = ["国际人才服务有限公司", "科技服务有限公司", "创新创业服务中心", "人才发展研究院", "科技企业孵化器有限公司"]
_EN = {"海创": "Haichuang", "智汇": "Zhihui", "启明": "Qiming", "英才": "Yingcai", "星河": "Xinghe", "远航": "Yuanhang",
       "博睿": "Borui", "汇智": "Huizhi", "联科": "Lianke", "新桥": "Xinqiao", "海纳": "Haina", "卓越": "Zhuoyue"}
_EN_KINDS = ["International Talent Services Co., Ltd.", "Technology Services Co., Ltd.", "Innovation Center",
             "Talent Development Institute", "Incubator Co., Ltd."]
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰晓燕鹏飞宇浩然欣怡子涵梓轩思远博文嘉怡"
_TITLES = ["总经理", "董事长", "主任", "副主任", "院长", "秘书长", "国际合作部主任", "项目经理", "执行董事"]
_PINYIN = ["wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu"]
_SENTENCES = [
    "专注于海外高层次人才引进与创新创业服务。", "在硅谷、伦敦设有联络点，累计服务海外人才逾{n}人。",
    "近两年举办海外人才对接活动{m}场，引进海外科技人才团队{k}个。", "落地项目{k}个，带动就业{n}人。",
    "与{m}家海外高校和科研机构建立合作关系。", "获评省级优秀人才服务机构。", "建成海外人才服务中心，提供一站式服务。",
]


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def _mobile(rng: random.Random) -> str:
    return rng.choice(["13", "15", "18", "17"]) + "".join(rng.choice(string.digits) for _ in range(9))


def _date(rng: random.Random, y0: int, y1: int) -> str:
    return f"{rng.randint(y0, y1)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _para(rng: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        s = rng.choice(_SENTENCES)
        out.append(s.format(n=rng.randint(50, 900), m=rng.randint(3, 40), k=rng.randint(2, 30)))
    return "".join(out)


def _email(rng: random.Random, domain: str) -> str:
    return f"{rng.choice(_PINYIN)}{rng.choice(['', '.', '_'])}{rng.choice(_PINYIN)}{rng.randint(1, 99)}@{domain}"


def _address(rng: random.Random) -> tuple[str, str, str]:
    prov, cities = rng.choice(_PROVINCES)
    city = rng.choice(cities)
    return prov, city, f"{prov}{city}{rng.choice(_DISTRICTS)}{rng.choice(_ROADS)}{rng.randint(1, 300)}号"


def coop_record(rng: random.Random) -> Record:
    w = rng.choice(_WORDS)
    prov, city, addr = _address(rng)
    head = _name(rng)
    types = sorted(rng.sample(INSTITUTION_TYPES, rng.randint(1, 3)), key=INSTITUTION_TYPES.index)
    services = sorted(rng.sample(SERVICES, rng.randint(1, 5)), key=SERVICES.index)
    nature = rng.choice(INSTITUTION_NATURES)
    domain = f"{_EN[w].lower()}-{rng.choice(['talent', 'tech', 'hub'])}.cn"
    total = rng.randint(200, 5000)
    owned = rng.randint(0, total)
    kind = rng.randrange(len(_KINDS))
    fields = {
        "name_cn": f"{city[:-1]}{w}{_KINDS[kind]}",
        "name_en": f"{city[:-1] and _EN[w]} {_EN_KINDS[kind]}",
        "credit_code": "91" + "".join(rng.choice(string.digits) for _ in range(6))
                       + "".join(rng.choice(string.digits + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(10)),
        "overseas": False, "country": "中国", "registered_address": addr,
        "contact_address": _address(rng)[2] + f"{rng.randint(101, 2505)}室",
        "registered_on": _date(rng, 2005, 2020), "registered_capital": rng.choice([100, 500, 1000, 1200, 3000, 50.5]),
        "legal_representative": head, "head_name": head, "head_title": rng.choice(_TITLES),
        "head_mobile": _mobile(rng), "head_email": _email(rng, domain),
        "contact_name": _name(rng), "contact_title": rng.choice(_TITLES), "contact_mobile": _mobile(rng),
        "contact_email": _email(rng, domain),
        "area_total": total, "area_owned": owned, "area_rented": total - owned,
        "staff_total": rng.randint(10, 300), "staff_overseas": rng.randint(1, 9), "staff_postgrad": rng.randint(2, 9),
        "institution_types": types, "institution_nature": nature,
        "institution_nature_other": "产业联盟" if nature == "综合或其他" else None,
        "services": services, "services_other": "海外人才签证咨询" if "其他" in services else None,
        "profile": f"公司成立于{rng.randint(2005, 2020)}年，" + _para(rng, 2),
        "qualifications": f"1.{rng.randint(2015, 2023)}年，{prov}人力资源和社会保障厅授予人力资源服务许可证。",
        "recent_work": _para(rng, 2), "awards": rng.choice([None, f"{rng.randint(2018, 2023)}年，获评优秀人才服务机构。"]),
        "recommender": f"{prov}科学技术协会",
    }
    return Record(form=COOP, fields=fields)


def base_record(rng: random.Random) -> Record:
    prov, city, addr = _address(rng)
    district = rng.choice(_DISTRICTS)
    btype = rng.choice(BASE_TYPES)
    staff = rng.randint(5, 60)
    area_code = f"0{rng.randint(10, 999)}"
    fields = {
        "base_name": f"{btype}（{city}{district}）", "base_type": btype,
        "applicant": f"{city}{district}科学技术协会", "address": addr, "established_on": _date(rng, 2010, 2021),
        "head_name": _name(rng), "head_phone": f"{area_code}-{rng.randint(20000000, 89999999)}",
        "contact_name": _name(rng), "contact_phone": f"{area_code}-{rng.randint(20000000, 89999999)}",
        "contact_mobile": _mobile(rng), "email": _email(rng, rng.choice(["kx.org.cn", "cast.org.cn", "163.com"])),
        "service_area": rng.randint(100, 3000), "office_area": rng.randint(50, 800),
        "staff_total": staff, "staff_fulltime": rng.randint(1, staff),
        "work_funds": rng.choice([50, 80, 120, 150, 300]), "support_funds": rng.choice([100, 200, 300, 500]),
        "overseas_talents": rng.randint(10, 200), "linked_talents": rng.randint(50, 500),
        "overseas_partners": rng.randint(3, 40), "overseas_stations": rng.randint(1, 9),
        "resident_companies": rng.randint(5, 120), "resident_rd_institutions": rng.randint(1, 20),
        "foundation": _para(rng, 2), "purpose": _para(rng, 1), "goals": _para(rng, 1), "policies": _para(rng, 1),
        "applicant_opinion": "同意申报。", "city_opinion": "同意推荐。", "provincial_opinion": "同意推荐。",
    }
    return Record(form=BASE, fields=fields)


def random_record(form_id: str, seed: int) -> Record:
    rng = random.Random(f"record:{form_id}:{seed}")
    return coop_record(rng) if form_id == COOP else base_record(rng)
