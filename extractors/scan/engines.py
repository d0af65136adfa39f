"""OCR engines behind one interface: Tesseract (pytesseract) and RapidOCR.

Images are numpy arrays, grayscale (H, W) uint8 or BGR (H, W, 3). Confidences
are 0..1. RapidOCR's models ship inside its wheel; we point it at them by path
so it never tries to download anything, and load it once per process.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

from haizhi.extractors.scan.guesses import (
    HAN,
    PAUSE,
    PAUSE_WEAK,
    WEAK_CHAR,
    WEAK_LINE,
    WORD_CHAR,
    Read,
    comparable,
    dropped_spans,
    lost_between,
    lowest,
    lowest_lone,
    second_look,
    skipped_spans,
    views,
)
from haizhi.extractors.scan.rec_runtime import bucket_widths, rec_params
from haizhi.pipeline.core.errors import HaizhiError

BBoxPx = tuple[int, int, int, int]
ENGINES = ("rapidocr", "tesseract")
DEFAULT_ENGINE = "rapidocr"  # bench/bench_ocr.py: best accuracy and speed on simulated scans

_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])|(?<=[{_CJK}])\s+(?=\w)|(?<=\w)\s+(?=[{_CJK}])")


class Engine(Protocol):
    name: str

    def recognize_cell(self, img: np.ndarray) -> tuple[str, float]:
        """Text of one cell or line image (may hold several lines) and its confidence."""
        ...

    def recognize_line(self, img: np.ndarray) -> tuple[str, float]:
        """One text line (the reader has already cut the page into lines)."""
        ...

    def recognize_page(self, img: np.ndarray) -> list[tuple[str, BBoxPx, float]]:
        """Every text line found on a page: (text, pixel bbox, confidence)."""
        ...


def _to_rgb(img: np.ndarray) -> np.ndarray:
    if img.ndim == 2:
        return np.ascontiguousarray(np.stack([img] * 3, axis=-1))
    return np.ascontiguousarray(img[:, :, ::-1])  # BGR → RGB


def _pad(img: np.ndarray, px: int) -> np.ndarray:
    if img.ndim == 2:
        return np.pad(img, px, constant_values=255)
    return np.pad(img, ((px, px), (px, px), (0, 0)), constant_values=255)


_HAN = r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]"
_FULL = {"(": "（", ")": "）", ":": "：", ";": "；", ",": "，", "?": "？", "!": "！"}
_HALF_NEAR_HAN = re.compile(rf"(?<={_HAN})[ ]*([(:;,?!)])|([()])(?={_HAN})")
_PAREN_PLAIN = re.compile(r"\([^()（）\u4e00-\u9fff]*\)")  # a pair around digits or Latin: an area code
_PAREN_HAN = re.compile(r"\(([^()]*?[\u4e00-\u9fff][^()]*?)\)")


def _full_width(m: re.Match) -> str:
    ch = m.group(1) or m.group(2)
    return _FULL.get(ch, ch)


def _bands(img: np.ndarray) -> list[np.ndarray]:
    """Text line crops of a cell image (light background), top to bottom."""
    import cv2

    from haizhi.extractors.scan.cells import split_lines
    from haizhi.extractors.scan.ink import binarize

    gray = img if img.ndim == 2 else cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    bands = split_lines(binarize(gray), max(4, gray.shape[0] // 60))
    out = []
    for y0, y1 in bands:
        pad = max(2, (y1 - y0) // 5)
        out.append(img[max(0, y0 - pad):y1 + pad])
    return out


PART_GAP = 1.5  # a blank this many text heights wide parts a line …
PART_MIN = 3.0  # … when the text on both sides is at least this many heights long (not 年    月    日)


def line_parts(img: np.ndarray) -> list[tuple[int, int]]:
    """Column spans of a line image's parts, split at wide blanks; the whole width when there are none."""
    import cv2

    from haizhi.extractors.scan.ink import binarize

    gray = img if img.ndim == 2 else cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    ink = binarize(gray) > 0  # faded print (a heavy scan) is ink too
    whole = [(0, img.shape[1])]
    per_row = ink.sum(axis=1)
    rows = np.flatnonzero(per_row >= max(2, 0.1 * per_row.max()))  # the text's body, not specks above it
    if rows.size == 0:
        return whole
    h = int(rows[-1] - rows[0] + 1)
    cols = np.flatnonzero(ink.any(axis=0))
    breaks = np.flatnonzero(np.diff(cols) - 1 >= PART_GAP * h)  # blanks of PART_GAP · h or more part the ink
    runs = [[int(a), int(b) + 1] for a, b in zip(cols[np.r_[0, breaks + 1]], cols[np.r_[breaks, cols.size - 1]],
                                                  strict=True)]
    merged: list[list[int]] = []
    for r in runs:  # a short run (one character, a mark) stays with the run before it
        if merged and (r[1] - r[0] < PART_MIN * h or merged[-1][1] - merged[-1][0] < PART_MIN * h):
            merged[-1][1] = r[1]
        else:
            merged.append(r)
    if len(merged) < 2:
        return whole
    cuts = [(a[1] + b[0]) // 2 for a, b in zip(merged, merged[1:], strict=False)]
    edges = [0, *cuts, img.shape[1]]
    return list(zip(edges, edges[1:], strict=False))


SHI_AS_TU = re.compile(r"(?<=[硕博院护])\s*土(?![地壤木建方石])")  # 士 read as 土 (one stroke's length apart),
# where only 士 makes a word (学院土地: 土 all the same)


def tidy(text: str) -> str:
    """Drop the spaces OCR puts between CJK characters; Chinese punctuation next to Chinese text; 硕土 → 硕士
    (the model reads 士 as 土 at all three sizes, sure, where no word has 土)."""
    text = SHI_AS_TU.sub("士", _CJK_SPACE.sub("", text).strip())
    text = _PAREN_HAN.sub(r"（\1）", text)
    plain = [(m.start(), m.end()) for m in _PAREN_PLAIN.finditer(text)]  # (0574) after 电话： stays half-width
    return _HALF_NEAR_HAN.sub(lambda m: m.group(0) if any(a <= m.start(1 if m.group(1) else 2) < b for a, b in plain)
                              else _full_width(m), text)


READ_MEMO = 512  # model readings kept by their input's pixels: the same crop is asked for again by other paths


class RapidEngine:
    name = "rapidocr"
    _lock = threading.Lock()
    _shared: RapidEngine | None = None

    def __init__(self) -> None:
        import rapidocr
        from rapidocr import RapidOCR

        models = Path(rapidocr.__file__).resolve().parent / "models"
        paths = {
            "Det.model_path": models / "PP-OCRv6_det_small.onnx",
            "Rec.model_path": models / "PP-OCRv6_rec_small.onnx",
            "Cls.model_path": models / "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
        }
        missing = [str(p) for p in paths.values() if not p.is_file()]
        if missing:
            raise HaizhiError(f"RapidOCR 的模型文件缺失（不会联网下载）：{'、'.join(missing)}")
        threads = int(os.environ.get("HAIZHI_OCR_THREADS", "1"))
        params: dict[str, object] = {k: str(v) for k, v in paths.items()}
        params.update({
            "Global.log_level": "error",
            "Global.text_score": 0.3,  # keep weak reads; their confidence asks a person to check
            "Global.model_root_dir": str(models),
            **rec_params(threads),
        })
        self._ocr = RapidOCR(params=params)
        bucket_widths(self._ocr)
        self._memo: dict[tuple, Read] = {}

    @classmethod
    def shared(cls) -> RapidEngine:
        with cls._lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def _read(self, img: np.ndarray) -> Read:
        """The model's Read of an image (text, confidence, a character guessed, the least sure Chinese one). It gives the
        same pixels the same reading: one already made is given again (READ_MEMO)."""
        key = img.shape, img.dtype.str, hashlib.blake2b(np.ascontiguousarray(img).tobytes(), digest_size=16).digest()
        got = self._memo.get(key)
        if got is None:
            if len(self._memo) >= READ_MEMO:
                self._memo.clear()
            got = self._memo[key] = self._model(img)
        return got

    def forget(self) -> None:  # a new page: its crops are not the last page's
        self._memo.clear()

    def _model(self, img: np.ndarray) -> Read:
        res = self._ocr(_to_rgb(img), use_det=False, use_cls=False, return_word_box=True)
        txts = getattr(res, "txts", None) or ()
        scores = getattr(res, "scores", None) or ()
        if not txts:
            return Read("", 0.0, False)
        conf = float(min(scores)) if scores else 0.0
        words = getattr(res, "word_results", None) or ()
        confs = [list(getattr(w, "confs", None) or ()) for w in words]
        chars = [(list(getattr(w, "words", None) or ()), list(getattr(w, "word_cols", None) or ())) for w in words]
        weak = lowest(txts, confs, WORD_CHAR) < WEAK_CHAR or any(lost_between(ws, cs) for ws, cs in chars)
        gaps = tuple(g for ws, cs in chars for g in dropped_spans(img, ws, cs)) if weak else ()
        pause = lowest(txts, confs, PAUSE) < PAUSE_WEAK  # (looked at again at two sizes; no gaps sought)
        skips = tuple(g for ws, cs in chars for g in skipped_spans(img, ws, cs))
        return Read(tidy("".join(txts)), conf, weak, min(lowest(txts, confs, HAN), lowest_lone(txts, confs)), gaps,
                    pause, skips)

    def _rec(self, img: np.ndarray, floor: float = 0.0) -> tuple[str, float]:
        """A run's text; one with a character guessed is read again enlarged and shrunk (views). With a floor
        (above WEAK_LINE), a reading second_look is bound to leave under it ends early: second_look keeps a
        confidence when all three sizes read alike, else gives one no higher than WEAK_LINE."""
        first = Read(*self._read(img))
        text, conf, weak, low = first[:4]  # (a stand-in model may give no low: sure)
        if not (weak or first.pause) or conf < floor:
            return text, conf
        others = []
        for v in views(img):
            others.append(self._read(v))
            if floor > 0 and comparable(others[-1][0]) != comparable(text):
                return text, min(conf, WEAK_LINE)  # read otherwise at one size: under floor, whatever the other
        return second_look(text, conf, others, low)

    def _rec_parts(self, img: np.ndarray, floor: float = 0.0) -> tuple[str, float]:
        """A line read part by part where a wide blank splits it (two label–value pairs on one line):
        read whole, the model drops a run of one glyph late in a long line (二〇〇〇年 → 二年). A part read
        under floor ends it: the line's confidence, the least of its parts', is under floor already."""
        parts = []
        for a, b in line_parts(img):
            t, c = self._rec(_pad(img[:, a:b], 4), floor)
            parts.append((t, c))
            if t and c < floor:
                break
        parts = [(t, c) for t, c in parts if t]
        if not parts:
            return "", 0.0
        return tidy(" ".join(t for t, _ in parts)), min(c for _, c in parts)

    def recognize_line(self, img: np.ndarray) -> tuple[str, float]:
        """One text line, no detection step."""
        if img.size == 0:
            return "", 0.0
        return self._rec_parts(img)

    def recognize_sure(self, img: np.ndarray, floor: float) -> tuple[str, float]:
        """One text line, for a caller that uses its text only when its confidence is at least floor: a reading
        bound to end under floor ends at once (its text then partial), without the reads that could not lift it."""
        if img.size == 0:
            return "", 0.0
        return self._rec_parts(img, max(floor, 0.0))

    def recognize_plain(self, img: np.ndarray) -> tuple[str, float]:
        """One run read once, padded as a line's part is: no parts, no views (orient: a crop upright or turned)."""
        if img.size == 0:
            return "", 0.0
        return self._read(_pad(img, 4))[:2]

    def dropped_at(self, img: np.ndarray) -> list[tuple[int, int]]:
        """x spans (img's columns) where the model, reading img whole as a line's part, dropped a character over
        ink (guesses.dropped_spans)."""
        if img.size == 0:
            return []
        return [(max(0, a - 4), b - 4) for a, b in self._read(_pad(img, 4)).gaps]

    def skipped_at(self, img: np.ndarray) -> list[tuple[int, int]]:
        """x spans (img's columns) where the model, reading img's parts as recognize_line does, stepped over
        several characters' ink (guesses.skipped_spans); the parts' readings are the ones just made."""
        if img.size == 0:
            return []
        return [(a + max(0, x0 - 4), a + x1 - 4) for a, b in line_parts(img)
                for x0, x1 in self._read(_pad(img[:, a:b], 4)).skips]

    def least_sure(self, img: np.ndarray) -> float:
        """The lowest probability of a Chinese character (or a digit alone) read in one run, padded as a line's
        part, at its size and at the two other sizes (views); 0.0 for an empty image."""
        if img.size == 0:
            return 0.0
        pc = _pad(img, 4)
        return min(self._read(v).low for v in (pc, *views(pc)))

    def recognize_cell(self, img: np.ndarray) -> tuple[str, float]:
        """Cut the cell into text lines by its ink profile, then recognise each line."""
        if img.size == 0:
            return "", 0.0
        out = [self._rec_parts(band) for band in _bands(img)]
        out = [(t, c) for t, c in out if t]
        if not out:
            return "", 0.0
        return "\n".join(t for t, _ in out), min(c for _, c in out)

    def recognize_page(self, img: np.ndarray) -> list[tuple[str, BBoxPx, float]]:
        if img.size == 0:
            return []
        res = self._ocr(_to_rgb(img))
        boxes = getattr(res, "boxes", None)
        if boxes is None or not getattr(res, "txts", None):
            return []
        out: list[tuple[str, BBoxPx, float]] = []
        for box, txt, sc in zip(boxes, res.txts, res.scores, strict=False):
            b = np.asarray(box)
            bb = (int(b[:, 0].min()), int(b[:, 1].min()), int(b[:, 0].max()), int(b[:, 1].max()))
            out.append((tidy(txt), bb, float(sc)))
        out.sort(key=lambda t: ((t[1][1] + t[1][3]) // 2 // max(1, t[1][3] - t[1][1]), t[1][0]))
        return out


class TesseractEngine:
    name = "tesseract"

    def __init__(self, lang: str = "chi_sim+eng") -> None:
        import pytesseract

        self._tess = pytesseract
        try:
            langs = set(pytesseract.get_languages(config=""))
        except Exception as e:  # tesseract binary missing
            raise HaizhiError(f"找不到 Tesseract 程序，无法识别扫描件：{e}") from None
        want = lang.split("+")
        if not set(want) <= langs:
            raise HaizhiError(f"Tesseract 缺少语言包：{'、'.join(sorted(set(want) - langs))}")
        self.lang = lang

    def _data(self, img: np.ndarray, psm: int) -> list[tuple[str, BBoxPx, float]]:
        d = self._tess.image_to_data(_pad(img, 10), lang=self.lang, config=f"--psm {psm}",
                                     output_type=self._tess.Output.DICT)
        lines: dict[tuple[int, int, int], list[int]] = {}
        for i, word in enumerate(d["text"]):
            if word.strip():
                lines.setdefault((d["block_num"][i], d["par_num"][i], d["line_num"][i]), []).append(i)
        out: list[tuple[str, BBoxPx, float]] = []
        for idx in lines.values():
            text = tidy(" ".join(d["text"][i] for i in idx))
            confs = [max(0.0, float(d["conf"][i])) / 100 for i in idx]
            x0 = min(d["left"][i] for i in idx) - 10
            y0 = min(d["top"][i] for i in idx) - 10
            x1 = max(d["left"][i] + d["width"][i] for i in idx) - 10
            y1 = max(d["top"][i] + d["height"][i] for i in idx) - 10
            out.append((text, (x0, y0, x1, y1), float(np.mean(confs)) if confs else 0.0))
        return out

    def recognize_line(self, img: np.ndarray) -> tuple[str, float]:
        if img.size == 0:
            return "", 0.0
        lines = self._data(img, 7)
        if not lines:
            return "", 0.0
        return " ".join(t for t, _, _ in lines), min(c for _, _, c in lines)

    page_mode = False  # True: one call per page (a process per call is slow); the reader picks words by box

    def page_words(self, img: np.ndarray) -> list[tuple[str, BBoxPx, float]]:
        """Every word on a page with its pixel box, read in one Tesseract call."""
        d = self._tess.image_to_data(img, lang=self.lang, config="--psm 6", output_type=self._tess.Output.DICT)
        out = []
        for i, word in enumerate(d["text"]):
            if word.strip():
                x, y, w, h = d["left"][i], d["top"][i], d["width"][i], d["height"][i]
                out.append((word.strip(), (x, y, x + w, y + h), max(0.0, float(d["conf"][i])) / 100))
        return out

    def recognize_cell(self, img: np.ndarray) -> tuple[str, float]:
        if img.size == 0:
            return "", 0.0
        h, w = img.shape[:2]
        psm = 7 if h <= 2.2 * max(8, min(h, w)) and w >= 1.5 * h else 6
        lines = self._data(img, psm)
        if not lines:
            return "", 0.0
        return "\n".join(t for t, _, _ in lines), min(c for _, _, c in lines)

    def recognize_page(self, img: np.ndarray) -> list[tuple[str, BBoxPx, float]]:
        if img.size == 0:
            return []
        return self._data(img, 3)


def read_sure(engine: object, img: np.ndarray, floor: float) -> tuple[str, float]:
    """engine's line reading where only one at least floor sure is used (RapidEngine.recognize_sure)."""
    assert floor > WEAK_LINE, "second_look may lift a reading up to WEAK_LINE"
    sure = getattr(engine, "recognize_sure", None)
    return sure(img, floor) if sure is not None else engine.recognize_line(img)  # type: ignore[attr-defined]


def dropped_at(engine: object, img: np.ndarray) -> list[tuple[int, int]]:
    """engine's spans of a run where a character was dropped over ink (RapidEngine.dropped_at); none from an
    engine that gives no character's place."""
    spans = getattr(engine, "dropped_at", None)
    return list(spans(img)) if spans is not None else []


def skipped_at(engine: object, img: np.ndarray) -> list[tuple[int, int]]:
    """engine's spans of a run where several characters' ink was stepped over (RapidEngine.skipped_at); none
    from an engine that gives no character's place."""
    spans = getattr(engine, "skipped_at", None)
    return list(spans(img)) if spans is not None else []


def least_sure(engine: object, img: np.ndarray) -> float:
    """engine's least sure character of a run at three sizes (RapidEngine.least_sure); 0.0 from an engine that
    gives no character's probability."""
    least = getattr(engine, "least_sure", None)
    return float(least(img)) if least is not None else 0.0


def read_plain(engine: object, img: np.ndarray) -> tuple[str, float]:
    """engine's plain reading of one run (RapidEngine.recognize_plain)."""
    plain = getattr(engine, "recognize_plain", None)
    return plain(img) if plain is not None else engine.recognize_line(img)  # type: ignore[attr-defined]


_engines: dict[str, Engine] = {}


def get_engine(name: str | None = None) -> Engine:
    """The named engine (default: DEFAULT_ENGINE or $HAIZHI_OCR), created once per process."""
    name = (name or os.environ.get("HAIZHI_OCR") or DEFAULT_ENGINE).lower()
    if name not in ENGINES:
        raise HaizhiError(f"未知的识别引擎：{name}（应为 {' / '.join(ENGINES)}）")
    if name not in _engines:
        _engines[name] = RapidEngine.shared() if name == "rapidocr" else TesseractEngine()
    return _engines[name]
