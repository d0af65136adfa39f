"""Choice and multi-choice fields from checkbox marks (or, lacking marks, from the text)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from haizhi.extractors.detect import lkey
from haizhi.extractors.layout import Cell, Mark
from haizhi.extractors.normalize import CHECK_GLYPHS, clean_text
from haizhi.pipeline.core.fields import FieldSpec

_OTHER = ("综合或其他", "其他")


def _option_of(label: str, options: tuple[str, ...]) -> tuple[str | None, str]:
    """The option a checkbox label names (longest prefix wins) and the text after it."""
    k = lkey(label)
    best = None
    for opt in options:
        if k.startswith(lkey(opt)) and (best is None or len(opt) > len(best)):
            best = opt
    if best is None:
        return None, ""
    # the rest, from the raw label so the applicant's spacing survives
    raw = label.strip()
    i, n = 0, 0
    target = len(lkey(best))
    while i < len(raw) and n < target:
        if not raw[i].isspace():
            n += 1
        i += 1
    return best, raw[i:]


def _wrapped_label(text: str, label: str) -> str:
    """An option's label wrapped onto the next line (✔孵化 / 器、服务平台): the text up to the next box."""
    lab = label.strip()
    found = [m.start(1) for m in re.finditer(rf"[{re.escape(CHECK_GLYPHS)}][ \t\u3000]*({re.escape(lab)})", text)]
    cut = [p for p in found if text[p + len(lab):p + len(lab) + 1] in ("", "\n")]  # the label ends its line
    if not (cut or found):
        return label
    pos = (cut or found)[0]
    after = text[pos:]
    m = re.search(f"[{re.escape(CHECK_GLYPHS)}]", after)
    return re.sub(r"\s*\n\s*", "", after[: m.start()] if m else after)


def other_text(rest: str) -> str | None:
    """The applicant's words for 其他 / 综合或其他, without the （请注明） placeholder."""
    s = rest.strip()
    s = re.sub(r"[（(]\s*请注明\s*[)）]\s*$", "", s).strip()
    s = re.sub(r"^[（(]\s*请注明\s*[)）]", "", s).strip()
    m = re.match(r"^[（(]\s*请注明\s*[:：]\s*(.*)[)）]$", s, re.S)
    if m:
        s = m.group(1)
    s = re.sub(r"^请注明\s*[:：]", "", s)
    s = s.strip().lstrip(":：").strip().strip("_＿ \t")
    return clean_text(s)


def labelled_marks(f: FieldSpec, cells: list[list]) -> list[tuple[Mark, str]]:
    """Each checkbox mark of a choice's cells with the label it stands before (wrapped labels joined)."""
    out: list[tuple[Mark, str]] = []
    skip: set[int] = set()
    for i, (_text, ms) in enumerate(cells):
        for j, m in enumerate(ms):
            m: Mark
            if id(m) in skip:
                continue
            label = m.label or ""
            nxt = ms[j + 1] if j + 1 < len(ms) else (cells[i + 1][1][0] if i + 1 < len(cells) and cells[i + 1][1]
                                                     else None)
            joined = _frame_in_next(f, label, nxt) if label and nxt is not None else None
            if joined is not None:  # □综合 | a page break | 或其他: the frame in 或 is no box
                skip.add(id(nxt))
                label = joined
            if not label and i + 1 < len(cells) and not cells[i + 1][1]:
                label = cells[i + 1][0]  # ☑ | 荐才机构 spread over two cells
            if label and (_option_of(label, f.options)[0] in (None, *_OTHER)):
                label = _wrapped_label(_text or "", label)
            if label and _option_of(label, f.options)[0] is None and m is ms[-1] and i + 1 < len(cells):
                label = _next_cell_rest(f, label, _text or "", cells[i + 1][0] or "")
            out.append((m, label))
    return out


def _frame_in_next(f: FieldSpec, label: str, first: Mark) -> str | None:
    """A box whose label is an option's start cut by its line's or cell's end (□综合 | a page break), and
    the next "box" followed by the option's end less one character (或其他): that box is the frame inside
    the character (或), not a checkbox. → the option's label joined, else None."""
    k, nxt = lkey(label), first.label or ""
    if not k or not nxt or _option_of(label, f.options)[0] is not None:
        return None
    for opt in f.options:
        o = lkey(opt)
        rest = o[len(k):]
        if o.startswith(k) and len(rest) >= 2 and lkey(nxt).startswith(rest[1:]):
            return label.strip() + rest[0] + nxt.strip()
    return None


def _next_cell_rest(f: FieldSpec, label: str, text: str, after: str) -> str:
    """The last box of a cell whose label the cell cut (□管理 | a page break | 咨询服务财税金融): finished by
    the start of the next cell, when together they begin an option."""
    if not lkey(text).endswith(lkey(label)):
        return label
    lead = re.split(f"[{re.escape(CHECK_GLYPHS)}]", after, maxsplit=1)[0]
    joined = label.strip() + re.sub(r"\s+", "", lead)
    return joined if _option_of(joined, f.options)[0] is not None else label


def unboxed_ticks(f: FieldSpec, text: str | None, cells: list[list]) -> list[str]:
    """A scanned multiple choice whose options mostly show their box, but some show none and run on
    straight after another option's label (□财税金融法律服务: ✔ printed in place of the box and lost by
    OCR with its space, or a tick that broke the box's square): those were ticked. [] unless at least three in five
    of the options shown have a box of their own."""
    if f.type != "choices":
        return []
    boxed = set()
    for _m, label in labelled_marks(f, cells):
        opt = _option_of(label, f.options)[0]
        if opt is not None:
            boxed.add(opt)
    raw = "".join(str(c[0] or "") for c in cells) or text or ""
    flat = re.sub(r"[(][^()]*[)]", "", lkey(raw))  # （请注明）, notes
    shown = [o for o in f.options if lkey(o) in flat and not any(o != p and lkey(o) in lkey(p) and lkey(p) in flat
                                                                  for p in f.options)]
    # run on straight after another option's label (财税金融法律服务): the glyph between them was lost;
    # an option opening a line, or after a box glyph, says nothing about its tick
    glued = {o for o in shown for i in [m.start() for m in re.finditer(re.escape(o), raw)]
             if any(p != o and raw[:i].endswith(p) for p in f.options)}
    unboxed = [o for o in shown if o not in boxed and o not in _OTHER and o in glued]
    if not unboxed or len(boxed & set(shown)) < 0.6 * len(shown) or len(unboxed) > len(shown) // 3:
        return []
    return unboxed


def read_choice(f: FieldSpec, text: str | None,
                cells: list[list]) -> tuple[object, str | None, list[str]]:
    """→ (value, text of the 其他 option, finding messages)."""
    marks: list[tuple[bool | None, str]] = [(m.checked, label) for m, label in labelled_marks(f, cells)]
    options = f.options
    picked: list[str] = []
    other: str | None = None
    msgs: list[str] = []
    if marks:
        for checked, label in marks:
            opt, rest = _option_of(label, options)
            if not checked:
                continue
            if opt is None:
                msgs.append(f"“{f.display}”勾选的“{label.strip()[:30]}”不是表中的选项")
                continue
            if opt not in picked:
                picked.append(opt)
            if opt in _OTHER:
                other = other_text(rest)
    else:
        raw = clean_text(text)
        if raw is None:
            return _empty(f), None, msgs
        k = lkey(raw)
        found = [o for o in options if lkey(o) in k]
        found = [o for o in found if not any(o != p and lkey(o) in lkey(p) for p in found)]
        if not found:
            msgs.append(f"“{f.display}”的内容“{raw[:40]}”不是表中的选项，已留空")
            return _empty(f), None, msgs
        if len(found) >= 3 and len(found) >= 0.8 * len(options):  # the printed option list, no ticks seen
            msgs.append(f"“{f.display}”列出了选项但未能识别勾选状态，已留空，请人工核对")
            return _empty(f), None, msgs
        picked = found
        for o in found:
            if o in _OTHER:
                other = other_text(raw[raw.find(o) + len(o):]) if o in raw else None
    picked = [o for o in options if o in picked]
    if f.type == "choices":
        return picked or None, other, msgs
    if len(picked) > 1:
        msgs.append(f"“{f.display}”只能选一项，却勾选了 {'、'.join(picked)}，已留空")
        return None, None, msgs
    return (picked[0] if picked else None), other, msgs


def _empty(f: FieldSpec) -> object:
    return None


@dataclass
class Seen:
    """What a scan showed of a choice's options: each located option's (ticked, confidence); options
    whose label shows with no box judged; options not found at all."""

    marks: dict[str, tuple[bool, float]] = field(default_factory=dict)
    unboxed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def seen_options(f: FieldSpec, text: str | None, cells: list[list]) -> Seen:
    seen = Seen()
    rest = lkey(" ".join(str(c[0] or "") for c in cells) or text or "")
    for m, label in labelled_marks(f, cells):
        opt = _option_of(label, f.options)[0]
        if opt is None:
            continue
        conf = 1.0 if m.confidence is None else float(m.confidence)
        ticked, c0 = seen.marks.get(opt, (False, 1.0))
        seen.marks[opt] = (ticked or bool(m.checked), min(c0, conf))
        k = lkey(label)
        if k and k in rest:  # this box's label (and any 其他 words after it) is accounted for
            rest = rest.replace(k, " ", 1)
    for opt in f.options:
        if opt in seen.marks:
            continue
        (seen.unboxed if lkey(opt) in rest else seen.missing).append(opt)
    return seen


def choice_confidence(f: FieldSpec, seen: Seen, value: object, cell_conf: float) -> float:
    """How sure a scanned choice is, from its ticks rather than from the OCR of its printed labels:
    a single choice by its one clearly ticked box; a multiple choice by its least clear box, when
    every option was located."""
    ticked = [o for o, (t, _) in seen.marks.items() if t]
    if f.type == "choice":
        if value is not None and ticked == [value]:
            return seen.marks[value][1]
        return cell_conf
    if seen.marks and not seen.unboxed and not seen.missing:
        return min(c for _, c in seen.marks.values())
    return min(cell_conf, 0.5)


UNCLEAR_TICK = 0.8


def label_scaled_texts(cells: list[Cell], conf: float) -> list[float]:
    """Each cell's OCR of its runs alone (text_confidence, ticks aside), scaled as the candidate's label was
    matched: ``conf`` (the candidate's confidence, its cells' least confidence times the label's match)
    over its cells' least confidence. [] when a cell's runs were not measured."""
    low = max(1e-6, min((c.confidence for c in cells), default=1.0))
    texts = [c.text_confidence * conf / low for c in cells if c.text_confidence is not None]
    return texts if cells and len(texts) == len(cells) else []


def other_confidence(f: FieldSpec, seen: Seen, texts: list[float], cell_conf: float) -> float:
    """How sure a scanned 其他（请注明） text is: as its cell's OCR (texts: each cell's runs alone, scaled as
    the cell's label was matched) and its 其他 box's tick. The other ticks, and options shown without a box,
    are its choice's doubt, named on the choice, not on this text. cell_conf when a run was not measured
    or the 其他 box was not seen."""
    opt = next((o for o in f.options if o in _OTHER), None)
    if not texts or opt is None or opt not in seen.marks or opt in seen.unboxed or opt in seen.missing:
        return cell_conf
    return min(min(texts), seen.marks[opt][1])


def unclear_options(f: FieldSpec, seen: Seen) -> list[str]:
    """A multiple choice's options whose tick could not be judged: shown without a box seen, not
    found at all, or a box whose ink was borderline."""
    if f.type != "choices":
        return []
    return [o for o in f.options if o in seen.unboxed or o in seen.missing
            or (o in seen.marks and seen.marks[o][1] < UNCLEAR_TICK)]


def other_unticked(f: FieldSpec, seen: Seen) -> bool:
    """The 其他 / 综合或其他 option's box seen, clearly not ticked: its 请注明 text is surely empty."""
    opt = next((o for o in f.options if o in _OTHER), None)
    return opt is not None and opt in seen.marks and not seen.marks[opt][0] and seen.marks[opt][1] >= UNCLEAR_TICK


def other_written(f: FieldSpec, text: str | None) -> bool:
    """Words after the 其他 / 综合或其他 option as read (其他（请注明）：海外人才签证咨询), or no such option
    read: its 请注明 text may be there whatever its tick. Nothing after it (其他（请注明）____): the text is
    surely empty, ticked or not."""
    raw = clean_text(text) or ""
    opt = next((o for o in f.options if o in _OTHER and o in raw), None)
    return opt is None or other_text(raw[raw.rfind(opt) + len(opt):]) is not None


_YES_NO = (("是", True), ("否", False))


def unboxed_bool(text: str | None, cells: list[list]) -> bool | None:
    """是/否 on a scan with one box seen, unticked, before one answer and the other answer shown without
    a box (□是 否 with a tick drawn over the second box hid it): the other answer, to be named by a
    finding. None when anything else was seen (a tick, two boxes, other words)."""
    marks = [m for _t, ms in cells for m in ms]
    flat = re.sub(rf"[\s{re.escape(CHECK_GLYPHS)}]", "", lkey(text or ""))
    if len(marks) != 1 or marks[0].checked or flat not in ("是否", "否是"):
        return None
    label = lkey(marks[0].label or "")
    boxed = next((v for w, v in _YES_NO if label.startswith(w)), None)
    if boxed is None or sum(ch in CHECK_GLYPHS for ch in (text or "")) > 1:
        return None
    return not boxed


def bool_tick_confidence(value: object, cells: list[list]) -> float | None:
    """A scanned 是/否 read from its boxes: one of the two ticked, the other not, the value the ticked one →
    as sure as its least clear box (the OCR of the one-character labels says nothing of the tick). None
    when the boxes do not say so."""
    state: dict[bool, tuple[bool, float]] = {}
    for _t, ms in cells:
        for m in ms:
            label = lkey(m.label or "")
            answer = next((v for w, v in _YES_NO if label.startswith(w)), None)
            if answer is None or answer in state or m.checked is None:
                return None
            state[answer] = (bool(m.checked), 1.0 if m.confidence is None else float(m.confidence))
    if set(state) != {True, False} or not isinstance(value, bool) or [a for a, (t, _) in state.items() if t] != [value]:
        return None
    return min(c for _, c in state.values())
