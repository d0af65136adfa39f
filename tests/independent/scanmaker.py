"""A second scan maker, written apart from pipeline/simulate: a filled form PDF → a signed, stamped, degraded scan.

    make_scan(pdf, form_id, out_dir, level="moderate", seed=0, photo=False) -> ScanTruth

The blocks to sign and stamp are found in the PDF's own text layer (any layout: 签字/签名
labels, （公章）/（盖章） labels, their table cell or the lines down to the next block), then
people's habits are played out: a seal pressed over the label column, over the date, half
outside the table, overlapping the neighbouring block's seal; a signature right of the label,
below the label line, across the date line, above it, touching the seal, in blue or black,
small or large. Chosen options (printed ☑) are re-marked as a hand tick, a cross, a scribbled
box, a printed √/✓ or ■. Then the page is scanned (clean / moderate / heavy) or photographed.

The truth follows the issue's rule: a seal belongs to the block whose region it overlaps most
(placements are nudged until that holds), a signature to the block whose region holds it.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from tests.independent import scan_ink as ink

COOP, BASE = "coop_institution", "base_application"
MARK_KEYS = {COOP: ("recommender_signed", "recommender_sealed", "institution_signed", "institution_sealed"),
             BASE: ("head_signed", "applicant_sealed", "city_sealed", "provincial_sealed")}
SEAL_WAYS = ("standard", "label_column", "date", "half_outside", "overlap")
SIGN_WAYS = ("right", "below", "date", "above", "seal")
TICK_WAYS = ("box_tick", "box_cross", "box_fill", "check", "filled")
LEVELS = ("clean", "moderate", "heavy")

Box = tuple[float, float, float, float]
_SIGN = re.compile(r"签[ \u3000]*[字名]")  # on one line: a text's 签 at a line end and 字 under it are no label
_SEAL = re.compile(r"[（(]\s*(?:单位|加)?\s*[公盖]\s*章\s*[）)]")
_DATE = re.compile(r"年\s+月\s+日")


@dataclass
class Block:
    owner: str  # recommender | institution | head | applicant | city | provincial | other
    kind: str  # seal | signature
    page: int
    anchor: Box  # the printed label, in points
    key: str | None = None  # contract mark key
    region: Box = (0, 0, 0, 0)
    label_col: Box | None = None  # the row's label cell (table rows)
    table: Box | None = None
    date: Box | None = None
    label_text: str = ""  # the row's label cell text (table rows): names the block's owner


@dataclass
class ScanTruth:
    path: Path
    form: str
    level: str
    photo: bool
    dpi: int
    marks: dict[str, bool]
    placed: list[dict] = field(default_factory=list)  # key, kind, way, page, box (pt), ink, size
    ticks: list[dict] = field(default_factory=list)  # page, way, box (pt)

    def save(self) -> Path:
        p = self.path.with_suffix(".truth.json")
        d = asdict(self)
        d["path"] = str(self.path)
        p.write_text(json.dumps(d, ensure_ascii=False, indent=1), encoding="utf-8")
        return p


def _hits(page, pattern: re.Pattern) -> list[Box]:
    return [(m["x0"], m["top"], m["x1"], m["bottom"]) for m in page.search(pattern.pattern, regex=True)]


def _line_before(page, box: Box, n: int = 12) -> str:
    chars = [c for c in page.chars if abs(c["top"] - box[1]) < 4 and c["x1"] <= box[0] + 1]
    chars.sort(key=lambda c: c["x0"])
    return "".join(c["text"] for c in chars)[-n:]


def _inside(b: Box, cell: Box) -> bool:
    cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
    return cell[0] <= cx <= cell[2] and cell[1] <= cy <= cell[3]


def _area(b: Box) -> float:
    return max(0.0, b[2] - b[0]) * max(0.0, b[3] - b[1])


def _overlap(a: Box, b: Box) -> float:
    return _area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))


def find_blocks(pdf: Path, form_id: str) -> list[Block]:
    """Signature and seal blocks, owners and regions, from the PDF's text layer and rulings."""
    import pdfplumber

    blocks: list[Block] = []
    with pdfplumber.open(str(pdf)) as doc:
        for pno, page in enumerate(doc.pages, start=1):
            tables = page.find_tables()
            found = [(b, "signature") for b in _hits(page, _SIGN)] + [(b, "seal") for b in _hits(page, _SEAL)]
            found.sort(key=lambda t: (round(t[0][1] / 6), t[0][0]))
            dates = _hits(page, _DATE)
            for b, kind in found:
                blk = Block("other", kind, pno, b)
                before = _line_before(page, b)
                blk.owner = "head" if kind == "signature" and "基地负责" in before else "?"
                for t in tables:
                    cells = [c for c in t.cells if c and _inside(b, c)]
                    if cells:
                        cell = min(cells, key=_area)
                        blk.table = t.bbox
                        blk.region = (t.bbox[0], cell[1], t.bbox[2], cell[3])
                        row = [c for c in t.cells if c and c[0] < cell[0] and min(c[3], cell[3]) - max(c[1], cell[1])
                               > 0.5 * (cell[3] - cell[1])]
                        blk.label_col = min(row, key=lambda c: c[0]) if row else None
                        if blk.label_col:  # the block is the label cell's rows (its sub-rows: opinion, 签字, date)
                            lc = blk.label_col
                            blk.region = (t.bbox[0], min(cell[1], lc[1]), t.bbox[2], max(cell[3], lc[3]))
                            blk.label_text = "".join((page.crop(lc, strict=False).extract_text() or "").split())
                        break
                if blk.table is None:
                    lh = b[3] - b[1]
                    blk.region = (40.0, b[1] - 3 * lh, float(page.width) - 40, b[3] + 3.5 * lh)
                near = [d for d in dates if _inside(d, blk.region) and d[1] >= b[1] - 2]
                blk.date = min(near, key=lambda d: (d[1] - b[1]) ** 2 + (d[0] - b[0]) ** 2 / 9) if near else None
                blocks.append(blk)
    _own(blocks, form_id)
    return blocks


def _base_owner(label: str) -> str | None:
    """The opinion row a base form's label cell names (申报单位意见, 所在地市科协意见, 省级科协意见)."""
    if "意见" not in label:
        return None
    return "provincial" if "省" in label else "city" if "市" in label else "applicant"


def _own(blocks: list[Block], form_id: str) -> None:
    """Owners and contract keys by order; regions of side-by-side blocks in one cell split between them."""
    signs = [b for b in blocks if b.kind == "signature"]
    seals = [b for b in blocks if b.kind == "seal"]
    if form_id == COOP:
        for kind_blocks, suffix in ((signs, "signed"), (seals, "sealed")):
            for b, owner in zip(kind_blocks, ("recommender", "institution"), strict=False):
                b.owner, b.key = owner, f"{owner}_{suffix}"
        rec = [b for b in blocks if b.owner == "recommender"]
        ins = [b for b in blocks if b.owner == "institution"]
        if rec and ins and rec[0].region == ins[0].region and rec[0].page == ins[0].page:
            r = rec[0].region
            same_line = abs(rec[0].anchor[1] - ins[0].anchor[1]) < 6
            if same_line:
                split = (max(b.anchor[2] for b in rec) + min(b.anchor[0] for b in ins)) / 2
                for b in rec:
                    b.region = (r[0], r[1], split, r[3])
                for b in ins:
                    b.region = (split, r[1], r[2], r[3])
            else:
                split = (max(b.anchor[3] for b in rec) + min(b.anchor[1] for b in ins)) / 2
                for b in rec:
                    b.region = (r[0], r[1], r[2], split)
                for b in ins:
                    b.region = (r[0], split, r[2], r[3])
    elif form_id == BASE:
        for b in signs:
            if b.owner == "head":
                b.key = "head_signed"
        named = [_base_owner(b.label_text) for b in seals]  # by the row's label: a （公章） cut by a page
        free = [o for o in ("applicant", "city", "provincial") if o not in named]  # break is not found
        for b, name in zip(seals, named, strict=True):
            owner = name or (free.pop(0) if free else None)
            if owner:
                b.owner, b.key = owner, f"{owner}_sealed"
        for s in signs:  # an opinion row's 负责人签字 belongs to that row's owner (not a contract mark)
            if s.owner != "head":
                mate = next((b for b in seals if b.page == s.page and b.region == s.region), None)
                s.owner = mate.owner if mate else "other"
    for b in blocks:
        if b.owner == "?":
            b.owner = "other"


def _seal_centre(b: Block, way: str, d: float, placed: dict, rng: random.Random) -> tuple[float, float]:
    ax, ay = (b.anchor[0] + b.anchor[2]) / 2, (b.anchor[1] + b.anchor[3]) / 2
    r = b.region
    jit = lambda s: rng.uniform(-s, s)  # noqa: E731
    if way == "label_column":
        if b.label_col:
            return (b.label_col[0] + b.label_col[2]) / 2 + jit(d * 0.1), (r[1] + r[3]) / 2 + jit(d * 0.1)
        return r[0] + d * 0.55, ay + jit(d * 0.1)
    if way == "date" and b.date:
        return (b.date[0] + b.date[2]) / 2 + jit(d * 0.1), (b.date[1] + b.date[3]) / 2 + jit(d * 0.1)
    if way == "half_outside":
        edge = b.table[2] if b.table else r[2]
        return edge + jit(d * 0.1), (r[1] + r[3]) / 2 + jit(d * 0.15)
    if way == "overlap":
        mates = [c for k, c in placed.items() if k != b.owner and c[2] == b.page]
        if mates:
            mx, my, _ = min(mates, key=lambda c: abs(c[0] - ax) + abs(c[1] - ay))
            dx, dy = ax - mx, ay - my
            n = max(1e-6, (dx * dx + dy * dy) ** 0.5)
            return mx + dx / n * d * 0.8, my + dy / n * d * 0.8
    return ax + jit(d * 0.12), ay + jit(d * 0.1)


def _settle(b: Block, cx: float, cy: float, d: float, blocks: list[Block]) -> tuple[float, float]:
    """Nudge a seal toward its own region until its own block overlaps it most (the truth rule)."""
    rx, ry = (b.region[0] + b.region[2]) / 2, (b.region[1] + b.region[3]) / 2
    for _ in range(12):
        box = (cx - d / 2, cy - d / 2, cx + d / 2, cy + d / 2)
        mine = _overlap(box, b.region)
        others = [_overlap(box, o.region) for o in blocks if o.page == b.page and o.kind == "seal" and o.key
                  and o.owner != b.owner]
        if mine > 0.2 * d * d and all(mine >= 1.2 * o for o in others):  # a clear majority, not a toss-up
            break
        cx, cy = cx + (rx - cx) * 0.25, cy + (ry - cy) * 0.25
    return cx, cy


def _sign_at(b: Block, way: str, w: float, h: float, seal_at: tuple | None, rng: random.Random) -> tuple[float, float]:
    """Top-left of a signature w × h (points)."""
    x0, y0, x1, y1 = b.anchor
    lh = y1 - y0
    if way == "seal" and seal_at:
        cx, cy, _ = seal_at
        return cx - w * rng.uniform(0.2, 0.8), cy + rng.uniform(-0.3, 0.1) * h
    if way == "below":
        return x0 + rng.uniform(-0.5, 2) * lh, y1 + rng.uniform(0.1, 0.6) * lh
    if way == "date" and b.date:
        return b.date[0] - w * rng.uniform(0.1, 0.4), (b.date[1] + b.date[3]) / 2 - h / 2
    if way == "above":
        return x0 + rng.uniform(0, 1.5) * lh, y0 - h - rng.uniform(0, 0.3) * lh
    return x1 + rng.uniform(1.5, 2.5) * lh, (y0 + y1) / 2 - h * rng.uniform(0.45, 0.7)


def _clamp(x: float, y: float, w: float, h: float, r: Box) -> tuple[float, float]:
    """Keep the mark's centre inside its region (it may run over the edges)."""
    cx = min(max(x + w / 2, r[0] + 4), r[2] - 4)
    cy = min(max(y + h / 2, r[1] + 4), r[3] - 4)
    return cx - w / 2, cy - h / 2


def make_scan(pdf: Path, form_id: str, out_dir: Path, *, level: str = "moderate", seed: int = 0,
              photo: bool = False, p_mark: float = 0.85, hand_ticks: float = 0.6,
              ways: dict[str, str] | None = None, names: dict[str, str] | None = None,
              stem: str | None = None, pages: list[int] | None = None) -> ScanTruth:
    """Scan `pdf` (a filled form) as people return it; write `<stem>.pdf` and its truth JSON into out_dir.

    pages: only these pages of the form (1-based) are scanned, e.g. the signing page.
    ways: force a placement, e.g. {"seal": "overlap", "signature": "date", "tick": "box_cross", "ink": "blue",
    "size": "small"}.
    """
    import pdfplumber
    import pypdfium2 as pdfium
    from PIL import Image

    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    ways = ways or {}
    rng = random.Random(f"indep:{seed}:{level}:{form_id}:{photo}")
    dm = ink.DAMAGE[level]
    dpi = rng.randint(*dm.dpi)
    s = dpi / 72
    blocks = find_blocks(Path(pdf), form_id)
    keys = MARK_KEYS[form_id]
    present = {k: rng.random() < p_mark for k in keys}
    truth = ScanTruth(Path(out_dir) / f"{stem or f'{form_id}-{level}-{seed}'}.pdf", form_id, level, photo, dpi,
                      {k: False for k in keys})
    names = names or {}
    doc = pdfium.PdfDocument(str(pdf))
    plumb = pdfplumber.open(str(pdf))
    out_pages: list[Image.Image] = []
    seals_at: dict[str, tuple[float, float, int]] = {}
    try:
        for i in range(len(doc)):
            pno = i + 1
            if pages is not None and pno not in pages:
                continue
            page = np.asarray(doc[i].render(scale=s).to_pil().convert("RGB"), np.float32).copy()
            for ch in plumb.pages[i].chars:  # chosen options → other tick styles
                if ch["text"] == "☑" and rng.random() < hand_ticks:
                    way = ways.get("tick") or rng.choice(TICK_WAYS)
                    box = (ch["x0"], ch["top"], ch["x1"], ch["bottom"])
                    ink.hand_tick(page, tuple(int(v * s) for v in box), way, rng)
                    truth.ticks.append({"page": pno, "way": way, "box": [round(v, 1) for v in box]})
            mine = [b for b in blocks if b.page == pno]
            for b in sorted(mine, key=lambda b: b.kind != "seal"):  # seals first: signatures may touch them
                on = present.get(b.key, False) if b.key else (b.owner != "other" and rng.random() < 0.6)
                if not on:
                    continue
                if b.kind == "seal":
                    layer = ink.seal(names.get(b.owner, "单位公章专用"), dpi, rng)
                    d = layer.size[1] / s
                    way = ways.get("seal") or rng.choice(SEAL_WAYS)
                    cx, cy = _seal_centre(b, way, d, seals_at, rng)
                    cx, cy = _settle(b, cx, cy, d, blocks)
                    seals_at[b.owner] = (cx, cy, pno)
                    w, h = layer.size[0] / s, d
                    x, y = cx - w / 2, cy - h / 2
                    extra = {"ink": "red", "size_mm": round(d * 25.4 / 72, 1)}
                else:
                    tall = ways["size"] == "large" if "size" in ways else rng.random() < 0.5
                    hmm = rng.uniform(11, 16) if tall else rng.uniform(4.5, 6.5)
                    colour = ways.get("ink") or rng.choice(tuple(ink.INKS))
                    layer = ink.signature(names.get(f"{b.owner}_signer", "张明华"), dpi, rng, hmm, colour)
                    w, h = layer.size[0] / s, layer.size[1] / s
                    way = ways.get("signature") or rng.choice(SIGN_WAYS)
                    x, y = _sign_at(b, way, w, h, seals_at.get(b.owner), rng)
                    x, y = _clamp(x, y, w, h, b.region)
                    extra = {"ink": colour, "size_mm": round(hmm, 1)}
                ink.press(page, layer, int(x * s), int(y * s))
                if b.key:
                    truth.marks[b.key] = True
                truth.placed.append({"key": b.key, "owner": b.owner, "kind": b.kind, "way": way, "page": pno,
                                     "box": [round(v, 1) for v in (x, y, x + w, y + h)], **extra})
            im = ink.photograph(page, rng) if photo else ink.degrade(page, level, dpi, rng)
            out_pages.append(im)
    finally:
        doc.close()
        plumb.close()
    truth.path.parent.mkdir(parents=True, exist_ok=True)
    out_pages[0].save(truth.path, "PDF", save_all=True, append_images=out_pages[1:], resolution=float(dpi))
    truth.save()
    return truth


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="independent scan maker")
    ap.add_argument("pdf", type=Path)
    ap.add_argument("form")
    ap.add_argument("--out", type=Path, default=Path("."))
    ap.add_argument("--level", default="moderate")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--photo", action="store_true")
    a = ap.parse_args(argv)
    t = make_scan(a.pdf, a.form, a.out, level=a.level, seed=a.seed, photo=a.photo)
    print(json.dumps({"path": str(t.path), "marks": t.marks, "placed": t.placed}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
