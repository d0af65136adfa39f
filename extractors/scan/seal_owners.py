"""Which block a seal belongs to: the region it overlaps most, seals and blocks matched one to one, and how sure
(a seal whose block is close between two readings is named for a check)."""

from __future__ import annotations

from haizhi.extractors.scan.regions import PxBox, Region, center_in, overlap


def attribute(seal: PxBox, regions: list[Region], taken: set[str] | None = None) -> tuple[Region | None, float]:
    """The block a seal overlaps most, and how sure (1 − second/best).

    taken: blocks that already hold a seal; when the best block is taken and the second one, which
    this seal also overlaps, is not, two seals pressed side by side belong one to each.
    """
    scored = sorted(((overlap(seal, r.box), r) for r in regions if r.seal_key), key=lambda t: -t[0])
    if not scored or scored[0][0] <= 0:
        return None, 0.0
    best = scored[0][0]
    second = scored[1][0] if len(scored) > 1 else 0
    if taken and scored[0][1].owner in taken and second > 0.15 * best and scored[1][1].owner not in taken:
        return scored[1][1], 0.5  # sure enough that it is a second block's seal, not that it is this one's
    return scored[0][1], 1 - second / best


SHARE_MIN = 0.15  # a seal goes to a block other than the one it overlaps most only when it covers this much of it


def assign(seals: list[PxBox], regions: list[Region]) -> list[tuple[Region | None, float]]:
    """Each seal's block and how sure, seals and blocks matched one to one where they can be.

    Two seals pressed side by side (or over each other) near the line between two blocks may both
    overlap one block most; one seal per block is the reading that explains both (the total overlap
    is the largest). A seal left over goes to the block it overlaps most. Sure is 1 − (overlap with a
    block left without a seal) / (overlap with its own block): a seal that could as well be a sealless
    neighbour's is not attributable with confidence.
    """
    regs = [r for r in regions if r.seal_key]
    ov = [[overlap(s, r.box) for r in regs] for s in seals]
    area = [max(1, (s[2] - s[0]) * (s[3] - s[1])) for s in seals]
    order = sorted(range(len(seals)), key=lambda i: -max(ov[i], default=0))[:6]
    readings: list[tuple[int, dict[int, int]]] = []  # every one-to-one reading and its total overlap

    def search(k: int, used: frozenset[int], pick: dict[int, int], total: int) -> None:
        if k == len(order):
            readings.append((total, dict(pick)))
            return
        i = order[k]
        top = max(ov[i], default=0)
        for j in range(len(regs)):
            if j not in used and ov[i][j] > 0 and (ov[i][j] == top or ov[i][j] >= SHARE_MIN * area[i]):
                pick[i] = j
                search(k + 1, used | {j}, pick, total + ov[i][j])
                del pick[i]
        search(k + 1, used, pick, total)

    search(0, frozenset(), {}, 0)
    best_total, pick = max(readings, key=lambda t: t[0]) if readings else (0, {})
    free = set(range(len(regs))) - set(pick.values())
    out: list[tuple[Region | None, float]] = []
    for i in range(len(seals)):
        j = pick.get(i)
        if j is None:
            if not ov[i] or max(ov[i]) <= 0:
                out.append((None, 0.0))
                continue
            j = max(range(len(regs)), key=lambda t: ov[i][t])
        rival = max((ov[i][f] for f in free if f != j), default=0)
        sure = max(0.0, 1 - rival / max(1, ov[i][j]))
        if i in pick:  # the best reading with this seal in another block: the lead of the best over it, in
            # this seal's own overlap, is how sure its block is (two seals shifting one row each read almost
            # as well as the best: neither block is sure)
            alt = max((t for t, p in readings if p.get(i, j) != j), default=None)
            if alt is not None:
                sure = min(sure, max(0.0, (best_total - alt) / max(1, ov[i][j])))
        out.append((regs[j], sure))
    return out


TEXT_RIVAL = 0.2  # a rival block's print under a seal, as a share of its own block's, that leaves it unanchored
ANCHORED = 0.9  # how sure a block told by the print its seal was pressed on is


def by_print(seals: list[PxBox], regions: list[Region], res: list[tuple[Region | None, float]],
             bits: list, ambiguous: float) -> list[tuple[Region | None, float]]:
    """res with a seal whose block is unsure by overlap (pressed across the line between two short opinion
    rows, as tall as two of them) made sure when the print it was pressed on is its block's alone: its own
    block's label, signing or date line under it, none of the others' (people stamp over their own lines). Not a
    seal over another seal (TUNE base heavy 9903: two seals cut from one blob, both boxes low)."""
    out = list(res)
    for k, (sb, (r, sure)) in enumerate(zip(seals, res, strict=True)):
        if r is None or sure >= 1 - ambiguous or any(overlap(sb, o) > 0 for j, o in enumerate(seals) if j != k):
            continue  # seals pressed over each other: their boxes, cut from one red blob, may lie a row off
        under = {id(o): 0 for o in regions if o.seal_key}
        for b in bits:
            o = next((o for o in regions if o.seal_key and center_in(b.box, o.box)), None)
            if o is not None and getattr(b, "text", "").strip():
                under[id(o)] += overlap(sb, b.box)
        own = under.get(id(r), 0)
        if own > 0 and all(v <= TEXT_RIVAL * own for i, v in under.items() if i != id(r)):
            out[k] = (r, max(sure, ANCHORED))
    return out


CLEAR_MM = 3.0  # how far a whole-ringed seal must be moved toward a ruled-off neighbour before it overlaps that
# neighbour as much as its own block: further than a ring-fitted box and a ruling can be off (about 1 mm each)
RULED_PX = 4  # a block's edge within this many pixels of a table cell's: the line between two blocks is a ruling


def clear_of(seal: PxBox, own: Region, regions: list[Region], cells: list[PxBox], ringed: bool, mm: float) -> bool:
    """A seal across the line between its block and a neighbour that still belongs to its block beyond doubt: its ring
    seen whole (its box is the ring's), every line it crosses a table ruling between stacked rows (not a line guessed
    between text), and the block it overlaps most ahead by a shift of CLEAR_MM or more (the scan maker's rule, and the
    office's, is the block it overlaps most; an overlap 60/40 is that rule's answer, not a toss-up, when both edges are
    measured)."""
    rivals = [o for o in regions if o.seal_key and o is not own and overlap(seal, o.box) > 0]
    if not ringed or not rivals:
        return False
    for o in rivals:
        step = _ruled_step(own.box, o.box, cells)
        if step is None:
            return False
        for d in range(int(CLEAR_MM * mm) + 1):
            moved = (seal[0], seal[1] + step * d, seal[2], seal[3] + step * d)
            if overlap(moved, o.box) >= overlap(moved, own.box):
                return False
    return True


def _ruled_step(a: PxBox, b: PxBox, cells: list[PxBox]) -> int | None:
    """+1 (down) or −1 (up) from row a toward row b when they are stacked and the line between them is a table
    ruling (a cell's top or bottom edge lies on it); None otherwise."""
    if abs(a[3] - b[1]) <= RULED_PX:
        y, step = (a[3] + b[1]) / 2, 1
    elif abs(b[3] - a[1]) <= RULED_PX:
        y, step = (b[3] + a[1]) / 2, -1
    else:
        return None
    return step if any(abs(c[1] - y) <= RULED_PX or abs(c[3] - y) <= RULED_PX for c in cells) else None
