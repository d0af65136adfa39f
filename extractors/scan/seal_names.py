"""Whose seal, by its own name: a seal pressed across the line between two blocks goes to the block whose
organisation its ring names (its lettering read from the rim, ring_text.ring_reading), not to the block it happens
to overlap a little more. A recommending 科协 stamps between 推荐单位 and 被推荐机构; a city's and a province's
seal overlap each other's opinion rows."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from haizhi.extractors.orgname import check_org, org_ending, provincial_level
from haizhi.extractors.scan.regions import INSTITUTION_LABEL, RECOMMENDER_LABEL, PxBox, Region, overlap

if TYPE_CHECKING:
    from haizhi.extractors.scan.context import PageCtx

RIVAL = 0.15  # a second block holding this share of a seal's overlap with its own: the seal's ring is asked
READ_MIN = 0.5  # a ring read less surely than this tells nothing
NAME_FIT = 0.6  # the ring's reading and a name printed after the block's label alike this much (SequenceMatcher)
OTHER_FIT = 0.3  # ... and every other block's name no more alike than this
NAMED_SURE = 0.9  # how sure a block told by the seal's own name is
_LABELS = {"recommender": RECOMMENDER_LABEL, "institution": INSTITUTION_LABEL,
           "applicant": re.compile(r"申报单位(?!意见)")}


def _names(owner: str, bits: Sequence[object]) -> list[str]:
    """The names printed after the block's organisation label on the page (推荐单位：浙江省科学技术协会)."""
    lab = _LABELS.get(owner)
    out = []
    for b in bits if lab is not None else ():
        text = "".join(str(getattr(b, "text", "")).split())
        for m in lab.finditer(text):
            v = re.sub(r"^[:：]", "", text[m.end():])
            v = re.split(INSTITUTION_LABEL.pattern + r"|(?<!被)推荐单位|负责人|被推", v)[0]  # (被推 the rest of
            # 被推荐机构 under a seal: 江省科学技术协会被推安众创…, TUNE coop heavy 12649)
            if len(v) >= 4 and "。" not in v:  # a sentence (被推荐机构近三年内无违法…。) names no one
                out.append(v)
    return out


_PROVINCE_WORD = re.compile(r"(省|自治区)(科学技术协会?|科协)")  # a provincial 科协's level word before its ending (市
# is no help: 北京市科学技术协会 is provincial)
_CITY_WORD = re.compile(r"^[^省区]?市科学?技?术?协")  # 市 before the ending, its city's name lost: a city's 科协, or a
# municipality's (北京市…), which is provincial


def _fit(reading: str, owner: str, bits: Sequence[object]) -> float:
    """How well the ring's reading names the block's organisation: a city's or a province's 科协 by its level
    (their blocks print no name: only a reading whole as a 科协's name tells), any other by its name printed
    after its label, the closest stretch of it."""
    if owner in ("city", "provincial"):
        if _PROVINCE_WORD.search(reading):  # 省科学技术协会: its region's name lost, its level word read
            return float(owner == "provincial")
        name, doubt = check_org(reading)
        head = org_ending(name)
        if doubt is not None or head is None:
            return 0.0
        return float(provincial_level(head[0]) == (owner == "provincial"))
    n = len(reading)
    return max((SequenceMatcher(None, reading, v[i:i + n]).ratio() for v in _names(owner, bits)
                for i in range(max(1, len(v) - n + 1))), default=0.0)


def by_name(seals: Sequence[PxBox], regions: list[Region], res: list[tuple[Region | None, float]],
            namer: Callable[[PxBox], tuple[str, float]], bits: Sequence[object]) -> list[tuple[Region | None, float]]:
    """res (seal_owners.assign) with each seal that reaches well into a second block, or is one of two a block
    was given while another block has none, given to the one block its ring names, when the ring reads and one
    block's name fits it, no other's; else as it was."""
    out = list(res)
    held = [sum(o is g for o, _ in res) for g in regions]
    for k, (sb, (r, sure)) in enumerate(zip(seals, res, strict=True)):
        if r is None:
            continue
        own = overlap(sb, r.box)
        two = any(g is r and n >= 2 for g, n in zip(regions, held, strict=True))  # a block given two seals: a block given
        # none is a rival of each (the institution's seal pressed wholly left of its label, over the recommender's
        # block, its ring naming the institution: TUNE coop photo 12693)
        rivals = [o for i, o in enumerate(regions) if o.seal_key and o is not r and (
            overlap(sb, o.box) >= RIVAL * max(1, own) or two and not held[i])]
        if not rivals:
            continue
        cands = (r, *rivals)
        applicant = next((o for o in cands if o.owner == "applicant"), None)
        unnamed = applicant is not None and not _names("applicant", bits)
        reading, conf = namer(sb)
        if not _legible(reading, conf):
            continue
        if unnamed:  # the applicant may be a 科协 itself (its name printed on another page): a 科协's seal between
            # its block and a 科协's block is told by neither its name nor its level; a seal naming an organisation
            # no 科协 is (a 管委会, a company) is the applicant's (TUNE base clean 12100)
            if applicant is not None and _plain_org(reading):
                out[k] = (applicant, max(sure, NAMED_SURE) if applicant is r else NAMED_SURE)
            continue
        fits = sorted(((_fit(reading, o.owner, bits), i, o) for i, o in enumerate(cands)), key=lambda t: -t[0])
        if fits[0][0] >= NAME_FIT and all(f <= OTHER_FIT for f, _, _ in fits[1:]):
            o = fits[0][2]
            if o is not r and _read_through(k, sb, o, r, seals, out):
                continue
            out[k] = (o, max(sure, NAMED_SURE) if o is r else NAMED_SURE)
        elif r.owner == "city" and _CITY_WORD.search(reading) and fits[0][0] < NAME_FIT:
            # 市科学技术协会, its city's name lost, on a seal the city's row holds most of: a city's seal, or a
            # municipality's (provincial) pressed mostly in the city's row, which no reading tells apart; it confirms
            # the overlap, never overturns it (TUNE base clean 12486: half outside the table, its name off the edge)
            out[k] = (r, max(sure, NAMED_SURE))
    return out


def applicant_named(bits: Sequence[object]) -> bool:
    """The applicant's name is printed on the page (申报单位：…), so a ring can be matched against it."""
    return bool(_names("applicant", bits))


def _legible(reading: str, conf: float) -> bool:
    """A ring's reading that can tell whose seal it is: read surely enough, four characters at least."""
    return conf >= READ_MIN and len(reading) >= 4


def lettered(reading: tuple[str, float]) -> bool:
    """A ring read as lettering (four characters or more, surely): what is pressed there is a seal."""
    text, conf = reading
    return conf >= READ_MIN and len(re.findall(r"[\u4e00-\u9fff]", text)) >= 4


def named_for(seals: Sequence[PxBox], regions: list[Region], res: list[tuple[Region | None, float]],
              namer: Callable[[PxBox], tuple[str, float]], bits: Sequence[object]) -> list[tuple[int, Region]]:
    """(seal, block) for each block left without a seal whose name the ring of a seal given to another block
    reads (and not that block's name). Two seals pressed over each other and read as one blob (the named block's
    under the other), or a seal pressed wholly inside the neighbour's block: either way the named block was
    stamped."""
    held = {id(r) for r, _ in res if r is not None}
    out: list[tuple[int, Region]] = []
    for o in regions:
        if not o.seal_key or id(o) in held or o.owner == "applicant" and not _names("applicant", bits):
            continue
        for k, (sb, (r, _sure)) in enumerate(zip(seals, res, strict=True)):
            if r is None or r is o:
                continue
            reading, conf = namer(sb)
            if _legible(reading, conf) and _fit(reading, o.owner, bits) >= NAME_FIT \
                    and _fit(reading, r.owner, bits) <= OTHER_FIT:
                out.append((k, o))
                break
    return out


def _read_through(k: int, sb: PxBox, named: Region, own: Region, seals: Sequence[PxBox],
                  res: list[tuple[Region | None, float]]) -> bool:
    """The ring of seal k, in its own block, names a neighbour that holds a seal of its own pressed over it, and
    its block would be left with none: the lettering read is the other seal's, crossing this ring (two seals
    pressed over each other, TUNE coop heavy 12160), not this seal's."""
    others = [j for j, (o, _) in enumerate(res) if j != k]
    return any(res[j][0] is named and overlap(seals[j], sb) > 0 for j in others) \
        and not any(res[j][0] is own for j in others)


_PLAIN_ORG = re.compile(r"管委|高新区管|委员会|公司|集团|大学|学院|研究院|研究所|医院|中心|人民政府|园区")


def _plain_org(reading: str) -> bool:
    """A ring's reading that names an organisation of a kind no 科协 is (…高新区管委会, …集团有限公司)."""
    return bool(_PLAIN_ORG.search(reading)) and not re.search(r"协|学会|科学技术", reading) \
        and org_ending(reading) is None


def ring_namer(ctx: PageCtx) -> Callable[[PxBox], tuple[str, float]] | None:
    """A seal's ring as read (once per seal, within the page's time); None for an engine that reads whole pages
    (no crops)."""
    from haizhi.extractors.scan.ring_text import ring_reading

    if ctx.bgr is None or ctx.red is None or getattr(ctx.engine, "page_mode", False):
        return None
    seen: dict[PxBox, tuple[str, float]] = {}

    def name(sb: PxBox) -> tuple[str, float]:
        if sb not in seen:
            seen[sb] = (ring_reading(ctx.bgr, ctx.red, sb, ctx.engine, ctx.dpi)
                        if time.process_time() < ctx.deadline else ("", 0.0))
        return seen[sb]

    return name
