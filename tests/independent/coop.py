"""合作机构信息表 written directly with python-docx in four layout families."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT

from haizhi.pipeline.core.fields import (
    INSTITUTION_NATURES,
    INSTITUTION_TYPE_NOTES,
    INSTITUTION_TYPES,
    SERVICES,
)

from .choices_render import Ticker
from .ooxml import add_lines, base_font, merge_down, page_break, sdt_block, sdt_run, set_cell

TITLE = "推荐中国科协海智计划合作机构信息表"
SIMPLE = [("name_cn", "机构名称（中文）"), ("name_en", "机构名称（英文）"),
          ("credit_code", "统一社会信用代码（境外注册机构填写注册号）"), ("overseas", "注册地是否在境外"),
          ("country", "注册国家"), ("registered_address", "注册地址"), ("contact_address", "联系地址")]
GROUPS = {"机构负责人": [("head_name", "姓名"), ("head_title", "职务"), ("head_mobile", "手机"), ("head_email", "电子邮箱")],
          "机构联系人": [("contact_name", "姓名"), ("contact_title", "职务"), ("contact_mobile", "手机"),
                    ("contact_email", "电子邮箱")],
          "机构场地": [("area_total", "总面积（平方米）"), ("area_owned", "自有面积（平方米）"), ("area_rented", "租用面积（平方米）")],
          "人员情况": [("staff_total", "员工人数"), ("staff_overseas", "有海外背景员工数"),
                   ("staff_postgrad", "硕士及以上学历员工数")]}
LONG = [("qualifications", "1.获得专业服务资质情况（时间、授予单位和资格名称）"),
        ("recent_work", "2.近两年开展业务情况（开展工作形式、业务服务对象、成效和亮点、典型案例等，不超1000字）"),
        ("awards", "3.获得奖项及表彰情况（时间、颁发机构和奖项名称）")]


def _v(t: dict[str, Any], w: dict[str, str], k: str) -> str:
    v = w.get(k)
    if v:
        return v
    return "" if t.get(k) is None else str(t[k])


def half(s: str) -> str:
    return s.replace("（", "(").replace("）", ")").replace("：", ":")


def broken(label: str, rng: random.Random) -> str | list[str]:
    """A re-typed label: spaced out (电 子 邮 箱), split over two lines, or over runs."""
    r = rng.random()
    if len(label) <= 4 and r < 0.5:
        return " ".join(label)
    if "（" in label or "(" in label:
        i = label.find("（") if "（" in label else label.find("(")
        return [label[:i], label[i:]] if r < 0.75 else label  # two lines
    return label


def _commit_lines(doc, t: dict[str, Any], rng: random.Random, sep: str) -> None:  # noqa: ANN001
    doc.add_paragraph("三、承诺书")
    add_lines(doc, "被推荐机构近三年内无违法或不良信用记录。\n表中填报及提交的材料内容真实可靠。\n如以上承诺虚假，愿为此承担法律责任。")
    colon = rng.choice(["：", ":"])
    doc.add_paragraph(f"推荐单位{colon}{t['recommender']}{sep}被推荐机构{colon}{t['name_cn']}")
    doc.add_paragraph(f"负责人签字{colon}{sep}（公章）{sep}负责人签字{colon}{sep}（公章）")
    doc.add_paragraph(f"{sep}年  月  日{sep}{sep}年  月  日")


def _choices(tk: Ticker, cells: dict[str, Any], t: dict[str, Any], rng: random.Random,
             tk2: Ticker | None = None) -> None:
    tk.options(cells["institution_types"], INSTITUTION_TYPES, t["institution_types"], per_line=1,
               notes=INSTITUTION_TYPE_NOTES if rng.random() < 0.6 else None)
    tk.options(cells["institution_nature"], INSTITUTION_NATURES, [t["institution_nature"]], per_line=rng.choice([3, 6]),
               other=("综合或其他", t["institution_nature_other"]))
    (tk2 or tk).options(cells["services"], SERVICES, t["services"], per_line=rng.choice([3, 5, 10]),
               other=("其他", t["services_other"]))


def _value(cell, text: str, sdt: bool, key: str, long: bool = False) -> None:  # noqa: ANN001
    if not sdt:
        set_cell(cell, text)
    elif long:
        sdt_block(cell, text, key)
    else:
        cell.text = ""
        sdt_run(cell.paragraphs[0], text, key)


def sample_like(t: dict[str, Any], w: dict[str, str], rng: random.Random, *, sdt: bool = False,
                split_long: bool = False) -> docx.Document:
    """Family (a) (and (c) with ``sdt``): the printed sample's grid, retyped; 6 columns."""
    doc = docx.Document()
    base_font(doc)
    doc.add_paragraph(TITLE).alignment = 1
    doc.add_paragraph("一、候选合作机构基本情况")
    rows = len(SIMPLE) + 1 + 8 + 4 + 2 + len(LONG) + 1
    tab = doc.add_table(rows=rows, cols=6)
    tab.style = "Table Grid"
    tab.alignment = WD_TABLE_ALIGNMENT.CENTER
    r = 0
    choice_cells: dict[str, Any] = {}
    tk = Ticker(rng, "w14" if sdt else "glyph")
    for k, label in SIMPLE:
        set_cell(tab.cell(r, 0), label)
        c = tab.cell(r, 1).merge(tab.cell(r, 5))
        if k == "overseas" and sdt:
            c.text = ""
            for opt, val in (("是", True), ("否", False)):
                tk.box(c.paragraphs[0], t["overseas"] is val)
                c.paragraphs[0].add_run(opt + "  ")
        else:
            _value(c, _v(t, w, k), sdt, k)
        r += 1
    for i, (k, label) in enumerate((("registered_on", "注册时间"), ("registered_capital", "注册资金（万元）"),
                                    ("legal_representative", "法定代表人"))):
        set_cell(tab.cell(r, 2 * i), label)
        _value(tab.cell(r, 2 * i + 1), _v(t, w, k), sdt, k)
    r += 1
    for g in ("机构负责人", "机构联系人"):
        (k1, l1), (k2, l2), (k3, l3), (k4, l4) = GROUPS[g]
        merge_down(tab, 0, r, r + 1, g)
        for rr, pairs in ((r, ((k1, l1), (k2, l2))), (r + 1, ((k3, l3), (k4, l4)))):
            set_cell(tab.cell(rr, 1), pairs[0][1])
            _value(tab.cell(rr, 2), _v(t, w, pairs[0][0]), sdt, pairs[0][0])
            set_cell(tab.cell(rr, 3), pairs[1][1])
            _value(tab.cell(rr, 4).merge(tab.cell(rr, 5)), _v(t, w, pairs[1][0]), sdt, pairs[1][0])
        r += 2
    for g in ("机构场地", "人员情况"):
        (k1, l1), (k2, l2), (k3, l3) = GROUPS[g]
        merge_down(tab, 0, r, r + 1, g)
        set_cell(tab.cell(r, 1), l1)
        _value(tab.cell(r, 2).merge(tab.cell(r, 5)), _v(t, w, k1), sdt, k1)
        set_cell(tab.cell(r + 1, 1), l2)
        _value(tab.cell(r + 1, 2), _v(t, w, k2), sdt, k2)
        set_cell(tab.cell(r + 1, 3), l3)
        _value(tab.cell(r + 1, 4).merge(tab.cell(r + 1, 5)), _v(t, w, k3), sdt, k3)
        r += 2
    for k, label in (("institution_types", "机构类型（可多选）"), ("institution_nature", "机构属性"),
                     ("services", "可提供服务（可多选）")):
        set_cell(tab.cell(r, 0), label)
        choice_cells[k] = tab.cell(r, 1).merge(tab.cell(r, 5))
        r += 1
    _choices(tk, choice_cells, t, rng, Ticker(rng, "form") if sdt else None)
    set_cell(tab.cell(r, 0), "机构简介（不超500字）")
    _value(tab.cell(r, 1).merge(tab.cell(r, 5)), t["profile"], sdt, "profile", long=True)
    r += 1
    set_cell(tab.cell(r, 0), "法人证书、营业执照扫描件或正式注册证明")
    set_cell(tab.cell(r, 1).merge(tab.cell(r, 5)), "见附件")
    r += 1
    set_cell(tab.cell(r, 0).merge(tab.cell(r, 5)), "二、机构服务能力及业绩情况")
    r += 1
    rest: str | None = None
    for k, label in LONG:
        set_cell(tab.cell(r, 0).merge(tab.cell(r, 1)), label)
        text = t[k] or ""
        if split_long and k == "recent_work":
            cut = len(text) // 2
            text, rest = text[:cut], text[cut:]
        _value(tab.cell(r, 2).merge(tab.cell(r, 5)), text, sdt, k, long=True)
        r += 1
        if rest is not None:
            break
    if rest is not None:  # the applicant went on in a new, label-less table on the next page
        for row in list(tab.rows)[r:]:
            tab._tbl.remove(row._tr)
        page_break(doc)
        cont = doc.add_table(rows=2, cols=2)
        cont.style = "Table Grid"
        set_cell(cont.cell(0, 0), "")
        set_cell(cont.cell(0, 1), rest)
        set_cell(cont.cell(1, 0), LONG[2][1])
        set_cell(cont.cell(1, 1), t["awards"] or "")
    _commit_lines(doc, t, rng, rng.choice(["        ", "\t\t", "\u3000\u3000\u3000\u3000"]))
    return doc


def wps_table(t: dict[str, Any], w: dict[str, str], rng: random.Random, *, group_style: str,
              split_long: bool = False) -> docx.Document:
    """Family (b): a re-typed label|value table; groups merged down, repeated, or a header row."""
    doc = docx.Document()
    base_font(doc, 11)
    doc.add_paragraph(half(TITLE) if rng.random() < 0.5 else "海智计划合作机构信息表")
    singles: list[tuple[str, str]] = SIMPLE + [("registered_on", "注册时间"), ("registered_capital", "注册资金(万元)"),
                                               ("legal_representative", "法定代表人")]
    ncol = 2 if group_style == "header" else 3
    tab = doc.add_table(rows=0, cols=ncol)
    tab.style = "Table Grid"
    hp = rng.random() < 0.5

    def row(label: str | list[str], value: str) -> Any:
        cells = tab.add_row().cells
        lab = cells[0] if ncol == 2 else cells[0].merge(cells[1])
        if isinstance(label, list) and rng.random() < 0.5:
            set_cell(lab, label, runs=True)
        else:
            set_cell(lab, label)
        set_cell(cells[-1], value)
        return cells[-1]

    for k, label in singles:
        lab = half(label) if hp else label
        row(broken(lab, rng), _v(t, w, k))
    for g, subs in GROUPS.items():
        if group_style == "header":
            c = tab.add_row().cells
            set_cell(c[0].merge(c[1]), g)
            for k, label in subs:
                row(broken(half(label) if hp else label, rng), _v(t, w, k))
            continue
        start = len(tab.rows)
        for k, label in subs:
            cells = tab.add_row().cells
            set_cell(cells[0], g)
            set_cell(cells[1], broken(half(label) if hp else label, rng))
            set_cell(cells[2], _v(t, w, k))
        if group_style == "merged":
            merge_down(tab, 0, start, len(tab.rows) - 1, g)
    tk = Ticker(rng, "glyph")
    cc = {k: row(lab, "") for k, lab in (("institution_types", "机构类型(可多选)"), ("institution_nature", "机构属性"),
                                         ("services", "可提供服务(可多选)"))}
    _choices(tk, cc, t, rng)
    row(["机构简介", "(不超500字)"], t["profile"])
    rest = None
    for k, label in LONG:
        text = t[k] or ""
        if split_long and k == "recent_work":
            cut = len(text) // 2
            text, rest = text[:cut], text[cut:]
        row(label.split("（")[0] if rng.random() < 0.5 else half(label), text)
        if rest is not None:
            break
    if rest is not None:
        page_break(doc)
        cont = doc.add_table(rows=1, cols=1)
        cont.style = "Table Grid"
        set_cell(cont.cell(0, 0), rest)
        doc.add_paragraph("")
        c2 = doc.add_table(rows=1, cols=2)
        c2.style = "Table Grid"
        set_cell(c2.cell(0, 0), "3.获得奖项及表彰情况")
        set_cell(c2.cell(0, 1), t["awards"] or "")
    _commit_lines(doc, t, rng, rng.choice(["\t\t", "      ", "\t"]))
    return doc


def build(t: dict[str, Any], w: dict[str, str], rng: random.Random, family: str, *,
          split: bool | None = None, group_style: str | None = None) -> docx.Document:
    """``split``: 2.近两年开展业务情况 goes on in a label-less table on the next page;
    ``group_style`` (wps): merged / repeated / header."""
    split = rng.random() < 0.5 if split is None else split
    if family == "sample":
        return sample_like(t, w, rng, split_long=split)
    if family == "wps":
        style = rng.choice(["merged", "repeated", "header"]) if group_style is None else group_style
        return wps_table(t, w, rng, group_style=style, split_long=split)
    if family == "sdt":
        return sample_like(t, w, rng, sdt=True, split_long=split)
    raise ValueError(family)


def save(doc: docx.Document, path: Path) -> Path:
    doc.save(str(path))
    return path
