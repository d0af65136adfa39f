"""Build the notice templates (GB/T 9704 layout, docxtpl tags) with python-docx.

The wording mirrors the 2023 originals (shared/seeds/000, 001) exactly; every
date, number, quota, threshold, contact and doc number is a Jinja tag reading
`cfg` (the YearConfig) or a value pipeline/generate/notices.py derives from it.
Attachments are not part of these templates: pipeline/generate/notices.py appends the
blank forms and the outline at render time.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from haizhi.templates.build import gbt

BODY = gbt.SIZE["三号"]
Run = tuple[str, str | None]  # text, font (None: the paragraph style's)


def _style(doc, name: str, font: str = gbt.FONT_BODY, size: float = BODY, align=None,
           first_chars: float = 0, left_chars: float = 0, right_chars: float = 0,
           line_pt: float = gbt.LINE_PITCH_PT) -> None:
    st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = doc.styles["Normal"]
    gbt._style_font(st, font, size)
    gbt._exact(st.paragraph_format, line_pt)
    pf = st.paragraph_format
    if align is not None:
        pf.alignment = align
    pf.first_line_indent = Pt(first_chars * BODY)
    pf.left_indent = Pt(left_chars * BODY)
    pf.right_indent = Pt(right_chars * BODY)


def new_notice_document():
    """gbt.new_document() plus the styles the notice parts use."""
    doc = gbt.new_document()
    c = WD_ALIGN_PARAGRAPH
    _style(doc, "GB发文机关标志", gbt.FONT_TITLE, 40, c.CENTER, line_pt=52)
    _style(doc, "GB发文字号", align=c.CENTER)
    _style(doc, "GB主送", align=c.JUSTIFY)
    # 附件说明: 左空二字 "附件：", 回行与附件名称对齐 (hanging indent)
    _style(doc, "GB附件说明", align=c.LEFT, first_chars=-3, left_chars=5)
    _style(doc, "GB署名", align=c.RIGHT, right_chars=2)
    _style(doc, "GB成文日期", align=c.RIGHT, right_chars=2.5)
    _style(doc, "GB附件标识", gbt.FONT_HEI, align=c.LEFT)
    _style(doc, "GB附注", align=c.LEFT, first_chars=2)  # left: long phone numbers must not spread the line
    return doc


def par(doc, text: str = "", style: str = "GB正文", align: str | None = None):
    return gbt.add_par(doc, text, style, align)


def runs(doc, parts: Sequence[Run], style: str = "GB正文"):
    """One paragraph of several runs, e.g. a 楷体 lead-in followed by 仿宋 text."""
    p = doc.add_paragraph(style=style)
    for text, font in parts:
        r = p.add_run(text)
        if font:
            gbt.set_font(r, font, BODY)
    return p


def tag(doc, jinja: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag ({%p … %}); removed on render."""
    doc.add_paragraph(jinja, style="GB正文")


def blank(doc, n: int = 1) -> None:
    for _ in range(n):
        doc.add_paragraph(style="GB主送")


def red_line(doc) -> None:
    """版头分隔线: red, the width of the type area, 4 mm under 发文字号."""
    p = doc.add_paragraph(style="GB主送")
    p.paragraph_format.line_spacing = Pt(4)
    bdr = gbt._insert_in_order(p._p.get_or_add_pPr(), "w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "12"), ("w:space", "1"), ("w:color", "FF0000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)


def masthead(doc, masthead_tag: str, number_tag: str) -> None:
    """版头: red 发文机关标志 35 mm below the type area top, 空二行, 发文字号, red line."""
    p = doc.add_paragraph(style="GB发文机关标志")
    # glyph top 35 mm below the type area (GB/T 9704 7.2.4); the 52 pt line adds ~2 mm above 40 pt glyphs
    p.paragraph_format.space_before = Mm(33)
    r = p.add_run(masthead_tag)
    gbt.set_font(r, gbt.FONT_TITLE, 40, color="FF0000")
    blank(doc, 2)
    par(doc, number_tag, "GB发文字号")
    red_line(doc)
    blank(doc, 2)  # title 红色分隔线下空二行


def title(doc, title_tag: str) -> None:
    par(doc, title_tag, "GB标题")
    blank(doc)


def signature(doc, issuer_tag: str, date_tag: str) -> None:
    """Unsealed 署名 (右空二字) and 成文日期 below it, its first character two to the right."""
    blank(doc, 1)
    par(doc, issuer_tag, "GB署名")
    par(doc, date_tag, "GB成文日期")


def attachment_note(doc) -> None:
    blank(doc)
    tag(doc, "{%p for line in attachment_lines %}")
    par(doc, "{{ line }}", "GB附件说明")
    tag(doc, "{%p endfor %}")


def save(doc, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.core_properties.author = "中国科协海智办"
    doc.core_properties.title = path.stem
    doc.save(str(path))
    return path


# --- 合作机构 notice -----------------------------------------------------------

KAI, HEI = gbt.FONT_KAI, gbt.FONT_HEI


def build_coop(path: Path) -> Path:
    doc = new_notice_document()
    masthead(doc, "{{ cfg.issuer.masthead }}", "{{ cfg.coop.doc_number }}")
    title(doc, "{{ title|ml }}")
    par(doc, "各全国学会、协会、研究会秘书处（办公室），各省、自治区、直辖市科协及新疆生产建设兵团科协国际合作部"
        "（办公室），各有关企业科协、高校科协，各有关单位：", "GB主送")
    par(doc, "为深入贯彻落实党的二十大精神，服务世界重要人才中心和创新高地建设，进一步落实《中国科协关于加强海智工作的"
        "指导意见》，推动建立和完善海智全球合作网络，联系服务海外科技人才来华发展，根据《中国科协海智计划合作机构管理"
        "办法（试行）》有关要求，{{ cfg.issuer.department }}（以下简称“{{ cfg.issuer.short_name }}”）决定开展"
        "{{ cfg.year }}年度中国科协海智计划合作机构征选工作，具体要求如下。")
    par(doc, "一、合作机构认定条件", "GB一级")
    par(doc, "（一）按照驻在国（地区）的法律依法成立{{ cfg.coop.min_years_registered|cn_count }}年以上（含"
        "{{ cfg.coop.min_years_registered|cn_count }}年），具有独立承担民事责任的能力，无违法或不良信用记录；")
    par(doc, "（二）具有广泛联系海外科技人才、项目资源的渠道；")
    par(doc, "（三）境外机构应对华友好，有与国内开展合作的基础和意愿，已在中国境内设立代表机构的优先考虑。")
    par(doc, "二、推荐候选机构渠道", "GB一级")
    for item in ("（一）中国科协所属全国学会、协会、研究会，学会（产学）联合体、“科创中国”联合体",
                 "（二）各省级地方科协", "（三）中国科协海智计划合作机构",
                 "（四）与中国科协签订合作协议的国际科技组织和国别组织", "（五）我驻外使领馆",
                 "（六）{{ cfg.issuer.office }}认可的有关高校科协、科研院所科协、企业科协、议事协调机构等"):
        par(doc, item)
    par(doc, "三、征选工作流程", "GB一级")
    par(doc, "（一）推荐", "GB二级")
    par(doc, "由各有关单位提出符合条件的机构，并组织机构通过“智慧科协”2.0国际域海智云平台填报相关信息。")
    par(doc, "（二）审核", "GB二级")
    par(doc, "1.初审")
    par(doc, "对候选机构相关材料进行完整性、规范性资格审查。")
    par(doc, "2.评审")
    par(doc, "组织专家组对候选机构进行评审，提出评审意见。")
    par(doc, "（三）认定", "GB二级")
    par(doc, "通过审核的候选合作机构名单报中国科协海智计划领导小组审定后，认定为合作机构。")
    par(doc, "四、征选工作原则", "GB一级")
    runs(doc, [("（一）坚持客观公正。", KAI), ("严格按照管理办法开展征选工作，确保全流程透明、规范，结果公平。", None)])
    runs(doc, [("（二）坚持“产学研金服用”全链条构建。", KAI),
               ("联合各类创新主体，构建融通的创新创业生态系统，助力海外人才到中国发展，促进优质技术项目转移和成果转化。",
                None)])
    runs(doc, [("（三）坚持全球战略布局。", KAI),
               ("拓展海智合作机构的全球布点网络，均衡国家分布，汇聚全球合作力量；扩大发展中国家和“一带一路”沿线国家的"
                "合作机构推荐数量。", None)])
    par(doc, "五、推荐有关事项", "GB一级")
    par(doc, "（一）每个{{ major_kinds }}推荐名额原则上不超过{{ cfg.coop.quota_major }}个，各省级科协可统筹自身工作"
        "资源、辖区内科协系统和海智计划基地资源进行推荐。每个{{ minor_kinds }}推荐名额原则上不超过"
        "{{ cfg.coop.quota_minor }}个，{{ minor_kinds }}推荐资格由{{ cfg.issuer.office }}与有关部门、单位商定。"
        "我驻外使领馆推荐名额由{{ cfg.issuer.office }}与我驻外使领馆商定。")
    par(doc, "（二）每个单位推荐的候选合作机构中，境外机构应不少于{{ cfg.coop.min_overseas_share|pct }}。")
    par(doc, "（三）各推荐单位应征求合作机构负责人同意后进行推荐，并对推荐合作机构资质和推荐材料真实性负责。")
    par(doc, "六、征选工作组织", "GB一级")
    par(doc, "1.本次征选工作由{{ cfg.issuer.short_name }}总体负责，{{ cfg.issuer.implementing_org }}具体实施。"
        "请各有关单位积极参与机构推荐工作。")
    par(doc, "2.请有关单位通知拟推荐候选机构准备相关材料，并请机构联系人在“智慧科协”2.0国际域海智计划云平台上进行"
        "注册和信息填报，推荐单位进行审核后提交，此项工作于{{ cfg.coop.platform_deadline|md }}前完成。")
    par(doc, "3.鉴于“智慧科协”2.0国际域海智计划云平台正在建设中，请各推荐单位先按照征选原则和推荐事项考虑推荐机构，"
        "征求机构意见，并准备相关材料。平台开通后将另行发布通知，届时再通过平台进行相关推荐工作。")
    par(doc, "七、联系方式", "GB一级")
    par(doc, "联系人：{{ cfg.coop.contacts|join('  ') }}")
    par(doc, "电  话：{{ cfg.coop.phone }}")
    par(doc, "邮  箱：{{ cfg.coop.email }}")
    par(doc, "特此通知。")
    attachment_note(doc)
    signature(doc, "{{ cfg.issuer.department }}", "{{ cfg.coop.issued_on|cn_date }}")
    return save(doc, path)


# --- 基地 notice ---------------------------------------------------------------

T = "cfg.base.thresholds"


def _type_section(doc, full_name: str, heading: str, target: str, conditions: Sequence[str]) -> None:
    tag(doc, f"{{%p if '{full_name}' in cfg.base.accepted_types %}}")
    par(doc, heading, "GB二级")
    par(doc, "1. 申报对象")
    par(doc, target)
    par(doc, "2. 申报条件")
    for c in conditions:
        par(doc, c)
    tag(doc, "{%p endif %}")


def build_base(path: Path) -> Path:
    doc = new_notice_document()
    masthead(doc, "{{ cfg.issuer.masthead }}", "{{ cfg.base.doc_number }}")
    title(doc, "{{ title|ml }}")
    par(doc, "各省、自治区、直辖市、新疆生产建设兵团科协国际部（办公室），各有关单位：", "GB主送")
    par(doc, "为进一步落实《中国科协关于加强海智工作的指导意见》，推动中国科协海智计划基地高质量发展，根据《中国科协"
        "海智计划基地管理办法（试行）》，决定开展{{ cfg.year }}年中国科协海智计划基地申报认定工作，具体内容如下：")
    par(doc, "一、申报条件", "GB一级")
    par(doc, "中国科协海智计划基地（简称“海智基地”）包括{{ all_types }}{{ n_types|cn_count }}种类型。"
        "{% if paused_types %}鉴于国家正在规范相关工作，{{ paused_types }}暂不接受申报。其它"
        "{{ cfg.base.accepted_types|length|cn_count }}种类型基地申报要求如下。"
        "{% else %}各类型基地申报要求如下。{% endif %}")
    w, o, r = f"{T}['工作基地']", f"{T}['离岸基地']", f"{T}['研发社区']"
    _type_section(doc, "中国科协海智工作基地", "（{{ sec['工作基地'] }}）工作基地",
                  "相关园区、科技组织、企业、高校或科研机构等。", [
                      "(1) 在中华人民共和国境内注册，具有独立法人资格；",
                      f"(2) 建立服务海外科技人才的管理机构，拥有服务场地{{{{ {w}.service_area|num }}}}平方米以上，"
                      "配备专职人员{{ work_staff }}，提供稳定的工作运行经费，具备服务海外科技人才相应的保障体系；",
                      "(3) 具有稳定畅通联系海外科技人才和海外机构的渠道，能够持续开展人才举荐、学术交流、研发合作、"
                      "企业孵化、成果推介、创业投资等活动；",
                      "(4) 所在城市或园区具备吸引和服务海外科技人才的政策保障；",
                      "(5) 设有服务来华（回国）海外科技人才专项经费，长期联系服务的来华（回国）海外科技人才应达到"
                      f"{{{{ {w}.linked_talents }}}}人以上。",
                  ])
    _type_section(doc, "国家海外人才离岸创新创业基地", "({{ sec['离岸基地'] }}) 离岸基地",
                  "相关国家级自由贸易区、国家级新区、国家级高新技术产业开发区、国家级经济技术开发区、区域类双创示范"
                  "基地等园区。", [
                      "(1) 在中华人民共和国境内设立，具有独立法人资格；",
                      "(2) 所在地区省级政府专门出台针对海内外科技人才离岸发展和创新创业的支持政策，并在基地内先行先试；",
                      f"(3) 所在园区具备健全的科协组织，拥有服务场地{{{{ {o}.service_area|num }}}}平米以上，入驻企业"
                      f"{{{{ {o}.resident_companies }}}}家以上，具有吸引海外科技人才创新创业、项目落地的载体平台，"
                      "具备研发、转化、融资及国际服务的能力和经历；",
                      f"（4）建立合作机制的知名海外机构达到{{{{ {o}.overseas_partners }}}}家以上，长期联系服务的海外"
                      f"科技人才{{{{ {o}.linked_talents }}}}人以上；",
                      f"（5）设有服务海外科技人才专项工作经费，资金规模不低于人民币{{{{ {o}.work_funds|num }}}}万元/年，"
                      f"吸引来华（回国）创新创业海外科技人才达到{{{{ {o}.talents_attracted }}}}人以上。",
                  ])
    _type_section(doc, "海智国际研发社区", "（{{ sec['研发社区'] }}）研发社区",
                  "具有国际化、高水平科研开发能力的相关国际科技组织、科技园区、企业、科研机构、新型研发机构等。", [
                      "（1）依托机构在中华人民共和国境内设立，具有独立法人资格；",
                      f"（2）拥有服务场地{{{{ {r}.service_area|num }}}}平米以上，入驻新型研发机构、国际科技组织办事机构等"
                      f"{{{{ {r}.resident_rd_institutions }}}}家以上，拥有国际水平的研发设施、技术服务、金融投资和人才"
                      "培育等条件，具备国际化研发平台和创新策源地的潜力；",
                      "（3）所在城市产业链、供应链较为完整且国际化程度高，社区周边拥有教育、医疗、消费性服务业等完善的"
                      "生活配套；",
                      f"（4）设有服务来华（回国）海外科技人才专项经费，长期联系{{{{ {r}.linked_talents }}}}名以上的海外"
                      f"科技人才和{{{{ {r}.overseas_partners }}}}家以上海外机构，经常性开展人才举荐、学术交流、研发合作、"
                      "企业孵化、成果推介、创业投资等活动；",
                      f"(5) 与{{{{ {r}.international_organisations }}}}家以上国际科技组织建立合作，具备研制国际技术标准、"
                      "促进跨境技术转移、服务企业国际融资等方面的能力和经验。",
                  ])
    par(doc, "二、申报程序", "GB一级")
    par(doc, "(一) 需提供的申报材料", "GB二级")
    par(doc, "1. 《{{ form_titles.base_application }}》及其相关附属材料(见附件)。")
    par(doc, "2. 地方政府支持函。其中，{{ support_letters }}。")
    par(doc, "(二) 申报流程", "GB二级")
    par(doc, "海智基地申报流程如下：")
    par(doc, "(1) 申报单位根据通知要求准备申报材料；")
    par(doc, "(2) 经所在地地市级科协或副省级城市科协审核后，申报单位向省级科协提出申请；")
    par(doc, "(3) 省级科协对材料统一审核后进行公示，公示时间不少于{{ cfg.base.public_notice_days }}天，公示无异议后签署"
        "意见，通过“智慧科协”2.0国际域海智基地及合作机构管理业务平台报中国科协。")
    par(doc, "(4) 中国科协将根据材料审查情况，另行通知各省级科协安排相关申报单位现场答辩事宜。")
    par(doc, "（三）其他", "GB二级")
    par(doc, "请各省级科协于{{ cfg.base.deadline|cn_date }}前，将所有材料电子版（签字盖章的PDF版本，以及可编辑的Word或"
        "WPS版本）提交。将纸质材料一式一份（装订成一本，支持函可单附），签字盖章后寄至{{ cfg.base.contact_org }}。")
    par(doc, "三、联系方式", "GB一级")
    par(doc, "联系人：{{ cfg.base.contacts|join(' ') }}")
    par(doc, "单位：{{ cfg.base.contact_org }}")
    par(doc, "地址：{{ cfg.base.address }}")
    par(doc, "邮政编码：{{ cfg.base.postcode }}")
    par(doc, "电话：{{ cfg.base.phone }}")
    par(doc, "指定邮箱：{{ cfg.base.email }}")
    attachment_note(doc)
    tag(doc, "{%p if cfg.base.issued_on %}")
    signature(doc, "{{ cfg.issuer.department }}", "{{ cfg.base.issued_on|cn_date }}")
    tag(doc, "{%p endif %}")
    return save(doc, path)


# --- 基地建设方案参考提纲 (attachment of the base form) ---------------------------

def build_outline(path: Path) -> Path:
    doc = new_notice_document()
    par(doc, "{{ outline_title|ml }}", "GB标题")
    blank(doc)
    par(doc, "各申报单位请根据《中国科协关于加强海智工作的指导意见》和《中国科协海智计划基地管理办法（试行）》等文件要求，"
        "结合各自基地类型，研究制定基地建设方案（{{ cfg.base.plan_years[0] }}-{{ cfg.base.plan_years[1] }}年），"
        "内容包括但不限于以下方面。")
    par(doc, "一、工作基础", "GB一级")
    runs(doc, [("（一）基础条件：", KAI),
               ("包括区位条件、人才状况、经济基础、重点产业、市场主体情况，专项资金投入等。", None)])
    runs(doc, [("（二）目前已有的成效：", KAI),
               ("近年来在创新资源汇聚、工作机制建设、创新生态培育、联系引进人才，以及企业、机构、成果落地等方面的成绩。",
                None)])
    par(doc, "二、建设思路和目标", "GB一级")
    acc = "in cfg.base.accepted_types"
    par(doc, "根据各类基地特点，结合自身发展定位，明确未来{{ cfg.base.goal_years|cn_count }}年建设目标和建设思路。其中，"
        f"{{% if '中国科协海智工作基地' {acc} %}}中国科协海智工作基地聚焦联系服务海外科技人才，{{% endif %}}"
        f"{{% if '国家海外人才离岸创新创业基地' {acc} %}}国家海外人才离岸创新创业基地聚焦打造“人才特区”和“创新高地”"
        "及服务海内外科技人才创新创业，{% endif %}"
        f"{{% if '海智国际研发社区' {acc} %}}海智国际研发社区聚焦提供高端研发条件、科研团队和新型研发机构引进，"
        "{% endif %}研究提出清晰可考核的发展思路和建设目标。")
    par(doc, "三、主要建设任务", "GB一级")
    par(doc, "结合不同类型基地的目标，根据基地实际情况，从落实重点政策、实施引才计划、推动平台建设、推进关键工程等方面"
        "有选择地细化具体建设任务。")
    par(doc, "四、保障措施", "GB一级")
    par(doc, "包括基地主管部门、地方政府支持基地发展的专项政策和安排，在组织管理、协调推进、资金保障等方面的保障措施。")
    return save(doc, path)


# --- provincial forwarding notice (粤科协办发〔2023〕30号) ------------------------

def build_forwarding(path: Path) -> Path:
    doc = new_notice_document()
    par(doc, "{{ fwd.doc_number }}", "GB发文字号")
    red_line(doc)
    blank(doc)
    title(doc, "{{ title|ml }}")
    par(doc, "{{ fwd.addressees }}：", "GB主送")
    par(doc, "现将《{{ cfg.coop.title }}》转发你们，请各单位按要求积极推荐，并于{{ fwd.deadline|md }}之前填报"
        "《{{ form_titles.coop_institution }}》（见附件），并将表格可编辑版本、盖章后扫描的PDF版本一并发送至"
        "{{ fwd.email_hint }}，同时将纸质材料寄送至：{{ fwd.mail_to.address }}，收件人：{{ fwd.mail_to.recipient }}，"
        "电话：{{ fwd.mail_to.phone }}，邮编：{{ fwd.mail_to.postcode }}。")
    signature(doc, "{{ fwd.issuer }}", "{{ fwd.issued_on|cn_date }}")
    par(doc, "（联系人：{% for c in fwd.contacts %}{% if c.dept %}{{ c.dept }} {% endif %}{{ c.name }}"
        "{% if c.phone %}，电话：{{ c.phone }}{% endif %}{% if c.email %}，邮箱：{{ c.email }}{% endif %}"
        "{% if not loop.last %}；{% endif %}{% endfor %}）", "GB附注")
    return save(doc, path)


BUILDERS = {
    "notice_coop.docx": build_coop,
    "notice_base.docx": build_base,
    "forwarding_notice.docx": build_forwarding,
    "base_plan_outline.docx": build_outline,
}


def build(out_dir: Path) -> list[Path]:
    """Write the four notice templates into out_dir."""
    return [fn(Path(out_dir) / name) for name, fn in BUILDERS.items()]
