"""Recognition on OpenVINO (extractors/scan/rec_runtime.py): inputs padded into width buckets, outputs shaped as
for the unpadded input, and the same readings as onnxruntime's."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from haizhi.extractors.scan import rec_runtime
from haizhi.extractors.scan.rec_runtime import WIDTH_STEP, BucketedSession, steps


def test_inputs_are_padded_to_a_bucket_and_outputs_cut_back() -> None:
    seen = []

    def inner(x: np.ndarray) -> np.ndarray:
        seen.append(x.shape)
        return np.arange(steps(x.shape[-1]), dtype=np.float32)[None, :, None] * np.ones((1, 1, 3), np.float32)

    s = BucketedSession(inner)
    out = s(np.ones((1, 3, 48, 333), np.float32))
    assert seen[-1][-1] % WIDTH_STEP == 0 and seen[-1][-1] >= 333
    assert out.shape == (1, steps(333), 3)
    assert s(np.ones((1, 3, 48, 352), np.float32)).shape == (1, steps(352), 3) and seen[-1][-1] == 352


def test_the_runtime_is_asked_for_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAIZHI_OCR_RUNTIME", "onnxruntime")
    assert rec_runtime.runtime() == "onnxruntime"
    assert "Rec.engine_type" not in rec_runtime.rec_params(1)
    monkeypatch.setenv("HAIZHI_OCR_RUNTIME", "openvino")
    assert rec_runtime.runtime() == "openvino"
    assert "Rec.engine_type" in rec_runtime.rec_params(1)


def _line(text: str, h: int) -> np.ndarray:
    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 34)
    im = Image.new("L", (int(font.getlength(text)) + 24, h), 255)
    ImageDraw.Draw(im).text((12, (h - 40) // 2), text, font=font, fill=0)
    return np.asarray(im)


def test_openvino_reads_as_onnxruntime_does(monkeypatch: pytest.MonkeyPatch) -> None:
    from haizhi.extractors.scan.engines import RapidEngine

    lines = [_line(t, h) for t, h in (("推荐单位：浙江省科学技术协会", 52), ("2023年5月12日", 46),
                                      ("电子邮箱：office49@yuanfan.org.cn", 60), ("硕士及以上学历员工数", 50))]
    got = {}
    for rt in ("onnxruntime", "openvino"):
        monkeypatch.setenv("HAIZHI_OCR_RUNTIME", rt)
        eng = RapidEngine()
        got[rt] = [eng._model(img) for img in lines]
    assert isinstance(eng._ocr._load_rec_model().session, BucketedSession)  # type: ignore[possibly-undefined]
    assert [r.text for r in got["openvino"]] == [r.text for r in got["onnxruntime"]]
    assert got["openvino"][0][0] == "推荐单位：浙江省科学技术协会"
    assert all(abs(a[1] - b[1]) < 0.02 for a, b in zip(got["openvino"], got["onnxruntime"], strict=True))
