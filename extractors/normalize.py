"""Turn the text an applicant typed into the contract's values.

Each normaliser returns the value, or raises ValueError when the text cannot
be read as that type (the caller keeps the field null and adds a finding).
Empty text and the blank form's placeholder texts give None.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

TICK_GLYPHS = "☑■√✓✔☒▣✅⊠⊗◼"
BOX_GLYPHS = "□☐◻▢"
CHECK_GLYPHS = TICK_GLYPHS + BOX_GLYPHS

# placeholder texts of the blank forms (compared without whitespace)
PLACEHOLDERS = (
    "是或否", "下拉菜单", "（运营方向、发展历史等）", "（上传JPEG或PDF格式文件）", "（请注明）",
    "（请另附页）", "请选择", "单击或点击此处输入文字。", "单击此处输入文字。", "点击此处输入文字",
    "Click or tap here to enter text.",
)
_PH_CANON = {re.sub(r"\s+", "", unicodedata.normalize("NFKC", p)) for p in PLACEHOLDERS}
_INSTRUCTION = re.compile(r"^[（(]\s*(请|运营方向|时间、|开展工作形式|上传)[^）)]*[）)]$")
_LEAD_INSTRUCTION = re.compile(r"^\s*[（(]\s*(请简述|请另附|运营方向|上传)[^（()）]*[）)]\s*")
# … its closing bracket lost in a scan (OCR drops a bracket at a line's end): up to its 。 that ends a line
_LEAD_INSTRUCTION_OPEN = re.compile(r"^\s*[（(]\s*(请简述|请另附|运营方向|上传)[^（()）。\n]*\n?[^（()）。\n]*。\s*\n")
_EXAMPLE = re.compile(r"^例\s*[:：]")
_UNDERSCORES = re.compile(r"[_＿]{2,}")


def canon(s: str) -> str:
    """Comparison form: NFKC (full-width → half-width), no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def is_placeholder(s: str) -> bool:
    c = canon(s)
    return not c or c in _PH_CANON or bool(_INSTRUCTION.match(c)) or bool(_EXAMPLE.match(c))


def clean_text(raw: str | None) -> str | None:
    """Trim, drop placeholder lines, keep inner line breaks."""
    if raw is None:
        return None
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\u3000", " ")
    text = _UNDERSCORES.sub(" ", text)
    text = _LEAD_INSTRUCTION.sub("", text)  # an instruction wrapped over several lines (PDF)
    text = _LEAD_INSTRUCTION_OPEN.sub("", text)
    lines = [ln.strip() for ln in text.split("\n")]
    lines = [ln for ln in lines if not ln or not is_placeholder(ln)]
    # a placeholder left at the end of a line the applicant typed into
    out = []
    for ln in lines:
        for ph in ("（请注明）", "(请注明)"):
            if ln.endswith(ph):
                ln = ln[: -len(ph)].rstrip()
        out.append(ln)
    joined = "\n".join(out).strip()
    joined = re.sub(r"\n{3,}", "\n\n", joined)
    return joined or None


_CN_NUM = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_small(s: str) -> int:
    """一 … 三十一 (also 十八, 二十); digit-by-digit for years (二〇一五)."""
    if not s:
        raise ValueError(s)
    if s.isdigit():
        return int(s)
    if "十" in s:
        a, _, b = s.partition("十")
        tens = _CN_NUM[a] if a else 1
        ones = _CN_NUM[b] if b else 0
        return tens * 10 + ones
    return int("".join(str(_CN_NUM[ch]) for ch in s))


_CN_CHARS = "〇零○一二两三四五六七八九十"
_DATE_CN = re.compile(rf"^([{_CN_CHARS}O]{{4}})年([{_CN_CHARS}]{{1,3}})月(?:([{_CN_CHARS}]{{1,3}})日)?$")
_DATE_YMD = re.compile(r"^(\d{4})\s*[年./\-－—]\s*(\d{1,2})\s*(?:[月./\-－—]\s*(?:(\d{1,2})\s*[日号]?)?)?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")


def norm_date(raw: str | None) -> str | None:
    text = clean_text(raw)
    if text is None:
        return None
    s = canon(text).rstrip("。.,，")
    m = _DATE_YMD.match(s) or _DATE_COMPACT.match(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), m.group(3)
    else:
        m = _DATE_CN.match(s)
        if not m:
            raise ValueError(raw)
        y, mo = _cn_small(m.group(1)), _cn_small(m.group(2))
        d = _cn_small(m.group(3)) if m.group(3) else None
    if not 1900 <= y <= 2100:
        raise ValueError(raw)
    if d is None or d == "":
        if not 1 <= mo <= 12:
            raise ValueError(raw)
        return f"{y:04d}-{mo:02d}"
    day = date(y, mo, int(d))  # ValueError on 2月30日
    return day.isoformat()


_UNITS = ("平方米", "万元人民币", "万元", "万", "元", "㎡", "m²", "m2", "m", "平米", "人民币", "人", "名", "个", "家", "位",
          "RMB", "CNY", "约", "余", "左右", "以上", "多")
_NUMBER = re.compile(r"^[+]?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")


def _strip_units(s: str) -> str:
    s = canon(s).replace("，", ",")
    changed = True
    while changed:
        changed = False
        for u in _UNITS:
            for cand in (u, u.lower()):
                if s.endswith(cand) and len(s) > len(cand):
                    s, changed = s[: -len(cand)], True
                if s.startswith(cand) and len(s) > len(cand):
                    s, changed = s[len(cand):], True
        s = s.strip("()（）")
    return s


def norm_number(raw: str | None) -> int | float | None:
    text = clean_text(raw)
    if text is None:
        return None
    s = _strip_units(text)
    m = _NUMBER.match(s)
    if not m:
        raise ValueError(raw)
    whole = int(m.group(1).replace(",", ""))
    if m.group(2) and int(m.group(2)[1:] or "0"):
        return float(f"{whole}{m.group(2)}")
    return whole


def norm_int(raw: str | None) -> int | None:
    v = norm_number(raw)
    if v is None:
        return None
    if isinstance(v, float):
        raise ValueError(raw)
    return v


_TRUE = {"是", "yes", "y", "true", "是的", "√是", "有"}
_FALSE = {"否", "no", "n", "false", "不是", "无"}


def norm_bool(raw: str | None) -> bool | None:
    text = clean_text(raw)
    if text is None:
        return None
    s = canon(text).lower()
    ticked = [opt for opt in re.findall(rf"[{re.escape(TICK_GLYPHS)}]\s*([^\s{re.escape(CHECK_GLYPHS)}]+)", s)]
    if ticked:
        vals = {canon(t).lower() for t in ticked}
        if vals & _TRUE and not vals & _FALSE:
            return True
        if vals & _FALSE and not vals & _TRUE:
            return False
        raise ValueError(raw)
    if any(g in s for g in CHECK_GLYPHS):  # boxes but none ticked
        return None
    s = s.rstrip("。.")
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError(raw)


SIGN_LINE = re.compile(
    r"^(单位名称\s*[:：].*|负责人\s*[（(]?\s*签[字名章]\s*[)）]?\s*[:：]?.*|[（(]\s*(单位)?公章\s*[)）]|"
    r"(日期\s*[:：])?\s*(\d{4}|[〇一二三四五六七八九零]{4})?\s*年\s*\d{0,2}\s*月\s*\d{0,2}\s*日)$")


WIDE_GAP = re.compile(r"\t+|[ \u3000]{2,}")  # a tab or a run of spaces: label–value pairs side by side

SIGN_START = re.compile(r"负责人\s*[（(]?\s*签[字名章]|[（(]\s*(?:单位)?公章\s*[)）]|单位名称\s*[:：]")
SIGN_WORDS = re.compile(r"签[字名章学]|[（(]\s*签|公章|名称\s*[:：]|负责人\s*[（(]")


def _is_sign_part(part: str) -> bool:
    p = re.sub(r"^[（(]?[单位公盖]{0,3}章\s*[)）]\s*(?=\S)", "", part.strip())  # 章）2025年6月2日
    if len(p) <= 8 and sum(ch in p for ch in "年月日") >= 2 and not re.search(r"[，。,；;]", p):
        return True  # 年月一日V: the date line with a stroke of handwriting read into it
    return bool(SIGN_LINE.match(canon(p).replace("(", "（").replace(")", "）")) or SIGN_LINE.match(p)
                or SIGN_WORDS.search(p) or re.fullmatch(r"[年月日\s\d]*[年月日][年月日\s\d]*", p)
                or re.fullmatch(r"[（(]?[单位公盖]{0,3}章\s*[)）]?", p))  # 章） left of a wrapped （单位公章）


def sign_block_line(line: str) -> bool:
    """A scanned line of the printed signing block (负责人（签字）, （公章）, 年 月 日), with whatever
    handwriting or seal ink was read after it (章）    V, 年    月张): not part of any value's reading."""
    parts = WIDE_GAP.split(line.strip())
    head, last = parts[0], parts[-1]
    if _is_sign_part(line) and re.search(r"签|章|公|[年月日]", line):
        return True
    if len(parts) > 1 and _is_sign_part(last) and re.search(r"[年月日]", last) and all(_scribble(p) for p in parts[:-1]):
        return True  # UN    025年2月2日: strokes of a signature, then the date
    return _is_sign_part(head) and bool(re.search(r"签|章|公", head) or re.fullmatch(r"[年月日\s]+", head))


def signature_line(line: str) -> bool:
    """A short line with no sentence punctuation (张明化, AmDV.): a name signed under a signing block."""
    flat = re.sub(r"\s+", "", line)
    return 0 < len(flat) <= 5 and not _SENTENCE.search(flat)


def _rejoin_parens(lines: list[str]) -> list[str]:
    """A bracket wrapped in a narrow cell (（单位公 / 章）) is one line again."""
    out: list[str] = []
    for ln in lines:
        if out and re.match(r"^\s*[^（()）\s]{1,4}[)）]", ln) and re.search(r"[（(][^)）]*$", out[-1]):
            out[-1] = out[-1].rstrip() + ln.strip()
        else:
            out.append(ln)
    return out


def _scribble(part: str) -> bool:
    """A signature read as a few Latin letters (AmDV.)."""
    return len(part.strip()) <= 8 and not re.search(r"[\u4e00-\u9fff]", part)


def stroke_after_end(before: str, part: str) -> bool:
    """A few strokes read past a wide gap after a finished sentence (同意推荐。    DO): a signature's or a seal's
    ink, no part of an opinion."""
    return (len(part.strip()) <= 3 or _scribble(part)) and before.rstrip().endswith(("。", "！", "."))


def strip_signature_lines(raw: str | None, *, scanned: bool = False) -> str | None:
    """Opinion boxes: drop the printed 单位名称 / 负责人（签字） / （公章） / 年 月 日 lines.

    With ``scanned``, OCR'd handwriting goes too: a few strokes read as a short
    word after a wide gap that follows the end of a sentence.
    """
    if raw is None:
        return None
    keep: list[str] = []
    for ln in _rejoin_parens(raw.split("\n")):
        m = SIGN_START.search(ln)
        if m and m.start() > 0 and len(re.findall(r"[\u4e00-\u9fff]", ln[: m.start()])) >= 4 \
                and not _is_sign_part(ln[: m.start()]):
            ln = ln[: m.start()].rstrip()  # 经审核，申报材料真实有负责人（签字）: the opinion's line ran into the label
        parts = WIDE_GAP.split(ln.strip())
        if _is_sign_part(ln) and (len(parts) == 1 or _is_sign_part(parts[0])):
            continue
        if scanned and keep and (_date_with_ink(ln) or _signature_after_end(ln, keep[-1])):
            continue  # 年    张明华日 / 张明化 under a finished sentence: the date line and a signature
        if scanned and len(parts) > 1 and _is_sign_part(parts[0]) \
                and all(_is_sign_part(p) or _scribble(p) for p in parts[1:]):
            continue  # 章）    AmDV.: the printed rest and a signature read as letters
        body = [parts[0]]
        for p in parts[1:]:
            if _is_sign_part(p) or (scanned and stroke_after_end(body[-1], p)):
                break
            body.append(p)
        line = "    ".join(body) if len(parts) > 1 else ln
        if scanned:  # 同意推荐。华: a stroke of the signature read on after the last full stop
            line = re.sub(r"([。！!])\s*[\u4e00-\u9fff]$", r"\1", line)
        keep.append(line)
    return "\n".join(keep)


_SENTENCE = re.compile(r"[，。,；;：:、！？!?]")


def _date_with_ink(line: str) -> bool:
    """The 年 月 日 line with handwriting read into it (年    张明华日, 年    月张明华): short, no sentence
    punctuation, starting with 年 or ending with 日, or holding two of 年 月 日."""
    flat = re.sub(r"\s+", "", line)
    if not flat or len(flat) > 12 or _SENTENCE.search(flat):
        return False
    n = sum(flat.count(ch) for ch in "年月日")
    return n >= 2 or (n == 1 and (flat.startswith("年") or flat.endswith("日")) and " " in line.strip())


def _signature_after_end(line: str, before: str) -> bool:
    """A name of two to four characters on its own line after a line that ends a sentence: the
    signature read as text (同意推荐。 / 张明化)."""
    flat = re.sub(r"\s+", "", line)
    return bool(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", flat)) and before.rstrip().endswith(("。", "！", "!"))


def strip_own_label(text: str | None, label: str, others: list[str]) -> tuple[str | None, str | None]:
    """An opinion's value that starts with its own row label (申报单位意见同意推荐。: the label cell and the
    value read as one line) loses the label; a value that is only a row label (所在地市科区见: the next
    row's label read as this row's value) is no value. Returns (value, why) — why names what was odd
    when the value is doubtful."""
    if not text:
        return text, None
    flat = re.sub(r"\s+", "", text)
    lab = re.sub(r"\s+", "", label)
    from difflib import SequenceMatcher

    if len(flat) <= len(lab) + 2 and any(SequenceMatcher(None, flat.rstrip("：:"), o).ratio() >= 0.7
                                         for o in [lab, *others]):
        return None, "读到的只是栏目标签"
    head = flat[: len(lab)]
    if head == lab or (len(lab) >= 4 and SequenceMatcher(None, head, lab).ratio() >= 0.8):
        i, n = 0, 0  # cut as many characters of text (spaces aside) as the label has
        while i < len(text) and n < len(lab):
            n += not text[i].isspace()
            i += 1
        rest = text[i:].lstrip(" ：:\t")
        return (rest or None), (None if head == lab else "开头像是栏目标签的残余")
    return text, None


def normalize(ftype: str, raw: str | None) -> Any:
    """Scalar types only (choice/choices are read from marks by the mapper)."""
    if ftype == "date":
        return norm_date(raw)
    if ftype == "number":
        return norm_number(raw)
    if ftype == "int":
        return norm_int(raw)
    if ftype == "bool":
        return norm_bool(raw)
    return clean_text(raw)
