"""A reading's guesses: a character the model was unsure of, or one it dropped between two it read, makes the
line worth reading again at two other sizes (second_look); readings that differ make it unsure."""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np

WEAK_CHAR = 0.85  # a character read at under this probability: the line's mean hides it (硕士 → 硕土 at 0.51,
# 闭环 → 团环 at 0.83); read again at two other sizes, the line is unsure when they differ
WEAK_LINE = 0.79  # … and the line is no surer than this (under the reader's LOW_CONFIDENCE: a person checks it)
WORD_CHAR = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")
PAUSE = re.compile(r"[，、]")  # a comma and an enumeration comma: blurred, each is read for the other, surely in the
PAUSE_WEAK = 0.85  # line's mean (安居、税收 → 安居，税收, ， at 0.80 and 0.67, 、 at the third size: TUNE base heavy
# 12668): one read under this is looked at again at two other sizes, as a guessed character is; alike, it stands


class Read(NamedTuple):
    """The model's reading of one image: text, confidence (its mean), whether a character was guessed or
    dropped (weak), and the lowest probability of a Chinese character it read or of a digit alone among them
    (low)."""
    text: str
    conf: float
    weak: bool
    low: float = 1.0
    gaps: tuple[tuple[int, int], ...] = ()  # x spans (image columns) where a character was dropped over ink
    pause: bool = False  # a comma or enumeration comma read under PAUSE_WEAK (looked at again; not "weak")
    skips: tuple[tuple[int, int], ...] = ()  # x spans where the model stepped over several characters' ink


STILL_GUESS = 0.82  # a Chinese character read at under this probability at all three sizes is still a guess
# (工作闭环 read 工作团环, 团 at 0.67, 0.61, 0.57: TUNE base heavy 12394; at 0.74, 0.80, 0.61: coop heavy 12594);
# alike at three sizes does not make it sure. TUNE 12580–87: right readings of values this unsure 4, wrong 4
STILL_SHORT = 0.9  # … in a run of one or two Chinese characters (a line's last word wrapped alone: 表彰 → 表|影。, 影 at
# 0.78–0.85 at every size, TUNE coop heavy 12391): no words beside it for the model to read it by


def lowest(txts: tuple[str, ...] | list[str], confs: list[list[float]], chars: re.Pattern) -> float:
    """The lowest probability of the texts' characters matching chars, 1.0 without them. The model's mean over
    a line of twenty characters stays at 0.97 when one of them (士 read as 土) was a guess at 0.5: a character
    or digit under WEAK_CHAR makes the line worth a second look; punctuation does not (a comma is often read at
    0.6 and rightly). confs: per text, one probability per character (rapidocr's word_results); a text
    without them counts as sure."""
    low = 1.0
    for t, cs in zip(txts, confs, strict=False):
        if len(cs) == len(t):
            low = min([low, *(p for ch, p in zip(t, cs, strict=True) if chars.match(ch))])
    return low


_ALNUM = re.compile(r"[0-9A-Za-z]")


def lowest_lone(txts: tuple[str, ...] | list[str], confs: list[list[float]]) -> float:
    """The lowest probability of a digit standing alone among Chinese text and stops (书。 read 书5。, the 5 at
    0.78 at every size: a speck or the stop's ring taken for a glyph; TUNE coop heavy 12533), 1.0 without one.
    Digits in a run (a phone number, 2019) are not looked at: one guessed among its own kind is a digit all the
    same; nor letters (an area's m² read as a weak m is the unit, which the value leaves out)."""
    low = 1.0
    for t, cs in zip(txts, confs, strict=False):
        if len(cs) != len(t):
            continue
        for i, (ch, p) in enumerate(zip(t, cs, strict=True)):
            if "0" <= ch <= "9" and not any(0 <= j < len(t) and _ALNUM.match(t[j]) for j in (i - 1, i + 1)):
                low = min(low, p)
    return low


def views(img: np.ndarray) -> list[np.ndarray]:
    """The run's image enlarged and shrunk: a character guessed in one is often read surely in the others."""
    import cv2

    return [cv2.resize(img, None, fx=1.5, fy=1.5, interpolation=cv2.INTER_CUBIC),
            cv2.resize(img, None, fx=0.7, fy=0.7, interpolation=cv2.INTER_AREA)]


AREA_UNIT = re.compile(r"(?<=\d)(?:m2|m²|㎡|平方米|m$)")  # 平方米 written m², its ² read as 2 or lost, or unseen
_SPECK = re.compile(r"(?<=[^\x00-\x7f])\.$")  # a dot after Chinese text: a speck (Chinese ends with 。)


def comparable(text: str) -> str:
    """A reading as two views of a run must agree on it: no spaces, no area unit after a number (3,241 m2,
    3,241 m², 3,241 m: one area, its ² read either way or lost), no speck dot after Chinese."""
    return _SPECK.sub("", AREA_UNIT.sub("", "".join(text.split())))


HAN = re.compile(r"[\u4e00-\u9fff]")
_WIDE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
LOST_GAP = 1.7  # a step this many times the line's character pitch between two characters read: one between
# them was dropped (闭环，力争 read 闭环力争 at 0.99; the comma is read at the two other sizes)


def _lost_steps(words: list[list[str]], cols: list[list[int]]) -> list[tuple[int, int, float]]:
    """Steps (from column, to column, the line's character pitch) between two Chinese characters the model read
    that are as wide as LOST_GAP characters of the line's own: a character there dropped, or a blank."""
    steps, pitch = _steps(words, cols, 8, 6)
    return [(p, p + d, float(pitch)) for d, a, b, p in steps
            if pitch > 0 and d >= LOST_GAP * pitch and HAN.match(a) and HAN.match(b)]


def _steps(words: list[list[str]], cols: list[list[int]], least_chars: int,
           least_wide: int) -> tuple[list[tuple[int, str, str, int]], int]:
    """The steps (width, character, next character, column) between the characters read, and the line's pitch
    (the median step between two wide ones); none in a line of under least_chars characters or under least_wide
    such steps."""
    chars = [c for w in words for c in w]
    pos = [p for w in cols for p in w]
    if len(chars) != len(pos) or len(chars) < least_chars:
        return [], 0
    steps = [(pos[i + 1] - pos[i], chars[i], chars[i + 1], pos[i]) for i in range(len(chars) - 1)]
    wide = sorted(d for d, a, b, _ in steps if _WIDE.match(a) and _WIDE.match(b))
    if len(wide) < least_wide:
        return [], 0
    return steps, wide[len(wide) // 2]


def lost_between(words: list[list[str]], cols: list[list[int]]) -> bool:
    """The model's characters (rapidocr's word_results: words and their output columns) step over a place
    between two Chinese characters as wide as a character of the line's own: a character there was dropped,
    or the line has a blank (a label and its value); second_look tells which."""
    return bool(_lost_steps(words, cols))


STRIDE, MODEL_H = 8, 48  # the recognition model's input height and its output's stride in input columns
GAP_INK = 0.03  # share of a lost step's middle (the print's band) in ink: a character dropped, not a blank


def dropped_spans(img: np.ndarray, words: list[list[str]], cols: list[list[int]]) -> list[tuple[int, int]]:
    """The x spans (img's columns) of steps lost_between finds whose middle holds ink in the line's band: a
    character the model dropped where something is printed or written (情况属实 read 情属实 at every size and in
    the plain image too, 况 under a signature's stroke; TUNE base heavy 12562), not a blank between a label and
    its value, which holds none. (A box the model does not read, □投融资, holds ink too: callers tell.)"""
    return _inked(img, _lost_steps(words, cols))


SKIP_GAP = 2.5  # a step this many times the line's pitch between two characters read (stops too) over ink: the
# model stepped over several characters (情况属实，同意推荐该基地申报。 under a black signature read 情况属实，同。
# at 1.0, 同 to 。 eight characters apart: TUNE base moderate 12685)


def skipped_spans(img: np.ndarray, words: list[list[str]], cols: list[list[int]]) -> list[tuple[int, int]]:
    """The x spans of steps of SKIP_GAP pitches or more, over ink, between any two wide characters read (a stop
    too), in a line of four or more: _lost_steps looks only between Chinese characters of a longer line, and
    finds one character lost, not several."""
    steps, pitch = _steps(words, cols, 4, 3)
    return _inked(img, [(p, p + d, float(pitch)) for d, a, b, p in steps
                        if pitch > 0 and d >= SKIP_GAP * pitch and _WIDE.match(a) and _WIDE.match(b)])


def _inked(img: np.ndarray, gaps: list[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """The image column spans of steps (output columns, pitch) whose middle holds ink in the line's band."""
    import cv2

    if not gaps:
        return []
    gray = img if img.ndim == 2 else cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    h, w = gray.shape
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    scale = STRIDE * h / MODEL_H  # image columns per output column
    band = ink[int(0.2 * h):int(0.8 * h)]
    out = []
    for a, b, pitch in gaps:
        x0, x1 = max(0, int((a + 0.5 + pitch / 2) * scale)), min(w, int((b + 0.5 - pitch / 2) * scale))
        if x1 > x0 and float(band[:, x0:x1].mean()) >= GAP_INK:
            out.append((x0, x1))
    return out


def _one_more(short: str, long: str) -> bool:
    """long is short with one character put in (闭环力争 / 闭环，力争)."""
    return len(long) == len(short) + 1 and any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def second_look(text: str, conf: float, others: list[tuple], low: float = 1.0) -> tuple[str, float]:
    """A reading with a guessed or dropped character, checked against the same run read at two other sizes:
    all three alike, the guess was right (a phone's 0 read at 0.52) unless a Chinese character of it was a guess
    at every size (low: the first reading's, under STILL_GUESS in each); the other two alike and sure, theirs is
    the reading when it differs by a character changed or put in, still unsure (硕土 → 硕士, 闭环力争 → 闭环，力争:
    named for a person to check); else the first, unsure. Two that guessed too (同意 at two sizes, each with a
    guess) outvote nothing: as often 同意 → 问意 as 同急 → 同意 (TUNE)."""
    others = [Read(*o) for o in others]
    flat = comparable(text)
    got = [comparable(o.text) for o in others]
    if all(g == flat for g in got):
        still = max([low, *(o.low for o in others)]) < (STILL_SHORT if len(HAN.findall(text)) <= 2 else STILL_GUESS)
        return text, min(conf, WEAK_LINE) if still else conf
    if len(others) >= 2 and got[0] and all(g == got[0] for g in got) and not any(o.weak for o in others) \
            and (len(got[0]) == len(flat) or _one_more(flat, got[0])):
        return others[0].text, min(WEAK_LINE, *(o.conf for o in others))
    return text, min(conf, WEAK_LINE)
