"""Seals on the rest of a block carried over a page break.

A block cut by a page break goes on at the top of the next page, in the label-less lines or table rows there
(负责人（签字） /（单位公章）/ 年 月 日), until the next labelled block. A seal pressed there that the page's own blocks
do not take belongs to the previous page's last block; of two blocks side by side there (推荐单位 | 被推荐机构),
to the one it lies under. Sure when the page's top holds that rest's print beside the seal and one block is
the seal's; otherwise read with a low confidence so that a finding names it.
"""

from __future__ import annotations

import re

from haizhi.extractors.layout import Layout, Mark, Page

BBox = tuple[float, float, float, float]
_SIGNING = re.compile(r"签[字名]|公章|盖章|负责人|[（(]\s*单位")  # a block's signing lines' print
_REST = re.compile(_SIGNING.pattern + r"|\d{4}\s*年|年\s*\d{0,2}\s*月|月\s*\d{0,2}\s*日")  # … or its date's
CARRIED_SURE = 0.9  # a seal on its block's carried rest, the one block continuing there
CARRIED_UNSURE = 0.6  # a seal at the top of a page, its block only inferred
SIDE_SHARE = 0.8  # of two blocks side by side, the share of a seal's across-overlap one must hold to be its


def _owner(key: str) -> str:
    return key.rsplit("_", 1)[0]


def _last_blocks(page: Page, keys: set[str]) -> dict[str, BBox]:
    """The page's lowest block(s) by owner, with their x extent: one block, or blocks side by side at the foot.

    A seal found gives its own box, a block looked at (no seal, a signature read or not) its region's box."""
    boxes: dict[str, list[BBox]] = {}
    for m in page.marks:
        if m.kind in ("seal", "signature") and m.label in keys and m.bbox:
            boxes.setdefault(_owner(m.label), []).append(tuple(m.bbox))  # type: ignore[arg-type]
    if not boxes:
        return {}
    spans = {o: (min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs))
             for o, bs in boxes.items()}
    low = max(spans.values(), key=lambda b: b[1])
    # the one that begins lowest (a seal pressed low in the row above may hang below a short last row), and the
    # blocks beside it at the foot (side by side, reaching its lower half)
    return {o: b for o, b in spans.items() if b is low or (_beside(b, low) and b[3] > (low[1] + low[3]) / 2)}


def _beside(a: BBox, b: BBox) -> bool:
    across = min(a[2], b[2]) - max(a[0], b[0])
    return across < 0.5 * min(a[2] - a[0], b[2] - b[0])


def _whose(seal: BBox, last: dict[str, BBox]) -> tuple[str | None, bool]:
    """The block among the previous page's last ones the seal lies under, and whether that is clear."""
    if len(last) == 1:
        return next(iter(last)), True
    if not any(_beside(a, b) for a in last.values() for b in last.values() if a is not b):  # one above the
        return max(last, key=lambda o: last[o][3]), False  # other: the lowest goes on, but that is a guess
    ov = {o: max(0.0, min(seal[2], b[2]) - max(seal[0], b[0])) for o, b in last.items()}
    total = sum(ov.values())
    if total <= 0:
        return None, False
    best = max(ov, key=lambda o: ov[o])
    return best, ov[best] >= SIDE_SHARE * total


def _cut(page: Page, owner: str, keys: set[str]) -> bool:
    """The block was cut at the page's foot before its signing lines: its region there (a block looked at, no
    seal found in it) holds no 负责人（签字）/（公章） print, so they, and its seal, went on to the next page. A block
    whose signing lines are all here may have its seal here too, or be followed by a block whose label was lost."""
    boxes = [m.bbox for m in page.marks if m.label in keys and _owner(m.label) == owner and m.bbox
             and (m.kind == "signature" or not m.checked)]
    if not boxes:
        return False
    for text, b in _texts(page):
        cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
        if any(r[0] <= cx <= r[2] and r[1] <= cy <= r[3] for r in boxes) and _SIGNING.search(text.replace("\n", "")):
            return False
    return True


def _texts(page: Page) -> list[tuple[str, BBox]]:
    out = [(ln.text, tuple(ln.bbox)) for ln in page.lines if ln.bbox]
    out += [(c.text, tuple(c.bbox)) for t in page.tables for c in t.cells if c.bbox and c.text]
    return out  # type: ignore[return-value]


def _rest_beside(page: Page, seal: BBox, top: float) -> bool:
    """The carried rest's print at the seal's height, above the page's own blocks."""
    for text, b in _texts(page):
        if b[1] < top and b[1] < seal[3] and b[3] > seal[1] and _REST.search(text.replace("\n", "")):
            return True
    return False


def carried_seals(layout: Layout, keys: set[str]) -> list[tuple[str, BBox, int, float]]:
    """Seals in no block at the top of a page (above its own blocks) given to the previous page's last block:
    (mark key, seal box, page, confidence)."""
    out = []
    last: dict[str, BBox] = {}
    prev = layout.pages[0] if layout.pages else Page(number=0)
    for page in layout.pages:
        mine = [m for m in page.marks if m.kind == "seal" and m.label in keys and m.bbox]
        top = min((m.bbox[1] for m in mine), default=float("inf"))  # type: ignore[index]
        twice = {m.label for m in mine if sum(o.label == m.label for o in mine) > 1}
        for m in page.marks:
            # two seals given to the page's first block, the upper one the page's top seal: the block's label may
            # be lost under it and the cut block's rest read as part of it (TUNE base photo 12096)
            upper = m in mine and m.label in twice and m.bbox[1] == top  # type: ignore[index]
            if not (upper or _loose_seal(m, keys) and m.bbox[3] <= top + 20) or not last:  # type: ignore[index]
                continue
            seal: BBox = tuple(m.bbox)  # type: ignore[arg-type, assignment]
            owner, clear = _whose(seal, last)
            if owner is None or f"{owner}_sealed" not in keys:
                continue
            if upper and (f"{owner}_sealed" == m.label or not _cut(prev, owner, keys)):
                continue
            sure = clear and not upper and _rest_beside(page, seal, top) and _cut(prev, owner, keys)
            out.append((f"{owner}_sealed", seal, page.number, CARRIED_SURE if sure else CARRIED_UNSURE))
        if any(m.label in keys for m in page.marks if m.kind in ("seal", "signature")):
            last, prev = _last_blocks(page, keys), page
        elif page.tables or page.lines:
            last = {}
    return out


def _loose_seal(m: Mark, keys: set[str]) -> bool:
    """A seal given to no block of this form: to none, or to a block of the other form (a base page whose labels
    were lost read as a coop page by its two 签字 labels: TUNE base clean 12575)."""
    return m.kind == "seal" and (m.label is None or m.label not in keys) and bool(m.checked) and m.bbox is not None


def rest_read(layout: Layout, keys: set[str]) -> dict[str, int]:
    """Blocks cut at a page's foot before their signing lines (their seal's place on the next page) whose rest
    was found and looked at at the top of the next page: {seal key: that page}. There the reading of "no seal"
    is made where the seal would be; the cut block's own doubt (its seal may be where its lines went) is answered."""
    out: dict[str, int] = {}
    for prev, page in zip(layout.pages, layout.pages[1:], strict=False):
        if page.number != prev.number + 1:
            continue
        last = _last_blocks(prev, keys)
        mine = [m for m in page.marks if m.kind == "seal" and m.label in keys and m.bbox]
        found = [m.label for m in prev.marks if m.kind == "seal" and m.checked]
        if len(last) != 1 or not mine or len(found) != len(set(found)) or None in found:
            continue  # a seal on the cut page given to no block, or two to one: one may be the cut block's
        owner = next(iter(last))
        first = min(mine, key=lambda m: m.bbox[1])  # type: ignore[index]
        if first.label == f"{owner}_sealed" and _cut(prev, owner, keys):
            out[first.label] = page.number
    return out
