"""Property: any valid record → pre-filled DOCX (and PDF through LibreOffice) → extract → the same record."""

from __future__ import annotations

import importlib
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haizhi.extractors import extract_file
from haizhi.extractors.mapper import is_long
from haizhi.extractors.normalize import clean_text, strip_signature_lines
from haizhi.pipeline.core.fields import BASE, COOP, FieldSpec, form_spec
from haizhi.pipeline.core.record import Record

forms = importlib.import_module("haizhi.pipeline.generate.forms")

_CJK = "机构服务海外人才科技创新合作平台深圳广州北京上海研究院中心协会有限公司发展项目基金国际交流园区产业"
_ALPHA = _CJK + "abcdefghijkXYZ0123456789（）()，。、-@.·"
_word = st.text(alphabet=_ALPHA, min_size=1, max_size=24)


def _ok_text(s: str) -> bool:
    return (clean_text(s) == s and not re.match(r"^\S{1,3}、", s) and ":" not in s
            and strip_signature_lines(s) == s and not s.startswith(("例", "（请", "(请")))


def _text(f: FieldSpec) -> st.SearchStrategy[str]:
    if is_long(f):
        lines = st.lists(_word.map(str.strip).filter(bool), min_size=1, max_size=3)
        return lines.map("\n".join).filter(_ok_text)
    return _word.map(str.strip).filter(lambda s: bool(s) and _ok_text(s))


def _value(f: FieldSpec) -> st.SearchStrategy[Any]:
    if f.type == "text":
        return _text(f)
    if f.type == "date":
        full = st.dates(min_value=__import__("datetime").date(1950, 1, 1),
                        max_value=__import__("datetime").date(2030, 12, 31)).map(lambda d: d.isoformat())
        return st.one_of(full, full.map(lambda s: s[:7]))
    if f.type == "number":
        return st.one_of(st.integers(0, 10**7), st.integers(0, 10**6).map(lambda n: n / 100).filter(
            lambda x: not float(x).is_integer()))
    if f.type == "int":
        return st.integers(0, 100000)
    if f.type == "bool":
        return st.booleans()
    if f.type == "choice":
        return st.sampled_from(f.options)
    return st.lists(st.sampled_from(f.options), min_size=1, unique=True).map(
        lambda xs: [o for o in f.options if o in xs])


@st.composite
def records(draw, form_id: str) -> Record:
    spec = form_spec(form_id)
    fields: dict[str, Any] = {}
    for f in spec.fields:
        if f.key.endswith("_other"):
            continue
        fields[f.key] = draw(st.one_of(st.none(), _value(f)) if not f.required or f.type != "text"
                             else st.one_of(st.none(), _value(f), _value(f)))
    for f in spec.fields:
        if f.key.endswith("_other"):
            parent = next(p for p in spec.fields if p.type in ("choice", "choices") and p.label.startswith(f.group))
            v = fields.get(parent.key)
            picked = v if isinstance(v, list) else [v]
            has_other = any(o in ("其他", "综合或其他") for o in picked if o)
            fields[f.key] = draw(_text(f)) if has_other else None
    return Record(form=form_id, fields={k: fields[k] for k in spec.keys})


def _squash(v: Any) -> Any:
    return re.sub(r"\s+", "", v) if isinstance(v, str) else v


def _check(rec: Record, got: Record, *, whitespace: bool) -> None:
    assert got.form == rec.form
    want = rec.fields
    have = {k: got.fields.get(k, "<未读出>") for k in want}
    if not whitespace:
        want = {k: _squash(v) for k, v in want.items()}
        have = {k: _squash(v) for k, v in have.items()}
    assert have == want


@pytest.mark.parametrize("form_id", [COOP, BASE])
def test_docx_round_trip(form_id: str, cfg2023) -> None:
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(records(form_id))
    def run(rec: Record) -> None:
        with tempfile.TemporaryDirectory() as td:
            p = Path(td) / "form.docx"
            p.write_bytes(forms.render_form(rec, form_id, cfg2023))
            res = extract_file(p)
            assert res.readable and len(res.records) == 1, [f.message for f in res.findings]
            _check(rec, res.records[0], whitespace=True)

    run()


@pytest.fixture(scope="module")
def converter():
    from haizhi.pipeline.office.convert import Converter, libreoffice_available

    if not libreoffice_available():
        pytest.fail("LibreOffice (soffice) is required for the PDF round trip")
    with Converter(timeout=120) as conv:
        yield conv


@pytest.mark.parametrize("form_id", [COOP, BASE])
def test_pdf_round_trip(form_id: str, cfg2023, converter) -> None:
    @settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                     HealthCheck.function_scoped_fixture])
    # Known limit: the 承诺书 signature block has no ruling lines, so a 推荐单位 value that wraps there
    # cannot be told from the printed text around it; values that fit its line are read.
    @given(records(form_id).filter(lambda r: len(r.fields.get("recommender") or "") <= 8))
    def run(rec: Record) -> None:
        with tempfile.TemporaryDirectory() as td:
            src = Path(td) / "form.docx"
            src.write_bytes(forms.render_form(rec, form_id, cfg2023))
            pdf = converter.convert(src, Path(td) / "form.pdf")
            res = extract_file(pdf)
            assert res.readable and len(res.records) == 1, [f.message for f in res.findings]
            got = res.records[0]
            assert got.source["method"] == "pdf_text"
            _check(rec, got, whitespace=False)
            for key, v in rec.fields.items():
                if v is not None:
                    prov = got.provenance[key]
                    assert prov["method"] == "pdf_text" and prov["bbox"] and len(prov["bbox"]) == 4

    run()
