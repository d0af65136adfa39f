"""Options with ticks in the ways applicants tick them: glyphs, w14 boxes, legacy form fields."""

from __future__ import annotations

import random
from collections.abc import Sequence

from docx.table import _Cell

from .ooxml import form_checkbox, w14_checkbox

GLYPH_SETS = [("☑", "□"), ("■", "□"), ("√", "□"), ("☒", "☐"), ("✔", "□")]


class Ticker:
    """How one document ticks: a glyph pair, or w14 / FORMCHECKBOX controls."""

    def __init__(self, rng: random.Random, mode: str) -> None:
        self.mode = mode
        self.on, self.off = rng.choice(GLYPH_SETS)
        self.n = 0

    def box(self, p, checked: bool) -> None:  # noqa: ANN001
        self.n += 1
        if self.mode == "w14":
            w14_checkbox(p, checked)
        elif self.mode == "form":
            form_checkbox(p, checked, self.n)
        else:
            p.add_run(self.on if checked else self.off)

    def options(self, cell: _Cell, options: Sequence[str], chosen: Sequence[str], *, per_line: int,
                notes: dict[str, str] | None = None, other: tuple[str, str | None] | None = None,
                gap: str = "  ") -> None:
        """Options ``per_line`` to a paragraph; ``other`` = (option, text written after it)."""
        cell.text = ""
        p = cell.paragraphs[0]
        for i, opt in enumerate(options):
            if i and i % per_line == 0:
                p = cell.add_paragraph()
            elif i:
                p.add_run(gap)
            self.box(p, opt in chosen)
            label = opt + (f"（{notes[opt]}）" if notes and opt in notes else "")
            p.add_run(label)
            if other and opt == other[0]:
                p.add_run(f"  {other[1] or ''}  （请注明）" if other[1] or self.mode != "glyph" else "（请注明）")
