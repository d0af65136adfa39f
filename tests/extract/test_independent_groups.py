"""What failed 4: grouped rows of a re-typed two-column layout (group merged down, repeated, or a header row)."""

from __future__ import annotations

import pytest
from independent.reading import build, read, squash

from haizhi.pipeline.core.fields import COOP

GROUPED = ["head_name", "head_title", "head_mobile", "head_email", "contact_name", "contact_title",
           "contact_mobile", "contact_email", "area_total", "area_owned", "area_rented", "staff_total",
           "staff_overseas", "staff_postgrad"]


@pytest.mark.parametrize("style", ["merged", "repeated", "header"])
def test_sub_fields_found_in_their_group(tmp_path, style) -> None:
    # labels re-typed: 电 子 邮 箱, 总面积 / (平方米) over two lines, half-width brackets
    truth, paths = build(tmp_path, COOP, "wps", 41, split=False, group_style=style, pdf=style == "header")
    for kind, path in paths.items():
        got = read(path)
        bad = {k: (truth.fields[k], got.fields.get(k)) for k in GROUPED
               if squash(truth.fields[k]) != squash(got.fields.get(k))}
        assert bad == {}, (kind, style)
