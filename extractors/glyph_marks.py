"""Checkbox marks from text: every kind ends up as a layout Mark with its label.

Readers that know where a checkbox sits (content controls, legacy form
fields) pass offsets; otherwise glyphs in the text are the checkboxes.
"""

from __future__ import annotations

from haizhi.extractors.layout import Mark
from haizhi.extractors.normalize import BOX_GLYPHS, CHECK_GLYPHS, TICK_GLYPHS

# (offset in text, checked, source)
Spot = tuple[int, bool, str]


def glyph_spots(text: str) -> list[Spot]:
    out: list[Spot] = []
    for i, ch in enumerate(text):
        if ch in TICK_GLYPHS:
            # √ and ✓ typed before an option count; after an option they are hard to place
            out.append((i, True, "glyph"))
        elif ch in BOX_GLYPHS:
            out.append((i, False, "glyph"))
    return out


def marks_from_text(text: str, spots: list[Spot] | None = None, confidence: float = 1.0,
                    box_tick: float | None = None) -> list[Mark]:
    """A mark per checkbox; its label is the text up to the next checkbox or line end.

    box_tick: the confidence of a ticked box glyph (☑ ■ ☒) in OCR'd text, which noise in an empty □
    can imitate; a written tick (√ ✓) keeps ``confidence``."""
    spots = sorted(spots if spots is not None else glyph_spots(text))
    marks: list[Mark] = []
    for n, (pos, checked, source) in enumerate(spots):
        end = spots[n + 1][0] if n + 1 < len(spots) else len(text)
        nl = text.find("\n", pos + 1)
        if 0 <= nl < end:
            if text[pos + 1:nl].strip(" \t\u3000"):
                end = nl
            else:  # a box at a line's end, its option at the start of the next line
                nl2 = text.find("\n", nl + 1)
                end = nl2 if 0 <= nl2 < end else end
        label = text[pos + 1:end].strip(" \t\u3000\n" + CHECK_GLYPHS)
        conf = box_tick if box_tick is not None and checked and text[pos] not in "√✓✔" else confidence
        marks.append(Mark(kind="checkbox", checked=checked, label=label or None,
                          confidence=conf, source=source))
    return marks
