"""One page being read: its images, seals, the OCR runs read so far, and line reads (cached, rechecked under seals)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from difflib import SequenceMatcher

import cv2
import numpy as np

from haizhi.extractors.normalize import CHECK_GLYPHS, signature_line
from haizhi.extractors.scan.blobs import print_band
from haizhi.extractors.scan.checkboxes import option_words
from haizhi.extractors.scan.confidence import HIDDEN_PRINT, LOW_CONFIDENCE
from haizhi.extractors.scan.engines import Engine, dropped_at, least_sure, skipped_at, tidy
from haizhi.extractors.scan.guesses import comparable
from haizhi.extractors.scan.ink import blue_ink, flatten_light
from haizhi.extractors.scan.line_join import hidden_head, strokes_read
from haizhi.extractors.scan.print_strokes import print_hidden, stop_touched, strokes_across, strokes_over
from haizhi.extractors.scan.readings import (  # noqa: F401 (printed_label, _too_short, _label_stop: for callers)
    _dropped_inside,
    _label_stop,
    _meaning,
    _too_short,
    _width_gap,
    _within,
    han_only,
    printed_label,
)
from haizhi.extractors.scan.seals import _inter, to_pt
from haizhi.extractors.scan.unsign import unsigned

TICKED, UNTICKED = "☑", "□"
PAGE_BUDGET_S = 60.0  # CPU seconds per page (wall time runs on while a busy machine pauses us); longer: cut short, named
OCR_GLYPH = 0.85  # an empty box or a written tick OCR read as a glyph (□ √) where the pixels found no box
BOXLIKE = "".join(ch for ch in CHECK_GLYPHS if ch not in "√✓✔")  # a box OCR read as a glyph
SEAL_OVER_TEXT = 0.15  # share of a text run's box covered by seal ink that makes its reading unsure
SEAL_OVER_BOX = 0.25  # … or covered by a seal's round outline (its ink is thin where it crosses the text)
SEALED_RUN = 0.01  # share of a run's box in seal ink from which the print under the ink is read again
PLAIN_SURE, PLAIN_STEADY = 0.97, 0.97  # a plain reading this sure, its least sure character this sure at three
# sizes: the plain image's reading where the two differ only in Chinese characters (TUNE base 12530–12545: the 11
# such were all right; the wrong plain readings' least sure characters were under 0.55; a confusion both images
# shared, 扎→托 on a heavy scan, was 0.957)
SURE_RESTORED = 0.985  # a plain reading a character or two longer, this sure: what the seal hid, given back
BLUE_OVER_TEXT = 0.05  # blue ink over a run's print, in type heights squared (a small signature dipping into it)
SURE_THROUGH = 0.95  # a run read with a signature's ink divided out, this sure and alike at three sizes: its print


@dataclass
class TextBit:
    """One OCR'd run of text on a page, in pixels (for locating signature/seal blocks)."""

    text: str
    box: tuple[int, int, int, int]
    conf: float


class PageCtx:
    def __init__(self, gray: np.ndarray, binary: np.ndarray, dpi: float, engine: Engine) -> None:
        self.gray, self.binary, self.dpi, self.engine = gray, binary, dpi, engine
        self.open_ends = (0, False)  # the last block read: paragraph ends with no stop read (line_join.open_ends)
        self.kept: float | None = None  # … its reading less strokes after a finished sentence (reader._read_block)
        self.line_confs: list[tuple[str, float]] = []  # … each of its lines and how sure
        self.red: np.ndarray | None = None  # seal ink on the levelled page (text under it is less sure)
        self.seals: list[tuple[int, int, int, int]] = []  # the seals' boxes
        self.hand: np.ndarray | None = None  # coloured handwriting (signatures) that may cross print
        self.bgr: np.ndarray | None = None  # the levelled page in colour
        self.plain: np.ndarray | None = None  # its red channel, light flattened, seal not taken out (made once)
        self.bits: list[TextBit] = []
        self.words = option_words()
        self.deadline = time.process_time() + PAGE_BUDGET_S
        self._words: list | None = None
        self._read: dict[tuple, tuple[str, float]] = {}  # the same crop is asked for again (options re-read)
        self._blue: np.ndarray | None = None  # blue ink on the page (made when asked)
        self.through: set[tuple[int, int, int, int]] = set()  # runs read surely through a signature over them
        forget = getattr(engine, "forget", None)  # the engine's readings by pixels are kept for one page
        if forget is not None:
            forget()

    def crossed(self, box: tuple[int, int, int, int], em: int) -> bool:
        """Blue ink over a run's print (box: the print's own rows; em: a line of type's height): a signature,
        small or large, written into the line. Print is black; OCR reads what the strokes left of it
        confidently (申报 → 中, characters lost)."""
        if self.bgr is None:
            return False
        if self._blue is None:
            self._blue = blue_ink(self.bgr)
        x0, y0, x1, y1 = box
        return int((self._blue[y0:y1, x0:x1] > 0).sum()) >= BLUE_OVER_TEXT * em * em

    def _from_page(self, region: tuple[int, int, int, int], masked: list) -> tuple[str, float]:
        """Words of a page-mode engine (one call per page) whose centre lies in region."""
        if self._words is None:
            from haizhi.extractors.scan.blobs import line_masks

            hm, vm = line_masks(self.binary)
            rulings = cv2.dilate(cv2.bitwise_or(hm, vm), np.ones((5, 5), np.uint8))
            clean = self.gray.copy()
            clean[rulings > 0] = 255
            self._words = self.engine.page_words(clean)  # type: ignore[attr-defined]
        x0, y0, x1, y1 = region
        hits = []
        for t, (a, b, c, d), conf in self._words:
            cx, cy = (a + c) / 2, (b + d) / 2
            if x0 <= cx <= x1 and y0 <= cy <= y1 and not any(
                    m[0] <= cx <= m[2] and m[1] <= cy <= m[3] for m in masked):
                hits.append((b, a, t, conf))
        if not hits:
            return "", 0.0
        hits.sort(key=lambda h: h[1])
        text = tidy(" ".join(h[2] for h in hits))
        return text, min(h[3] for h in hits)

    def _dropped_under_marks(self, crop: np.ndarray, region: tuple[int, int, int, int]) -> bool:
        """A place in the run (read from crop, at region on the page) where the model stepped over a character's
        width holding ink, with a signature's or a seal's ink there: a character under the mark was dropped. Only
        runs a mark crosses are looked at (the reading of the whole crop may be one more model run)."""
        xa, ya, xb, yb = region
        marks = [m[ya:yb, xa:xb] > 0 for m in (self.hand, self.red) if m is not None]
        if not any(m.any() for m in marks) or getattr(self.engine, "page_mode", False):
            return False
        return any(m[:, a:b].any() for a, b in dropped_at(self.engine, crop) for m in marks)

    def _views_disagree(self, key: tuple, crop: np.ndarray, text: str) -> bool:
        """Text under a seal read confidently, or text read half-surely: read again from the crop enlarged and
        from it shrunk. A character the seal's ink confused (优→仇) or hid (扎实→实), or a signature's stroke
        across the print (材料真→鞭镇), is often read otherwise at another size, while sound text reads the
        same; any difference makes the reading unsure."""
        if getattr(self.engine, "page_mode", False):
            return False
        want = comparable(text)
        for fx, interp in ((1.5, cv2.INTER_CUBIC), (0.7, cv2.INTER_AREA)):
            k = (*key, fx)
            if k not in self._read:
                self._read[k] = self.engine.recognize_line(cv2.resize(crop, None, fx=fx, fy=fx, interpolation=interp))
            if comparable(self._read[k][0]) != want:
                return True
        return False

    def _without_hand(self, key: tuple, crop: np.ndarray, region: tuple[int, int, int, int], text: str,
                      conf: float) -> tuple[str, float]:
        """A signature in coloured ink written beside or across the print is read as characters (单位名称张叶):
        read the crop again with that ink made paper, and keep that reading when it is the first one without
        the characters the ink made. When the ink held most of the text (a blue printed hyperlink, not a
        signature), or the second reading is not the first with characters left out, the first stays."""
        if self.hand is None:
            return text, conf
        xa, ya, xb, yb = region
        sub = self.hand[ya:yb, xa:xb]
        if not sub.any():
            return text, conf
        k = (*key, "hand")
        if k not in self._read:
            clean = crop.copy()
            clean[sub > 0] = 255
            left = int((clean < 128).sum())  # a printed character leaves some 0.15 h² of ink
            self._read[k] = self.engine.recognize_line(clean) if left >= 0.06 * clean.shape[0] ** 2 else ("", 1.0)
        alt, alt_conf = self._read[k]
        if not alt.strip() or "".join(alt.split()) == "".join(text.split()):
            return text, conf  # no print under the ink (a signature alone, or blue print): as read
        if _within(alt, text) and _meaning(alt) >= 0.6 * _meaning(text):
            return alt, alt_conf  # the ink had been read as characters too (单位名称张叶): the print alone
        return text, conf  # where the strokes cross the print, taking them out can take print with them

    def _unsigned(self, base: np.ndarray, region: tuple[int, int, int, int]) -> np.ndarray | None:
        """base's crop at region with a signature's blue ink divided out (None: no signature there)."""
        if self.hand is None or self.bgr is None:
            return None
        xa, ya, xb, yb = region
        if not self.hand[ya:yb, xa:xb].any():
            return None
        m = 12  # room for the strokes' colour around the crop's edge
        h, w = base.shape[:2]
        x0, y0, x1, y1 = max(0, xa - m), max(0, ya - m), min(w, xb + m), min(h, yb + m)
        out = unsigned(self.bgr[y0:y1, x0:x1], base[y0:y1, x0:x1], self.hand[y0:y1, x0:x1])
        return out[ya - y0:yb - y0, xa - x0:xb - x0]

    def _through(self, key: tuple, region: tuple[int, int, int, int], text: str,
                 conf: float) -> tuple[str, float, bool]:
        """A run with a signature's blue ink in it, read again with that ink divided out (unsign): the print
        the strokes hid comes back (材料真实有效 under 张明华, read 真制 or lost). That reading is kept, and
        counts as sure, when it is sure and alike at three sizes and not the first one's characters
        merely cut short (a blue printed line taken for handwriting); or, read as before, when either reading
        was sure (the strokes beside the print changed nothing)."""
        crop = self._unsigned(self.gray, region)
        if crop is None or getattr(self.engine, "page_mode", False) or time.process_time() > self.deadline:
            return text, conf, False
        k = (*key, "unsigned")
        if k not in self._read:
            self._read[k] = self.engine.recognize_line(crop)
        alt, c2 = self._read[k]
        same = comparable(alt) == comparable(text)
        if not alt.strip() or max(c2, conf if same else 0.0) < (LOW_CONFIDENCE if same else SURE_THROUGH) \
                or self._views_disagree(k, crop, alt):
            return text, conf, False
        if _meaning(alt) < _meaning(text) and not (_within(alt, text) and _meaning(alt) >= 0.6 * _meaning(text)):
            return text, conf, False
        if not same and (_stops_differ(alt, text) or _dropped_inside(alt, text)):  # 有效、同意 with the strokes,
            # 有效同意 without; or 有效，同童申报 with them, 有效，申报 without (the print under the stroke taken out
            # with its ink): what stood there is in doubt
            return alt, min(c2, LOW_CONFIDENCE - 0.01), True
        sure = max(c2, conf) if same else c2  # read alike with the strokes and without them: sure …
        xa, ya, xb, yb = region
        if sure >= LOW_CONFIDENCE and self.hand is not None \
                and stop_touched(self.binary[ya:yb, xa:xb], self.hand[ya:yb, xa:xb], alt):
            sure = LOW_CONFIDENCE - 0.01  # … but a stop a stroke touches (，read 、 in both)
        return alt, sure, True

    def plain_image(self) -> np.ndarray | None:
        """The page's red channel with light flattened and the seal not taken out (made once, when asked)."""
        if self.plain is None and self.bgr is not None:
            self.plain = flatten_light(self.bgr[:, :, 2])
        return self.plain

    def band(self, binary: np.ndarray, seg: tuple[int, int, int, int], off: tuple[int, int],
             min_h: int) -> tuple[str, float]:
        """OCR one run of a line (seg in binary's pixels, binary's origin at off on the page), read again
        under a seal. A run much taller than type is print with handwriting across it (a signature over the
        opinion's line): read again from the print's own band (its densest rows), which the strokes above
        and below no longer shrink, and keep it when it has more characters or is surer."""
        text, conf = self._band(binary, seg, off, min_h)
        sx0, ly0, sx1, ly1 = seg
        conf = self._hidden((off[0] + sx0, off[1] + ly0, off[0] + sx1, off[1] + ly1), text, conf)  # as under_seal left it
        if conf < LOW_CONFIDENCE:  # an opinion's label half hidden by a stroke: given back, the reading stays unsure
            text = hidden_head(text)
        return text, conf

    def _band(self, binary: np.ndarray, seg: tuple[int, int, int, int], off: tuple[int, int],
              min_h: int) -> tuple[str, float]:
        sx0, ly0, sx1, ly1 = seg
        ox, oy = off
        box = (ox + sx0, oy + ly0, ox + sx1, oy + ly1)
        text, conf = self.under_seal(box, *self.rec(*box))
        em = 3 * min_h  # about a line of 12 pt type
        hand = self.hand[box[1]:box[3], box[0]:box[2]] if self.hand is not None else None
        top, k = print_band(binary[ly0:ly1, sx0:sx1], hand, int(1.1 * em))
        tall = ly1 - ly0 > 1.8 * em
        if text and conf >= LOW_CONFIDENCE and not printed_label(text) and not (tall and signature_line(text)) \
                and box not in self.through and self.crossed((box[0], box[1] + top, box[2], box[1] + top + k), em):
            conf = LOW_CONFIDENCE - 0.01  # a signature written across the print (not one read alone: 张华)
        if text and conf >= LOW_CONFIDENCE and not tall and strokes_over(binary[ly0:ly1, sx0:sx1], text):
            conf = LOW_CONFIDENCE - 0.01  # a black name written small over the print: 材料 lost under it, sure
        if text and conf >= LOW_CONFIDENCE and not tall and not printed_label(text) and not signature_line(text) \
                and box not in self.through and not self._options(text) and strokes_across(binary, seg, em):
            conf = LOW_CONFIDENCE - 0.01  # a black signature's strokes reaching into the print: 扎实、优势 read
            # 扎实优势, the 、 under them lost, sure
        if not tall or box in self.through:
            return text, conf
        own = (ox + sx0, oy + ly0 + top, ox + sx1, oy + ly0 + top + k)
        t2, c2 = self.under_seal(own, *self.rec(*own))
        t2 = strokes_read(t2)
        n1, n2 = (len(re.findall(r"[\u4e00-\u9fff]", t)) for t in (text, t2))
        if own in self.through and c2 >= LOW_CONFIDENCE:
            return t2, c2  # the print's band read with the signature's ink divided out, surely
        if n2 > n1 or (c2 > conf and n2 >= n1 - 2):  # the strokes read as characters make the first reading longer
            return t2, min(c2, 0.75)  # strokes across the print: a confident reading can still miss characters
        return text, conf

    def _options(self, text: str) -> bool:
        """A line of options: ticks, and big boxes on two lines touching, are strokes across it, not handwriting."""
        return any(ch in CHECK_GLYPHS for ch in text) or sum(w in text for w in self.words if len(w) >= 2) >= 2

    def under_seal(self, box: tuple[int, int, int, int], text: str, conf: float) -> tuple[str, float]:
        """A run with seal ink over it, read again from the plain red channel. The OCR image takes reddish
        ink out, and with it the thin strokes of print that a seal's ring crosses (同意→同音, 推荐→推); in
        the plain red channel the print stays black and the seal is pale. Two different readings: the plain one,
        sure, when they differ only in Chinese characters and each of its characters is sure at three sizes;
        else the one a character or two longer, else the surer one, is kept, and named unless the plain one only
        gave back a character or two and is very sure, or reads a printed label exactly at three sizes. Read
        alike, the reading stays as sure as it was: on heavy scans both images shared a confusion at every size
        (申→审). Two sure readings that differ in a stop stay named: both were wrong in 经审核申报材料… with its
        comma lost."""
        if self.bgr is None or self.red is None or not text or getattr(self.engine, "page_mode", False) \
                or time.process_time() > self.deadline:
            return text, conf
        x0, y0, x1, y1 = box
        if float((self.red[y0:y1, x0:x1] > 0).mean()) < SEALED_RUN:
            return text, conf
        plain = self.plain_image()
        assert plain is not None
        pad = max(2, (y1 - y0) // 5)
        ya, xa = max(0, y0 - pad), max(0, x0 - pad)
        key = ("plain", xa, ya, x1 + pad, y1 + pad)
        crop = plain[ya:y1 + pad, xa:x1 + pad]
        if box in self.through:  # the signature's ink divided out of this view too
            crop = self._unsigned(plain, (xa, ya, xa + crop.shape[1], ya + crop.shape[0]))
            key = (*key, "unsigned")
            assert crop is not None
        if key not in self._read:
            self._read[key] = self.engine.recognize_line(crop)  # tidied by the engine
        t2, c2 = self._read[key]
        a, b = comparable(text), comparable(t2)
        if not b:
            return text, conf
        head = _label_stop(a, b)
        if head:  # 推荐单位·浙江省… / 推荐单位：浙江省…: only the label's colon read otherwise, the value alike
            if b[len(head)] in "：:":
                text = t2
            a = b
        if a == b:
            # the same reading from an image in which the seal took nothing away stays as sure as it was: on
            # heavy scans both images and three sizes shared a confusion (申→电, 申→审), silent when made sure;
            # the plain one read alike but unsure (a character guessed, 申 at one size, 审 at two) leaves it so
            return text, conf if c2 >= LOW_CONFIDENCE else min(conf, LOW_CONFIDENCE - 0.01)
        if c2 >= PLAIN_SURE and han_only(a, b) and least_sure(self.engine, crop) >= PLAIN_STEADY:
            return t2, c2  # the seal confused or hid characters in the OCR image only (同意性荐, 优势显): in the plain
            # one, where it takes nothing away, every character read surely at three sizes and the stops alike
        n1, n2 = len(a), len(b)
        only_added = all(op in ("equal", "insert") for op, *_ in SequenceMatcher(None, a, b, autojunk=False).get_opcodes())
        # a character lost under the ring (推荐→推) is the usual slip: the longer reading, by a character or two;
        # more (单, 优, 荐 of one line, each crossed by the ring) when the plain one only adds characters, fills
        # the run's ink width better and reads alike at three sizes (not a seal's own characters read in)
        longer = 0 < n2 - n1 <= 2 or (n2 > n1 and only_added and _width_gap(b, x1 - x0, y1 - y0) < _width_gap(
            a, x1 - x0, y1 - y0) and not self._views_disagree(key, crop, t2))
        best, c = (t2, c2) if longer or (n2 == n1 and c2 > conf) else (text, conf)
        if longer and only_added and c2 >= SURE_RESTORED and conf >= LOW_CONFIDENCE:
            return best, c2  # the plain reading gives back what the ring took (推荐。), the rest read alike
        if conf < LOW_CONFIDENCE and printed_label(t2) and not _too_short(t2, x1 - x0, y1 - y0) \
                and not self._views_disagree(key, crop, t2):
            return t2, LOW_CONFIDENCE  # the seal confused a printed label; the plain one reads it exactly
        return best, min(c, LOW_CONFIDENCE - 0.01)  # a character read otherwise: one of the two is wrong, maybe both

    def _hidden(self, box: tuple[int, int, int, int], text: str, conf: float) -> float:
        """conf, no higher than HIDDEN_PRINT when letters were read where print lies under a signature."""
        if not text or self.hand is None:
            return conf
        xa, ya, xb, yb = self._padded(*box)
        at = np.s_[ya:yb, xa:xb]
        red = None if self.red is None else self.red[at]
        return min(conf, HIDDEN_PRINT) if print_hidden(self.gray[at], self.hand[at], red, text) else conf

    def pt(self, box: tuple[int, int, int, int]) -> tuple[float, float, float, float]:
        return to_pt(box, self.dpi)

    def _padded(self, x0: int, y0: int, x1: int, y1: int) -> tuple[int, int, int, int]:
        """The crop rec reads for a run's box: a fifth of its height around it, within the page."""
        pad = max(2, (y1 - y0) // 5)
        return max(0, x0 - pad), max(0, y0 - pad), min(self.gray.shape[1], x1 + pad), min(self.gray.shape[0], y1 + pad)

    def rec(self, x0: int, y0: int, x1: int, y1: int, mask_boxes: list | None = None) -> tuple[str, float]:
        xa, ya, xb, yb = self._padded(x0, y0, x1, y1)
        crop = self.gray[ya:yb, xa:xb]
        if mask_boxes:
            crop = crop.copy()
            for bx0, by0, bx1, by1 in mask_boxes:
                crop[max(0, by0 - 2 - ya):max(0, by1 + 3 - ya), max(0, bx0 - 2 - xa):max(0, bx1 + 3 - xa)] = 255
        if crop.size == 0 or time.process_time() > self.deadline:
            return "", 0.0
        key = (xa, ya, xb, yb, tuple(map(tuple, mask_boxes or ())))
        if key in self._read:
            text, conf = self._read[key]
        elif getattr(self.engine, "page_mode", False):
            text, conf = self._read[key] = self._from_page((xa, ya, xb, yb), mask_boxes or [])
        else:
            text, conf = self._without_hand(key, crop, (xa, ya, xb, yb), *self.engine.recognize_line(crop))
            thru = False
            if not mask_boxes:
                text, conf, thru = self._through(key, (xa, ya, xb, yb), text, conf)
            self._read[key] = text, conf
            if thru:
                self._read[(*key, "through")] = text, conf
        if (*key, "through") in self._read:
            self.through.add((x0, y0, x1, y1))
            crop = self._unsigned(self.gray, (xa, ya, xb, yb))  # the views compared below are of this image
            key = (*key, "unsigned")
            assert crop is not None
        if text and self.red is not None:
            under = self.red[y0:y1, x0:x1]
            area = max(1, (x1 - x0) * (y1 - y0))
            covered = max((_inter(s, (x0, y0, x1, y1)) for s in self.seals), default=0) / area
            sealed = under.size and float((under > 0).mean()) > SEAL_OVER_TEXT or covered > SEAL_OVER_BOX
            if sealed and (conf < 0.97 or self._views_disagree(key, crop, text)):
                conf = min(conf, 0.7)  # a seal pressed over the text: OCR may confuse a character (术/木, 扎/孔)
            elif not sealed and LOW_CONFIDENCE <= conf < 0.97 and self._views_disagree(key, crop, text):
                conf = min(conf, LOW_CONFIDENCE - 0.05)  # a half-sure reading (a stroke across it) read otherwise
            if covered > SEAL_OVER_TEXT and _too_short(text, x1 - x0, y1 - y0):
                conf = min(conf, 0.6)  # under a seal, fewer characters read than the ink holds: some were lost
        if text and conf >= LOW_CONFIDENCE and not self._options(text) and (
                self._dropped_under_marks(crop, (xa, ya, xb, yb)) or skipped_at(self.engine, crop)):
            conf = LOW_CONFIDENCE - 0.01  # a character's place under a stroke or a seal read as nothing (情况 → 情),
            # or several stepped over (情况属实，同意推荐该基地申报。 under a black signature: 情况属实，同。)
        if text and conf < LOW_CONFIDENCE and printed_label(text) and not _too_short(text, x1 - x0, y1 - y0) \
                and not getattr(self.engine, "page_mode", False) and not self._views_disagree(key, crop, text):
            conf = LOW_CONFIDENCE  # a printed label read whole and alike at three sizes (a stroke or seal near it)
        conf = self._hidden((x0, y0, x1, y1), text, conf)
        if text:
            self.bits.append(TextBit(text, (x0, y0, x1, y1), conf))
        return text, conf


_STOPS = "，、。；！？,.;!?"  # not a colon: a label's, after it the value reads the same


def _stops_differ(a: str, b: str) -> bool:
    """Two readings of one run alike but for a stop or two (有效，同意 / 有效同意): a tick divided out with a
    signature's ink (☑其他 / 其他) or brackets read otherwise do not count."""
    def bare(t: str) -> str:
        return "".join(ch for ch in t if ch.isalnum() or ch in _STOPS)

    return bare(a) != bare(b) and "".join(ch for ch in a if ch.isalnum()) == "".join(ch for ch in b if ch.isalnum())


