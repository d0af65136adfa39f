"""Seeded truth values and the many ways applicants write them (own generator, not the simulator's).

gen_coop(rng) / gen_base(rng) → (truth fields, written strings). The truth follows the record
contract (shared/spec/record-fields.md); ``written`` holds, for scalar fields, the text an
applicant typed for that value (dates in several writings, units, 人, +country codes …).
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from haizhi.pipeline.core.fields import BASE_TYPES, INSTITUTION_NATURES, INSTITUTION_TYPES, SERVICES

CITIES = ["苏州", "宁波", "成都", "合肥", "青岛", "厦门", "长沙", "西安", "无锡", "佛山", "珠海", "烟台", "绍兴", "常州"]
PROVINCES = ["江苏省", "浙江省", "四川省", "安徽省", "山东省", "福建省", "湖南省", "陕西省", "广东省"]
WORDS = ["启明", "海川", "瀚德", "睿联", "卓远", "博衍", "星桥", "汇智", "恒通", "远帆", "新格", "众创"]
SUFFIX = ["科技服务有限公司", "国际人才发展中心", "创新创业服务有限公司", "技术转移研究院", "产业投资管理有限公司"]
EN = {"启明": "Qiming", "海川": "Haichuan", "瀚德": "Hande", "睿联": "Ruilian", "卓远": "Zhuoyuan", "博衍": "Boyan",
      "星桥": "Xingqiao", "汇智": "Huizhi", "恒通": "Hengtong", "远帆": "Yuanfan", "新格": "Xinge", "众创": "Zhongchuang"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华建国志红晓东文博宇浩然欣怡子涵"
TITLES = ["总经理", "主任", "院长", "副总经理", "理事长", "董事长", "办公室主任", "项目经理", "秘书长"]
COUNTRIES = ["新加坡", "美国", "德国", "英国", "日本", "加拿大", "澳大利亚", "法国"]
ROADS = ["星湖街", "人民路", "科技大道", "创新路", "高新二路", "滨江大道", "金鸡湖大道", "长江路"]
PHRASES = [
    "围绕海外科技人才引进与服务开展工作", "建立了覆盖欧美及亚太地区的人才联络网络", "累计服务海外高层次人才三百余人次",
    "与多所海外高校及科研机构签订合作协议", "组织国际创新创业大赛及项目路演活动", "推动一批科技成果在本地转化落地",
    "设立专项资金支持人才项目孵化", "形成了“引才、育才、用才”的工作闭环", "协助企业对接海外技术团队",
    "举办海外人才座谈会和政策宣讲会", "提供知识产权、投融资和法律咨询等一站式服务", "为入驻项目提供办公场地和中试平台",
    "建设海外离岸创新中心两处", "引进硕士及以上学历人才占比超过六成", "依托地方产业基础聚焦生物医药和集成电路",
    "地方政府出台人才安居、税收返还等配套政策", "建立了专职工作团队和定期会商机制", "年度专项工作经费纳入财政预算",
    "预计三年内引进海外高层次人才五十名以上", "力争培育高新技术企业二十家", "打造具有国际影响力的离岸创新平台",
    "2023年与德国弗劳恩霍夫协会开展联合研发", "获评省级优秀人才服务机构", "典型案例包括某半导体团队落户并完成A轮融资",
]
OPINIONS = ["同意推荐。", "经审核，申报材料真实有效，同意申报。", "情况属实，同意推荐该基地申报。",
            "该单位基础扎实、优势明显，同意推荐。"]
QUALS = ["2019年，中国外国专家局授予海外培训机构资格证书。", "2021年，省人力资源和社会保障厅授予人力资源服务许可证。",
         "2022年，市科学技术局认定为技术转移示范机构。", "2020年，省科技厅授予科技企业孵化器资格。"]
AWARDS = ["2022年，获省科协“优秀海智工作站”称号。", "2023年，获市人民政府人才工作先进集体表彰。",
          "2021年，获中国国际人才交流大会优秀组织奖。"]
FW = str.maketrans("0123456789", "０１２３４５６７８９")
CN_DIGITS = "〇一二三四五六七八九"


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def long_text(rng: random.Random, lo: int, hi: int, paras: int = 1) -> str:
    """Sentences of the pool until at least ``lo`` characters; ``paras`` paragraphs joined by \\n."""
    out: list[str] = []
    for _p in range(paras):
        s = ""
        while len(s) < lo / paras:
            s += "，".join(rng.sample(PHRASES, 2)) + "。"
        out.append(s[: max(20, hi // paras)])
    text = "\n".join(x.rstrip("，") for x in out)
    return text


def _cn_num(n: int) -> str:
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def write_date(rng: random.Random, d: date, month_only: bool) -> tuple[str, str]:
    if month_only:
        style = rng.choice(["{y}年{m}月", "{y}.{m}", "{y}/{mm}", "{y}-{mm}"])
        return style.format(y=d.year, m=d.month, mm=f"{d.month:02d}"), f"{d.year:04d}-{d.month:02d}"
    style = rng.choice(["cn", "dot", "slash", "dash", "cnnum", "fw", "cnpad"])
    y, m, dd = d.year, d.month, d.day
    text = {
        "cn": f"{y}年{m}月{dd}日", "dot": f"{y}.{m}.{dd}", "slash": f"{y}/{m:02d}/{dd:02d}",
        "dash": f"{y}-{m:02d}-{dd:02d}", "cnpad": f"{y} 年 {m:02d} 月 {dd:02d} 日",
        "cnnum": "".join(CN_DIGITS[int(c)] for c in str(y)) + f"年{_cn_num(m)}月{_cn_num(dd)}日",
        "fw": f"{y}年{m}月{dd}日".translate(FW),
    }[style]
    return text, d.isoformat()


def write_number(rng: random.Random, v: float | int, unit: str) -> str:
    s = f"{v:,}" if (isinstance(v, int) and v >= 1000 and rng.random() < 0.5) else str(v)
    style = rng.choice(["plain", "unit", "unit_sp", "fw"])
    if style == "unit":
        return s + unit
    if style == "unit_sp":
        return f"{s} {unit}"
    if style == "fw":
        return s.replace(",", "").translate(FW)
    return s


def write_int(rng: random.Random, v: int, unit: str) -> str:
    return rng.choice([str(v), f"{v}{unit}", f"{v} {unit}", str(v).translate(FW) + unit])


def phone(rng: random.Random, mobile: bool) -> str:
    n = "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))
    if mobile:
        return rng.choice([n, f"{n[:3]}-{n[3:7]}-{n[7:]}", f"+86 {n[:3]} {n[3:7]} {n[7:]}", f"+86-{n}",
                           "+852 " + "".join(rng.choice("0123456789") for _ in range(4)) + " "
                           + "".join(rng.choice("0123456789") for _ in range(4)),
                           "+1 (415) 555-0" + "".join(rng.choice("0123456789") for _ in range(3))])
    area = rng.choice(["0512", "0574", "028", "0551", "010", "021"])
    num = "".join(rng.choice("0123456789") for _ in range(8))
    return rng.choice([f"{area}-{num}", f"{area}-{num[:4]} {num[4:]}", f"({area}){num}", f"+86-{area[1:]}-{num}"])


def email(rng: random.Random, word: str) -> str:
    user = rng.choice(["info", "hr", "contact", "office", word.lower()]) + str(rng.randint(1, 99))
    return f"{user}@{word.lower()}{rng.choice(['.com', '.cn', '.org.cn', '-tech.com'])}"


def _date(rng: random.Random, lo: int, hi: int) -> date:
    return date(rng.randint(lo, hi), rng.randint(1, 12), rng.randint(1, 28))


def gen_coop(rng: random.Random) -> tuple[dict[str, Any], dict[str, str]]:
    city, word = rng.choice(CITIES), rng.choice(WORDS)
    overseas = rng.random() < 0.3
    t: dict[str, Any] = {}
    w: dict[str, str] = {}
    t["name_cn"] = f"{city}{word}{rng.choice(SUFFIX)}"
    t["name_en"] = f"{EN[word]} {rng.choice(['Technology Service', 'Talent Development', 'Innovation'])} Co., Ltd."
    t["credit_code"] = (f"{rng.randint(10000000, 99999999)}" if overseas else
                        "91" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(16)))
    t["overseas"] = overseas
    w["overseas"] = rng.choice(["是", "☑是 □否", "Yes"] if overseas else ["否", "□是 ☑否", "No"])
    t["country"] = rng.choice(COUNTRIES) if overseas else "中国"
    t["registered_address"] = f"{rng.choice(PROVINCES)}{city}市{rng.choice(ROADS)}{rng.randint(1, 999)}号"
    t["contact_address"] = t["registered_address"] if rng.random() < 0.4 else \
        f"{city}市{rng.choice(ROADS)}{rng.randint(1, 999)}号{rng.randint(2, 30)}层"
    w["registered_on"], t["registered_on"] = write_date(rng, _date(rng, 2000, 2022), rng.random() < 0.15)
    cap = rng.choice([rng.randint(50, 5000), round(rng.uniform(10, 900), 1)])
    t["registered_capital"] = cap
    w["registered_capital"] = write_number(rng, cap, rng.choice(["万元", "万元人民币", "万"]))
    t["legal_representative"] = person(rng)
    for p in ("head", "contact"):
        t[f"{p}_name"] = person(rng)
        t[f"{p}_title"] = rng.choice(TITLES)
        t[f"{p}_mobile"] = phone(rng, True)
        t[f"{p}_email"] = email(rng, EN[word])
    owned = rng.choice([0, rng.randint(100, 3000)])
    rented = rng.randint(50, 2000)
    for k, v in (("area_total", owned + rented), ("area_owned", owned), ("area_rented", rented)):
        t[k] = v
        w[k] = write_number(rng, v, rng.choice(["平方米", "㎡", "m²", "平米"]))
    total = rng.randint(8, 400)
    for k, v in (("staff_total", total), ("staff_overseas", rng.randint(0, total)),
                 ("staff_postgrad", rng.randint(0, total))):
        t[k] = v
        w[k] = write_int(rng, v, rng.choice(["人", "名"]))
    t["institution_types"] = [x for x in INSTITUTION_TYPES if rng.random() < 0.5] or [INSTITUTION_TYPES[1]]
    t["institution_nature"] = rng.choice(INSTITUTION_NATURES)
    t["institution_nature_other"] = rng.choice(["民办非企业单位", "事业单位"]) \
        if t["institution_nature"] == "综合或其他" else None
    t["services"] = [x for x in SERVICES if rng.random() < 0.35] or ["技术转移"]
    t["services_other"] = rng.choice(["海外人才签证咨询", "国际会议组织"]) if "其他" in t["services"] else None
    t["profile"] = long_text(rng, 260, 495, rng.choice([1, 2, 3]))
    t["qualifications"] = "\n".join(rng.sample(QUALS, rng.randint(1, 3)))
    t["recent_work"] = long_text(rng, 500, 1400, rng.choice([2, 3, 4]))
    t["awards"] = "\n".join(rng.sample(AWARDS, rng.randint(1, 2))) if rng.random() < 0.8 else None
    t["recommender"] = f"{rng.choice(PROVINCES)}科学技术协会"
    for k, v in t.items():
        w.setdefault(k, v if isinstance(v, str) else "")
    return t, w


def gen_base(rng: random.Random) -> tuple[dict[str, Any], dict[str, str]]:
    city, word = rng.choice(CITIES), rng.choice(WORDS)
    bt = rng.choice(BASE_TYPES)
    t: dict[str, Any] = {}
    w: dict[str, str] = {}
    t["base_name"] = f"{bt}（{city}{rng.choice(['高新区', '工业园区', '经开区', ''])}）"
    t["base_type"] = bt
    t["applicant"] = f"{city}市{rng.choice(['科学技术协会', '高新区管委会', '人才发展集团有限公司'])}"
    t["address"] = f"{rng.choice(PROVINCES)}{city}市{rng.choice(ROADS)}{rng.randint(1, 999)}号"
    w["established_on"], t["established_on"] = write_date(rng, _date(rng, 2005, 2023), rng.random() < 0.15)
    t["head_name"], t["contact_name"] = person(rng), person(rng)
    t["head_phone"], t["contact_phone"] = phone(rng, False), phone(rng, False)
    t["contact_mobile"] = phone(rng, True)
    t["email"] = email(rng, EN[word])
    for k in ("service_area", "office_area"):
        t[k] = rng.choice([rng.randint(200, 30000), round(rng.uniform(100, 5000), 1)])
        w[k] = write_number(rng, t[k], rng.choice(["平方米", "㎡", "m2"]))
    ints = {"staff_total": "人", "staff_fulltime": "人", "overseas_talents": "人", "linked_talents": "人",
            "overseas_partners": "个", "overseas_stations": "个", "resident_companies": "家",
            "resident_rd_institutions": "家"}
    for k, u in ints.items():
        t[k] = rng.randint(0, 300)
        w[k] = write_int(rng, t[k], u)
    for k in ("work_funds", "support_funds"):
        t[k] = rng.choice([rng.randint(20, 3000), round(rng.uniform(5, 800), 2)])
        w[k] = write_number(rng, t[k], rng.choice(["万元", "万"]))
    t["foundation"] = long_text(rng, 700, 1500, rng.choice([2, 3, 4]))
    t["purpose"] = long_text(rng, 300, 800, rng.choice([1, 2]))
    t["goals"] = long_text(rng, 300, 900, rng.choice([2, 3]))
    t["policies"] = long_text(rng, 500, 1300, rng.choice([2, 3]))
    for k in ("applicant_opinion", "city_opinion", "provincial_opinion"):
        t[k] = rng.choice(OPINIONS) if rng.random() < 0.7 else None
    for k, v in t.items():
        w.setdefault(k, v if isinstance(v, str) else "")
    return t, w
