"""Which of our forms a layout holds, decided from its content, and label matching.

Labels are compared in a canonical form (NFKC, no whitespace, numbering and
trailing colon dropped), so 统一社会\\n信用代码, 法  定\\n代表人, （万元）/(万元) and
suffixes such as （可多选） all match. OCR text (confidence < 1) may match with
small errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache

from haizhi.extractors.layout import Layout, Page, Table
from haizhi.extractors.normalize import canon
from haizhi.pipeline.core.fields import FORMS, FieldSpec, FormSpec

_NUMBERING = re.compile(r"^(?:[0-9]{1,2}[.、．)]|[一二三四五六七八九十]{1,3}[、.．]|\([一二三四五六七八九十0-9]{1,3}\))")
_PARENS = re.compile(r"\([^()]*\)")


def lkey(s: str) -> str:
    """Canonical label text."""
    c = canon(s).replace("【", "(").replace("】", ")").replace("〔", "(").replace("〕", ")")
    c = c.strip("*＊★")
    c = _NUMBERING.sub("", c)
    return c.rstrip(":").strip("*")


def core(s: str) -> str:
    """Label without parenthesised parts: 注册资金(万元) → 注册资金."""
    return _PARENS.sub("", lkey(s)).rstrip(":")


@dataclass(frozen=True)
class Variant:
    text: str  # lkey form
    core: bool  # matches only the label without its parentheses
    field: FieldSpec
    needs_group: bool


@cache
def variants(form_id: str) -> tuple[Variant, ...]:
    spec = FORMS[form_id]
    cores: dict[str, int] = {}
    fulls: dict[str, int] = {}
    for f in spec.fields:
        for c in {core(f.label), *(core(a) for a in f.aliases)}:
            cores[c] = cores.get(c, 0) + 1
        fulls[lkey(f.label)] = fulls.get(lkey(f.label), 0) + 1
    out: list[Variant] = []
    for f in spec.fields:
        if f.key.endswith("_other"):
            out.append(Variant(lkey(f.label), False, f, True))
            continue
        ambiguous = fulls[lkey(f.label)] > 1
        for lab in (f.label, *f.aliases):
            out.append(Variant(lkey(lab), False, f, ambiguous))
            c = core(lab)
            if c != lkey(lab) and cores.get(c, 0) == 1:
                out.append(Variant(c, True, f, False))
        if f.group and ambiguous:
            # 机构负责人 · 手机 written as one label: 机构负责人手机, or 负责人手机 without 机构
            for g in {f.group, re.sub(r"^机构(?=.{3})", "", f.group)}:
                out.append(Variant(lkey(g + f.label), False, f, False))
                out.append(Variant(core(g + f.label), True, f, False))
    return tuple(out)


@cache
def group_names(form_id: str) -> tuple[str, ...]:
    return tuple(sorted({f.group for f in FORMS[form_id].fields if f.group}, key=len, reverse=True))


@dataclass
class LabelHit:
    field: FieldSpec
    score: float
    rest: str | None  # inline value after the label (label：value)
    needs_group: bool


def _after_parens(s: str) -> str:
    """Text after the balanced parenthesis group that opens s ('' if unbalanced)."""
    depth = 0
    for i, ch in enumerate(s):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0:
            return s[i + 1:]
    return ""


def _after_gap(text: str, n: int) -> str | None:
    """The raw text after the first n label characters, when a tab or 2+ spaces separate it."""
    raw = text.strip()
    i = seen = 0
    while i < len(raw) and seen < n:
        if not raw[i].isspace():
            seen += 1
        i += 1
    m = re.match(r"(\t|[ \u3000]{2,})[ \t\u3000]*", raw[i:])
    if not m or "\n" in raw[i:i + m.end()] or not raw[i + m.end():].strip():
        return None
    return raw[i + m.end():]


def _inline_rest(text: str, var: str, inner: bool = False, k: str | None = None) -> tuple[bool, str | None]:
    """Text starts with the label; what follows is a suffix in parentheses or ：value."""
    k = lkey(text) if k is None else k
    if not k.startswith(var):
        return False, None
    rest = k[len(var):]
    while rest.startswith("("):  # explanatory suffixes: (可多选) (时间、…)
        rest = _after_parens(rest)
    if not rest:
        return True, None
    if rest[0] == ":":
        # keep the applicant's own spacing: the raw text after the first colon
        m = re.search(r"[:：](?:\s*[:：])*", text)  # 推荐单位：：山东省…: a colon doubled (typed or read twice)
        raw = text[m.end():].strip() if m else ""
        if not raw:
            return True, ("" if inner else None)
        if re.match(r"^[^\s:：]{1,12}[:：]", raw):  # 推荐单位：      被推荐机构：
            return True, ""
        raw = re.split(r"[ \t\u3000]{2,}\S{1,12}[:：]|\t|\n\s*\S{1,12}[:：]", raw, maxsplit=1)[0]
        return True, raw.strip()
    gap = _after_gap(text, len(k) - len(rest))
    if gap is not None:  # 注册时间<Tab>2015年6月18日: a tab or a wide gap instead of a colon
        raw = re.split(r"\t|[ \u3000]{2,}\S{1,12}[:：]", gap, maxsplit=1)[0]
        return True, raw.strip()
    first, nl, more = text.strip().partition("\n")
    if nl and more.strip():  # heading on the first line, the value below it in the same cell
        ok, rest1 = _inline_rest(first, var)
        if ok and rest1 is None:
            return True, more.strip()
    return False, None


def match_label(form_id: str, text: str, fuzzy: bool = False, inner: bool = False) -> list[LabelHit]:
    """Fields whose label this cell/line text is (best first)."""
    return list(_match(form_id, text, fuzzy, inner))


@lru_cache(maxsize=16384)
def _match(form_id: str, text: str, fuzzy: bool, inner: bool) -> tuple[LabelHit, ...]:
    k = lkey(text)
    if not k:
        return ()
    kf = lkey(text.strip().partition("\n")[0])
    short = len(k) <= 120
    kc = _PARENS.sub("", k) if short else ""
    hits: dict[str, LabelHit] = {}
    head = _colon_head(text) if fuzzy else None
    if head is not None:  # a label read whole is no misread one; one that fits two labels is not used
        hk = lkey(head[0])
        near = {v.field.key for v in variants(form_id) if len(v.text) >= 4 and _one_off(head[0], v.text)}
        if len(near) != 1 or any(v.text in (hk, _PARENS.sub("", hk)) for v in variants(form_id)):
            head = None

    def put(v: Variant, score: float, rest: str | None) -> None:
        old = hits.get(v.field.key)
        if old is None or score > old.score:
            hits[v.field.key] = LabelHit(v.field, score, rest, v.needs_group)

    for v in variants(form_id):
        if not v.text:
            continue
        if k == v.text:
            put(v, 1.0 if not v.core else 0.95, None)
        elif kc == v.text and v.core:
            put(v, 0.9, None)
        elif k.startswith(v.text) or kf.startswith(v.text):
            ok, rest = _inline_rest(text, v.text, inner, k)
            if ok and (rest is not None or not inner):
                put(v, 0.9 if not v.core else 0.85, rest)
        elif head is not None and len(v.text) >= 4 and _one_off(head[0], v.text):  # 推荐单：… (位 lost)
            ok, rest = _inline_rest(v.text + "：" + head[1], v.text, inner)
            if ok and rest:
                put(v, 0.74, rest)  # below 0.85: never a rival of a label read whole
        elif fuzzy and short and len(v.text) >= 3 and abs(len(kc) - len(v.text)) <= 3:
            r = SequenceMatcher(None, kc, v.text).ratio()
            if r >= 0.75:
                put(v, r * 0.85, None)
    return tuple(sorted(hits.values(), key=lambda h: -h.score))


def _colon_head(text: str) -> tuple[str, str] | None:
    """OCR text 标签：值: (the label part before the first colon (3–14 characters), the text after it)."""
    m = re.match(r"^\s*([^:：\n]{3,14}?)\s*[:：]", text)
    if not m or not re.match(r"[\u4e00-\u9fff]", m.group(1).strip()):
        return None
    return m.group(1).strip(), text[m.end():]


def _one_off(head: str, label: str) -> bool:
    """A printed label read with one character lost or wrong (推荐单 / 推荐单位, 推荐草位 / 推荐单位)."""
    k = lkey(head)
    if k == label or abs(len(k) - len(label)) > 1:
        return False
    if len(k) == len(label):
        return sum(a != b for a, b in zip(k, label, strict=True)) == 1
    short, long_ = (k, label) if len(k) < len(label) else (label, k)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


@lru_cache(maxsize=16384)
def match_group(form_id: str, text: str, fuzzy: bool = False) -> str | None:
    """The group label (机构负责人, 机构场地 …) this text is; OCR text may have one wrong character."""
    if len(text) > 40:
        return None
    k = core(text)
    for g in group_names(form_id):
        if k == core(g) or (k.startswith(core(g)) and len(k) <= len(core(g)) + 2):
            return g
    if fuzzy and len(k) >= 3:
        best = max(group_names(form_id), key=lambda g: SequenceMatcher(None, k, core(g)).ratio(), default=None)
        if best and len(core(best)) >= 4 and SequenceMatcher(None, k, core(best)).ratio() >= 0.75:
            return best
    return None


def is_title(form: FormSpec, text: str) -> bool:
    k = canon(text)
    if "《" in k or len(k) > len(form.title) + 14:
        return False
    return any(canon(t) in k for t in (form.title, *form.title_aliases))


# --- detection -----------------------------------------------------------

def _distinct(form_id: str, texts: list[tuple[str, bool]]) -> set[str]:
    found: set[str] = set()
    for text, fuzzy in texts:
        for h in match_label(form_id, text, fuzzy):
            if h.score >= 0.85 and not h.needs_group and len(core(h.field.label)) >= 4:
                found.add(h.field.key)
        g = match_group(form_id, text, fuzzy)
        if g:
            found.add("group:" + g)
    return found


def _texts(tables: list[Table], lines: list) -> list[tuple[str, bool]]:
    out = [(c.text, c.confidence < 1) for t in tables for c in t.cells]
    out += [(ln.text, ln.confidence < 1) for ln in lines]
    return out


def _specific(form_id: str, key: str) -> bool:
    """Labels only our forms have (groups, option lists, long texts, 基地/海外 wording), unlike the
    generic company data (地址, 注册资金, 法定代表人 …) many other forms ask for too."""
    if key.startswith("group:"):
        return True
    f = FORMS[form_id].field(key)
    return f.type in ("choice", "choices") or f.max_chars is not None or any(
        w in f.label for w in ("基地", "海外", "专业服务资质", "奖项"))


def scores(layout: Layout) -> dict[str, tuple[bool, int, int]]:
    """form id → (title seen, distinct labels seen, of which specific to our form)."""
    texts = _texts([t for p in layout.pages for t in p.tables], [ln for p in layout.pages for ln in p.lines])
    out = {}
    for fid, form in FORMS.items():
        title = any(is_title(form, t) for t, _ in texts)
        found = _distinct(fid, texts)
        out[fid] = (title, len(found), sum(_specific(fid, k) for k in found))
    return out


MIN_LABELS_WITH_TITLE = 2
MIN_LABELS = 6
MIN_SPECIFIC = 2


def is_form(title: bool, n: int, specific: int) -> bool:
    return (title and n >= MIN_LABELS_WITH_TITLE) or (n >= MIN_LABELS and specific >= MIN_SPECIFIC)


def _page_form(page: Page, current: str | None) -> tuple[str | None, dict[str, int]]:
    texts = _texts(page.tables, page.lines)
    per = {fid: len(_distinct(fid, texts)) for fid in FORMS}
    titled = [fid for fid, f in FORMS.items() if any(is_title(f, t) for t, _ in texts)]
    if len(titled) == 1:
        return titled[0], per
    best = max(per, key=lambda k: per[k])
    if per[best] >= 2 and per[best] > min(per.values()):
        return best, per
    return current, per


def split_forms(layout: Layout) -> list[tuple[str, Layout]]:
    """The forms this layout holds, each with the pages (and tables) that belong to it."""
    sc = scores(layout)
    found = [fid for fid, (title, n, spec) in sc.items() if is_form(title, n, spec)]
    if len(found) <= 1:
        return [(fid, layout) for fid in found]
    parts: dict[str, list[Page]] = {fid: [] for fid in found}
    current: str | None = None
    for page in layout.pages:
        fid, _ = _page_form(page, current)
        if fid is None or fid not in parts:
            fid = current or found[0]
        texts_both = [f for f in found if any(is_title(FORMS[f], t) for t, _ in _texts(page.tables, page.lines))]
        if len(texts_both) > 1:  # both titles on one page: split by position, else tables by their labels
            tops = _title_tops(page, found)
            for f in found:
                if tops:
                    tabs = [t for t in page.tables if _owner(tops, t.bbox[1], current or fid) == f]  # type: ignore[index]
                    lines = [ln for ln in page.lines if _owner(tops, ln.bbox[1], current or fid) == f]  # type: ignore[index]
                else:
                    tabs = [t for t in page.tables if _table_form(t, found) == f]
                    lines = page.lines if f == fid else []
                parts[f].append(Page(number=page.number, width=page.width, height=page.height, tables=tabs,
                                     lines=lines, marks=page.marks if f == fid else [],
                                     needs_ocr=page.needs_ocr, method=page.method))
            current = texts_both[-1]
            continue
        parts[fid].append(page)
        current = fid
    return [(fid, Layout(pages=pages, file=layout.file, sha256=layout.sha256))
            for fid, pages in parts.items() if pages]


def _title_tops(page: Page, found: list[str]) -> dict[str, float]:
    """Where each form's title starts on the page (PDF/OCR geometry); {} when there is none."""
    if not all(ln.bbox for ln in page.lines) or not all(t.bbox for t in page.tables):
        return {}
    tops: dict[str, float] = {}
    items = [(ln.text, ln.bbox) for ln in page.lines] + [(c.text, c.bbox or t.bbox) for t in page.tables
                                                          for c in t.cells]
    for f in found:
        ys = [b[1] for text, b in items if b and is_title(FORMS[f], text)]
        if ys:
            tops[f] = min(ys)
    return tops if len(tops) > 1 else {}


def _owner(tops: dict[str, float], y: float, default: str) -> str:
    above = [f for f, top in tops.items() if top <= y + 1]
    return max(above, key=lambda f: tops[f]) if above else default


def _table_form(t: Table, found: list[str]) -> str:
    texts = _texts([t], [])
    per = {f: len(_distinct(f, texts)) + 5 * any(is_title(FORMS[f], x) for x, _ in texts) for f in found}
    return max(per, key=lambda k: per[k])


def missing_reason(layout: Layout) -> str:
    sc = scores(layout)
    best = max(sc, key=lambda k: (sc[k][0], sc[k][1]))
    title, n, _ = sc[best]
    form = FORMS[best]
    if not title and n < 2:
        names = "”或“".join(f.title for f in FORMS.values())
        return f"不是海智计划的表格（未找到表名“{names}”，也没有认出表中的标签）"
    if not title:
        return f"不是海智计划的表格（未找到表名“{form.title}”，只认出 {n} 个标签）"
    return f"不是海智计划的表格（找到表名“{form.title}”，但只认出 {n} 个标签）"
