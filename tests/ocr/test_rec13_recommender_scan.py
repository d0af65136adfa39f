"""推荐单位 on scans: the recommending 科协's seal and its head's signature are pressed over its name.

- a signature written into the line, its strokes joined to the print: the print's own rows read again from the
  plain red channel (TUNE coop photo 10900: 湖南省科学技术协会 read 首科学技术协会);
- the print lost under the signature: the name read from the seal's ring (TUNE coop heavy 10906: 推荐单信学技,
  heavy 10902: nothing read), the value named for a check all the same.
"""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import numpy as np

from haizhi.extractors.orgname import provincial_fit
from haizhi.extractors.scan.confidence import LOW_CONFIDENCE
from haizhi.extractors.scan.ring_text import named_by_seal, ring_name

DATA = Path(__file__).parent / "data"
DPI = 200.0


def _gray(name: str) -> np.ndarray:
    return cv2.imread(str(DATA / name), cv2.IMREAD_GRAYSCALE)


def test_signature_joined_to_the_line_print_rows_read_again() -> None:
    from haizhi.extractors.scan.context import PageCtx
    from haizhi.extractors.scan.engines import get_engine
    from haizhi.extractors.scan.run_again import print_rows

    rest = np.where(_gray("rec13_recommender_signature_joined_photo_10900.png") > 127, np.uint8(255), np.uint8(0))
    plain = _gray("rec13_recommender_signature_joined_photo_10900_plain.png")
    ctx = PageCtx(plain, rest, DPI, get_engine(None))
    ctx.plain = plain
    ctx.deadline = time.process_time() + 60
    seg = (12, 12, rest.shape[1] - 12, rest.shape[0] - 12)  # the run as split_lines / split_segments gave it
    min_h = max(4, int(4 * DPI / 72))
    read = "推荐单位首科学技术协会被推荐机构：佛山恒通国际人才发展中心"
    text, conf = print_rows(ctx, rest, seg, read, 0.79, min_h)
    assert "湖南省科学技术协会" in text and conf < LOW_CONFIDENCE
    assert print_rows(ctx, rest, seg, read, 0.95, min_h) == (read, 0.95)  # read surely: as read


def _ring(name: str, box: tuple[int, int, int, int]) -> str | None:
    from haizhi.extractors.scan.engines import get_engine

    g = _gray(name + ".png")
    red = np.where(_gray(name + "_red.png") > 127, np.uint8(255), np.uint8(0))
    return ring_name(np.dstack([g, g, g]), red, box, get_engine(None), DPI)


def test_seal_ring_reads_the_recommender() -> None:
    assert _ring("rec13_seal_ring_heavy_10906", (10, 10, 294, 295)) == "福建省科学技术协会"


def test_seal_ring_under_a_signature_fits_one_province() -> None:
    # the ring read 建省协会: 科学技术 under the signature's strokes, 福 under a stroke too
    assert _ring("rec13_seal_ring_signed_over_heavy_10902", (23, 22, 323, 325)) == "福建省科学技术协会"


def test_provincial_fit_only_when_one_province_fits() -> None:
    assert provincial_fit("建省协会") == "福建省科学技术协会"
    assert provincial_fit("东省协会") is None  # 广东 or 山东
    assert provincial_fit("省科学技术协会") is None
    assert provincial_fit("青基瀚德国际人发中心") is None


def test_the_seals_name_replaces_a_value_read_wrong_only() -> None:
    name = "福建省科学技术协会"
    assert named_by_seal("推荐单信学技    被推荐机构：绍兴启明业投资管理有限公司", name) == \
        "推荐单位：福建省科学技术协会    被推荐机构：绍兴启明业投资管理有限公司"
    assert named_by_seal("推荐单位：", name) == "推荐单位：福建省科学技术协会"
    assert named_by_seal("推荐单位：江西省科学技术协会", name) is None  # read whole: the print's own
    assert named_by_seal("被推荐机构：绍兴启明业投资管理有限公司", name) is None
    assert named_by_seal("推荐单位：月化会被推存机梅佛山新格创新创业服务有限公司", name) is None  # its end not found
