"""海智计划基地申报表 written directly with python-docx in four layout families."""

from __future__ import annotations

import random
from typing import Any

import docx

from haizhi.pipeline.core.fields import BASE_TYPES

from .choices_render import Ticker
from .coop import _v, broken, half
from .ooxml import add_lines, base_font, page_break, sdt_block, sdt_run, set_cell

TITLE = "中国科协海智计划基地申报表"
PAIRS = [("base_name", "基地名称"), ("base_type", "基地类型"), ("address", "基地地址"), ("established_on", "成立时间"),
         ("head_name", "负责人姓名"), ("head_phone", "负责人电话"), ("contact_name", "联系人姓名"),
         ("contact_phone", "联系人电话"), ("contact_mobile", "联系人手机"), ("email", "电子信箱"),
         ("service_area", "服务场所面积（平方米）"), ("office_area", "办公场所面积（平方米）"),
         ("staff_total", "工作人员总数（人）"), ("staff_fulltime", "专职工作人员数量（人）"),
         ("work_funds", "年度专项工作经费（万元）"), ("support_funds", "年度人才或项目支持奖励经费（万元）"),
         ("overseas_talents", "现有海外科技人才数量（人）"), ("linked_talents", "长期联系海外人才数量（人）"),
         ("overseas_partners", "海外合作机构或合作伙伴数量（个）"), ("overseas_stations", "设立海外工作站点数量（个）"),
         ("resident_companies", "入驻企业数量（家）"), ("resident_rd_institutions", "入驻新型研发机构数量（家）")]
SECTIONS = [("foundation", "二、工作基础", "（请简述基地区位条件、人才状况、经济基础、重点产业等，1500字以内。）"),
            ("purpose", "三、设立目的及具备的优势", "（请简述基地设立的目的及所具备的优势条件，800字以内。）"),
            ("goals", "四、预期目标", "（请简述基地未来3年建设的预期目标，包括定性目标和定量目标。）"),
            ("policies", "五、支持政策与条件保障", "（请简述地方政府出台的相关支持政策及条件保障情况。）")]
OPINIONS = [("applicant_opinion", "申报单位意见"), ("city_opinion", "所在地市科协意见"), ("provincial_opinion", "省级科协意见")]
SIGN = "负责人（签字）：{gap}（单位公章）"
DATE = "{gap}年　　月　　日"


def _cover(doc, t: dict[str, Any], rng: random.Random, two_on_line: bool) -> None:  # noqa: ANN001
    doc.add_paragraph(TITLE)
    doc.add_paragraph("（2025年）")
    colon = rng.choice(["：", ":"])
    if two_on_line:  # 基地名称：…    基地类型：… on one line
        doc.add_paragraph(f"基地名称{colon}{t['base_name']}{rng.choice(['    ', chr(9), chr(12288) * 2])}"
                          f"基地类型{colon}{t['base_type']}")
    else:
        doc.add_paragraph(f"基地名称{colon}{t['base_name']}")
        doc.add_paragraph(f"基地类型{colon}{t['base_type']}")
    doc.add_paragraph(f"申报单位{colon}{t['applicant']}")
    page_break(doc)


def _sections_paragraphs(doc, t: dict[str, Any], rng: random.Random) -> None:  # noqa: ANN001
    for k, head, note in SECTIONS:
        doc.add_paragraph(head)
        if rng.random() < 0.7:
            doc.add_paragraph(note)
        add_lines(doc, t[k])


def _promise(doc, rng: random.Random) -> None:  # noqa: ANN001
    doc.add_paragraph("六、申报单位负责人承诺")
    doc.add_paragraph("本人已认真填写、检查申报材料，保证内容真实、准确、有效。")
    doc.add_paragraph("基地负责人（签字）：" + "\u3000" * 8)
    doc.add_paragraph("年　　月　　日")
    doc.add_paragraph("七、其他材料")
    doc.add_paragraph("（请另附页）")
    add_lines(doc, "1. 地方政府支持函；\n2. 海智计划基地建设方案；\n3. 人员、经费、办公条件等相关证明材料。")


def _opinions(doc, t: dict[str, Any], rng: random.Random, shape: str) -> None:  # noqa: ANN001
    """八、单位意见: all in one cell, label|cell rows with a sign row, or paragraphs under the heading."""
    doc.add_paragraph("八、单位意见")
    gap = rng.choice(["\u3000" * 6, "        ", "\t\t"])
    if shape == "paragraphs":
        for k, label in OPINIONS:
            doc.add_paragraph(f"{label}{rng.choice(['：', ':', ''])}")
            if t[k]:
                doc.add_paragraph(t[k])
            if k == "applicant_opinion":
                doc.add_paragraph("单位名称：")
            doc.add_paragraph(SIGN.format(gap=gap))
            doc.add_paragraph(DATE.format(gap=gap))
        return
    tab = doc.add_table(rows=0, cols=2)
    tab.style = "Table Grid"
    for k, label in OPINIONS:
        if shape == "one_cell":
            cells = tab.add_row().cells
            set_cell(cells[0], label)
            body = ([t[k]] if t[k] else ["", ""]) + [SIGN.format(gap=gap), DATE.format(gap=gap)]
            set_cell(cells[1], "\n".join(body))
        else:  # opinion row, then a row for the signature under it (label merged down)
            a = tab.add_row().cells
            b = tab.add_row().cells
            set_cell(a[1], t[k] or "")
            set_cell(b[1], SIGN.format(gap=gap) + "\n" + DATE.format(gap=gap))
            set_cell(a[0].merge(b[0]), label)


def _info_table(doc, t: dict[str, Any], w: dict[str, str], rng: random.Random, *, cols: int, sdt: bool,  # noqa: ANN001
                hp: bool, broke: bool) -> None:
    doc.add_paragraph("一、基本信息")
    per = cols // 2
    tab = doc.add_table(rows=0, cols=cols)
    tab.style = "Table Grid"
    tk = Ticker(rng, "w14")
    for i in range(0, len(PAIRS), per):
        cells = tab.add_row().cells
        for j, (k, label) in enumerate(PAIRS[i:i + per]):
            lab = half(label) if hp else label
            set_cell(cells[2 * j], broken(lab, rng) if broke else lab)
            c = cells[2 * j + 1]
            if k == "base_type" and sdt:
                tk.options(c, BASE_TYPES, [t["base_type"]], per_line=1)
            elif sdt:
                c.text = ""
                sdt_run(c.paragraphs[0], _v(t, w, k), k)
            else:
                set_cell(c, _v(t, w, k))


def build(t: dict[str, Any], w: dict[str, str], rng: random.Random, family: str, *,
          shape: str | None = None, split_key: str | None = "random") -> docx.Document:
    """``shape`` of 八、单位意见: one_cell / rows / paragraphs; ``split_key`` (wps): the section whose
    rest goes into a label-less table on the next page."""
    doc = docx.Document()
    base_font(doc)
    shape = rng.choice(["one_cell", "rows", "paragraphs"]) if shape is None else shape
    _cover(doc, t, rng, two_on_line=family == "wps" or rng.random() < 0.3)
    doc.add_paragraph(TITLE)
    if family == "sample":
        _info_table(doc, t, w, rng, cols=4, sdt=False, hp=False, broke=False)
        _sections_paragraphs(doc, t, rng)
    elif family == "wps":
        _info_table(doc, t, w, rng, cols=2, sdt=False, hp=rng.random() < 0.6, broke=True)
        tab = doc.add_table(rows=0, cols=2)
        tab.style = "Table Grid"
        if split_key == "random":
            split_key = rng.choice(["foundation", "policies", None])
        for k, head, _note in SECTIONS:
            cells = tab.add_row().cells
            set_cell(cells[0], head)
            text = t[k]
            if k == split_key:  # rest in a new label-less table on the next page
                cut = len(text) // 2
                set_cell(cells[1], text[:cut])
                page_break(doc)
                tab = doc.add_table(rows=1, cols=2)
                tab.style = "Table Grid"
                set_cell(tab.cell(0, 1), text[cut:])
                continue
            set_cell(cells[1], text)
    elif family == "sdt":
        _info_table(doc, t, w, rng, cols=4, sdt=True, hp=False, broke=False)
        tab = doc.add_table(rows=0, cols=1)
        tab.style = "Table Grid"
        for k, head, note in SECTIONS:
            set_cell(tab.add_row().cells[0], head + "\n" + note)
            sdt_block(tab.add_row().cells[0], t[k], k)
    else:
        raise ValueError(family)
    _promise(doc, rng)
    _opinions(doc, t, rng, shape)
    return doc
