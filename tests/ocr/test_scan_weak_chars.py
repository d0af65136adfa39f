"""A line read with one character guessed is unsure even when its mean confidence is high (issue 11: no
silent errors). RapidOCR scores a line by the mean of its characters' probabilities; one character of
twenty misread at 0.5 (硕士 → 硕土) leaves the mean at 0.97, and the field went out silent."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from haizhi.extractors.scan.confidence import LOW_CONFIDENCE
from haizhi.extractors.scan.engines import get_engine
from haizhi.extractors.scan.guesses import HAN, WEAK_CHAR, WORD_CHAR, lowest

DATA = Path(__file__).parent / "data"


def test_a_line_with_one_character_misread_is_unsure() -> None:
    # 工作基础 of a heavy scan (TUNE base 9801): 引进硕士及以上学历 read 硕土, the line's mean 0.97
    img = np.array(Image.open(DATA / "weak_char_foundation_heavy_9801.png").convert("L"))
    text, conf = get_engine("rapidocr").recognize_line(img)
    assert "引进硕" in text and "学历人才" in text, text
    if "硕士" not in text:  # read wrong: a person must be asked
        assert conf < LOW_CONFIDENCE, (text, conf)


def test_a_weak_character_makes_a_line_unsure_a_weak_comma_does_not() -> None:
    sure = [0.99] * 9
    assert lowest(["引进硕土及以上学历"], [sure[:3] + [WEAK_CHAR - 0.09] + sure[4:]], WORD_CHAR) < WEAK_CHAR
    assert lowest(["电话13912345678"], [[0.99] * 6 + [0.45] + [0.99] * 6], WORD_CHAR) < WEAK_CHAR  # a digit
    assert lowest(["电话13912345678"], [[0.99] * 6 + [0.45] + [0.99] * 6], HAN) == 0.99  # … no Chinese guessed
    assert lowest(["经审核，申报材料"], [[0.99] * 3 + [0.57] + [0.99] * 4], WORD_CHAR) == 0.99  # a comma read weakly
    assert lowest(["经审核申报"], [[]], WORD_CHAR) == 1.0  # no per-character probabilities: as the engine said


def test_a_guess_the_other_sizes_confirm_stands_and_one_they_dispute_is_unsure() -> None:
    from haizhi.extractors.scan.guesses import second_look

    sure = ("+86-10-26649009", 0.97, False)
    assert second_look("+86-10-26649009", 0.968, [sure, sure]) == ("+86-10-26649009", 0.968)  # a 0 read at 0.52
    # the other two sizes read 硕士 alike and surely: theirs is the reading, still named
    text, conf = second_look("引进硕土及以上", 0.974, [("引进硕士及以上", 0.98, False), ("引进硕士及以上", 0.99, False)])
    assert text == "引进硕士及以上" and conf < LOW_CONFIDENCE
    # the sizes disagree: the first reading, unsure
    text, conf = second_look("引进硕土及以上", 0.974, [("引进硕士及以上", 0.98, False), ("引进硕土及以上", 0.97, True)])
    assert text == "引进硕土及以上" and conf < LOW_CONFIDENCE
