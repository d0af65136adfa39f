"""Layout → Record: find every field of the form by its label, not its cell position.

The value of a label is (in this order) written after it in the same cell
(标签：值, or heading line then text), in the next cell to the right, or in
the cell below. Grouped sub-labels (姓名, 手机 …) are read inside their group
(机构负责人 / 机构联系人). Tables that follow each other, also across pages,
form one grid, so a split table reads like one. Checkboxes come as Marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from haizhi.extractors.choices import (
    _OTHER,
    bool_tick_confidence,
    choice_confidence,
    label_scaled_texts,
    other_confidence,
    other_unticked,
    other_written,
    read_choice,
    seen_options,
    unboxed_bool,
    unboxed_ticks,
    unclear_options,
)
from haizhi.extractors.choices import other_text as other_of
from haizhi.extractors.codes import code_doubts
from haizhi.extractors.detect import LabelHit, lkey, match_label
from haizhi.extractors.doubts import choice_doubts, doubts, glyph_doubts, scan_cuts, shape_doubts, where
from haizhi.extractors.glyph_marks import marks_from_text
from haizhi.extractors.grid import GCell, Grid
from haizhi.extractors.labels import (
    cut_next_label,
    glued_rest,
    is_heading,
    is_long,
    join_wrapped,
    later_segments,
    wrapped_tail,
)
from haizhi.extractors.layout import Layout, Line, Page
from haizhi.extractors.normalize import clean_text, normalize
from haizhi.extractors.opinion_rows import (
    GUESSED_CONF,
    OPINIONS,
    cell_beside_line,
    clean_opinion,
    label_alone,
    opinion_conf,
    provincial_label,
    stroke_aside,
)
from haizhi.extractors.opinion_rows import opinion_text as _opinion_text
from haizhi.extractors.orgname import ORG_FIELDS, org_doubts, whole_org
from haizhi.extractors.value_cells import beside_cells, beside_lines, value_cells
from haizhi.pipeline.core.fields import FieldSpec, form_spec
from haizhi.pipeline.core.record import Finding, Record


@dataclass
class Candidate:
    score: float
    text: str | None
    cells: list[GCell]
    where: GCell | tuple[Line, Page]
    confidence: float


def _candidates(grid: Grid, f: FieldSpec) -> list[Candidate]:
    out: list[Candidate] = []
    for row in grid.rows:
        for g in row:
            hit = next((h for h in g.hits if h.field.key == f.key), None)
            if hit is None:
                continue
            if hit.needs_group and grid.group_of(g) != f.group:
                continue
            if _strokes_after_label(f, g.page, hit.rest) and grid.right(g) is not None:
                hit = replace(hit, rest=None)  # 申报单位意见：5: a seal's stroke, the opinion is beside
            if hit.rest is not None:
                cells, text = [g], (hit.rest if is_long(f) else cut_next_label(grid.form_id, hit.rest))
                if f.type == "text" and not is_long(f):  # 联系地址：福建省…二路 / 442号 wrapped in the cell
                    text = wrapped_tail(grid.form_id, g.text, text)
            else:
                cells = value_cells(grid, g, f)
                text = "\n".join(c.text for c in cells) if cells else None
                if f.type == "text" and grid.right(g) is None and not any(c.text.strip() for c in cells):
                    text, lconf = beside_lines(grid, g)  # the value column's rulings not seen (a seal over them)
                    if text is None:  # … or seen as another table's
                        text, lconf = beside_cells(grid, g)
                    if text is not None:
                        out.append(Candidate(hit.score + 0.1, text, [g], g, min(g.cell.confidence, lconf)))
                        continue
                if f.type in ("choice", "choices", "bool") and cells:
                    text = " ".join(c.text for c in cells)
            # the label cell's reading bounds the value's only when the label itself was matched with doubt: 专职工作人员
            # 数量（人） read …(W) under a stroke is still that label, and says nothing of the number beside it
            conf = min([_cell_conf(c, f) for c in cells if c is not g] + [_cell_conf(g, f)] * (
                hit.score < SURE_LABEL or g in cells or not cells))
            if hit.rest is not None and f.type not in ("choice", "choices", "bool") and not is_long(f):
                conf = _line_conf(g, text, conf)  # 标签甲：值 / 标签乙：值 in one cell: as sure as its own lines
            filled = clean_text(text) is not None
            out.append(Candidate(hit.score + 0.1 * filled, text, cells or [g], g, conf * min(1.0, hit.score / 0.85)))
    # lines outside tables: 标签：值 or a heading followed by paragraphs
    for i, (ln, page) in enumerate(grid.lines):
        hits = match_label(grid.form_id, ln.text, fuzzy=ln.confidence < 1)
        hit = next((h for h in hits if h.field.key == f.key and not h.needs_group), None)
        if hit is None:  # 注册时间：…<Tab>注册资金（万元）：… several pairs on one line
            for part in later_segments(ln.text, grid.form_id):
                hit = next((h for h in match_label(grid.form_id, part, fuzzy=ln.confidence < 1)
                            if h.field.key == f.key and not h.needs_group and h.rest is not None), None)
                if hit is not None:
                    break
        if hit is None and page.method == "ocr":  # 推荐单位省科学技术协会: the colon under a seal or signature
            glued = glued_rest(grid.form_id, f, ln.text)
            hit = None if glued is None else LabelHit(f, 0.7, glued, False)  # never a rival of a label read
        guessed = hit is None and page.method == "ocr" and (hit := provincial_label(grid, f, i)) is not None
        if hit is None or hit.score < 0.85 and is_heading(ln.text):
            continue  # 八、单位意见: a group's heading is no misread label of one of its fields (申报单位意见)
        confs = [ln.confidence]  # the value's lines count too, not the label's alone
        if hit.rest is None and f.group == OPINIONS and page.method == "ocr" and label_alone(grid, ln, page, hit.score):
            confs = []  # 省级科协意见： read whole, a seal over it: the opinion's doubt is in its own lines
        rest = None if _strokes_after_label(f, page, hit.rest) else hit.rest  # 所在地市科协意见：.: the opinion is on
        # the lines below, as for a label read alone (TUNE base heavy 12496: read empty, surely)
        if rest is not None:
            text = rest if is_long(f) else cut_next_label(grid.form_id, rest)
            if text and i + 1 < len(grid.lines) and _continues(grid.form_id, ln, *grid.lines[i + 1], page):
                text = join_wrapped(text, grid.lines[i + 1][0].text.strip())
                confs.append(grid.lines[i + 1][0].confidence)
        else:
            body = []
            for ln2, page2 in grid.lines[i + 1:]:
                if any(h.score >= 0.85 for h in match_label(grid.form_id, ln2.text)) or is_heading(ln2.text):
                    break
                if page2.method == "ocr" and len(lkey(ln2.text)) <= 12 and any(
                        h.field.key != f.key and h.score >= 0.6 for h in match_label(grid.form_id, ln2.text, fuzzy=True)):
                    break  # another row's label read with a wrong character (所在地市科区见)
                if not is_long(f) and re.match(r"^\s*[^\s:：]{1,12}[:：]", ln2.text):
                    break  # the next line is another printed label (负责人签字：)
                if not is_long(f):  # a short field's value sits on the next line, close below
                    near = page2 is page and (ln.bbox is None or ln2.bbox is None or
                                              ln2.bbox[1] - ln.bbox[3] < 2 * (ln.bbox[3] - ln.bbox[1]))
                    if near:
                        body.append(ln2.text)
                        confs.append(ln2.confidence)
                    break
                if f.group == OPINIONS and page2.method == "ocr" and stroke_aside(ln, ln2):
                    continue  # wワT far right of the opinion's column: a seal's or a signature's strokes
                body.append(ln2.text)
                confs.append(ln2.confidence)
            text = "\n".join(body) if body else None
        if f.group == OPINIONS and page.method == "ocr" and not _opinion_text(text):
            beside = cell_beside_line(grid, ln, page)  # the label cell's rulings lost, the value's cell found
            if beside is not None:
                text, confs = beside[0], [ln.confidence, beside[1]]
        filled = clean_text(text) is not None
        out.append(Candidate(hit.score + 0.1 * filled - 0.02, text, [], (ln, page),
                             min(confs + [GUESSED_CONF] * guessed, default=1.0)))  # (R科协意见：, a label guessed)
    return sorted(out, key=lambda c: -c.score)


def _cell_conf(g: GCell, f: FieldSpec) -> float:
    """A cell's reading; an opinion's less the strokes after its full stop that it drops (同意推荐。    DO)."""
    return opinion_conf(g.cell) if f.group == OPINIONS else g.cell.confidence


def _line_conf(g: GCell, value: str | None, cell: float) -> float:
    """How sure a label：value pair read inside a cell of several lines is: its own lines' reading (the line
    holding the value's start and those its rest wrapped onto), not the cell's least sure line (another pair's).
    The cell's when the value is not found whole in one such run of lines."""
    flat = re.sub(r"\s", "", value or "")
    if not g.cell.line_confidences or len(flat) < 2:
        return cell
    texts = [re.sub(r"\s", "", t) for t, _ in g.cell.line_confidences]
    confs = [c for _, c in g.cell.line_confidences]
    at = [i for i, t in enumerate(texts) if flat[:6] in t]
    if len(at) != 1:
        return cell
    i = j = at[0]
    while j + 1 < len(texts) and texts[j + 1] and texts[j + 1] in flat:
        j += 1
    return min(confs[i:j + 1]) if flat in "".join(texts[i:j + 1]) else cell


def _strokes_after_label(f: FieldSpec, page: Page, rest: str | None) -> bool:
    """A scanned opinion label followed on its line or in its cell by no opinion (a speck, a seal's or a signature's
    strokes: 申报单位意见：5, 所在地市科协意见：.): the opinion is elsewhere, beside or below."""
    return rest is not None and f.group == OPINIONS and page.method == "ocr" and not _opinion_text(rest)


def _continues(form_id: str, ln: Line, ln2: Line, page2: Page, page: Page) -> bool:
    """PDF/OCR: the next line is the wrapped rest of an inline value (indented under the value)."""
    if page2 is not page or ln.bbox is None or ln2.bbox is None:
        return False
    h = ln.bbox[3] - ln.bbox[1]
    return (ln2.bbox[0] > ln.bbox[0] + 1.5 * h and 0 <= ln2.bbox[1] - ln.bbox[3] < 1.2 * h
            and not re.match(r"^\s*[^\s:：]{1,12}[:：]", ln2.text) and not match_label(form_id, ln2.text))


def _provenance(c: Candidate) -> dict[str, Any]:
    if isinstance(c.where, GCell):
        src = c.cells[0] if c.cells else c.where
        return {"page": src.page.number, "bbox": list(src.cell.bbox) if src.cell.bbox else None,
                "method": src.page.method, "confidence": round(c.confidence, 3)}
    ln, page = c.where
    return {"page": page.number, "bbox": list(ln.bbox) if ln.bbox else None, "method": page.method,
            "confidence": round(c.confidence, 3)}


def _marks_of(c: Candidate) -> list[list]:
    out = []
    for g in c.cells:
        out.append([g.text, g.cell.marks or marks_from_text(g.text)])
    if not c.cells and c.text:
        out.append([c.text, marks_from_text(c.text)])
    return out


def map_layout(layout: Layout, form_id: str) -> Record:
    spec = form_spec(form_id)
    grid = Grid(layout, form_id)
    fields: dict[str, Any] = {}
    prov: dict[str, dict[str, Any]] = {}
    findings: list[Finding] = []
    others = {f.group: f for f in spec.fields if f.key.endswith("_other")}
    for f in spec.fields:
        if f.key.endswith("_other"):
            continue
        cands = _candidates(grid, f)
        if not cands:
            if f.required or f.key not in ("awards",):
                findings.append(Finding("extract.label_missing", "warning", f.key,
                                        f"未找到标签“{f.display}”，该项未读出"))
            continue
        best = cands[0] if f.key not in ORG_FIELDS else whole_org(cands)  # 推荐单位 printed twice: the whole one
        prov[f.key] = _provenance(best)
        if f.type in ("choice", "choices"):
            other = others.get(f.label) or next((o for g, o in others.items() if lkey(g) and lkey(f.label).startswith(
                lkey(g))), None)
            value, other_text, msgs = read_choice(f, best.text, _marks_of(best))
            more = unboxed_ticks(f, best.text, _marks_of(best)) if best.cells and prov[f.key]["method"] == "ocr" \
                and value and not msgs else []
            if more:  # a box broken by its tick, or ✔ printed in its place and lost: named, as inferred
                value = [o for o in f.options if o in value or o in more]
                findings.append(Finding("extract.choice_inferred", "info", f.key,
                                        f"“{f.display}”中“{'、'.join(more)}”前未识别出勾选框（多半被勾画遮住），"
                                        f"推断为已勾选{where(prov[f.key])}，请人工核对"))
            fields[f.key] = value
            if other is not None:
                fields[other.key] = other_text
                if other_text is not None:
                    prov[other.key] = dict(prov[f.key])
            for m in msgs:
                findings.append(Finding("extract.bad_choice", "warning", f.key, m))
            seen = seen_options(f, best.text, _marks_of(best))
            if prov[f.key]["method"] == "ocr":  # a scan: as sure as its ticks, each unclear option named
                prov[f.key]["confidence"] = round(choice_confidence(f, seen, value, prov[f.key]["confidence"]), 3)
                findings += choice_doubts(f, unclear_options(f, seen), prov[f.key])
                if other is not None and other.key in prov and best.cells:  # the 其他 text: its OCR and its tick
                    texts = label_scaled_texts([g.cell for g in best.cells], best.confidence)
                    prov[other.key]["confidence"] = round(other_confidence(f, seen, texts, prov[other.key]["confidence"]), 3)
                if other is not None and fields.get(other.key) is None and value and other_written(f, best.text) \
                        and any(o in _OTHER for o in unclear_options(f, seen)):  # 其他's tick unclear: its text too
                    findings.append(Finding("extract.choice_unread", "info", other.key,
                                            f"“{other.display}”随“{f.display}”中“其他”的勾选状态未能看清，请人工核对"))
            if not value and not msgs and f.type in ("choice", "choices"):
                value = _only_unboxed(f, best)
                if value is not None:
                    value = [value] if f.type == "choices" and isinstance(value, str) else value
                    fields[f.key] = value
                    shown = "、".join(value) if isinstance(value, list) else value
                    findings.append(Finding("extract.choice_inferred", "info", f.key,
                                            f"“{f.display}”中“{shown}”前的勾选框未识别，其余选项都未勾选，"
                                            f"推断为勾选了{'这些' if isinstance(value, list) else '该'}项"
                                            f"{where(prov[f.key])}，请人工核对"))
                    value = value[-1] if isinstance(value, list) else value
                    if other is not None and value in _OTHER:  # its 请注明 text, as doubtful as the tick
                        raw = best.text or ""
                        at = raw.find(value)
                        fields[other.key] = other_of(raw[at + len(value):]) if at >= 0 else None
                        prov[other.key] = dict(prov[f.key])
                        findings.append(Finding("extract.choice_inferred", "info", other.key,
                                                f"“{other.display}”随“{f.display}”推断，请人工核对"))
                    elif other is not None and not other_unticked(f, seen) and other_written(f, best.text):
                        # 其他's box not seen unticked, words after it
                        findings.append(Finding("extract.choice_unread", "info", other.key,
                                                f"“{other.display}”随“{f.display}”未能读出，请人工核对"))
                    continue
            if not value and not msgs and f.required and clean_text(best.text):
                findings.append(Finding("extract.choice_unread", "info", f.key,
                                        f"“{f.display}”{where(prov[f.key])}未读出勾选的选项，请人工核对"))
                if other is not None and not other_unticked(f, seen) and other_written(f, best.text):
                    findings.append(Finding("extract.choice_unread", "info", other.key,
                                            f"“{other.display}”随“{f.display}”未能读出，请人工核对"))
            continue
        text = best.text
        if text and f.type == "text" and prov[f.key]["method"] == "ocr":
            text = _BOX_BEFORE.sub("", text)  # 国's outline read as a box: a name or a text holds no checkbox
        if text and "\n" in text and not is_long(f) and prov[f.key]["method"] != "docx":
            parts = [p.strip() for p in text.split("\n") if p.strip()]  # a short value wrapped in its cell
            text = parts[0] if parts else ""
            for p in parts[1:]:
                text = text + p if text.endswith(("-", "@", ".", "/", "_")) else join_wrapped(text, p)
        if f.group == OPINIONS:
            text, more = clean_opinion(spec, f, text, prov[f.key])
            findings += more
        if text and f.key.endswith(_NO_SPACES) and prov[f.key]["method"] != "docx":
            text = re.sub(r"\s+", "", text)  # an address or number wrapped in a narrow cell: no space in it
        try:
            fields[f.key] = normalize(f.type, text)
        except ValueError:
            fields[f.key] = None
            raw = " ".join((best.text or "").split())[:60]
            findings.append(Finding("extract.bad_value", "warning", f.key,
                                    f"“{f.display}”的内容“{raw}”无法识别为{_TYPE_CN[f.type]}，已留空"))
        if f.type == "bool" and fields[f.key] is None and prov[f.key]["method"] == "ocr":
            fields[f.key] = unboxed_bool(text, _marks_of(best))  # □是 否: the ticked box not seen
            if fields[f.key] is not None:
                findings.append(Finding("extract.choice_inferred", "info", f.key,
                                        f"“{f.display}”中“{'是' if fields[f.key] else '否'}”前的勾选框未识别，"
                                        f"另一项未勾选，推断为勾选了该项{where(prov[f.key])}，请人工核对"))
        if f.type == "bool" and prov[f.key]["method"] == "ocr" and best.cells:  # ☑是 □否: as sure as its ticks
            sure = bool_tick_confidence(fields[f.key], _marks_of(best))
            if sure is not None:
                prov[f.key]["confidence"] = round(sure, 3)
        fields[f.key], cut = scan_cuts(grid.form_id, f, fields[f.key], prov[f.key])
        findings += cut
        fields[f.key], cut = org_doubts(f, fields[f.key], prov[f.key])  # 推荐单位 under its seal and signature
        findings += cut
        fields[f.key], cut = code_doubts(f, fields[f.key], prov[f.key])  # 统一社会信用代码: 1 read as I
        findings += cut
        findings += doubts(grid, f, best, cands, prov[f.key], fields[f.key])
        findings += shape_doubts(grid.form_id, f, fields[f.key], prov[f.key])
        findings += glyph_doubts(f, fields[f.key], prov[f.key])
        if fields[f.key] is None and f.required and prov[f.key]["method"] == "ocr" \
                and not any(x.field == f.key for x in findings):  # a required value that was not read
            findings.append(Finding("scan.value_empty", "info", f.key,
                                    f"扫描件中找到了“{f.display}”的标签，但没有读出内容{where(prov[f.key])}，请人工核对"))
    findings += _others_follow(spec, others, findings)
    fields = {k: fields[k] for k in spec.keys if k in fields}
    return Record(form=form_id, fields=fields, provenance=prov, findings=findings,
                  marks={m.key: None for m in spec.marks})


def _others_follow(spec: Any, others: dict[str, FieldSpec], findings: list[Finding]) -> list[Finding]:
    """A choice not found or read wrong (a tick on no option): its 其他（请注明） text is as doubtful."""
    bad = {f.field for f in findings if f.rule in ("extract.label_missing", "extract.bad_choice")}
    named = {f.field for f in findings}
    out = []
    for f in spec.fields:
        if f.type not in ("choice", "choices") or f.key not in bad:
            continue
        other = others.get(f.label) or next((o for g, o in others.items() if lkey(g) and lkey(f.label).startswith(
            lkey(g))), None)
        if other is not None and other.key not in named:
            out.append(Finding("extract.choice_unread", "info", other.key,
                               f"“{other.display}”随“{f.display}”未能可靠读出，请人工核对"))
    return out


def _only_unboxed(f: FieldSpec, best: Candidate) -> str | list[str] | None:
    """A choice with every shown option's box seen unticked but one, whose label shows without a box:
    a tick drawn over that box hid it (☒海智国际研发社区). A multiple choice: every option shown
    without a box, when at least two boxes were seen and none ticked (✓ written in place of the box)."""
    from haizhi.extractors.choices import _option_of, labelled_marks

    unticked, ticked = set(), False
    for m, label in labelled_marks(f, _marks_of(best)):  # labels wrapped to the next line joined (□管理|咨询服务)
        opt = _option_of(label or "", f.options)[0]
        ticked |= bool(m.checked)
        if opt is not None and not m.checked:
            unticked.add(opt)
    flat = lkey(best.text or "")
    shown = [o for o in f.options if lkey(o) in flat]  # a year's form may print fewer options
    rest = [o for o in shown if o not in unticked]
    if f.type == "choices" and not ticked and len(unticked) >= 2 and rest \
            and all(g.cell.marks for g in best.cells):  # boxes seen in every cell: not a part read without
        return rest
    if ticked or not unticked or len(rest) != 1 or len(shown) != len(unticked) + 1:
        return None
    return rest[0]


SURE_LABEL = 0.85  # a label cell matched at least this well is that label, however unsure its OCR

_NO_SPACES = ("email", "mobile", "phone", "credit_code")
_BOX_BEFORE = re.compile(r"(?<![\u4e00-\u9fff])[☑□]\s*(?=[\u4e00-\u9fff])")
_TYPE_CN = {"date": "日期", "number": "数字", "int": "整数", "bool": "是/否", "text": "文字",
            "choice": "选项", "choices": "选项"}


