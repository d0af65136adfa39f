"""Signing and stamping blocks as regions of the page, and marks attributed to them by overlap.

A block is its cell (or, outside tables, the lines from its label to the next block's label):
合作机构信息表: 推荐单位 and 被推荐机构, side by side or stacked in the 承诺 cell; 基地申报表:
基地负责人 (六、承诺) and the three opinion rows (申报单位 / 所在地市科协 / 省级科协), each row
across the whole table. A seal belongs to the block whose region it overlaps most; a
signature is handwriting anywhere in its block's region. When the two best blocks are close,
the mark is kept with a low confidence so that a finding names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from haizhi.extractors.scan.owner_line import second_label_x
from haizhi.extractors.scan.sign_lines import _label_start, _labels, signing_line_split

PxBox = tuple[int, int, int, int]
AMBIGUOUS = 0.6  # second-best overlap / best overlap at or above this: not attributable with confidence


@dataclass
class Region:
    owner: str
    box: PxBox
    sign_key: str | None = None
    seal_key: str | None = None
    label: object | None = None  # the printed 签字 label's text run, when read
    inferred: bool = False  # its label not read: the block told by the signing lines of the one above


INSTITUTION_LABEL = re.compile(r"被推荐机构?|被[\u4e00-\u9fff]{1,2}机构(?=\s*[：:])|推荐机构(?=\s*[：:])"
                               r"|被推[\u4e00-\u9fff]{1,3}(?=\s*[：:])|(?<!被)推荐[\u4e00-\u9fff]构(?=\s*[：:])"
                               r"|被推[\u4e00-\u9fff]机构|推[\u4e00-\u9fff]机构(?=\s*[：:])|被推荐[\u4e00-\u9fff]构|^\s*推荐机构"
                               r"|^\s*荐机构(?=\s*[：:])")
# misreadings: 被推存机构V (荐 misread, its colon lost under a signature); 被携机构： (荐 misread); …协会推荐机构： (被
# lost: the recommender's label is 推荐单位, so 推荐机构 with its colon is this one); 被推荐想构：, 被推若想构： (机
# misread: a label ending at its colon, 被推… or 推荐…构, is this one, 推荐单位 is not); 推掘机构： (被 lost, 荐 misread);
# 被推荐板构 (机 misread, its colon lost); a run that begins 推荐机构 (被 and the colon lost under a seal: 推荐机构门启明…)
# or 荐机构： (被推 lost under the seal's ring: TUNE coop photo 12693)
RECOMMENDER_LABEL = re.compile(r"(?<!被)推荐单位")
COOP_BLOCKS = {"recommender": ("recommender_signed", "recommender_sealed"),  # each coop block's mark keys:
               "institution": ("institution_signed", "institution_sealed")}  # (signature, seal)
_SIGN = re.compile(r"签[字名学子章]|责人\s*[（(]?\s*签|负责人[字名]\s*[：:]")  # 质责人签 (负 misread, 字 lost),
# 负责人字： (签 lost)
SEALWORD = re.compile(r"公章|盖章|[（(]\s*公|[（(][\u4e00-\u9fff]?章[）)]")  # （么章）, （章） (公 misread, lost)
REST = re.compile(r"负责人\s*[（(]?\s*签|签[字名]|\d{4}\s*年|年\s*\d{0,2}\s*月\s*\d{0,2}\s*日")
_HEADING = re.compile(r"^\s*[一二三四五六七八九十]{1,3}\s*[、.．]")
_BASE_PAGE = re.compile(r"科协意见|单位意见|基地负责")  # the base form's signing page
_ROWS = (("applicant", ("申报单位意见", "申报单位")), ("city", ("所在地市科协意见", "地市科协", "市科协意见")),
         ("provincial", ("省级科协意见", "省级科协")))


def _home(box: PxBox, cells: list[tuple[str, PxBox]]) -> PxBox | None:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    hits = [b for _, b in cells if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]]
    return min(hits, key=lambda b: (b[2] - b[0]) * (b[3] - b[1])) if hits else None


def overlap(a: PxBox, b: PxBox) -> int:
    return max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))


def coop_regions(bits: list, cells: list[tuple[str, PxBox]], shape: tuple[int, int], char_w: float,
                 em: int, binary: np.ndarray | None = None, pen: np.ndarray | None = None) -> list[Region]:
    """推荐单位 / 被推荐机构 blocks: the 承诺 cell split between them (by x side by side, by y stacked).

    pen: ink of a colour print never is (blue handwriting), when known: the blank between the two owner labels
    on their line is looked for without it (a signature written across it hides it)."""
    h, w = shape
    beside = False  # two 签字 labels read on one line: side by side, wherever the split
    inst = [(b, m) for b in bits if (m := INSTITUTION_LABEL.search(b.text)) and "无违法" not in b.text]
    signs = _distinct(sorted((b for b in bits if _SIGN.search(b.text)), key=lambda b: (b.box[1], b.box[0])))
    if inst:
        owner, at = inst[-1]
        ix = second_label_x(binary, pen, owner.box, owner.text, at.start(), at.group(), em, char_w)
        iy = owner.box[1]
        cell = _home(owner.box, cells)
    elif (len(signs) >= 2 or any(_labels(s.text) >= 2 for s in signs)) \
            and not any(_BASE_PAGE.search(b.text) for b in bits):
        # owner labels unread (a seal over them): the two 签字 labels show the blocks (on a coop page: the
        # base form's opinion blocks have 签字 labels too), also read in one run (负责人签字：（公章负责人签字：)
        a, b = (signs[0], signs[1]) if len(signs) >= 2 else (signs[0], signs[0])
        same_line = beside = abs(a.box[1] - b.box[1]) < em
        ix = b.box[0] - 4 * em if same_line else a.box[0]
        if a is b:  # one run: the split is found where its label repeats (signing_line_split), from its middle
            ix = (a.box[0] + a.box[2]) // 2
        left = [o.box[2] for o in bits if abs(o.box[1] - b.box[1]) < em and o.box[2] <= b.box[0]]
        if same_line and left:  # midway between the first block's line (…（公章）) and the second 签字 label
            ix = (max(left) + b.box[0]) // 2 + int(0.5 * em)
        iy = b.box[1] - 2 * em if not same_line else a.box[1]
        cell = _home(a.box, cells)
    else:  # labels lost under handwriting: the 承诺 section's block, side by side below its text
        promise = [b for b in bits if "承诺" in b.text and "负责人" not in b.text]
        if not promise:
            return []
        p = promise[0]
        cell = _home(p.box, cells)
        if cell is not None and cell[3] - cell[1] < 4 * em:  # the heading's own row: its text is in the rows below
            below = [c for _t, c in cells if c[1] >= cell[3] - em and c[0] < cell[2] and c[2] > cell[0]]
            cell = (cell[0], cell[1], cell[2], max([c[3] for c in below], default=cell[3]))
        lines = [b for b in bits if b.box[1] > p.box[3] and (cell is None or center_in(b.box, cell))
                 and len(b.text) >= 8 and re.search(r"[。，]", b.text)]
        top = max([b.box[3] for b in lines] + [p.box[3]])
        x0 = cell[0] if cell else 0
        x1 = cell[2] if cell else w
        bottom = min([b.box[1] for b in bits if b.box[1] > top + 2 * em and re.match(r"注|\d+[.．、]", b.text)]
                     + [cell[3] if cell else min(h, top + 14 * em)])
        mid = (x0 + x1) // 2
        return [Region("recommender", (x0, top, mid, bottom), *COOP_BLOCKS["recommender"]),
                Region("institution", (mid, top, x1, bottom), *COOP_BLOCKS["institution"])]
    in_cell = cell  # None: the labels are lines outside any table
    if cell is None:  # paragraphs, no table: from the label lines down
        cell = (0, max(0, iy - 12 * em), w, min(h, iy + 14 * em))
    x0, y0, x1, y1 = cell
    rec_label = [b for b in bits if RECOMMENDER_LABEL.search(b.text) and _home(b.box, cells) == in_cell
                 and b.box[1] <= iy + em]
    side_by_side = beside or ix > x0 + (x1 - x0) * 0.3 or any(abs(b.box[1] - iy) < em for b in rec_label)
    if side_by_side:
        split = signing_line_split(bits, signs, in_cell, em, binary, ix) or ix - int(0.5 * em)
        rec, ins = (x0, y0, split, y1), (split, y0, x1, y1)
    else:
        split = iy - int(0.6 * em)
        rec, ins = (x0, y0, x1, split), (x0, split, x1, y1)
    out = [Region("recommender", rec, *COOP_BLOCKS["recommender"]), Region("institution", ins, *COOP_BLOCKS["institution"])]
    for r in out:
        mine = [s for s in signs if center_in(s.box, r.box)]
        r.label = mine[0] if mine else None
    for r, o in ((out[0], out[1]), (out[1], out[0])) if side_by_side else ():
        if r.label is None:  # its 签字 label read in one run with strokes before it (7A章口M费人签字：, the run's
            # middle in the block beside, under its signature): the label, counted back from the run's end, here
            r.label = next((s for s in signs if s is not o.label
                            and center_in((_label_start(s, em), s.box[1], s.box[2], s.box[3]), r.box)), None)
    return out


def _distinct(runs: list) -> list:
    """Runs without the second reading of one (a line read whole and part by part gives a label twice,
    one box over the other): two 签字 labels are two blocks only when they lie apart."""
    out: list = []
    for b in runs:
        x0, y0, x1, y1 = b.box
        if not any(overlap(b.box, o.box) > 0.5 * min((x1 - x0) * (y1 - y0), (o.box[2] - o.box[0]) * (o.box[3] - o.box[1]))
                   for o in out):
            out.append(b)
    return out


def center_in(box: PxBox, r: PxBox) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return r[0] <= cx <= r[2] and r[1] <= cy <= r[3]


def base_regions(bits: list, cells: list[tuple[str, PxBox]], shape: tuple[int, int], em: int) -> list[Region]:
    """基地负责人 block (its cell or its lines) and the opinion rows, each across the table."""
    h, w = shape
    out: list[Region] = []
    head = [b for b in bits if _SIGN.search(b.text) and ("基地负责" in b.text or "地负责人" in b.text)]
    if head:
        lb = head[0]
        cell = _home(lb.box, cells)
        heads = [b.box[1] for b in bits if b.box[1] > lb.box[3] + em and _HEADING.match(b.text)]
        box = cell or (0, max(0, lb.box[1] - 4 * em), w, min(h, lb.box[3] + 6 * em, *heads))  # a large
        # signature below the label runs down to the date line or past it, not into the next section
        if cell is not None and cell[3] - cell[1] > 12 * em:  # a tall 承诺 cell: the lines around the label
            box = (cell[0], max(cell[1], lb.box[1] - 5 * em), cell[2], cell[3])
        out.append(Region("head", box, "head_signed", None, lb))
    else:
        out += _head_by_headings(bits, cells, w, em)
    rows: dict[str, PxBox] = {}
    for key, words in _ROWS:
        for text, box in cells:
            flat = text.replace("\n", "")
            if words[0] in flat or (any(wd in flat for wd in words[1:]) and "意见" in flat and len(flat) <= 12) \
                    or (len(flat) <= 12 and SequenceMatcher(None, words[0], flat).ratio() >= 0.7) \
                    or SequenceMatcher(None, words[0], flat[:len(words[0])]).ratio() >= 0.74:  # 所在地市科协该单位…
                rows[key] = box
                break
    order = [k for k, _ in _ROWS]
    inferred: set[str] = set()
    if len(rows) < len(_ROWS):
        inferred = _line_rows(bits, cells, rows, order, bool(head), (h, w), em)
    # rows whose label cell the seal made unreadable: the cells holding （公章）/签字 lines
    def free(b: PxBox) -> bool:
        return not any(min(b[3], r[3]) - max(b[1], r[1]) > 0.5 * (b[3] - b[1]) for r in rows.values())

    blocks = {b for t, b in cells if SEALWORD.search(t.replace("\n", "")) and free(b)}
    rest = {b for t, b in cells if REST.search(t.replace("\n", "")) and free(b)
            and not any(center_in(h.box, b) for h in head) and not re.search(r"承诺|基地负责|本人", t)}
    if rows:  # a row's signing lines without its label (负责人（签字） / 年 月 日, （公章） under a seal): the
        # rest of a row cut at a page break, or a row whose label the seal made unreadable
        blocks |= rest
    elif not head:  # no row's label on the page: signing lines at its top, nothing printed above them, are the
        # rest of the last row cut at the page break before, its （公章） under a signature (TUNE base clean 12581;
        # a signature reaching above the row is read as a line touching it)
        blocks |= {b for b in rest if not any(o.box[3] <= b[1] - em and len(t := o.text.strip()) >= 3
                                              and not _FOOTER.fullmatch(t) for o in bits)}
    blocks = sorted(blocks, key=lambda b: b[1])
    if blocks and head and not rows:
        blocks = [b for b in blocks if not center_in(head[0].box, b)]
    signed = {k for k, r in rows.items() for t, c in cells if c == r and (SEALWORD.search(t) or REST.search(t))}
    rests: set[str] = set()  # rows told by their signing lines alone (no label cell)
    for b in blocks:
        above = [k for k, r in rows.items() if r[3] <= b[1] + em]
        below = [k for k, r in rows.items() if r[1] >= b[3] - em]
        last = max(above, key=order.index) if above else None
        if last is not None and last not in signed and b[1] - rows[last][3] <= em \
                and not any(rows[last][3] - em < r[1] < b[1] for r in rows.values()):
            # the row's label and opinion in one cell, its signing lines in the cell right below it: one row
            r = rows[last]
            rows[last] = (min(r[0], b[0]), r[1], max(r[2], b[2]), max(r[3], b[3]))
            signed.add(last)
            continue
        if above:
            i = max(order.index(k) for k in above) + 1
        elif below:
            i = min(order.index(k) for k in below) - 1
        else:
            i = 0 if (len(blocks) == 1 and any("单位意见" in t or "申报" in t for t, _ in cells)) else 3 - len(blocks)
        if 0 <= i < 3 and order[i] not in rows:
            rows[order[i]] = b
            rests.add(order[i])
    if head and out:  # the 承诺 block ends where an opinion row begins
        hb = out[0].box
        below = [r[1] for r in rows.values() if r[1] > head[0].box[3]]
        if below:
            out[0].box = (hb[0], hb[1], hb[2], min(hb[3], min(below)))
    ran = _page_top(_page_end(rows, bits, h, em), rests, bits, em)
    for key, box in ran.items():
        own = rows[key]  # the row's cells are found by its own height, not by the blank it runs on into (a row
        # carried to the top of a page, run on below: its empty label cell still makes it span the table)
        row = [c for _, c in cells if min(c[3], own[3]) - max(c[1], own[1]) > 0.6 * (own[3] - own[1])]
        x0 = min([c[0] for c in row] + [box[0]])
        x1 = max([c[2] for c in row] + [box[2]])
        # the row runs across the table (and the table's right edge: a seal half outside it), even when
        # the opinion column's cells were not found
        out.append(Region(key, (x0, box[1], max(x1, w - 1), box[3]), None, f"{key}_sealed",
                          inferred=key in inferred))
    return out


_FOOTER = re.compile(r"[\d/\s第页共\-—]{1,8}")  # a page number (4/5 read as 415)
PAGE_END_EM = 10  # how far (in em) the last row of a page runs on into the blank below it
CUT_ROW_EM = 3.5  # a last row this short (em) without signing words holds only its label line on this page (and
# a blank line: TUNE base photo 12581, 3.1 em; a row with its opinion and signing lines is 4.5 em or more)


def _page_end(rows: dict[str, PxBox], bits: list, h: int, em: int) -> dict[str, PxBox]:
    """The lowest row runs on into the blank below it (to the next text that is not a page number): a row cut
    at a page break goes on on the next page, and its seal, pressed over its signing lines at the page's
    foot, hangs below the table. Nothing else is there for it to belong to. A line of print below stops it."""
    if not rows:
        return rows
    key = max(rows, key=lambda k: rows[k][3])
    x0, y0, x1, y1 = rows[key]
    # signing words anywhere across the row (its box may be its label cell's alone)
    if y1 - y0 < CUT_ROW_EM * em and not any(y0 <= (b.box[1] + b.box[3]) / 2 <= y1
                                             and (REST.search(b.text) or SEALWORD.search(b.text)) for b in bits):
        return rows  # the row's label line only, cut at the page break: its signing lines, and its seal, are on
        # the next page; a seal below it is the row above's, pressed over that row's signing lines, hanging down
    below = [b.box[1] for b in bits if b.box[1] >= y1 - em // 2 and len(t := b.text.strip()) >= 3
             and not _FOOTER.fullmatch(t)]  # a character or two: OCR reading a seal's or a signature's strokes
    end = min(below + [h, y1 + PAGE_END_EM * em])
    return {**rows, key: (x0, y0, x1, max(y1, end - em // 2))}


def _page_top(rows: dict[str, PxBox], rests: set[str], bits: list, em: int) -> dict[str, PxBox]:
    """A page's first row that is the label-less rest of a row cut at the page break before (its signing lines
    carried over) runs up to the page's top when no print is above it: its seal, pressed over those lines, often
    reaches above the table, and nothing else is there for it to belong to."""
    if not rows:
        return rows
    key = min(rows, key=lambda k: rows[k][1])
    x0, y0, x1, y1 = rows[key]
    if key not in rests or any(b.box[3] <= y0 + em // 2 and len(t := b.text.strip()) >= 3 and not _FOOTER.fullmatch(t)
                               for b in bits):
        return rows
    return {**rows, key: (x0, 0, x1, y1)}


def _head_by_headings(bits: list, cells: list[tuple[str, PxBox]], w: int, em: int) -> list[Region]:
    """The 基地负责人 block when its label was not read (a large signature written over it, OCR reading the two
    as one run): the lines of its section, from the 承诺 heading (六、申报单位负责人承诺) to the next heading,
    both on this page and outside tables. Told by its headings, not its label: inferred."""
    promise = [b for b in bits if _HEADING.match(b.text) and "承诺" in b.text and "承诺书" not in b.text
               and _home(b.box, cells) is None]
    if not promise:
        return []
    p = promise[0]
    nxt = [b.box[1] for b in bits if b.box[1] > p.box[3] + 2 * em and _HEADING.match(b.text)]
    if not nxt:  # the section runs on to the next page: its block may be there
        return []
    y1 = min(nxt + [c[1] for _, c in cells if c[1] > p.box[3] + em])
    return [Region("head", (0, p.box[3], w, y1), "head_signed", None, None, inferred=True)]


def _line_rows(bits: list, cells: list[tuple[str, PxBox]], rows: dict[str, PxBox], order: list[str], head: bool,
               shape: tuple[int, int], em: int) -> set[str]:
    """Opinions written as paragraphs under their label lines (no table): each block runs from its label
    line to the next label or heading; the page's top, above the first label, holds the label-less rest of
    the block before it (负责人（签字） / （公章） / 年 月 日 carried over from the previous page)."""
    h, w = shape
    free = [b for b in bits if _home(b.box, cells) is None]
    labels = []
    for key, words in _ROWS:
        if key in rows:
            continue
        for b in free:
            flat = re.sub(r"[\s：:]", "", b.text)
            lead = re.sub(r"\s", "", b.text).split("：")[0].split(":")[0]  # 省级科协意见：该单位… (label：value)
            head = flat[:len(words[0])]  # 省级科协意见情况属实…: the label's colon lost under a seal
            if (len(flat) <= 12 and (words[0] in flat or SequenceMatcher(None, words[0], flat).ratio() >= 0.75)) \
                    or (len(lead) <= 12 and len(lead) < len(re.sub(r"\s", "", b.text))
                        and SequenceMatcher(None, words[0], lead).ratio() >= 0.75) \
                    or (b.box[0] < 0.3 * w and SequenceMatcher(None, words[0], head).ratio() >= 0.74) \
                    or (key == "city" and _city_label(lead)):  # as in cells
                labels.append((key, b))
                break
    if not labels:
        return set()
    stops = [b.box[1] for _, b in labels] + [b.box[1] for b in free if re.match(r"^\s*[一二三四五六七八九十]{1,3}、", b.text)]
    for key, b in labels:
        nxt = min([y for y in stops if y > b.box[1] + em // 2], default=h)
        rows[key] = (0, max(0, b.box[1] - em // 2), w - 1, max(b.box[3], nxt - em // 2))
    first_key, first = min(labels, key=lambda kb: kb[1].box[1])
    i = order.index(first_key) - 1
    above = [b for b in free if b.box[3] <= first.box[1] and (SEALWORD.search(b.text) or _SIGN.search(b.text))]
    heads = [b for b in free if b.box[3] <= first.box[1] and ("基地负责" in b.text or "承诺" in b.text)]
    told: set[str] = set()
    if above and not heads and i >= 0 and order[i] not in rows and not (head and i == 0 and not above):
        top = max(0, first.box[1] - em // 2)
        signs = _signing_lines([b for b in above if _SIGN.search(b.text)], em)
        if len(signs) >= 2 and i >= 1 and order[i - 1] not in rows:
            # two signing lines above the first label: the carried rest of the block two before it, and the
            # block before it, its label lost (under its seal, or read with a signature as one run)
            cut = max((signs[0] + signs[1]) // 2, signs[1] - 3 * em)
            rows[order[i - 1]], rows[order[i]] = (0, 0, w - 1, cut), (0, cut, w - 1, top)
            told.add(order[i])
        else:
            rows[order[i]] = (0, 0, w - 1, top)
    return told | _second_signing_lines(free, rows, order, [k for k, _ in labels], em)


def _city_label(lead: str) -> bool:
    """所在地市科协意见 with its first characters misread (阴立地科协意见): a short 科协意见 line that no 省级 is in, the
    city's label read half (TUNE base heavy 12594: its row told by its signing lines alone, the applicant's
    seal and the city's named as guesses)."""
    return len(lead) <= 9 and lead.endswith("科协意见") and not re.search(r"[省级]", lead) \
        and SequenceMatcher(None, "所在地市科协意见", lead).ratio() >= 0.6


def _signing_lines(signs: list, em: int) -> list[int]:
    """The tops of distinct signing lines (负责人（签字） runs more than three lines' height apart), top down."""
    lines: list[int] = []
    for b in sorted(signs, key=lambda b: b.box[1]):
        if not lines or b.box[1] - lines[-1] > 3 * em:
            lines.append(b.box[1])
    return lines


def _second_signing_lines(free: list, rows: dict[str, PxBox], order: list[str], keys: list[str], em: int) -> set[str]:
    """A block found from its label that holds two signing lines (负责人（签字）) holds the next block too,
    whose label was not read (under its seal): that block is cut off from it, starting three lines above
    its signing line (a label and an opinion line), never above the middle between the two. Returns the
    blocks told this way."""
    signs = sorted((b for b in free if _SIGN.search(b.text)), key=lambda b: b.box[1])
    out: set[str] = set()
    for key in keys:
        i = order.index(key)
        if i + 1 >= len(order) or order[i + 1] in rows:
            continue
        x0, y0, x1, y1 = rows[key]
        lines = _signing_lines([b for b in signs if y0 <= b.box[1] < y1], em)
        if len(lines) >= 2:
            cut = max((lines[0] + lines[1]) // 2, lines[1] - 3 * em)
            rows[key] = (x0, y0, x1, cut)
            rows[order[i + 1]] = (x0, cut, x1, y1)
            out.add(order[i + 1])
    return out


# a seal's block among these regions (kept here for callers of regions.attribute / regions.assign)
from haizhi.extractors.scan.seal_owners import SHARE_MIN, assign, attribute  # noqa: E402,F401
