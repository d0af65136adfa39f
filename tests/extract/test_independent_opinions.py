"""What failed 3: 八、单位意见 in other shapes; an empty opinion is null."""

from __future__ import annotations

import pytest
from independent.reading import build, read

from haizhi.pipeline.core.fields import BASE

OPINIONS = {"applicant_opinion": "经审核，申报材料真实有效，同意申报。", "city_opinion": None,
            "provincial_opinion": "同意推荐。"}


@pytest.mark.parametrize("shape", ["one_cell", "rows", "paragraphs"])
def test_opinions_in_every_shape(tmp_path, shape) -> None:
    truth, paths = build(tmp_path, BASE, "sample", 31, truth=OPINIONS, shape=shape, pdf=shape != "rows")
    for kind, path in paths.items():
        got = read(path)
        for k, want in OPINIONS.items():
            assert got.fields.get(k) == want, (kind, shape, k, got.fields.get(k))
