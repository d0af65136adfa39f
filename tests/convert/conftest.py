"""Fixtures for the converter and PDF-check tests: one warm converter per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from convert_helpers import make_docx

from haizhi.pipeline.office.convert import Converter


@pytest.fixture(scope="module")
def converter() -> Iterator[Converter]:
    with Converter(timeout=120) as conv:
        yield conv


@pytest.fixture
def official_docx(tmp_path: Path) -> Path:
    return make_docx(tmp_path / "通知.docx")
