from __future__ import annotations

from haizhi.pipeline.intake.classify import classify, hint_kind, letter_level
from haizhi.pipeline.intake.group import FileInfo, RecInfo, group_files, identity

COOP = "coop_institution"


def _f(i: int, name: str, folder: str | None, *recs: RecInfo, kind: str = "form") -> FileInfo:
    return FileInfo(i, name, folder, kind if recs else kind, list(recs))


def _r(i: int, fid: int, name: str, code: str | None, copy: str = "editable") -> RecInfo:
    return RecInfo(i, fid, COOP, copy, {"name_cn": name, "credit_code": code})


def test_folder_pairs_editable_and_scan_even_with_ocr_errors():
    files = [
        _f(1, "表.docx", "甲", _r(1, 1, "甲科技有限公司", "91440300MA5FXT3K4L")),
        _f(2, "扫描.pdf", "甲", _r(2, 2, "申科技有限公司", "9144O300MA5FXT3K4L", "scan")),
        _f(3, "营业执照.jpg", "甲", kind="license"),
    ]
    groups, loose = group_files(files)
    assert len(groups) == 1 and not loose
    g = groups[0]
    assert {r.id for r in g.records} == {1, 2}
    assert g.name == "甲科技有限公司" and g.credit_code == "91440300MA5FXT3K4L"
    assert {f.id for f in g.files} == {1, 2, 3}


def test_folder_with_two_institutions_splits_and_notes():
    files = [_f(1, "a.docx", "混", _r(1, 1, "甲科技有限公司", "91440300MA5FXT3K4L")),
             _f(2, "b.docx", "混", _r(2, 2, "完全不同的协会", "91110108MA01ABCD2X"))]
    groups, _ = group_files(files)
    assert len(groups) == 2
    assert all("多个机构" in g.notes[0] for g in groups)


def test_flat_inbox_groups_by_code_then_name_and_attaches_by_file_name():
    files = [
        _f(1, "甲-表.docx", None, _r(1, 1, "甲科技有限公司", "91440300MA5FXT3K4L")),
        _f(2, "甲-扫描.pdf", None, _r(2, 2, "甲科技有限公司（盖章）", "91440300MA5FXT3K4L", "scan")),
        _f(3, "乙.docx", None, _r(3, 3, "乙协会", None)),
        _f(4, "甲科技营业执照.jpg", None, kind="license"),
        _f(5, "无主的证明.pdf", None, kind="proof"),
    ]
    groups, loose = group_files(files)
    by = {g.name: g for g in groups}
    assert {r.id for r in by["甲科技有限公司"].records} == {1, 2}
    assert 4 in {f.id for f in by["甲科技有限公司"].files}
    assert {r.id for r in by["乙协会"].records} == {3}
    assert [f.id for f in loose] == [5]


def test_attachment_only_folder_is_a_group_without_form():
    groups, loose = group_files([_f(1, "支持函.pdf", "丙", kind="support_letter")])
    assert groups[0].form is None and groups[0].folder == "丙" and not loose


def test_identity_normalises():
    assert identity(COOP, {"name_cn": " 甲 科技（深圳）有限公司 ", "credit_code": "9144 0300ma5fxt3k4l"}) == (
        "甲科技(深圳)有限公司", "91440300MA5FXT3K4L")


def test_classify_from_records_text_and_name():
    assert classify("x.docx", {"records": [{"form": COOP}], "readable": True})["kind"] == "form"
    c = classify("scan001.pdf", {"records": [], "readable": True, "findings": []},
                 "佛山市人民政府关于支持建设的函 支持函")
    assert c == {"kind": "support_letter", "level": "city"}
    assert classify("营业执照.jpg", {"records": [], "readable": True})["kind"] == "license"
    other = classify("报名表.docx", {"records": [], "readable": True,
                                      "findings": [{"message": "不是海智计划的表格"}]})
    assert other["kind"] == "other" and "不是海智计划的表格" in other["reason"]
    bad = classify("x.pdf", {"records": [], "readable": False, "findings": [{"message": "文件已加密"}]})
    assert bad["reason"] == "文件已加密"
    assert hint_kind("基地建设方案.docx") == "plan"
    assert letter_level("广东省人民政府支持函") == "provincial"
    assert letter_level("深圳市人民政府支持函") == "city"
