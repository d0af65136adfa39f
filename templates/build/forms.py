"""Build the form templates: coop_institution.docx and base_application.docx.

The wording follows the 2023 seeds (shared/seeds/000…, 001…); labels come from
pipeline/core/fields.py; numbers that change by year (text limits, deadline) are
tags into the year config. Blank forms print the seed's placeholders
(`blank` is true); pre-filled forms print values through the render filters.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx.enum.table import WD_ALIGN_VERTICAL
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from haizhi.pipeline.core.fields import (
    BASE_FORM,
    COOP_FORM,
    INSTITUTION_NATURES,
    INSTITUTION_TYPE_NOTES,
    SERVICES,
)
from haizhi.templates.build import gbt
from haizhi.templates.build.review_docs import (
    TABLE_STYLE,
    LineSpec,
    RunSpec,
    block,
    ensure_table_style,
    fix_widths,
    hide_borders,
    keep_rows,
    label,
    new_table,
    row_height,
    save,
    span,
    tag,
    title,
    value,
    write,
)

# --- value tags ----------------------------------------------------------------

def val(key: str) -> str:
    """The tag printing one field by its type."""
    spec = next((f for form in (COOP_FORM, BASE_FORM) if key in form.by_key for f in [form.by_key[key]]), None)
    assert spec is not None, key
    flt = {"date": "cn_date", "number": "num", "int": "num", "bool": "yn"}.get(spec.type, "t")
    return tag(f"r.{key}|{flt}")


def long_val(key: str) -> str:
    return tag(f"r.{key}|ml")


def blank_or(placeholder: str, expr: str) -> str:
    """Seed placeholder on the blank form, the value tag on a pre-filled one."""
    return block("if blank") + placeholder + block("else") + expr + block("endif")


def boxes(key: str, options: Sequence[str], notes: dict[str, str] | None = None) -> list[str]:
    notes = notes or {}
    return [tag(f"r.{key}|box('{o}')") + o + (f"（{notes[o]}）" if o in notes else "") for o in options]


def other_line(choice_key: str, option: str, text_key: str) -> list[RunSpec]:
    """'□其他 ____（请注明）' with the 其他 text on the line."""
    return [tag(f"r.{choice_key}|box('{option}')") + option, ("   " + tag(f"r.{text_key}|t") + "   ", {"u": True}),
            "（请注明）"]


# --- 推荐中国科协海智计划合作机构信息表 ------------------------------------------

# Column edges (mm from the left of the 156 mm table). Rows take spans between edges, so each kind of
# row gets the widths its values need on one line at 小四 (cell margins 2 × 1.2 mm): an 11-digit mobile
# (24 mm) in 30 mm, a 30-character e-mail (about 64 mm) in 70 mm, a full date 2019年12月31日 (35 mm: the
# glyphs plus the quarter-em spaces LibreOffice and Word put between Chinese and digits) in 42 mm.
# Edges stay at least 6 mm apart: the scan reader finds cells by their ruling lines, and a sliver
# column between two nearby edges would merge cells across rows.
COOP_EDGES = (0, 24, 30, 36, 60, 66, 86, 108, 116, 132, 156)
COOP_WIDTHS = tuple(b - a for a, b in zip(COOP_EDGES, COOP_EDGES[1:], strict=False))
LABEL, WIDE = 30, 60  # right edge of the label of a single row, and of a wide one
ROW8 = (0, 24, 66, 86, 108, 132, 156)  # 注册时间 | date | 注册资金 | value | 法定代表人 | value
PERSON = (0, 24, 36, 66, 86, 156)  # 机构负责人 | 姓名/手机 | value | 职务/电子邮箱 | value
PAIRS = (0, 30, 60, 86, 116, 156)  # 机构场地/人员情况 | label | value | label | value
SIGN_ROW = (0, 30, 86, 132, 156)  # 推荐单位： | value | 被推荐机构： | (blank)
COOP_QUALI = "1.获得专业服务资质情况（时间、授予单位和资格名称）"
COOP_QUALI_EXAMPLE = "例：1.2019年,中国外国专家局授予中国国家外专局指定海外培训机构资格证书。"
COOP_WORK = "2.近两年开展业务情况（开展工作形式、业务服务对象、成效和亮点、典型案例等，不超{n}字）"
COOP_AWARDS = "3.获得奖项及表彰情况（时间、颁发机构和奖项名称）"
COOP_PROMISE = ("被推荐机构近三年内无违法或不良信用记录。", "表中填报及提交的材料内容真实可靠。",
                "如以上承诺虚假，愿为此承担法律责任。")
COOP_NOTES = ("注：1.此表仅作为样例供参考，填报信息工作在“智慧科协”2.0国际域海智计划云平台进行。",
              "2.除机构名称、地址、负责人及联系人姓名根据实际情况填写外，表格内其他部分内容请以中文填写。")


def _lab(key: str) -> str:
    return COOP_FORM.field(key).label


def build_coop(path: Path) -> None:
    doc = gbt.new_document()
    ensure_table_style(doc)
    title(doc, COOP_FORM.title)
    t = new_table(doc, COOP_WIDTHS, 30)
    last = len(COOP_WIDTHS) - 1

    def at(row: int, a: float, b: float, row_end: int | None = None):
        """The cell spanning the columns between edges a and b (mm)."""
        return span(t, row, COOP_EDGES.index(a), COOP_EDGES.index(b) - 1, row_end=row_end)

    def header(row: int, text: str) -> None:
        cell = span(t, row, 0, last)
        write(cell, [text], font=gbt.FONT_HEI, size=gbt.SIZE["小四"])
        cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
        keep_rows(t, [row], with_next=True)

    def single(row: int, text: str, lines: Sequence[LineSpec], wide: bool = False) -> None:
        edge = WIDE if wide else LABEL
        label(at(row, 0, edge), text)
        value(at(row, edge, 156), lines)

    def pair_row(row: int, a: str, b: str, edges: Sequence[float]) -> None:
        label(at(row, edges[1], edges[2]), _lab(a))
        value(at(row, edges[2], edges[3]), [val(a)])
        label(at(row, edges[3], edges[4]), _lab(b))
        value(at(row, edges[4], edges[5]), [val(b)])

    for row in range(1, 17):
        row_height(t, row, 9)
    header(0, "一、候选合作机构基本情况")
    single(1, _lab("name_cn"), [val("name_cn")])
    single(2, _lab("name_en"), [val("name_en")])
    single(3, _lab("credit_code"), [val("credit_code")])
    single(4, _lab("overseas"), [blank_or("是或否", val("overseas"))])
    single(5, _lab("country"), [blank_or("下拉菜单", val("country"))])
    single(6, _lab("registered_address"), [val("registered_address")])
    single(7, _lab("contact_address"), [val("contact_address")])
    for i, key in enumerate(("registered_on", "registered_capital", "legal_representative")):
        label(at(8, ROW8[2 * i], ROW8[2 * i + 1]), _lab(key))
        value(at(8, ROW8[2 * i + 1], ROW8[2 * i + 2]), [val(key)])
    for row, group, keys in ((9, "机构负责人", "head"), (11, "机构联系人", "contact")):
        label(at(row, 0, PERSON[1], row_end=row + 1), group)
        pair_row(row, f"{keys}_name", f"{keys}_title", PERSON)
        pair_row(row + 1, f"{keys}_mobile", f"{keys}_email", PERSON)
    for row, group, (k1, k2, k3) in ((13, "机构场地", ("area_total", "area_owned", "area_rented")),
                                     (15, "人员情况", ("staff_total", "staff_overseas", "staff_postgrad"))):
        label(at(row, 0, PAIRS[1], row_end=row + 1), group)
        label(at(row, PAIRS[1], PAIRS[2]), _lab(k1))
        value(at(row, PAIRS[2], 156), [val(k1)])
        pair_row(row + 1, k2, k3, PAIRS)
    single(17, _lab("institution_types"), boxes("institution_types", COOP_FORM.field("institution_types").options,
                                                 INSTITUTION_TYPE_NOTES))
    nat = boxes("institution_nature", INSTITUTION_NATURES)
    single(18, _lab("institution_nature"),
           ["   ".join(nat[:3]), "   ".join(nat[3:5]),
            other_line("institution_nature", INSTITUTION_NATURES[5], "institution_nature_other")])
    svc = boxes("services", SERVICES)
    single(19, _lab("services"), ["  ".join(svc[:5]), "  ".join(svc[5:9]),
                                  other_line("services", SERVICES[9], "services_other")])
    single(20, "机构简介（不超" + tag("cfg.coop.profile_max_chars") + "字）",
           [blank_or("（运营方向、发展历史等）", long_val("profile"))])
    single(21, "法人证书、营业执照扫描件或正式注册证明", ["（上传JPEG或PDF格式文件）"])
    header(22, "二、机构服务能力及业绩情况")
    single(23, COOP_QUALI, [blank_or(COOP_QUALI_EXAMPLE, long_val("qualifications"))], wide=True)
    single(24, COOP_WORK.format(n=tag("cfg.coop.recent_work_max_chars")), [long_val("recent_work")], wide=True)
    single(25, COOP_AWARDS, [long_val("awards")], wide=True)
    for row, mm in ((20, 40), (23, 25), (24, 45), (25, 25)):
        row_height(t, row, mm)
        t.rows[row].cells[-1].vertical_alignment = WD_ALIGN_VERTICAL.TOP  # long texts start at the top
    header(26, "三、承诺书")
    promise = span(t, 27, 0, last)
    write(promise, ["", *COOP_PROMISE], align=None)
    for p in promise.paragraphs[1:]:
        gbt._first_line_chars(p, 2, gbt.SIZE["小四"])
    # signature block: label and value in their own cells, inner borders hidden
    label(at(28, SIGN_ROW[0], SIGN_ROW[1]), "推荐单位：")
    value(at(28, SIGN_ROW[1], SIGN_ROW[2]), [val("recommender")])
    label(at(28, SIGN_ROW[2], SIGN_ROW[3]), "被推荐机构：")
    write(at(29, SIGN_ROW[0], SIGN_ROW[2]), ["负责人签字：          （公章）"], align="center")
    write(at(29, SIGN_ROW[2], SIGN_ROW[4]), ["负责人签字：          （公章）"], align="center")
    row_height(t, 28, 14)
    row_height(t, 29, 22)
    keep_rows(t, [27, 28], with_next=True)
    keep_rows(t, [r for r in range(1, 30) if r not in (22, 26, 27, 28)])
    hide_borders(promise, ("bottom",))
    for row in (28, 29):
        cells = [c for i, c in enumerate(t.rows[row].cells) if i == 0 or c._tc is not t.rows[row].cells[i - 1]._tc]
        for i, cell in enumerate(cells):
            sides = ["top"] + (["bottom"] if row == 28 else [])
            sides += (["left"] if i else []) + (["right"] if i < len(cells) - 1 else [])
            hide_borders(cell, sides)
    fix_widths(t)
    for line in COOP_NOTES:
        par = doc.add_paragraph(style=TABLE_STYLE)
        par.add_run(line)
        if line.startswith("注"):
            par.paragraph_format.space_before = Pt(6)
        else:
            par.paragraph_format.left_indent = Pt(2 * gbt.SIZE["小四"])
    save(doc, path)


# --- 中国科协海智计划基地申报表 -------------------------------------------------

BASE_INFO_ROWS = (  # (key, label as the seed prints it) × 2 per row
    (("base_name", "基地名称"), ("base_type", "基地类型")),
    (("address", "基地地址"), ("established_on", "成立时间")),
    (("head_name", "负责人姓名"), ("head_phone", "负责人电话")),
    (("contact_name", "联系人姓名"), ("contact_phone", "联系人电话")),
    (("contact_mobile", "联系人手机"), ("email", "电子信箱")),
    (("service_area", "服务场所面积(平方米)"), ("office_area", "办公场所面积(平方米)")),
    (("staff_total", "工作人员总数(人)"), ("staff_fulltime", "专职工作人员数量(人)")),
    (("work_funds", "年度专项工作经费(万元)"), ("support_funds", "年度人才或项目支持奖励经费(万元)")),
    (("overseas_talents", "现有海外科技人才数量(人)"), ("linked_talents", "长期联系海外人才数量(人)")),
    (("overseas_partners", "海外合作机构或合作伙伴数量(个)"), ("overseas_stations", "设立海外工作站点数量(个)")),
    (("resident_companies", "入驻企业数量(家)"), ("resident_rd_institutions", "入驻新型研发机构数量(家)")),
)
# 基本信息 table: label | value | label | value; the 手机 / 电子信箱 row gives the e-mail 70 mm (a 30-character
# address on one line) and the mobile 30 mm. Edges at least 6 mm apart (see COOP_EDGES).
BASE_EDGES = (0, 36, 66, 78, 86, 114, 156)
BASE_PAIRS = (0, 36, 78, 114, 156)
BASE_EMAIL_ROW = (0, 36, 66, 86, 156)
BASE_GUIDE = (
    "一、“基地名称”请按照“中国科协海智工作基地（城市或园区名）”、“国家海外人才离岸创新创业基地（城市或园区名）”、"
    "“海智国际研发社区（城市或园区名）”的格式填写。",
    "二、“基地类型”应从“中国科协海智工作基地”、“国家海外人才离岸创新创业基地”、“海智国际研发社区”三种类型中选择一种类型填写。",
    "三、“年度专项工作经费”指每年为基地运营管理所设的工作经费，“年度人才或项目支持奖励经费”指每年用于人才、项目的专项支持或奖励经费，"
    "两者互不包含；表中所涉及经费（或资金）均折算为人民币。",
    "四、各项情况须如实填报，若无该项内容可直接填“无”。",
    "五、请各省级科协于" + tag("cfg.base.deadline|cn_date") + "前，将所有材料电子版（签字盖章的PDF版本，以及可编辑的Word或WPS版本）"
    "通过“智慧科协”2.0国际域海智基地及合作机构管理业务平台报中国科协。纸质材料一式一份（装订成一本，支持函可单附），"
    "签字盖章后寄至" + tag("cfg.base.contact_org") + "。",
)
BASE_SECTIONS = (  # key, instruction, min height of the writing area (mm)
    ("foundation", "（请简述基地区位条件、人才状况、经济基础、重点产业、市场主体情况，创新资源汇聚、工作机制建设等，"
     + tag("cfg.base.foundation_max_chars") + "字以内。）", 70),
    ("purpose", "（请简述基地设立的目的，能够对地方产生的潜在影响及所具备的优势条件，"
     + tag("cfg.base.purpose_max_chars") + "字以内。）", 55),
    ("goals", "(请简述基地未来" + tag("cfg.base.goal_years") + "年建设的预期目标，包括定性目标和定量目标。"
     + tag("cfg.base.goals_max_chars") + "字以内。)", 45),
    ("policies", "(请简述基地所在地地方政府出台的相关支持政策及条件保障情况，"
     + tag("cfg.base.policies_max_chars") + "字以内。)", 70),
)
BASE_PROMISE = "本人已认真填写、检查申报材料，保证内容真实、准确、有效。不违反国家安全和保密的相关规定，知识产权清晰。"
BASE_OTHER = (
    "1. 地方政府支持函；", "2. 海智计划基地建设方案（提纲见附件）；", "3. 人员、经费、办公条件、预算等相关证明材料；",
    "4. 联系的海外团体、专家情况简介；",
    "5. 离岸基地提供不少于" + tag("cfg.base.thresholds['离岸基地'].partner_proofs") + "家与境外的海智合作机构合作的证明材料；",
    "6. 地方党委、政府专项支持或配套政策文件。",
)
SIGN = "负责人（签字）：            （单位公章）"
DATE_LINE = "年\u3000\u3000月\u3000\u3000日\u3000\u3000"  # ideographic spaces survive right alignment


def _cover(doc) -> None:
    for _ in range(2):
        doc.add_paragraph()
    title(doc, BASE_FORM.title, size=gbt.SIZE["一号"], space_after=6)
    gbt.add_par(doc, "(" + tag("year") + "年)", align="center")
    for _ in range(2):
        doc.add_paragraph()
    t = new_table(doc, (36, 100), 3, borders=False)
    for row, key in enumerate(("base_name", "base_type", "applicant")):
        write(t.cell(row, 0), [BASE_FORM.field(key).label + ":"], align="distribute", style="Normal")
        write(t.cell(row, 1), [val(key)], align="center", style="Normal")
        hide_borders(t.cell(row, 0), ("bottom",))
        bottom = t.cell(row, 1)._tc.get_or_add_tcPr()
        b = OxmlElement("w:tcBorders")
        el = OxmlElement("w:bottom")
        for k, v in (("val", "single"), ("sz", "6"), ("color", "000000")):
            el.set(qn(f"w:{k}"), v)
        b.append(el)
        bottom.append(b)
        row_height(t, row, 14)
        t.cell(row, 1).vertical_alignment = WD_ALIGN_VERTICAL.BOTTOM
    fix_widths(t)
    for _ in range(5):
        doc.add_paragraph()
    gbt.add_par(doc, tag("cfg.issuer.department"), align="center")
    gbt.add_par(doc, tag("year") + "年制", align="center")
    gbt.page_break(doc)


def build_base(path: Path) -> None:
    doc = gbt.new_document()
    ensure_table_style(doc)
    _cover(doc)
    par = gbt.add_par(doc, "填 表 说 明", align="center")
    gbt.set_font(par.runs[0], gbt.FONT_HEI, gbt.SIZE["二号"])
    par.paragraph_format.space_after = Pt(12)
    for line in BASE_GUIDE:
        gbt.add_par(doc, line, style="GB正文")
    gbt.page_break(doc)

    title(doc, BASE_FORM.title)
    gbt.add_par(doc, "一、基本信息", style="GB一级")
    info = new_table(doc, [b - a for a, b in zip(BASE_EDGES, BASE_EDGES[1:], strict=False)], len(BASE_INFO_ROWS))
    for row, pairs in enumerate(BASE_INFO_ROWS):
        edges = BASE_EMAIL_ROW if pairs[1][0] == "email" else BASE_PAIRS
        for i, (key, text) in enumerate(pairs):
            cells = [span(info, row, BASE_EDGES.index(a), BASE_EDGES.index(b) - 1)
                     for a, b in zip(edges[2 * i:2 * i + 2], edges[2 * i + 1:2 * i + 3], strict=True)]
            label(cells[0], text)
            value(cells[1], [val(key)])
        row_height(info, row, 12)
    keep_rows(info, range(len(BASE_INFO_ROWS)))
    fix_widths(info)
    gbt.page_break(doc)

    n_rows = 2 * (len(BASE_SECTIONS) + 2) + 4
    t = new_table(doc, (36, 120), n_rows)
    row = 0

    def heading(text: str, extra: Sequence[str] = ()) -> None:
        nonlocal row
        cell = span(t, row, 0, 1)
        write(cell, [text], font=gbt.FONT_HEI, size=gbt.SIZE["四号"])
        if extra:
            write(cell, extra)
        for p in cell.paragraphs:
            p.paragraph_format.keep_with_next = True
        t.rows[row]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        row += 1

    for key, guide, mm in BASE_SECTIONS:
        heading(BASE_FORM.field(key).label, [guide])
        cell = span(t, row, 0, 1)
        write(cell, [long_val(key)])
        cell.vertical_alignment = WD_ALIGN_VERTICAL.TOP
        row_height(t, row, mm)
        row += 1
    heading("六、申报单位负责人承诺")
    cell = span(t, row, 0, 1)
    write(cell, [BASE_PROMISE])
    gbt._first_line_chars(cell.paragraphs[0], 2, gbt.SIZE["小四"])
    write(cell, ["", "基地负责人（签字）：" + "\u3000" * 8, DATE_LINE], align="right")
    row += 1
    heading("七、其他材料")
    write(span(t, row, 0, 1), ["（请另附页）", *BASE_OTHER])
    row += 1
    heading("八、单位意见")
    for key, first in (("applicant_opinion", "单位名称："), ("city_opinion", None), ("provincial_opinion", None)):
        label(t.cell(row, 0), BASE_FORM.field(key).label)
        cell = t.cell(row, 1)
        write(cell, [long_val(key), ""])
        tail = ([first] if first else []) + [SIGN, DATE_LINE]
        write(cell, tail, align="right")
        if first:
            cell.paragraphs[-3].alignment = gbt.ALIGN["left"]
        row_height(t, row, 42)
        row += 1
    assert row == n_rows, (row, n_rows)
    fix_widths(t)
    save(doc, path)


def build(out_dir: Path) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "coop_institution.docx", out_dir / "base_application.docx"]
    build_coop(paths[0])
    build_base(paths[1])
    return paths


if __name__ == "__main__":
    for p in build(Path(__file__).resolve().parent.parent):
        print(p)
