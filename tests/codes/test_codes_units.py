"""Codes on print: signature, secret, ledger row, a code on every page, DOCX linked by values."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from haizhi.extractors.extract import extract_unguarded
from haizhi.pipeline.codes.compare import differences, issue_pairing
from haizhi.pipeline.codes.issue import issue_form, values_hash
from haizhi.pipeline.codes.models import IssuedForm
from haizhi.pipeline.codes.qr import decode_image
from haizhi.pipeline.codes.verify import load_secret, make_code, parse_code
from haizhi.pipeline.core.fields import COOP


def test_code_verifies_only_with_its_own_key() -> None:
    key, other = b"a" * 64, b"b" * 64
    text = make_code(COOP, "ABCDEFGHJK", 2, 3, key)
    assert text.startswith("HZ1:C:ABCDEFGHJK:2/3:") and len(text) < 50
    good = parse_code(text, key)
    assert good is not None and good.verified and (good.form, good.page, good.pages) == (COOP, 2, 3)
    assert not parse_code(text, other).verified  # another installation
    assert not parse_code(text, None).verified  # no secret here
    forged = text.replace(":2/3:", ":3/3:")  # a page number changed, signature kept
    assert not parse_code(forged, key).verified
    assert parse_code("https://example.org/x", key) is None
    assert parse_code("HZ1:C:abc:1/2:XYZ", key) is None


def test_secret_is_created_once_with_owner_only_permissions(tmp_path, monkeypatch) -> None:
    p = tmp_path / "cfg" / "secret"
    monkeypatch.setenv("HAIZHI_SECRET_FILE", str(p))
    assert load_secret(create=False) is None
    s1 = load_secret()
    assert p.is_file() and stat.S_IMODE(p.stat().st_mode) == 0o600
    assert load_secret() == s1 and len(s1) >= 32


def test_values_hash_ignores_spacing_and_number_form(coop_record) -> None:
    a = values_hash(COOP, coop_record.fields)
    f = dict(coop_record.fields, registered_capital=1200.0, name_cn=" " + coop_record.fields["name_cn"])
    assert values_hash(COOP, f) == a
    assert values_hash(COOP, dict(f, staff_total=47)) != a


def _page_codes(pdf: bytes, dpi: int = 150) -> list[list[str]]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [decode_image(np.asarray(doc[i].render(scale=dpi / 72).to_pil().convert("RGB"))[:, :, ::-1].copy())
                for i in range(len(doc))]
    finally:
        doc.close()


@pytest.fixture(scope="module")
def issued(codes_env, cfg2026, coop_record_m):
    return issue_form(coop_record_m, cfg2026, os.environ["HAIZHI_DB"])


@pytest.fixture(scope="module")
def coop_record_m():
    from haizhi.pipeline.core.record import load_record

    return load_record(Path(__file__).resolve().parents[2] / "fixtures" / "records" / "coop_example.json")


def test_issue_records_the_values_and_codes_every_page(issued, coop_record_m, codes_env) -> None:
    assert issued.pages == 3 and issued.pdf is not None and issued.pdf.startswith(b"%PDF")
    key = load_secret(create=False)
    codes = _page_codes(issued.pdf)
    assert len(codes) == 3
    for n, texts in enumerate(codes, start=1):
        assert len(texts) == 1
        c = parse_code(texts[0], key)
        assert c is not None and c.verified and (c.issue_id, c.page, c.pages) == (issued.issue_id, n, 3)
    eng = create_engine(os.environ["HAIZHI_DB"])
    with Session(eng) as s:
        row = s.scalars(select(IssuedForm).where(IssuedForm.issue_id == issued.issue_id)).one()
        assert row.values == coop_record_m.fields and row.values_hash == issued.values_hash
        assert row.pages == 3 and row.form == COOP and row.year == 2026
    eng.dispose()


def test_codes_leave_the_form_text_unchanged(issued, cfg2026, coop_record_m) -> None:
    import pdfplumber

    from haizhi.pipeline.simulate.source import form_pdf

    def text(pdf: bytes) -> list[str]:
        with pdfplumber.open(io.BytesIO(pdf)) as d:
            return [p.extract_text() for p in d.pages]

    assert text(issued.pdf) == text(form_pdf(coop_record_m, cfg2026))


def test_editable_copy_and_printed_pdf_are_linked_by_values(issued, codes_env, tmp_path) -> None:
    docx = tmp_path / "回件.docx"
    docx.write_bytes(issued.docx)
    res = extract_unguarded(docx)
    assert res.records[0].source.get("issue_id") == issued.issue_id
    pdf = tmp_path / "打印件.pdf"
    pdf.write_bytes(issued.pdf)
    res = extract_unguarded(pdf)  # a text PDF: read from its text, tied by values
    assert res.records[0].source.get("issue_id") == issued.issue_id


def test_generate_form_cli_issues_into_the_given_ledger(codes_env, tmp_path) -> None:
    from haizhi.pipeline.cli import cli

    db = f"sqlite:///{tmp_path / 'l.db'}"
    out = tmp_path / "表.docx"
    rec = Path(__file__).resolve().parents[2] / "fixtures" / "records" / "base_example.json"
    r = CliRunner().invoke(cli, ["generate", "form", "--record", str(rec), "--year", "2026", "--out", str(out),
                                  "--db", db])
    assert r.exit_code == 0, r.output
    assert out.is_file() and out.with_suffix(".pdf").is_file()
    eng = create_engine(db)
    with Session(eng) as s:
        rows = s.scalars(select(IssuedForm)).all()
    eng.dispose()
    assert len(rows) == 1 and rows[0].form == "base_application" and rows[0].pages == 6
    assert all(len(t) == 1 and rows[0].issue_id in t[0] for t in _page_codes(out.with_suffix(".pdf").read_bytes()))


def test_differences_warn_on_changes_and_note_ocr_slips(coop_record_m) -> None:
    printed = coop_record_m.fields
    read = dict(printed, registered_capital=2600, contact_email="liuxy@szbay-ta1ent.cn",
                services=["创业服务", "技术转移"], head_title=None)
    fs = {f.field: f for f in differences(COOP, printed, read, {})}
    assert fs["registered_capital"].rule == "codes.altered" and fs["registered_capital"].severity == "warning"
    assert fs["contact_email"].rule == "codes.ocr_noise" and fs["contact_email"].severity == "info"
    assert fs["services"].severity == "info"  # printed ticks OCR missed
    assert fs["head_title"].rule == "codes.not_read"
    assert set(fs) == {"registered_capital", "contact_email", "services", "head_title"}
    opinion = differences("base_application", {"city_opinion": "同意推荐。"}, {"city_opinion": "同意推荐。\n年"}, {})
    assert [(f.rule, f.severity) for f in opinion] == [("codes.ocr_noise", "info")]  # a scrap of the date line
    opinion = differences("base_application", {"city_opinion": "同意推荐。"}, {"city_opinion": "不同意推荐。"}, {})
    assert [f.rule for f in opinion] == ["codes.altered"]
    more = differences(COOP, printed, dict(printed, institution_types=["荐才机构", "平台机构", "用才机构"]), {})
    assert [f.rule for f in more] == ["codes.altered"]  # an option ticked by hand after printing


def test_issue_pairing() -> None:
    assert issue_pairing({"issue_id": "A"}, {"codes": {"issue_id": "A"}}) == []
    assert [f.rule for f in issue_pairing({"issue_id": "A"}, {"codes": {"issue_id": "B"}})] == ["codes.issue_mismatch"]
    assert [f.rule for f in issue_pairing({}, {"codes": {"issue_id": "B"}})] == ["codes.editable_differs"]
    assert issue_pairing({}, {}) == []


def _qr_page(tmp_path: Path, text: str) -> Path:
    """A page image holding just one QR code (no form text), as a phone photo would."""
    import segno

    p = tmp_path / "qr.png"
    segno.make(text, error="q").save(p, scale=8, border=6)
    return p


def _read(png: Path):
    from haizhi.extractors.layout import Layout, Page
    from haizhi.pipeline.codes.readback import read_records

    layout = Layout(pages=[Page(number=1, method="ocr")], file=str(png))
    return read_records(layout, str(png), None)


def test_codes_on_a_page_without_text(codes_env, tmp_path, monkeypatch) -> None:
    key = load_secret()
    # a verified code whose issue this ledger never saw
    recs, fs = _read(_qr_page(tmp_path, make_code(COOP, "ABCDEFGHJK", 1, 3, key)))
    assert "codes.unknown_issue" in [f.rule for f in fs] and recs == []
    # another installation's code
    recs, fs = _read(_qr_page(tmp_path, make_code(COOP, "ABCDEFGHJK", 1, 3, b"z" * 64)))
    assert "codes.unverified" in [f.rule for f in fs]
    # a secret file this installation cannot use: said so, and read as before
    bad = tmp_path / "short-secret"
    bad.write_text("x")
    monkeypatch.setenv("HAIZHI_SECRET_FILE", str(bad))
    recs, fs = _read(_qr_page(tmp_path, make_code(COOP, "ABCDEFGHJK", 1, 3, key)))
    assert [f.rule for f in fs if f.rule.startswith("codes.")] == ["codes.error"]
    assert "extract.no_text" in [f.rule for f in fs]


def test_a_scrap_of_a_neighbouring_line_is_noise_but_a_new_text_is_a_change() -> None:
    from haizhi.pipeline.codes.compare import differences

    printed = {"recent_work": "近两年举办海外人才对接活动32场，引进海外科技人才团队41个，落地项目18个。"}
    scrap = {"recent_work": printed["recent_work"] + "\n是回OE"}  # a box and its option read below the text
    rules = [f.rule for f in differences("coop_institution", printed, scrap, {})]
    assert rules == ["codes.ocr_noise"]
    changed = {"recent_work": "近两年未开展任何海外人才活动，没有引进团队，也没有落地项目。"}
    assert [f.rule for f in differences("coop_institution", printed, changed, {})] == ["codes.altered"]
    same_line = {"recent_work": printed["recent_work"] + "另有新增内容若干"}
    assert [f.rule for f in differences("coop_institution", printed, same_line, {})] == ["codes.altered"]


def test_codes_the_scan_reader_found_are_not_decoded_from_the_file_again(codes_env, tmp_path) -> None:
    from haizhi.extractors.layout import Layout, Page
    from haizhi.pipeline.codes.readback import read_records

    key = load_secret()
    gone = tmp_path / "moved-away.pdf"  # decoding the file again would fail: codes.error
    page = Page(number=1, method="ocr", codes=[make_code(COOP, "ABCDEFGHJK", 1, 3, key), "6901234567892"])
    recs, fs = read_records(Layout(pages=[page], file=str(gone)), str(gone), None)
    assert "codes.unknown_issue" in [f.rule for f in fs] and "codes.error" not in [f.rule for f in fs]
    page = Page(number=1, method="ocr", codes=None)  # a page the reader did not look at: from the file
    recs, fs = read_records(Layout(pages=[page], file=str(gone)), str(gone), None)
    assert "codes.error" in [f.rule for f in fs]
