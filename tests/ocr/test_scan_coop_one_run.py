"""Coop signing blocks when both 负责人签字 labels are read in one run and 被推荐机构 is misread (issue 11,
"What must do" 2): the blocks meet where the second label's print repeats, not at the cell's middle.
Cut of a TUNE page of the independent family (coop moderate 9901, 200 dpi, rows 700–1600)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace as B

import cv2

from haizhi.extractors.scan.regions import coop_regions

DATA = Path(__file__).parent / "data"
Y0 = 700  # the cut's first row on the page

RUNS = [("三、承诺书", (252, 733, 401, 761)), ("被推荐机构近三年内无违法或不良信用记录。", (252, 810, 841, 839)),
        ("表中填报及提交的材料内容真实可靠。", (253, 889, 750, 918)),
        ("如以上承诺虚假，愿为此承担法律责任。", (252, 968, 780, 997)),
        ("推荐单位：广东省科学技协波推少众创产业投资管理有限公司", (251, 1045, 1359, 1095)),  # 被推荐机构 misread
        ("负责人签字：（公章负责人签字：（公章）", (253, 1123, 953, 1153)),  # both blocks' labels, one run
        ("年", (311, 1190, 803, 1292))]


def test_two_signing_labels_in_one_run_split_the_blocks_where_the_second_label_begins() -> None:
    # the second 负责人签字 starts at x≈654 and the first block's （公章） ends at x≈557 (the 被推荐机构 label
    # at x≈707): read as one run with the owner label lost, the cell was split at its middle (x≈850), and the
    # institution's seal, pressed at x≈690 across the line, went to the recommender (institution unsealed)
    binary = cv2.imread(str(DATA / "lead_two_labels_one_run_moderate_9901.png"), cv2.IMREAD_GRAYSCALE)
    bits = [B(text=t, box=(b[0], b[1] - Y0, b[2], b[3] - Y0)) for t, b in RUNS]
    regions = {r.owner: r.box for r in coop_regions(bits, [], binary.shape, 30.0, 29, binary)}
    split = regions["recommender"][2]
    assert regions["institution"][0] == split
    assert 560 <= split <= 650, split
