"""Which inference runtime runs RapidOCR's recognition model, and how.

OpenVINO runs the same ONNX model as onnxruntime in about 60 % of the CPU time on this kind of machine
(bench/bench_rec_runtime.py; readings alike). It compiles kernels per input shape, so the input's width
is padded to a multiple of WIDTH_STEP columns (the model already pads short runs to 320 the same way)
and the output cut back to the time steps the unpadded input gives: a page's ~55 runs then share a few
dozen shapes instead of each paying for its own. $HAIZHI_OCR_RUNTIME=onnxruntime picks the other one.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

import numpy as np

RUNTIMES = ("openvino", "onnxruntime")
WIDTH_STEP = 32  # model input columns per shape bucket (a multiple of the model's stride, 8)

log = logging.getLogger(__name__)


def runtime() -> str:
    """The runtime asked for ($HAIZHI_OCR_RUNTIME), else openvino where it imports, else onnxruntime."""
    want = os.environ.get("HAIZHI_OCR_RUNTIME", "").strip().lower()
    if want in RUNTIMES:
        return want
    try:
        import openvino  # noqa: F401
    except ImportError:
        log.warning("未安装 openvino，文字识别改用 onnxruntime（较慢）")
        return "onnxruntime"
    return "openvino"


def rec_params(threads: int) -> dict[str, object]:
    """RapidOCR parameters that run recognition on runtime() with `threads` threads."""
    from rapidocr import EngineType

    params: dict[str, object] = {
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    }
    if runtime() == "openvino":
        params.update({"Rec.engine_type": EngineType.OPENVINO,
                       "EngineConfig.openvino.inference_num_threads": threads})
    return params


def steps(width: int) -> int:
    """Time steps the recognition model gives for an input this many columns wide."""
    return (width + 3) // 8


class BucketedSession:
    """A recognition session whose inputs are zero-padded to a multiple of WIDTH_STEP columns; its output
    is cut back to steps(original width), so what comes out is shaped as for the unpadded input. An
    OpenVINO request serves one call at a time: a lock keeps threads apart."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:  # character list, keys: the wrapped session's
        return getattr(self._inner, name)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        width = x.shape[-1]
        padded = -(-width // WIDTH_STEP) * WIDTH_STEP
        if padded != width:
            x = np.pad(x, ((0, 0), (0, 0), (0, 0), (0, padded - width)))
        with self._lock:
            out = np.array(self._inner(x)[:, :steps(width)])  # a copy: the request reuses its buffer
        return out


def bucket_widths(ocr: Any) -> None:
    """Pad a RapidOCR recognizer's inputs into width buckets when it runs on OpenVINO (as its own config says:
    runtime() is asked once, by rec_params)."""
    from rapidocr import EngineType

    rec = ocr._load_rec_model()  # rapidocr creates it lazily; its session is what runs the model
    if rec.cfg.engine_type == EngineType.OPENVINO and not isinstance(rec.session, BucketedSession):
        rec.session = BucketedSession(rec.session)
