"""Seals and signatures from pixels, tied to the form's signature/seal blocks.

Seals: red ink mask → closed blobs → ellipse fit, size 15–60 mm, round-ish.
Signatures: dark strokes (red removed) right of a printed 签字 label, where
the blank form has none. Blocks are found by their printed labels; a mark's
Mark.label is the contract's mark key (recommender_sealed …). For seals and
signatures Mark.checked says whether one is there: a block whose label was
read but holds nothing gives checked=False, so "looked, none" and "could not
look" (no mark at all → None) stay apart.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Protocol

import cv2
import numpy as np

from haizhi.extractors.layout import Mark
from haizhi.extractors.scan.blobs import densest_rows
from haizhi.extractors.scan.ink import page_blue_ink, red_mask
from haizhi.extractors.scan.mark_doubts import beside_a_lost_block, halves_of_one, nothing_under
from haizhi.extractors.scan.mark_keys import MARK_SURE
from haizhi.extractors.scan.regions import center_in
from haizhi.extractors.scan.seal_names import NAMED_SURE, applicant_named, by_name, lettered, named_for
from haizhi.extractors.scan.seal_owners import by_print, clear_of
from haizhi.extractors.scan.seals import RINGED, TWO_SEALS_MM, PxBox, find_seals, one_ring, to_pt
from haizhi.extractors.scan.sign_lines import label_end, paren_marked


class Bit(Protocol):
    text: str
    box: PxBox


_PRINTED = re.compile(r"签字|公章|推荐单位|被推荐|机构|负责人|意见|科协|单位|承诺|^[年月日\s]+$")


def _stroke_ink(binary: np.ndarray, box: PxBox, printed: list[PxBox], dpi: float) -> int:
    """Ink pixels in box, outside printed text, in blobs bigger than noise specks."""
    x0, y0, x1, y1 = (max(0, v) for v in box)
    sub = binary[y0:y1, x0:x1].copy()
    if sub.size == 0:
        return 0
    for px0, py0, px1, py1 in printed:
        sub[max(0, py0 - y0 - 2):max(0, py1 - y0 + 2), max(0, px0 - x0 - 2):max(0, px1 - x0 + 2)] = 0
    n, _, stats, _ = cv2.connectedComponentsWithStats(sub, connectivity=8)
    min_area = max(6, int((dpi / 100) ** 2 * 8))
    return int(sum(stats[i, cv2.CC_STAT_AREA] for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] >= min_area))


def _char_width(bits: list[Bit], dpi: float) -> float:
    """Width of a printed CJK character on this page (median over plain text runs)."""
    ws = [(b.box[2] - b.box[0]) / len(b.text) for b in bits
          if len(b.text) >= 4 and "签" not in b.text and re.fullmatch(r"[\u4e00-\u9fff，。、：；（）()]+", b.text)]
    return float(np.median(ws)) if ws else 10.5 * dpi / 72




def _printed_band(binary: np.ndarray, box: PxBox, em: int) -> tuple[int, int]:
    """Rows (y0, y1) of the printed label's own ink inside its run's box (handwriting makes runs taller)."""
    x0, y0, x1, y1 = (max(0, v) for v in box)
    sub = binary[y0:y1, x0:x1]
    if sub.size == 0:
        return y0, y1
    prof = (sub > 0).sum(axis=1).astype(np.float64)
    if prof.max() <= 0:
        return y0, y1
    top, k = densest_rows(prof, em)  # the densest one-em window is the printed line
    rows = np.flatnonzero(prof[top:top + k] > 0.1 * prof.max())
    if rows.size == 0:
        return y0 + top, y0 + top + k
    return y0 + top + int(rows[0]), y0 + top + int(rows[-1]) + 1


def _signature_at(binary: np.ndarray, bits: list[Bit], sig: Bit, dpi: float,
                  right_limit: int | None, cells: list[tuple[str, PxBox]] | None = None,
                  left_limit: int = 0) -> tuple[bool, PxBox, float]:
    """Handwriting right of the 签字 label, or above it when the label ends at the cell's edge, not left of
    left_limit (the block's own left edge: a run holding both blocks' labels, 负责人签字：负责人签字：（公章）,
    ends its first label in the block beside, whose signature is no reading of this block's).

    Right of the label the printed line may go on (（公章）, a date), so what counts there is
    ink above and below the printed line's band: a signature is taller than print.
    """
    x0, y0, x1, y1 = sig.box
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    home = next((b for _, b in cells or [] if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]), None)
    char_w = _char_width(bits, dpi)
    em = int(max(8 * dpi / 72, char_w))
    end = label_end(sig, char_w)
    if end + 4 * em <= left_limit:  # the label read is the block beside's
        return False, (left_limit, y0, left_limit, y1), 0.5
    py0, py1 = _printed_band(binary, (x0, y0, end, y1), em)
    cy = (py0 + py1) // 2
    ly0, ly1 = cy - em // 2, cy + em // 2
    right_edge = min(right_limit or 10**9, binary.shape[1], (home[2] if home else 10**9) - em // 4)
    region = (end + em // 4, py0 - int(1.1 * em), min(right_edge, end + 9 * em), py1 + int(1.1 * em))
    region = (max(region[0], left_limit), *region[1:])
    above = region[2] - region[0] < 4 * em  # no room to the right: people sign above the label
    if above:
        region = (max(x0 - 2 * em, (home[0] if home else 0), left_limit), ly0 - int(2.6 * em),
                  min(right_edge, end + 2 * em), ly1 + em)
    if home is not None:  # stay inside the cell that holds the label
        m = max(2, int(dpi / 50))
        region = (max(region[0], home[0] + m), max(region[1], home[1] + m),
                  min(region[2], home[2] - m), min(region[3], home[3] - m))
    # printed runs are one line high; a taller run has handwriting in it, so it is not excluded
    printed = [b.box for b in bits if b is not sig and (_PRINTED.search(b.text) or len(b.text) >= 7)
               and b.box[3] - b.box[1] <= 1.5 * em]
    printed.append((x0, ly0, end, ly1))  # the label itself
    if above:
        ink = _stroke_ink(binary, region, printed, dpi)
        need = 0.35 * em * em * 0.18
    else:
        pad = max(1, em // 6)
        printed.append((region[0], py0 - pad, region[2], py1 + pad))  # the printed line goes on: not counted
        ink = _stroke_ink(binary, region, printed, dpi)
        need = 0.18 * em * em * 0.18
    return ink >= need, region, round(float(min(1.0, 0.5 + abs(ink - need) / (need * 4))), 3)


def _without_rulings(binary: np.ndarray, cells: list[tuple[str, PxBox]], dpi: float) -> np.ndarray:
    """The page's ink without table rulings (cell borders) and thin long lines (underlines).

    Only thin lines go: a bold signature stroke is as long as a ruling but much thicker.
    """
    from haizhi.extractors.scan.blobs import components, line_masks

    out = binary.copy()
    m = max(2, int(dpi / 50))
    for _, (x0, y0, x1, y1) in cells:
        cv2.rectangle(out, (x0, y0), (x1, y1), 0, 2 * m + 1)
    hm, vm = line_masks(binary)
    thin = max(3, int(dpi / 45))
    for mask in (hm, vm):
        n, lab, st, _ = components(mask)
        for i in range(1, n):
            w, h = st[i, cv2.CC_STAT_WIDTH], st[i, cv2.CC_STAT_HEIGHT]
            if min(w, h) <= thin and max(w, h) >= 15 * dpi / 25.4:
                x, y = st[i, cv2.CC_STAT_LEFT], st[i, cv2.CC_STAT_TOP]
                sub = lab[y:y + h, x:x + w] == i
                sub = cv2.dilate(sub.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
                out[y:y + h, x:x + w][sub] = 0
    return out


def _unsure(conf: float, why: str | None) -> list[str]:
    """The doubts of a reading whose own confidence is conf: why, when conf leaves it unsure."""
    return [why] if why and conf < MARK_SURE else []


NEAR_LIMIT = "笔迹量接近判断界限"  # a signature's ink close to SIGN_NEED either way


SIGN_NEED = 0.06  # handwriting ink in a block, in em², that counts as a signature
UNEXPLAINED = 0.3  # handwriting in pieces (em², all clusters) in a block read unsigned that makes it unsure
TWO_SIGNATURES = 30.0  # em² of handwriting in one cluster: more than one signature (TUNE: one signature 2–24 em²)
SIGN_SURE = 0.4  # a signature of less ink than this (em², in clusters of strokes) is named for a check


def find_marks(bgr: np.ndarray, binary: np.ndarray, bits: list[Bit],
               cells: list[tuple[str, PxBox]], dpi: float,
               seals: list[tuple[PxBox, float]] | None = None, red: np.ndarray | None = None,
               namer: Callable[[PxBox], tuple[str, float]] | None = None) -> list[Mark]:
    """Seals and signatures of the page's signing/stamping blocks (regions), see regions.py.

    seals: the page's seals when already found (find_seals); red: its red_mask when already made; namer: a seal's
    ring as read (seal_names.ring_namer), asked for a seal across two blocks or a faint one."""
    from haizhi.extractors.scan import date_lines as dl
    from haizhi.extractors.scan import handwriting as hw
    from haizhi.extractors.scan import regions as rg
    from haizhi.extractors.scan import sign_clusters

    red = red_mask(bgr) if red is None else red
    seals = find_seals(bgr, dpi, red) if seals is None else seals
    binary = _without_rulings(binary, cells, dpi)
    if red.any():  # seal ink dark enough to binarize (heavy scans) is not handwriting: its red rim goes with it
        k = max(3, int(dpi / 60)) | 1
        binary = np.where(cv2.dilate(red, np.ones((k, k), np.uint8)) > 0, np.uint8(0), binary)
    char_w = _char_width(bits, dpi)
    em = int(max(8 * dpi / 72, char_w))
    # both forms' blocks: marks_for keeps the keys of the form being read (a label lost under a seal
    # must not make a base page look like a coop page)
    coloured = page_blue_ink(bgr, binary) if bgr.shape[:2] == binary.shape else None
    tint = bgr[:, :, 0].astype(np.int16) - bgr[:, :, 2] if coloured is not None and bgr.ndim == 3 else None
    pen = None  # blue ink and its greyer rims: no print (the blank before the second coop label is found under a
    if coloured is not None and coloured.any():  # blue signature written across it)
        k = max(3, em // 6) | 1
        pen = cv2.dilate(coloured, np.ones((k, k), np.uint8))
    families = [rg.coop_regions(bits, cells, binary.shape, char_w, em, binary, pen), rg.base_regions(bits, cells, binary.shape, em)]
    blocks = [(fi, r) for fi, fam in enumerate(families) for r in fam]
    marks: list[Mark] = []

    def add(kind: str, key: str | None, checked: bool, box: PxBox, conf: float, why: str | None = None) -> Mark:
        marks.append(Mark(kind=kind, checked=checked, label=key, bbox=to_pt(box, dpi), confidence=round(conf, 3),
                          source="pixels", doubts=_unsure(conf, why)))
        return marks[-1]

    got: set[str] = set()
    owners: list[dict[int, PxBox]] = [{} for _ in seals]  # each seal's own block's box, by family
    clear: set[tuple[int, int]] = set()  # (seal, family): across a ruling, yet its block's beyond doubt (clear_of)
    boxes = [sb for sb, _ in seals]
    per_fam = [by_print(boxes, fam, rg.assign(boxes, fam), bits, rg.AMBIGUOUS) for fam in families]
    if namer is not None and seals:
        per_fam = [by_name(boxes, fam, res, namer, bits) for fam, res in zip(families, per_fam, strict=True)]
        # a faint or worn seal (unsure it is one) whose ring reads as lettering is a seal
        seals = [(sb, max(c, RINGED)) if c < RINGED and lettered(namer(sb)) else (sb, c) for sb, c in seals]
    named = [named_for(boxes, fam, res, namer, bits) if namer is not None and seals else []
             for fam, res in zip(families, per_fam, strict=True)]
    for k, (sb, c) in enumerate(seals):
        placed = False
        for fi, (fam, res) in enumerate(zip(families, per_fam, strict=True)):
            r, sure = res[k]
            if r is None:
                continue
            placed = True
            got.add(r.owner)
            owners[k][fi] = r.box
            if sure < NAMED_SURE and clear_of(sb, r, fam, [b for _, b in cells], one_ring(red, sb, dpi / 25.4, None),
                                              dpi / 25.4):
                clear.add((k, fi))  # its block's beyond doubt: neither across two blocks nor partly a neighbour's
            across = sure < 1 - rg.AMBIGUOUS and 0.5 + 0.5 * sure < c and (k, fi) not in clear
            m = add("seal", r.seal_key, True, sb, min(c, 0.5 + 0.5 * sure) if across else c,
                    "印章跨在两个栏目之间，归属不确定" if across else "印章颜色浅或印迹不完整")
            for o in (o for kk, o in named[fi] if kk == k):
                # its ring names a block left without a seal: that block's seal may be under it, or this seal that
                # block's, pressed in the neighbour's; both named for a check. In the applicant's row with the
                # applicant's name not on this page, the applicant may be that 科协 itself, stamping its own row
                # (TUNE base clean 12364): its seal stands, the named block's "no seal" is named for a check
                got.add(o.owner)
                if r.owner == "applicant" and not applicant_named(bits):
                    add("seal", o.seal_key, False, o.box, 0.6, "申报单位栏的印章上写着本单位名称（申报单位可能就是本单位）")
                    continue
                m.doubt(0.6, "印章上的单位名称指向另一个栏目")
                add("seal", o.seal_key, True, sb, 0.6, "邻近栏目的印章上写着本单位名称")
            if max(sb[2] - sb[0], sb[3] - sb[1]) > TWO_SEALS_MM * dpi / 25.4:
                # wider than any one seal: two seals pressed over each other read as one blob; the block it
                # overlaps next gets a seal too, both named for a check
                m.doubt(0.6, "两枚印章叠在一起，读成了一枚")
                scored = sorted(((rg.overlap(sb, o.box), o) for o in fam if o.seal_key and o is not r),
                                key=lambda t: -t[0])
                if scored and scored[0][0] > 0.15 * rg.overlap(sb, r.box) and scored[0][1].owner not in got:
                    got.add(scored[0][1].owner)
                    add("seal", scored[0][1].seal_key, True, sb, 0.6, "两枚印章叠在一起，另一枚归入本栏")
        if not placed:
            add("seal", None, True, sb, c, "印章颜色浅或印迹不完整")  # a seal outside any known block
    halves_of_one(marks, seals, dpi)
    loose = red.copy()  # red ink no seal accounts for: a seal not made out (worn, overlapped, cut off)
    for sb, _c in seals:
        loose[max(0, sb[1]):max(0, sb[3]), max(0, sb[0]):max(0, sb[2])] = 0
    mm2 = (dpi / 25.4) ** 2
    hand: dict[int, tuple[list[int], bool, int]] = {}  # id(region) → (its clusters of handwriting, doubt,
    # ink of other blocks' clusters in it)
    strange: dict[int, tuple[int, int, np.ndarray]] = {}  # id(region) → where other blocks' handwriting lies
    for fi, fam in enumerate(families):
        signs = [r for r in fam if r.sign_key]
        masks = [hw.hand_mask(binary, r.box, bits, em, _PRINTED, r.label,
                              label_end(r.label, char_w) if r.label is not None else None, dpi, coloured)
                 for r in signs]
        own = [[sb for (sb, _c), (o, _s) in zip(seals, per_fam[fi], strict=True) if o is not None and o.owner == r.owner]
               for r in signs]  # each block's own seals: a signature across two blocks over one's seal is its
        whose: list = []
        inks = sign_clusters.signature_ink(binary, signs, masks, em, own, whose, tint)
        for t, (r, cl, doubt, alien) in enumerate(zip(signs, *inks, strict=True)):
            hand[id(r)] = (cl, doubt, alien)
            if alien and whose:
                strange[id(r)] = (whose[0][0], whose[0][1], (whose[0][2] >= 0) & (whose[0][2] != t))
    per_key = Counter(m.label for m in marks if m.kind == "seal" and m.label)
    # a block holds one seal: two given to one block mean one of them is another block's, whose "no seal"
    # is then unsure (its own block found too small, a label misread: 被推荐机构 → 推存构)
    crowded = {fi for fi, fam in enumerate(families) if any(per_key[o.seal_key] > 1 for o in fam if o.seal_key)}
    for fi, r in blocks:
        if r.seal_key and r.owner not in got:
            x0, y0, x1, y1 = (max(0, v) for v in r.box)
            red_left = int((loose[y0:y1, x0:x1] > 0).sum())
            m = add("seal", r.seal_key, False, r.box, 0.8)
            if red_left >= LOOSE_RED_MM2 * mm2:
                m.doubt(0.5, "栏内有未成形的红色印迹")
            if any(rg.overlap(sb, r.box) >= rg.AMBIGUOUS * rg.overlap(sb, own[fi])
                   for k, ((sb, _c), own, (_o, sure)) in enumerate(zip(seals, owners, per_fam[fi], strict=True))
                   if fi in own and sure < NAMED_SURE and (k, fi) not in clear):
                m.doubt(0.6, "邻近栏目的印章有相当部分落在本栏")  # (unless its ring named the neighbour)
            reaching = [sb for sb in boxes if rg.overlap(sb, r.box) >= NEIGHBOUR_SEAL * (sb[2] - sb[0]) * (sb[3] - sb[1])]
            if fi in crowded:
                m.doubt(0.6, "另一栏目分到了两枚印章，其中一枚可能是本栏的")
            if reaching and not nothing_under(red, r.box, reaching, boxes, dpi):
                # a neighbour's seal reaches well into this block: this block's own seal may be under it
                m.doubt(0.6, "邻近栏目的印章伸入本栏，本栏的印章可能压在其下")
            if r.box[3] - r.box[1] < 4 * em and not any(rg.REST.search(b.text) or rg.SEALWORD.search(b.text)
                                                         for b in bits if center_in(b.box, r.box)):
                # a sliver of a block without its signing lines (cut at a page break): the seal may be where they went
                m.doubt(0.6, "只找到本栏的一小部分（可能在分页处被截断）")
        if not r.sign_key:
            continue
        clusters, doubt, alien = hand[id(r)]
        big = hw.CLUSTER_MIN * em * em
        ink = sum(c for c in clusters if c >= big)
        need = SIGN_NEED * em * em
        ok = ink >= need
        conf = float(min(1.0, 0.5 + abs(ink - need) / (need * 2)))
        m = add("signature", r.sign_key, ok, r.box, conf, NEAR_LIMIT)
        if ok and ink < SIGN_SURE * em * em:
            m.doubt(0.6, "笔画很少，可能是很小的签字，也可能是其他痕迹")
        if not ok and max(clusters, default=0) >= 0.6 * big:
            m.doubt(0.6, "有接近签字的一团笔画，可能是很淡的签字")
        if not ok and r.label is not None:  # the label-relative reading (signature beside the label)
            ok2, _, conf2 = _signature_at(_without(binary, strange.get(id(r))), bits, r.label, dpi,
                                          r.box[2] if r.owner == "recommender" else None, cells, r.box[0])
            if ok2:  # unsure where a neighbour's signature reaches into this block: it may be what was seen
                m.checked, m.confidence, m.doubts = True, conf2, _unsure(conf2, NEAR_LIMIT)
                if alien >= big:
                    m.doubt(0.6, "邻近栏目的签字伸入本栏，看到的可能是它")
        over = dl.date_overwritten(binary, bits, r.box, em) if not m.checked else None
        if over is not None and over >= SIGN_NEED:  # a signature the size of print written over the date line,
            # read by OCR as characters with the date's 日 (张明华日), cut out with the line's print
            m.checked, m.confidence, m.doubts = True, 1.0, []
            m.doubt(0.9 if over >= SIGN_SURE and alien < big else 0.6, "签字写在日期行上，与日期的字混在一起")
        ok = bool(m.checked)
        if not ok and alien >= big:
            # a neighbour's signature reaches into this block: a small signature of this block's own written
            # against it (or over the line) is read as part of the neighbour's
            m.doubt(0.6, "邻近栏目的签字伸入本栏，本栏的小签字可能被算作它的")
        if not ok:  # ink here that nothing explains: red that formed no seal (a seal not made out, and a signature
            # written over it taken out with its ink), or handwriting in pieces each too small to count
            x0, y0, x1, y1 = (max(0, v) for v in r.box)
            if int((loose[y0:y1, x0:x1] > 0).sum()) >= LOOSE_RED_MM2 * mm2:
                m.doubt(0.6, "栏内有未成形的红色印迹，签字可能在其中")
            if sum(clusters) >= UNEXPLAINED * em * em:
                m.doubt(0.6, "栏内有零散的笔迹，无法确定是否为签字")
        if not ok and any(max(hand[id(o)][0], default=0) >= TWO_SIGNATURES * em * em for o in families[fi]
                          if o is not r and id(o) in hand):
            # a neighbour holds two signatures' ink in one cluster of strokes: this block's signature may be in
            # it (written below its label, under the two seals, touching the neighbour's)
            m.doubt(0.6, "邻近栏目的一团笔迹像两个签字，其中一个可能是本栏的")
        if not ok and r.label is None and any(sum(c >= SIGN_SURE * em * em for c in hand[id(o)][0]) >= 2
                                              for o in families[fi] if o is not r and id(o) in hand):
            # its 签字 label not read (where this block's signing line lies is a guess) and a neighbour holds two
            # signatures: one may be this block's (TUNE coop heavy 12381: the split put after the only label read,
            # the institution's, and its head's name with it in the recommender's block)
            m.doubt(0.6, "本栏的“签字”标签没有读出，邻近栏目里有两个签字，其中一个可能是本栏的")
        if doubt:  # a signature across the line between this block and the next: whose it is is not sure
            m.doubt(0.6, "签字跨在两个栏目的分界线上，归属不确定")
        if not ok and any(dl.written_over(t) or dl.date_marked(t) for b in bits if center_in(b.box, r.box)
                          for t in (b.text.replace(" ", ""),)):
            # OCR read characters where the date line prints 年 (曾寿台月日, 年入月日): something, perhaps a
            # small signature, written over it, its ink cut out with the date's print
            m.doubt(0.6, "日期行上有字迹，可能是写在上面的签字")
        if not ok and r.label is not None and paren_marked(r.label.text):
            m.doubt(0.6, "签字行上有字迹，可能是写在上面的签字")
        if r.inferred and not ok:  # a block told by its headings, its label not read: no signature found
            m.doubt(0.6, "栏目标签没有读出，栏目位置是推断的")  # (the label may be on a line read as something else)
        m.confidence = round(m.confidence, 3)  # (the label-side reading's own)
    beside_a_lost_block(marks, families[1])
    return marks


def _without(binary: np.ndarray, ink: tuple[int, int, np.ndarray] | None) -> np.ndarray:
    """binary without the strokes of signatures given to other blocks (x0, y0, mask): a neighbour's signature
    reaching past the line between two blocks is not handwriting beside this block's label."""
    if ink is None or not ink[2].any():
        return binary
    x0, y0, m = ink
    out = binary.copy()
    out[y0:y0 + m.shape[0], x0:x0 + m.shape[1]][m] = 0
    return out


LOOSE_RED_MM2 = 30.0  # red ink in a block without a seal, in mm², that makes "no seal" unsure
NEIGHBOUR_SEAL = 0.15  # share of a seal's box in a block without a seal that makes its "no seal" unsure
