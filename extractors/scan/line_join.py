"""A cell's OCR lines made into its text: lines wrapped only for width joined, labels OCR ran together set
apart (协会被推荐机构：), a label's colon read as a stop put back."""

from __future__ import annotations

import re

from haizhi.extractors.scan.engines import SHI_AS_TU
from haizhi.pipeline.core.fields import FORMS


def _label_pattern() -> re.Pattern:
    labels = {lb for spec in FORMS.values() for f in spec.fields for lb in (f.label, *f.aliases) if len(lb) >= 3}
    labels.add("被推荐机构")  # the 承诺 block's second owner, beside 推荐单位
    alt = "|".join(re.escape(lb) for lb in sorted(labels, key=len, reverse=True))
    return re.compile(rf"(?<=[^\s：:（(])(?=(?:{alt})\s*[：:])")


_GLUED = _label_pattern()


def _label_alone() -> re.Pattern:
    labels = {lb for spec in FORMS.values() for f in spec.fields for lb in (f.label, *f.aliases) if len(lb) >= 4}
    alt = "|".join(re.escape(lb) for lb in sorted(labels, key=len, reverse=True))
    return re.compile(rf"^(\s*(?:{alt}))\s*[.．,，;；。·、]\s*$")


_LABEL_DOT = _label_alone()


def _opinion_head() -> re.Pattern:
    labels = {lb for spec in FORMS.values() for f in spec.fields for lb in (f.label, *f.aliases)
              if f.group and "意见" in f.group and "意见" in lb and len(lb) >= 5}
    alt = "|".join(re.escape(lb) for lb in sorted(labels, key=len, reverse=True))
    return re.compile(rf"^(\s*(?:{alt}))\s*[.．,，;；·]?\s*(?=[^\s：:.．,，;；·（(])")


_OPINION_HEAD = _opinion_head()


def _opinion_heads_hidden() -> list[tuple[re.Pattern, str]]:
    """Opinion labels with their last one or two characters misread (所在地市科协育用情况属实: 意见 under a
    signature's strokes), where what is left is no other label's start: (pattern, label)."""
    labels = {lb for spec in FORMS.values() for f in spec.fields for lb in (f.label, *f.aliases)}
    out = []
    for spec in FORMS.values():
        for f in spec.fields:
            if not (f.group and "意见" in f.group and f.label.endswith("意见") and len(f.label) >= 5):
                continue
            for k in (1, 2):
                head = f.label[:-k]
                if len(head) >= 4 and not any(lb.startswith(head) and lb != f.label for lb in labels):
                    tail = f"(?!{re.escape(f.label[-k:])})" + r"[\u4e00-\u9fff]" + f"{{{k}}}"
                    out.append((re.compile(rf"^\s*{re.escape(head)}{tail}\s*[：:.．,，;；·]?\s*(?=[^\s：:])"), f.label))
    return out


_HIDDEN_HEADS = _opinion_heads_hidden()
_OPINION_WORDS = re.compile(r"同意|推荐|申报|属实|审核|审查|核实|不予|准予")


def unglue(text: str) -> str:
    """A second label run into the first value by OCR (协会被推荐机构：): the gap the page had between them.
    A label alone on its line whose colon was read as a stop (省级科协意见.), or an opinion row's label run
    into its opinion: the colon again."""
    text = _LABEL_DOT.sub(r"\1：", _GLUED.sub("    ", SHI_AS_TU.sub("士", text)))  # 硕 | 土及: two runs
    return _OPINION_HEAD.sub(r"\1：", text)  # 所在地市科协意见该单位…: the opinion's colon lost under a stroke


def hidden_head(text: str) -> str:
    """An opinion row's label run into its opinion with its last characters misread (所在地市科协育用情况属实…:
    意见： under a signature's strokes): the printed label and its colon given back before the opinion. Only
    for a reading already unsure: a character of the opinion may have been taken for the label's."""
    for pat, label in _HIDDEN_HEADS:
        m = pat.match(text)
        if m and _OPINION_WORDS.search(text[m.end():]):
            return label + "：" + text[m.end():]
    return text


def join_wrapped(lines: list[tuple[str, int, int, int]]) -> str:
    """Join lines; a line broken only because the next word did not fit was wrapped, not broken.

    Each line: (text, right edge px, ink width px, cell width px).
    """
    out = ""
    for i, (t, _, width, _) in enumerate(lines):
        if i == 0:
            out = t
            continue
        p_text, p_right, p_width, cell_w = lines[i - 1]
        if "    " in out.split("\n")[-1] or re.match(r"^[^\s:：]{1,10}[:：]", t):
            out += "\n" + t  # label–value pairs side by side, or a new label: not a wrapped value
            continue
        first = re.match(r"[A-Za-z0-9@._\-]+", t)
        n_first = len(first.group(0)) if first else 1
        char_w = max(width / max(1, len(t)), p_width / max(1, len(p_text)))
        a, b = out[-1:], t[:1]
        latin = a.isascii() and b.isascii() and a.isalnum() and b.isalnum()
        slack = 0.9 if latin or a in "。；！？：.;!?:" else 1.5  # mid-sentence CJK: a little looser
        if p_right + (n_first + (1 if latin else 0)) * char_w * slack >= cell_w:
            out += (" " if latin and not (a.isdigit() and b.isdigit()) else "") + t  # 1838205 / 0261: one number
        else:
            out += "\n" + t
    return SHI_AS_TU.sub("士", out)  # 引进硕 | 土及以上: 士 starting a line read as 土


def open_ends(lines: list[tuple[str, int, int, int]]) -> tuple[int, bool]:
    """Lines of a cell that end a paragraph (well short of the cell's right side) with a character and no
    stop: a 。 OCR may have left out (it is a faint small ring). The count of such lines with more lines
    after them, and whether the cell's last line is one (its value may go on from there on the next page)."""
    n, tail = 0, False
    for i, (t, right, width, cell_w) in enumerate(lines):
        nxt = lines[i + 1][0] if i + 1 < len(lines) else ""
        wide = len(re.findall(r"[^\x00-\xff]", t))
        char_w = width / max(1.0, wide + 0.5 * (len(t) - wide))  # digits and Latin: half a character
        # five characters' room left: a line cut early by line-breaking rules (用 / 才”) is not a paragraph's end
        if _CJK_END.search(t) and right + 5 * char_w < cell_w and not re.match(r"^[^\s:：]{1,10}[:：]", nxt) \
                and "    " not in t:
            n += bool(nxt)
            tail = not nxt
    return n, tail


_CJK_END = re.compile(r"[\u4e00-\u9fff]$")


_STROKES_READ = re.compile(r"(?<=[\u4e00-\u9fff])[A-Za-z\u3040-\u30ff•·\s]+$")


def strokes_read(text: str) -> str:
    """A print band read from under a signature's strokes, less the Latin letters and kana its strokes read as
    at its end (所在地市科协JAAイ: 意见 under 张明华's tail; TUNE base heavy 12630): no printed label or
    opinion of these forms ends so."""
    return _STROKES_READ.sub("", text)
