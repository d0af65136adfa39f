"""haizhi export: files written, with the real approval sheets."""

from __future__ import annotations

from click.testing import CliRunner

from haizhi.pipeline.cli import cli
from haizhi.pipeline.core.errors import HaizhiError
from tests.docx_text import docx_text
from tests.validate.helpers import BATCH, RECORDS


def test_export_command_writes_everything(tmp_path) -> None:
    out = tmp_path / "审核"
    files = [*sorted(str(p) for p in BATCH.glob("*.json")), str(RECORDS / "base_example.json")]
    res = CliRunner().invoke(cli, ["export", "--year", "2023", "--out", str(out), "--no-pdf", *files],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert (out / "初审汇总.xlsx").is_file() and (out / "合作机构信息表.csv").is_file()
    assert (out / "基地申报表.csv").is_file() and (out / "初审记录.jsonl").is_file()
    sheets = sorted((out / "审核表").glob("*.docx"))
    assert len(sheets) == len(files)
    assert not list((out / "审核表").glob("*.pdf"))
    one = out / "审核表" / "硅谷华人科技创新协会.docx"
    assert "硅谷华人科技创新协会" in docx_text(one.read_bytes())
    assert "审核工作簿" in res.output


def test_export_with_pdf(tmp_path) -> None:
    res = CliRunner().invoke(cli, ["export", "--year", "2023", "--out", str(tmp_path), str(RECORDS / "coop_example.json")],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    pdf = tmp_path / "审核表" / "深圳湾海创国际人才服务有限公司.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")


def test_export_nothing_is_an_error(tmp_path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text("[]", encoding="utf-8")
    res = CliRunner().invoke(cli, ["export", "--year", "2023", "--out", str(tmp_path / "o"), str(bad)])
    assert isinstance(res.exception, HaizhiError) and "没有可导出的记录" in str(res.exception)
    assert not (tmp_path / "o").exists()
