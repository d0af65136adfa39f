"""八、单位意见 on scans: an opinion row whose label was read as a line (the label cell's rulings lost under
a seal) takes its value from the cell right of it; two rows merged into one cell (the ruling between
them hidden by a signature) are split at their signing blocks.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from haizhi.extractors.detect import LabelHit, match_label
from haizhi.extractors.doubts import where
from haizhi.extractors.normalize import _is_sign_part, clean_text, strip_own_label, strip_signature_lines
from haizhi.extractors.scan.confidence import HIDDEN_PRINT
from haizhi.pipeline.core.record import Finding

if TYPE_CHECKING:
    from haizhi.extractors.grid import Grid
    from haizhi.extractors.layout import Cell, Line, Page
    from haizhi.pipeline.core.fields import FieldSpec, FormSpec

OPINIONS = "八、单位意见"
SPLIT_CONFIDENCE = 0.7  # a value cut out of a merged cell: named for a person to check
SURE_EMPTY = 0.9  # an opinion box holding only a signature's strokes read as letters: surely empty …
# … unless the reader found print under the strokes (HIDDEN_PRINT: 同意推荐。 under a signature and two seals,
# read TJ): then the opinion went unread, named


def opinion_text(text: str | None) -> str | None:
    """The written opinion in a block's text: no printed 签字/公章/年 月 日 lines, no loose characters."""
    body = clean_text(strip_signature_lines(text, scanned=True))
    if body is None:
        return None
    lines = [ln for ln in body.split("\n")
             if (len(re.findall(r"[\u4e00-\u9fff]", ln)) >= 2 or len(ln.strip()) >= 5) and not _PRINTED_SIGN.match(ln)]
    if any(re.search(r"[\u4e00-\u9fff]", ln) for ln in lines):  # YTTHAAK under 同意推荐。: a signature read as letters
        lines = [ln for ln in lines if re.search(r"[\u4e00-\u9fff]", ln) or len(ln.strip()) > 12]
    lines = [ln for i, ln in enumerate(lines) if not _DATE_INK.match(re.sub(r"\s+", "", ln))
             and not (i and _signing_residue(ln, lines[i - 1])) and not residue(ln)]  # 同意推荐\n张明华: a name signed
    # (张化 alone after a label: the signature written over the label's cell, the opinion in the cell beside it)
    return "\n".join(lines) or None


_DATE_INK = re.compile(r"^[^\u4e00-\u9fff]*\d{4}[^\u4e00-\u9fff]*(?:[年月日][^\u4e00-\u9fff]*)*$")  # YN2025418日


_ENDED = re.compile(r"[。！!]\s*(?:[\u4e00-\u9fff]{2,4})?\s*$")  # 同意推荐。 / 同意推荐。张明华 (a name signed after it)
_SIGN_MARK = re.compile(r"[（()）:：]|[负责签字公章年月日]|[A-Za-z]")


def _signing_residue(ln: str, before: str) -> bool:
    """A line after a finished opinion (its last line ends with 。) that is the signing block misread, not more
    opinion: no sentence, none of an opinion's words, and a bracket, colon, one of 负责人签字/公章/年月日's
    characters or Latin letters (负责（第）：（单章）, 负人（食子, 责人（）：, 年SHAHO, 电A写）：)."""
    flat = re.sub(r"\s+", "", ln)
    return bool(_ENDED.search(before)) and len(flat) <= 14 and not re.search(r"[，。,；;！!？?、]", flat) \
        and not _OPINION_WORD.search(flat) and bool(_SIGN_MARK.search(flat))


# 单位名称 (its colon lost under a signature): the printed signing block's first label, whatever follows
_PRINTED_SIGN = re.compile(r"^\s*(?:单位名称|单位[（(]?\s*[盖公]章|负责人\s*[（(]?\s*签"
                           r"|(?:\d{4}|[〇一二三四五六七八九零]{4})\s*年[^，。,；;！!？?]{0,12}$)")  # 2024年1CHH7O: the date line
_OPINION_WORD = re.compile(r"同意|推荐|申报|属实|审核|审查|核实|不予|情况|基础|具备|符合|材料|准予|通过|批准|支持|可行|合格")


def scribble(text: str) -> bool:
    """A few Latin letters or single strokes and no other Chinese (Pna, VV, AmDV., 一一): a signature's strokes,
    never a written opinion."""
    flat = re.sub(r"[\s一丨丿乙亅〇]+", "", text)
    return len(re.sub(r"\s+", "", text)) <= 6 and not re.search(r"[\u4e00-\u9fff\d]", flat)


def residue(text: str) -> bool:
    """A short value with no sentence in it and none of an opinion's words (学做, 张叶): a signature or a
    seal's strokes read as characters, not a written opinion."""
    flat = re.sub(r"\s+", "", text)
    return len(flat) <= 6 and not re.search(r"[，。,；;！!？?、]", flat) and not _OPINION_WORD.search(flat)


def stroke_aside(label: Line, ln: Line) -> bool:
    """A scanned line under an opinion's label that starts well right of where the label ends and reads as no
    opinion (ハ, wワT, 字以米): a signature's or a seal's strokes in the margin, neither part of the opinion
    nor of its doubt. A line starting in the opinion's column, however it reads, stays the opinion's."""
    if label.bbox is None or ln.bbox is None:
        return False
    h = label.bbox[3] - label.bbox[1]
    return ln.bbox[0] > label.bbox[2] + 2 * h and (residue(ln.text) or scribble(ln.text))


def blocks(text: str) -> list[str]:
    """A cell's text cut into signing blocks: a block ends with its printed 签字/公章/年 月 日 lines."""
    out: list[list[str]] = [[]]
    signing = False
    for ln in text.split("\n"):
        sign = _is_sign_part(ln) or _is_sign_part(re.split(r"\s{2,}", ln.strip())[0])
        if signing and not sign and opinion_text(ln):  # written text after a signing block: the next row
            out.append([])
            signing = False
        out[-1].append(ln)
        signing = signing or sign
    return ["\n".join(b) for b in out if any(s.strip() for s in b)]


def _opinion_label(grid: Grid, ln: Line) -> bool:
    return len(re.sub(r"\s", "", ln.text)) <= 12 and any(
        h.field.group == OPINIONS and h.score >= 0.6 for h in match_label(grid.form_id, ln.text, fuzzy=True))


def label_alone(grid: Grid, ln: Line, page: Page, score: float) -> bool:
    """An opinion's label line read as the label whole, nothing after it, and no more ink in the line than
    the characters read (a line of type's height, as wide as its text): its confidence is the label's (a
    seal pressed over 省级科协意见：), not the opinion's, which is on the lines below or nowhere. A line
    taller than type or wider than its text holds ink not read (a signature across 所在地市科协意见：): it
    stays the opinion's doubt."""
    if score < 0.85 or ln.bbox is None:
        return False
    h, w = ln.bbox[3] - ln.bbox[1], ln.bbox[2] - ln.bbox[0]
    sure = sorted(x.bbox[3] - x.bbox[1] for x, pg in grid.lines if pg is page and x.bbox and x.confidence >= 0.95
                  and len(x.text.strip()) >= 4)
    if not sure:
        return False
    em = sure[len(sure) // 2]  # the page's type height: its surely read lines' median
    n = len(re.sub(r"\s+", "", ln.text))
    return h <= 1.3 * em and w <= (n + 1) * em


def opinion_conf(cell: Cell) -> float:
    """A cell's reading as an opinion's: less the strokes after its full stop that the opinion drops
    (同意推荐。    DO, Cell.kept_confidence)."""
    return cell.confidence if cell.kept_confidence is None else cell.kept_confidence


def cell_beside_line(grid: Grid, ln: Line, page: Page) -> tuple[str | None, float] | None:
    """The opinion for a label read as a line: the table cell right of it at its height (its part of the
    cell when other opinion labels share the cell), with the cell's confidence."""
    if ln.bbox is None:
        return None
    lh = ln.bbox[3] - ln.bbox[1]
    cy = (ln.bbox[1] + ln.bbox[3]) / 2
    cells = [g for row in grid.rows for g in row if g.page is page and g.cell.bbox
             and g.cell.bbox[0] > ln.bbox[0] + 3 * lh and g.cell.bbox[1] - 2 <= cy <= g.cell.bbox[3] + 2
             and g.text.strip()]
    if not cells:
        return None
    g = min(cells, key=lambda c: c.cell.bbox[0])  # type: ignore[index]
    box = g.cell.bbox
    assert box is not None
    sharing = sorted((x for x, pg in grid.lines if pg is page and x.bbox and x.bbox[2] <= box[0] + 4 * lh
                      and box[1] - 2 <= (x.bbox[1] + x.bbox[3]) / 2 <= box[3] + 2 and _opinion_label(grid, x)),
                     key=lambda x: x.bbox[1])  # type: ignore[index]
    conf = opinion_conf(g.cell)
    if len(sharing) <= 1:
        return g.text, conf
    k = next((i for i, x in enumerate(sharing) if x is ln), None)
    parts = blocks(g.text)
    if k is None or len(parts) != len(sharing):
        return g.text, min(conf, 0.5)
    return parts[k], min(conf, SPLIT_CONFIDENCE)


def clean_opinion(spec: FormSpec, f: FieldSpec, text: str | None, prov: dict) -> tuple[str | None, list[Finding]]:
    """An opinion box's text without its printed signing lines and, on scans, without handwriting and seal
    strokes read as characters; what was doubtful to cut is named."""
    out: list[Finding] = []
    ocr = prov.get("method") == "ocr"
    if ocr and text and sum(1 for b in blocks(text) if _sentence(opinion_text(b))) > 1:
        out += _rows_merged(spec, f, prov)  # two signing blocks with an opinion each: two rows in one box
    text = strip_signature_lines(text, scanned=ocr)
    text, why = strip_own_label(text, f.label, [g.label for g in spec.fields if g.group == OPINIONS and g.key != f.key])
    if why:
        out.append(Finding("extract.odd_value", "info", f.key, f"“{f.display}”{why}{where(prov)}，请人工核对"))
    if not ocr:
        return text, out
    kept = opinion_text(text)  # loose strokes of a seal or signature read as characters
    raw = clean_text(text)
    if ((kept is None and raw and scribble(raw)) or (kept and scribble(kept))) \
            and float(prov.get("confidence") or 0.0) > HIDDEN_PRINT:
        # a signature's strokes read as letters, nothing else: no opinion, and no unsure reading of one
        prov["confidence"] = max(float(prov.get("confidence") or 0.0), SURE_EMPTY)
        return None, out
    if kept is None and raw and not why:
        out.append(Finding("scan.odd_value", "info", f.key, f"“{f.display}”栏内的字迹“{raw[:20]}”未能识别为意见内容，"
                                                          f"已留空{where(prov)}，请人工核对"))
    if kept and residue(kept):
        out.append(Finding("scan.odd_value", "info", f.key, f"“{f.display}”栏内的字迹“{kept[:20]}”不像意见内容"
                                                          f"（可能是签名或印章的笔画），已留空{where(prov)}，请人工核对"))
        return None, out
    m = re.search(r"[。！!]\s*([\u4e00-\u9fff]{2,4})$", kept or "")
    if kept and m:  # 同意推荐。张明军: a name signed after the opinion
        kept = kept[: m.start() + 1]
        out.append(Finding("scan.odd_value", "info", f.key, f"“{f.display}”句号后的“{m.group(1)}”像是手写签名，"
                                                          f"已去掉{where(prov)}，请人工核对"))
    return kept, out


def _sentence(text: str | None) -> bool:
    """Written opinion, not a name signed under a block or strokes read as characters."""
    return bool(text) and not residue(text) and not scribble(text)  # type: ignore[arg-type]


def _rows_merged(spec: FormSpec, f: FieldSpec, prov: dict) -> list[Finding]:
    """An opinion box holding two opinions, each with its signing block: the ruling under this row was not
    seen (a signature or seal across it), so the box runs on into the next opinion row. This value and the
    next row's (read from the same box, or not at all) are named."""
    rows = [g for g in spec.fields if g.group == OPINIONS]
    at = next((i for i, g in enumerate(rows) if g.key == f.key), None)
    named = [f] + (rows[at + 1:at + 2] if at is not None else [])
    return [Finding("scan.rows_merged", "info", g.key, f"“{g.display}”所在的意见栏与相邻一栏连在一起（分隔线被签名或印章遮住），"
                    f"栏内有两段意见和签章，可能读错或读漏{where(prov)}，请人工核对") for g in named]


_HALF_READ = re.compile(r"^\s*[^\s市地]{1,2}科协意见\s*[：:]?")


def provincial_label(grid: Grid, f: FieldSpec, i: int) -> LabelHit | None:
    """省级科协意见 with its first characters lost or misread under a signature (R科协意见：, TUNE base heavy
    12682): a line beginning with one or two characters and 科协意见, below the city's label read whole, is the
    provincial row's (there is no other 科协意见). A guess: its hit ranks under a label read, its value is named
    (GUESSED_CONF)."""
    if f.key != "provincial_opinion" or (m := _HALF_READ.match(grid.lines[i][0].text)) is None:
        return None
    if not any(h.field.key == "city_opinion" and h.score >= 0.85
               for ln, _ in grid.lines[:i] for h in match_label(grid.form_id, ln.text)):
        return None
    return LabelHit(f, 0.7, grid.lines[i][0].text[m.end():].strip() or None, False)  # never a rival of one read


GUESSED_CONF = 0.75  # the most a value under a label told by elimination is sure of: a person checks it
