"""A scanned value cut into two cells by a wall the scan made up (issue 11): TUNE coop photo 12184, 联系地址 read
江苏省苏州市 | 长江路135号 (a column ruling of the row below reaching up the photo's slanted row); the value was
the first cell alone, no finding."""

from __future__ import annotations

from haizhi.extractors.layout import Cell, Layout, Page, Table
from haizhi.extractors.mapper import map_layout

COOP = "coop_institution"


def _record(rows: list[list[str]], method: str = "ocr"):  # noqa: ANN202
    cells = [Cell(t, r, c, confidence=0.95) for r, row in enumerate(rows) for c, t in enumerate(row)]
    page = Page(number=1, width=595, height=842, method=method, tables=[Table(cells=cells)])
    return map_layout(Layout(pages=[page], file="x.pdf"), COOP)


def test_a_value_cut_by_a_made_up_wall_is_joined() -> None:
    rec = _record([["机构名称（中文）", "苏州远帆科技服务有限公司", ""], ["联系地址", "江苏省苏州市", "长江路135号"]])
    assert rec.fields["contact_address"] == "江苏省苏州市长江路135号"
    assert [f.rule for f in rec.findings if f.field == "contact_address"] == ["scan.cells_joined"]  # named: a
    # label the form does not know (邮政编码 | 215000 after the address) would be joined too
    rec = _record([["联系地址", "江苏省苏州市长江路135号", "邮政编码", "215000"]])
    assert "contact_address" in {f.field for f in rec.findings if f.rule == "scan.cells_joined"}
    assert not [f for f in rec.findings if f.field == "name_cn" and f.rule == "scan.cells_joined"]


def test_cells_after_a_value_past_a_blank_or_typed_stay_apart() -> None:
    rec = _record([["联系地址", "江苏省苏州市", "", "长江路135号"]])  # a blank cell: not one value cut in two
    assert rec.fields["contact_address"] == "江苏省苏州市"
    rec = _record([["联系地址", "江苏省苏州市", "长江路135号"]], method="docx")  # typed cells are as typed
    assert rec.fields["contact_address"] == "江苏省苏州市"
