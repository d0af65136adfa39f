"""Printed labels inside text: long fields, headings, the next pair on a line, wrapped values."""

from __future__ import annotations

import functools
import re

from haizhi.extractors.detect import lkey, match_label, variants
from haizhi.extractors.normalize import WIDE_GAP
from haizhi.pipeline.core.fields import FieldSpec, form_spec


def is_long(f: FieldSpec) -> bool:
    """Free-text fields that run over several lines or paragraphs."""
    return f.type == "text" and (f.max_chars is not None or bool(re.match(r"^[0-9一二三四五六七八九十]+[.、]", f.label))
                                 or (f.group or "").endswith("意见"))


def is_heading(text: str) -> bool:
    k = lkey(text)
    return bool(k) and len(k) <= 20 and text.strip()[:2] in ("一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、")


@functools.cache
def _printed_words(form_id: str) -> frozenset[str]:
    spec = form_spec(form_id)
    words = {lkey(w) for f in spec.fields for w in (f.label, *f.aliases)}
    words |= {lkey(w) for m in spec.marks for w in m.label.split()}
    return frozenset(w for w in words if len(w) >= 2)


def _misread_label(k: str, words: frozenset[str] | set[str]) -> bool:
    """A printed label of 4+ characters read with its last character lost or one character wrong."""
    if len(k) < 4:
        return False
    for w in words:
        if len(w) == len(k) + 1 and w.startswith(k):
            return True
        if len(w) == len(k) and sum(a != b for a, b in zip(w, k, strict=True)) == 1:
            return True
    return False


_NEXT_PAIR = re.compile(r"\s+(?=[\u4e00-\u9fff（）()]{2,12}[:：])")


@functools.cache
def label_colon(form_id: str) -> re.Pattern[str]:
    """A printed label (its core, without brackets) followed by a colon: the start of the next pair."""
    spec = form_spec(form_id)
    words = {_PARENS_CN.sub("", w) for f in spec.fields for w in (f.label, *f.aliases) if not f.group}
    words |= {w for m in spec.marks for w in m.label.split() if len(w) >= 4}
    alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if len(w) >= 4)
    return re.compile(rf"(?:{alt})\s*(?:[（(][^）)]*[）)])?\s*[:：]")


_PARENS_CN = re.compile(r"[（(][^）)]*[）)]")


@functools.cache
def _owner_words(form_id: str) -> frozenset[str]:
    """A signing block's printed words of 5+ characters (被推荐机构, 负责人签字)."""
    return frozenset(w for m in form_spec(form_id).marks for w in m.label.split() if len(w) >= 5)


@functools.cache
def _owner_word(form_id: str) -> re.Pattern[str]:
    """A signing block's printed words of 5+ characters (被推荐机构, 负责人签字): never inside a value."""
    words = _owner_words(form_id)
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or r"(?!)")


@functools.cache
def _owner_word_misread(form_id: str) -> re.Pattern[str]:
    """A signing block's printed word of 5+ characters with one character after its first two misread, no colon
    after it (被推荐机才: 构 under a signature's stroke, the colon lost with it)."""
    words = _owner_words(form_id)
    alt = "|".join(re.escape(w[:i]) + r"[\u4e00-\u9fff]" + re.escape(w[i + 1:])
                   for w in sorted(words, key=len, reverse=True) for i in range(2, len(w)))
    return re.compile(alt or r"(?!)")


@functools.cache
def _headless_colon(form_id: str) -> re.Pattern[str]:
    """A printed label of 5+ characters with its first character misread, then a colon (艺推荐机构：)."""
    spec = form_spec(form_id)
    words = {_PARENS_CN.sub("", w) for f in spec.fields for w in (f.label, *f.aliases) if not f.group}
    words |= {w for m in spec.marks for w in m.label.split()}
    alt = "|".join(re.escape(w[1:]) for w in sorted(words, key=len, reverse=True) if len(w) >= 5)
    return re.compile(rf"(?<=[\u4e00-\u9fff])(?:{alt})\s*[:：]")


@functools.cache
def _one_off_colon(form_id: str) -> re.Pattern[str]:
    """A printed label of 5+ characters with one character after its first misread, then a colon (被推入机构：)."""
    spec = form_spec(form_id)
    words = {_PARENS_CN.sub("", w) for f in spec.fields for w in (f.label, *f.aliases) if not f.group}
    words |= {w for m in spec.marks for w in m.label.split()}
    alt = "|".join(re.escape(w[:i]) + r"[\u4e00-\u9fff]" + re.escape(w[i + 1:])
                   for w in sorted(words, key=len, reverse=True) if len(w) >= 5 for i in range(1, len(w)))
    return re.compile(rf"(?<=[\u4e00-\u9fff])(?:{alt})\s*[:：]")


@functools.cache
def _owner_after_kexie(form_id: str) -> re.Pattern[str]:
    """A signing block's word, only its first two characters read right, straight after a 科协's full name:
    …协会被推机常众… (被推荐机构 with 荐 lost and 构 misread; the gap and the colon lost). A 科协's name ends
    there, so what follows is the next pair's label."""
    from haizhi.extractors.orgname import ENDING  # orgname imports doubts, which imports this module

    words = _owner_words(form_id)
    heads = "|".join(sorted({re.escape(w[:2]) for w in words}))
    return re.compile(rf"(?<={ENDING})[\u4e00-\u9fff]?(?:{heads})[\u4e00-\u9fff]" if heads else r"(?!)")


def cut_next_label(form_id: str, text: str) -> str:
    """标签：值    下一个标签 — a printed label after a wide gap is not part of the value."""
    if not text:
        return text
    m = _NEXT_PAIR.search(text.strip())
    if m and m.start() > 0:  # 推荐单位：甲 被推荐机构：乙 (a PDF keeps one space of the gap)
        text = text.strip()[: m.start()]
    m = label_colon(form_id).search(text.strip())
    if m and m.start() > 0:  # …甲基地类型：乙 (the gap lost altogether)
        text = text.strip()[: m.start()]
    m = _headless_colon(form_id).search(text.strip())
    if m and m.start() > 1:  # …协会艺推荐机构：乙 (OCR: the gap lost and 被 misread)
        text = text.strip()[: m.start() - 1]
    m = _one_off_colon(form_id).search(text.strip())
    if m and m.start() > 0:  # …协会被推入机构：乙 (OCR: the gap lost and a character inside the label misread)
        text = text.strip()[: m.start()]
    m = _owner_word(form_id).search(text.strip())
    if m and m.start() > 0:  # …协会被推荐机构乙 (OCR: the gap and the colon lost)
        text = text.strip()[: m.start()]
    m = _owner_word_misread(form_id).search(text.strip())
    if m and m.start() > 0:  # …协会被推荐机才乙 (one of its characters misread too)
        text = text.strip()[: m.start()]
    m = _owner_after_kexie(form_id).search(text.strip())
    if m:  # …科学技术协会被推机常众… (two of its characters misread or lost)
        text = text.strip()[: m.start()]
    parts = WIDE_GAP.split(text.strip())
    if len(parts) < 2:
        return text
    words = _printed_words(form_id)
    keep = [parts[0]]
    for p in parts[1:]:
        k = lkey(p)
        if k in words or p.rstrip().endswith((":", "：")) or _misread_label(k, words):
            break
        keep.append(p)
    return "    ".join(keep)


def later_segments(text: str, form_id: str | None = None) -> list[str]:
    """The line from each tab / wide gap on (label–value pairs side by side); with ``form_id`` also from
    each printed label with a colon (a PDF keeps one space of the gap, or none)."""
    t = text.strip()
    starts = [m.end() for m in WIDE_GAP.finditer(t)]
    if form_id is not None:
        starts += [m.start() for m in label_colon(form_id).finditer(t) if m.start() > 0]
    return [t[i:] for i in sorted(set(starts)) if t[i:]]


def line_label(form_id: str, text: str) -> bool:
    return any(h.rest for h in match_label(form_id, text) if not is_long(h.field))


def join_page(a: str, b: str) -> str:
    """Join a value's part before a page break and its rest (a line break; comparison ignores it)."""
    a = a.rstrip()
    return a + "\n" + b if a else b


def join_wrapped(a: str, b: str) -> str:
    """Join a line wrapped by layout: CJK closes up; Latin words keep one space."""
    if a and b and a[-1].isdigit() and b[0].isdigit():
        return a + b  # a phone number or code broken by a narrow cell
    if a and b and a[-1].isascii() and b[0].isascii() and a[-1].isalnum() and b[0].isalnum():
        return a + " " + b
    return a + b


_STRAY_COLON = re.compile(r"^\s*[；;，,、.。·]\s*(?=[\u4e00-\u9fff])")


def glued_rest(form_id: str, f: FieldSpec, text: str) -> str | None:
    """A scanned line where the colon after a printed label was lost or misread (a seal or a signature over it):
    推荐单位省科学技术协会 → 省科学技术协会, 推荐单位；福建省… → 福建省…. Only a label of 4+ characters that no
    longer label begins, followed by text that is no printed word and no other label (推荐单位负责人签字：)."""
    raw = text.strip()
    k = lkey(raw)
    words = _printed_words(form_id)
    for v in variants(form_id):
        if v.field.key != f.key or v.needs_group or len(v.text) < 4 or not k.startswith(v.text) \
                or len(k) <= len(v.text) or "(" in v.text:
            continue
        if any(w.field.key != f.key and len(w.text) > len(v.text) and k.startswith(w.text) for w in variants(form_id)):
            return None
        i = seen = 0
        while i < len(raw) and seen < len(v.text):
            seen += not raw[i].isspace()
            i += 1
        rest = _STRAY_COLON.sub("", raw[i:], count=1)  # 推荐单位；福建省…: the colon read as another mark
        if not re.match(r"[\u4e00-\u9fff]", rest):
            return None  # a colon, a bracket or a gap: the ordinary label：value reading
        head = WIDE_GAP.split(rest)[0]
        if re.search(r"[:：]", head) or any(lkey(head).startswith(w) for w in words):
            return None
        return rest
    return None


def wrapped_tail(form_id: str, text: str, value: str) -> str:
    """标签甲：值    标签乙：值的前半 / 后半 — a cell's line that holds no label, no colon and no gap continues
    the value that closes the line above (the last pair of that line wrapped under the cell's left edge)."""
    v = value.strip()
    lines = text.split("\n")
    # the line where the value follows its label's colon; else (the colon lost) one that ends with it, when the value
    # is long enough to tell (推荐单位：。 is no rest of the 承诺 sentence above that ends with 。)
    i = next((i for i, ln in enumerate(lines[:-1]) if v and re.search(rf"[:：]\s*{re.escape(v)}$", ln.rstrip())), None)
    if i is None and len(lkey(v)) >= 4:
        i = next((i for i, ln in enumerate(lines[:-1]) if ln.rstrip().endswith(v)), None)
    if i is None:
        return value
    words = _printed_words(form_id)
    for nxt in lines[i + 1:]:
        s = nxt.strip()
        if not s or re.search(r"[:：]", s) or WIDE_GAP.search(s) or is_heading(s) or lkey(s) in words \
                or match_label(form_id, s, fuzzy=True):
            break
        v = join_wrapped(v, s)
    return v
