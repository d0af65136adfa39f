"""合作机构信息表 on scans: 推荐单位 under its seal and signature, 可提供服务 ticked with √ where the line
wraps, 注册地是否在境外 with the ticked box not seen (issue 11). Returns built as applicants build them
(the independent family, TUNE seeds) and scanned by the independent scan maker, or scanned layouts as
the reader gives them."""

from __future__ import annotations

from pathlib import Path

import pytest

from haizhi.extractors.layout import Cell, Layout, Line, Mark, Page, Table
from haizhi.extractors.mapper import map_layout
from haizhi.extractors.orgname import check_org
from haizhi.pipeline.core.fields import COOP


def _scan(tmp: Path, job_seed: int, level: str, pages: list[int], p_mark: float = 0.85) -> tuple:
    """A coop return of the independent family (TUNE) as the scan bench makes it for ``job_seed``; only
    ``pages`` are read."""
    from haizhi.extractors.scan import confidence_findings, read_scan
    from tests.independent import family as fam
    from tests.independent.scanmaker import make_scan

    s = fam.build_family(tmp / "fam", seed=job_seed % fam.HOLDOUT_SEED, n=1, forms=(COOP,),
                         families=(fam.FAMILIES[job_seed % len(fam.FAMILIES)],))[0]
    names = {"recommender": s.truth.fields["recommender"], "institution": s.truth.fields["name_cn"],
             "institution_signer": s.truth.fields["head_name"]}
    t = make_scan(s.pdf, COOP, tmp, level=level, seed=job_seed, p_mark=p_mark, names=names)
    rec = map_layout(read_scan(Path(t.path), pages)[0], COOP)
    return s.truth, rec, {f.field for f in rec.findings + confidence_findings(rec)}


def test_a_tick_ending_a_wrapped_option_line_keeps_its_option(tmp_path) -> None:
    # WPS-style return, 可提供服务 in a narrow cell: "□法律服务√技术转移√" | "人才招聘 □知识产权 □其"
    truth, rec, named = _scan(tmp_path, 7801, "clean", [2])
    assert "人才招聘" in truth.fields["services"]
    assert rec.fields["services"] == truth.fields["services"]
    assert "services" not in named


def test_a_tick_before_an_option_cut_by_the_line_end_keeps_it(tmp_path) -> None:
    # .doc return: "□人才招聘√知" | "识产权 □其他（请注明）"
    truth, rec, _named = _scan(tmp_path, 7803, "moderate", [1])
    assert "知识产权" in truth.fields["services"]
    assert rec.fields["services"] == truth.fields["services"]


def test_a_recommender_with_a_character_lost_under_the_seal_is_whole(tmp_path) -> None:
    # heavy scan: the seal over 推荐单位：浙江省科学技术协会 cost 科 (浙江省学技术协会), silently
    truth, rec, _named = _scan(tmp_path, 7804, "heavy", [3])
    assert rec.fields["recommender"] == truth.fields["recommender"]


def _commit_page(*texts: str, conf: float = 0.98) -> Layout:
    """The 承诺书 page as the scan reader gives it: its lines, one per text."""
    p = Page(number=3, width=612, height=792, method="ocr")
    y = 200.0
    for t in ("三、承诺书", "被推荐机构近三年内无违法或不良信用记录。", *texts, "负责人签字：    （公章）"):
        p.lines.append(Line(t, bbox=(90, y, 450, y + 11), confidence=conf))
        y += 30
    return Layout(pages=[p])


def _read_commit(*texts: str, conf: float = 0.98) -> tuple[object, set]:
    from haizhi.extractors.scan import confidence_findings

    rec = map_layout(_commit_page(*texts, conf=conf), COOP)
    return rec, {f.field for f in rec.findings + confidence_findings(rec)}


def test_a_recommender_whose_colon_is_under_a_signature_is_read_and_named() -> None:
    # 陕西 and the colon under a blue signature: what is left is read, and named (the start is missing)
    rec, named = _read_commit("推荐单位省科学技术协会    被推荐机构：长沙海川科技服务有限公司")
    assert rec.fields["recommender"] == "省科学技术协会"
    assert "recommender" in named


def test_a_recommender_label_read_with_a_character_lost_still_labels() -> None:
    # 推荐单位 read 推荐单 (位 under the seal), 福 lost too: the one province ending in 建 finishes it
    rec, named = _read_commit("推荐单：建省科学技术协会", "被推荐机构：无锡海川科技服务有限公司")
    assert rec.fields["recommender"] == "福建省科学技术协会"
    assert "recommender" not in named


@pytest.mark.parametrize("text", ["推荐单位：张华科学技术协会", "推荐单位：福科学技术协会", "推荐单位：江    被推荐机构：佛山睿联国际人才发展中心",
                                  "推荐单位：队西省科学技术协会"])
def test_a_recommender_cut_or_overwritten_by_a_signature_is_named(text: str) -> None:
    rec, named = _read_commit(text)
    assert rec.fields["recommender"]
    assert "recommender" in named


def test_a_whole_recommender_is_not_named() -> None:
    rec, named = _read_commit("推荐单位：江苏省科学技术协会    被推荐机构：佛山睿联国际人才发展中心")
    assert rec.fields["recommender"] == "江苏省科学技术协会"
    assert rec.fields.get("name_cn") is None
    assert "recommender" not in named


@pytest.mark.parametrize(("read", "whole", "named"), [
    ("江苏省科学技术协会", "江苏省科学技术协会", False),
    ("浙江省科学技术协", "浙江省科学技术协会", False),  # the seal over the end
    ("浙江省学技术协会", "浙江省科学技术协会", False),  # 科 lost
    ("苏省科学技术协会", "江苏省科学技术协会", False),  # only 江苏 ends in 苏
    ("陕西首科学技术协会", "陕西省科学技术协会", False),  # 省 read 首
    ("江苏省科学技木协会", "江苏省科学技术协会", True),  # 术 read 木: corrected, named
    ("西省科学技术协会", "西省科学技术协会", True),  # 山西, 陕西 or 江西: left, named
    ("干省科学技术协会", "干省科学技术协会", True),
    ("清华大学科学技术协会", "清华大学科学技术协会", False),
    ("华为技术有限公司科学技术协会", "华为技术有限公司科学技术协会", False),
    ("苏州市科学技术协会", "苏州市科学技术协会", False),
    ("中国机械工程学会", "中国机械工程学会", False),
    ("北京市科协", "北京市科协", False),
    ("新疆维吾尔自治区科学技术协会", "新疆维吾尔自治区科学技术协会", False),
])
def test_recommending_organisation_names(read: str, whole: str, named: bool) -> None:
    value, why = check_org(read)
    assert value == whole
    assert (why is not None) == named


def test_typed_recommender_is_kept_as_typed() -> None:
    p = Page(number=3, width=612, height=792, method="pdf")
    p.lines.append(Line("推荐单位：浙江省科学技术协", bbox=(90, 200, 450, 211)))
    rec = map_layout(Layout(pages=[p]), COOP)
    assert rec.fields["recommender"] == "浙江省科学技术协"  # the applicant's own text: not repaired


def _overseas(text: str, marks: list[Mark], method: str = "ocr") -> object:
    p = Page(number=1, width=612, height=792, method=method)
    p.tables.append(Table(cells=[Cell("注册地是否在境外", 0, 0, bbox=(93, 203, 381, 220)),
                                 Cell(text, 0, 1, bbox=(381, 203, 525, 220), confidence=0.5, marks=marks)]))
    return map_layout(Layout(pages=[p]), COOP)


def test_yes_no_with_the_ticked_box_unseen_is_inferred_and_named() -> None:
    # □是 ☒否: the cross over the second box hid it from the box finder; OCR read "□是否"
    rec = _overseas("□是否", [Mark(kind="checkbox", checked=False, label="是否", source="pixels")])
    assert rec.fields["overseas"] is False
    assert "extract.choice_inferred" in [f.rule for f in rec.findings if f.field == "overseas"]
    rec = _overseas("是□否", [Mark(kind="checkbox", checked=False, label="否", source="pixels")])
    assert rec.fields["overseas"] is True
    rec = _overseas("□是□否", [Mark(kind="checkbox", checked=False, label="是", source="pixels"),
                             Mark(kind="checkbox", checked=False, label="否", source="pixels")])
    assert rec.fields["overseas"] is None  # both boxes seen, none ticked: nothing to infer
