"""What failed 1: two label–value pairs on one line (推荐单位：…   被推荐机构：…, the 负责人签字/（公章） line)."""

from __future__ import annotations

import pytest
from independent.reading import build, read, wrong_fields

from haizhi.pipeline.core.fields import BASE, COOP


@pytest.fixture(scope="module")
def coop_wps(tmp_path_factory):
    # WPS-style re-typed table; 承诺书 as typed lines: 推荐单位：甲<Tab><Tab>被推荐机构：乙
    return build(tmp_path_factory.mktemp("pairs"), COOP, "wps", 11, split=False)


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_recommender_does_not_swallow_the_second_pair(coop_wps, kind) -> None:
    truth, paths = coop_wps
    got = read(paths[kind])
    assert got.fields["recommender"] == truth.fields["recommender"]
    assert "被推荐机构" not in got.fields["recommender"]
    assert wrong_fields(truth, got) == {}


def test_cover_line_with_name_and_type_side_by_side(tmp_path) -> None:
    truth, paths = build(tmp_path, BASE, "wps", 12, pdf=False)  # 基地名称：…    基地类型：… on one line
    got = read(paths["docx"])
    assert got.fields["base_name"] == truth.fields["base_name"]
    assert got.fields["base_type"] == truth.fields["base_type"]
    assert wrong_fields(truth, got) == {}
