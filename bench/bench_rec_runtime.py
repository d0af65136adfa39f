"""Recognition model on onnxruntime vs OpenVINO (extractors/scan/rec_runtime.py): CPU ms per call and
whether the readings agree, over text runs of varied width as a page gives them.

    .venv/bin/python bench/bench_rec_runtime.py [--n 600]

Each runtime runs in its own process (one thread, as the reader runs it) over the same runs: Chinese text,
digits and Latin at 40–70 px high, with noise. Reported per block of 100 calls, so the first calls'
shape compiling (OpenVINO) shows apart from the steady state.
"""
import argparse
import json
import os
import subprocess
import sys
import time

CHARS = "推荐单位省科学技术协会机构名称年月日被杭州某服务有限公司负责人签字电子邮箱联系地址硕士研究生0123456789@.abcmz"


def _runs(n: int) -> list:
    import random

    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 36)
    rnd = random.Random(2)
    out = []
    for k in range(n):
        t = "".join(rnd.choice(CHARS) for _ in range(rnd.randint(2, 30)))
        w, h = int(font.getlength(t)) + rnd.randint(5, 60), rnd.randint(40, 70)
        im = Image.new("L", (w, h), 255)
        ImageDraw.Draw(im).text((5, (h - 40) // 2), t, font=font, fill=0)
        a = np.asarray(im).astype(np.int16) + np.random.RandomState(k).randint(-30, 30, (h, w))
        out.append(np.clip(a, 0, 255).astype(np.uint8))
    return out


def child(n: int) -> None:
    from haizhi.extractors.scan.engines import RapidEngine

    eng = RapidEngine()
    runs, blocks, got = _runs(n), [], []
    for i in range(0, n, 100):
        t0 = time.process_time()
        for img in runs[i:i + 100]:
            got.append(eng._model(img))
        blocks.append((time.process_time() - t0) * 1000 / len(runs[i:i + 100]))
    print(json.dumps({"blocks": blocks, "got": got}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=600, help="text runs read by each runtime")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.n)
        return
    res = {}
    for rt in ("onnxruntime", "openvino"):
        env = dict(os.environ, HAIZHI_OCR_RUNTIME=rt, OMP_NUM_THREADS="1")
        out = subprocess.run([sys.executable, __file__, "--child", "--n", str(a.n)], env=env, check=True,
                             capture_output=True, text=True).stdout
        res[rt] = json.loads(out.strip().splitlines()[-1])
        print(rt, "CPU ms/call per 100 calls:", " ".join(f"{b:.1f}" for b in res[rt]["blocks"]))
    a_, b_ = res["onnxruntime"]["got"], res["openvino"]["got"]
    text = sum(x[0] != y[0] for x, y in zip(a_, b_, strict=True))
    weak = sum(x[2] != y[2] for x, y in zip(a_, b_, strict=True))
    conf = max(abs(x[1] - y[1]) for x, y in zip(a_, b_, strict=True))
    last = {rt: r["blocks"][-3:] for rt, r in res.items()}  # the last (up to) 300 calls
    steady = {rt: sum(b) / len(b) for rt, b in last.items()}
    print(f"runs {len(a_)}: texts differ {text}, guessed-character flag differs {weak}, "
          f"largest confidence difference {conf:.4f}")
    print(f"steady state (last {100 * len(last['openvino'])} calls): openvino {steady['openvino']:.1f} ms, onnxruntime "
          f"{steady['onnxruntime']:.1f} ms, ratio {steady['openvino'] / steady['onnxruntime']:.2f}")


if __name__ == "__main__":
    main()
