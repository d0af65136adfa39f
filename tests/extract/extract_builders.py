"""Build returned forms the way applicants type them (not from the project's templates)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

W14_NS = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'


def new_doc() -> docx.document.Document:
    return docx.Document()


def set_cell(cell, text: str) -> None:
    """Text with \\n as separate paragraphs (how Word stores Enter)."""
    parts = text.split("\n")
    cell.text = parts[0]
    for p in parts[1:]:
        cell.add_paragraph(p)


def add_rows(doc, rows: Sequence[Sequence[str | None]], merges: Sequence[tuple[int, int, int, int]] = ()):
    """A table from rows of texts (None = part of a merge); merges are (r0, c0, r1, c1)."""
    ncols = max(len(r) for r in rows)
    t = doc.add_table(rows=len(rows), cols=ncols)
    t.style = "Table Grid"
    for (r0, c0, r1, c1) in merges:
        t.cell(r0, c0).merge(t.cell(r1, c1))
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            if text is not None:
                set_cell(t.cell(i, j), text)
    return t


def sdt_checkbox(paragraph, checked: bool, label: str) -> None:
    """A Word 2010 checkbox content control, then its option text."""
    glyph = "☒" if checked else "☐"
    xml = (f'<w:sdt {nsdecls("w")} {W14_NS}><w:sdtPr><w14:checkbox>'
           f'<w14:checked w14:val="{1 if checked else 0}"/>'
           '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
           '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
           f'<w:sdtContent><w:r><w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>')
    paragraph._p.append(parse_xml(xml))
    paragraph.add_run(label + "  ")


def legacy_checkbox(paragraph, checked: bool, label: str) -> None:
    """A legacy FORMCHECKBOX field (Word 97-2003 form), then its option text."""
    state = "<w:checked/>" if checked else '<w:checked w:val="0"/>'
    for xml in (
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check1"/><w:enabled/>'
        f'<w:calcOnExit w:val="0"/><w:checkBox><w:sizeAuto/><w:default w:val="0"/>{state}</w:checkBox>'
        '</w:ffData></w:fldChar></w:r>',
        f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>',
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph._p.append(parse_xml(xml))
    paragraph.add_run(label + "  ")


def dropdown(paragraph, value: str) -> None:
    """A drop-down list content control showing its chosen item."""
    xml = (f'<w:sdt {nsdecls("w")}><w:sdtPr><w:dropDownList><w:listItem w:displayText="中国" w:value="中国"/>'
           '<w:listItem w:displayText="美国" w:value="美国"/></w:dropDownList></w:sdtPr>'
           f'<w:sdtContent><w:r><w:t>{value}</w:t></w:r></w:sdtContent></w:sdt>')
    paragraph._p.append(parse_xml(xml))


def page_break(doc) -> None:
    from docx.enum.text import WD_BREAK

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def retyped_coop(doc, title: bool = True) -> None:
    """The coop form re-typed in a two-column table: broken labels, half-width brackets, merged groups."""
    if title:
        doc.add_paragraph("推荐中国科协海智计划合作机构信息表")
    rows = [
        ["一、候选合作机构基本情况", None, None, None, None],
        ["机构名称\n(中文)", "深圳湾海创国际人才服务有限公司", None, None, None],
        ["机构名称\n(英文)", "Shenzhen Bay Overseas Talent Services Co., Ltd.", None, None, None],
        ["统一社会\n信用代码\n(境外注册机构填写注册号)", "91440300MA5FXT3K4L", None, None, None],
        ["注册地是否在境外", "□是   ☑否", None, None, None],
        ["注册国家", "中国", None, None, None],
        ["注册地址：", "广东省深圳市南山区粤海街道科技南十二路18号", None, None, None],
        ["联系地址", "广东省深圳市南山区科技园南区创新大厦A座1203室", None, None, None],
        ["注册时间", "2015.6.18", None, None, None],
        ["注册资金(万元)", "1,200万元", None, None, None],
        ["法  定\n代表人", "陈立平", None, None, None],
        ["机构负责人", "姓 名", "陈立平", "职 务", "总经理"],
        [None, "手 机", "13812345678", "电子邮箱", "chenlp@szbay-talent.cn"],
        ["机构联系人", "姓名", "刘晓燕", "职务", "国际合作部主任"],
        [None, "手机", "13987654321", "电子邮箱", "liuxy@szbay-talent.cn"],
        ["机构场地", "总面积\n（平方米）", "1500", None, None],
        [None, "自有面积（平方米）", "500㎡", "租用面积（平方米）", "1000"],
        ["人员情况", "员工人数", "46人", None, None],
        [None, "有海外背景员工数", "12", "硕士及以上学历员工数", "20"],
        ["机构类型\n（可多选）", "☑荐才机构（发现并推荐引进具有来华发展意愿的海外科技人才的机构）\n"
         "☑平台机构（为海外科技人才来华发展提供各类助推服务）\n□用才机构（为引进的海外科技人才提供工作岗位）",
         None, None, None],
        ["机构属性", "□社会组织   □高校及科研机构   ■孵化器、服务平台\n□投资机构   □企业\n"
         "□综合或其他                          （请注明）", None, None, None],
        ["可提供服务\n（可多选）", "□投融资    √创业服务  √创业孵化  □管理咨询服务  □财税金融\n"
         "□法律服务  ✓技术转移  ✔人才招聘  □知识产权\n☑其他  海外人才签证及落户咨询（请注明）", None, None, None],
        ["机构简介\n（不超500字）", "公司成立于2015年，专注于海外高层次人才引进与创新创业服务。\n"
         "在硅谷、伦敦设有联络点，累计服务海外人才逾800人。", None, None, None],
        ["法人证书、营业执照扫描件或正式注册证明", "（上传JPEG或PDF格式文件）", None, None, None],
        ["二、机构服务能力及业绩情况", None, None, None, None],
        ["1.获得专业服务资质情况（时间、授予单位和资格名称）",
         "1.2019年，广东省人力资源和社会保障厅授予人力资源服务许可证。", None, None, None],
        ["2.近两年开展业务情况（开展工作形式、业务服务对象、成效和亮点、典型案例等，不超600字）",
         "近两年举办海外人才对接活动32场，引进海外科技人才团队41个，落地项目18个。", None, None, None],
        ["3.获得奖项及表彰情况（时间、颁发机构和奖项名称）",
         "2022年，深圳市南山区人民政府授予“优秀人才服务机构”称号。", None, None, None],
        ["三、承诺书", None, None, None, None],
        ["被推荐机构近三年内无违法或不良信用记录。\n推荐单位：广东省科学技术协会            被推荐机构：深圳湾海创国际人才服务有限公司\n"
         "负责人签字：          （公章）             负责人签字：           （公章）", None, None, None, None],
    ]
    merges = [(0, 0, 0, 4), (11, 0, 12, 0), (13, 0, 14, 0), (15, 0, 16, 0), (17, 0, 18, 0), (24, 0, 24, 4),
              (28, 0, 28, 4), (29, 0, 29, 4)]
    merges += [(i, 1, i, 4) for i in range(1, 11)] + [(i, 1, i, 4) for i in range(19, 24)]
    merges += [(i, 1, i, 4) for i in range(25, 28)] + [(15, 2, 15, 4), (17, 2, 17, 4)]
    add_rows(doc, rows, merges)


def save(doc, path: Path) -> Path:
    doc.save(str(path))
    return path


def retyped_base(doc, cover: bool = True, split: bool = False) -> None:
    """The base form re-typed: cover lines, a four-column table (optionally split in two), sections as paragraphs."""
    if cover:
        doc.add_paragraph("中国科协海智计划基地申报表")
        doc.add_paragraph("（2023年）")
        doc.add_paragraph("基地名称：中国科协海智工作基地（佛山市顺德区）")
        doc.add_paragraph("基地类型：中国科协海智工作基地")
        doc.add_paragraph("申报单位：佛山市顺德区科学技术协会")
        page_break(doc)
    doc.add_paragraph("中国科协海智计划基地申报表")
    doc.add_paragraph("一、基本信息")
    rows = [
        ["基地名称", "中国科协海智工作基地（佛山市顺德区）", "基地类型", "中国科协海智工作基地"],
        ["基地地址", "广东省佛山市顺德区大良街道德和路8号", "成立时间", "2018年3月1日"],
        ["负责人姓名", "黄志强", "负责人电话", "0757-22381234"],
        ["联系人姓名", "梁静", "联系人电话", "0757-22385678"],
        ["联系人手机", "13725896314", "电子信箱", "haizhi@sdkx.org.cn"],
        ["服务场所面积 (平方米)", "800", "办公场所面积 (平方米)", "260平方米"],
        ["工作人员总数(人)", "12人", "专职工作人员数\n量(人)", "6"],
        ["年度专项工作\n经费(万元)", "150", "年度人才或项目\n支持奖励经费\n(万元)", "300万元"],
        ["现有海外科技人才\n数量(人)", "85", "长期联系海外人\n才数量(人)", "160"],
        ["海外合作机构或\n合作伙伴数量(个)", "14", "设立海外工作站\n点数量(个)", "3个"],
        ["入驻企业数量(家)", "42", "入驻新型研发\n机构数量(家)", "6家"],
    ]
    if split:
        add_rows(doc, rows[:5])
        page_break(doc)
        add_rows(doc, rows[5:])
    else:
        add_rows(doc, rows)
    for head, hint, body in [
        ("二、工作基础", "（请简述基地区位条件、人才状况、经济基础、重点产业、市场主体情况，创新资源汇聚、工作机制建设等，1000字以内。）",
         "顺德区地处粤港澳大湾区核心地带，制造业基础雄厚。\n已建成海外人才服务中心，联系海外科技人才160人。"),
        ("三、设立目的及具备的优势", "（请简述基地设立的目的，能够对地方产生的潜在影响及所具备的优势条件，600字以内。）",
         "搭建海外科技人才来顺德创新创业的服务平台，推动家电、机器人产业升级。"),
        ("四、预期目标", "(请简述基地未来3年建设的预期目标，包括定性目标和定量目标。400字以内。)",
         "未来3年新增联系海外科技人才200人，落地海外人才项目30个。"),
        ("五、支持政策与条件保障", "(请简述基地所在地地方政府出台的相关支持政策及条件保障情况，1000字以内。)",
         "顺德区出台《顺德区海外人才引进若干措施》，每年安排专项资金1000万元。"),
    ]:
        doc.add_paragraph(head)
        doc.add_paragraph(hint)
        for para in body.split("\n"):
            doc.add_paragraph(para)
    doc.add_paragraph("六、申报单位负责人承诺")
    doc.add_paragraph("本人已认真填写、检查申报材料，保证内容真实、准确、有效。")
    doc.add_paragraph("基地负责人（签字）：")
    doc.add_paragraph("八、单位意见")
    add_rows(doc, [
        ["申报单位意见", "同意申报。\n单位名称：佛山市顺德区科学技术协会\n负责人（签字）：      （单位公章）\n年   月   日"],
        ["所在地市科协意见", "同意推荐。\n负责人（签字）：      （单位公章）\n2023年9月1日"],
        ["省级科协意见", "同意推荐。\n负责人（签字）：      （单位公章）\n年   月   日"],
    ])
