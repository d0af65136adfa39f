"""What failed 2: long text that continues on the next page, in every shape applicants make."""

from __future__ import annotations

from pathlib import Path

import pytest
from independent.reading import build, read, squash, wrong_fields

from haizhi.extractors.pdf_reader import read_pdf
from haizhi.pipeline.core.fields import BASE, COOP


def _pages_holding(pdf: Path, text: str) -> set[int]:
    """Pages on which the start and the end of ``text`` are printed (the value really is split)."""
    lay = read_pdf(pdf)
    head, tail = squash(text)[:12], squash(text)[-12:]
    out = set()
    for p in lay.pages:
        body = squash("".join([c.text for t in p.tables for c in t.cells] + [ln.text for ln in p.lines]))
        out |= {p.number for part in (head, tail) if part in body}
    return out


@pytest.fixture(scope="module")
def split_coop(tmp_path_factory):
    # 2.近两年开展业务情况: first half in the form's table, the rest in a new label-less table after a page break
    return build(tmp_path_factory.mktemp("pb"), COOP, "sample", 21, split=True)


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_rest_in_a_label_less_table_on_the_next_page(split_coop, kind) -> None:
    truth, paths = split_coop
    got = read(paths[kind])
    assert squash(got.fields["recent_work"]) == squash(truth.fields["recent_work"])
    assert wrong_fields(truth, got) == {}


def test_one_cell_rest_table_of_a_wps_layout(tmp_path) -> None:
    truth, paths = build(tmp_path, COOP, "wps", 22, split=True, group_style="merged", pdf=False)
    got = read(paths["docx"])  # the rest is a 1×1 table (a framed block) on the next page
    assert squash(got.fields["recent_work"]) == squash(truth.fields["recent_work"])
    assert squash(got.fields["awards"]) == squash(truth.fields["awards"])


def test_section_rows_and_paragraphs_split_by_pages_in_a_pdf(tmp_path) -> None:
    # WPS-style: 五、支持政策与条件保障 row split by the page and its rest in a new table after a break
    truth, paths = build(tmp_path, BASE, "wps", 23, split_key="policies", shape="paragraphs")
    assert len(_pages_holding(paths["pdf"], truth.fields["policies"])) >= 2
    got = read(paths["pdf"])
    assert wrong_fields(truth, got) == {}
