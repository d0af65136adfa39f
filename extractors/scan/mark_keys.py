"""The contract's mark keys of one form read from a layout's marks: each block's best reading over its pages."""

from __future__ import annotations

from haizhi.extractors.layout import Layout
from haizhi.extractors.scan.carried import carried_seals, rest_read
from haizhi.extractors.scan.regions import COOP_BLOCKS
from haizhi.pipeline.core.fields import BASE, COOP, form_spec

MARK_SURE = 0.75  # a mark read with less confidence gets a finding


class MarkResult(dict):
    """marks_for's answer: {mark key: True / False / None}, plus where each uncertain one was read.

    uncertain: {key: (page, bbox in points, confidence)} for marks read but not sure; a None value
    means the block itself was not found on any page.
    """

    def __init__(self, *a: object, **kw: object) -> None:
        super().__init__(*a, **kw)
        self.uncertain: dict[str, tuple[int, tuple[float, float, float, float] | None, float]] = {}
        self.why: dict[str, list[str]] = {}  # the reasons an uncertain mark's reading is unsure


def marks_for(layout: Layout, form_id: str) -> dict[str, bool | None]:
    """The contract's mark keys for one form: True/False where a block was looked at, else None."""
    keys = form_spec(form_id).mark_keys
    out = MarkResult(dict.fromkeys(keys))
    if form_id not in (COOP, BASE):
        return out
    best: dict[str, tuple[bool, float, int, tuple | None, list[str]]] = {}  # checked, conf, page, bbox, doubts
    rests = rest_read(layout, set(out))  # a block cut at a page's foot, its rest looked at on the next page
    for page in layout.pages:
        for m in page.marks:
            if m.kind in ("seal", "signature") and m.label in out:
                if not m.checked and rests.get(m.label, page.number) == page.number + 1:
                    continue  # its "no seal" is read where its rest (and seal) would be
                conf = float(m.confidence if m.confidence is not None else 1.0)
                cur = best.get(m.label)
                # a mark found wins over "looked, none"; among marks found the surer reading, among
                # "none" readings the least sure (the block may have been looked at on more pages than one)
                if cur is None or bool(m.checked) > cur[0] or (bool(m.checked) == cur[0] and (
                        conf > cur[1] if m.checked else conf < cur[1])):
                    best[m.label] = (bool(m.checked), conf, page.number, tuple(m.bbox) if m.bbox else None,
                                     list(m.doubts))
    for key, bbox, pno, conf in carried_seals(layout, set(out)):
        if not best.get(key, (False,))[0]:
            best[key] = (True, conf, pno, bbox, ["印章在页首，不在任何栏目内，按上一页最后的栏目归属"])
    for key, (checked, conf, pno, bbox, doubts) in best.items():
        out[key] = checked
        if conf < MARK_SURE:
            out.uncertain[key] = (pno, bbox, conf)
            out.why[key] = doubts
    for seal, sign in _SIGNED_WITH.items():  # a block's seal and signature go together: where its "no seal" is
        # unsure (a seal near it given to a neighbour, red left over), the ink of its head's signature may have gone
        # with that seal to the neighbour too, and its "not signed" is as unsure
        if out.get(seal) is False and seal in out.uncertain and out.get(sign) is False and sign not in out.uncertain:
            pno, bbox, _ = out.uncertain[seal]
            out.uncertain[sign] = (pno, best[sign][3] if sign in best else bbox, min(best[sign][1], 0.6))
            out.why[sign] = ["同一栏目的印章判断不确定，负责人签字可能随印章一起被归到邻近栏目"]
    return out


_SIGNED_WITH = {seal: sign for sign, seal in COOP_BLOCKS.values()}
