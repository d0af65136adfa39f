"""Shared test fixtures: paths, configs and the sample records."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from haizhi.pipeline.core.config import load_year
from haizhi.pipeline.core.record import Record, load_record

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = ROOT / "fixtures"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    assert SHARED.is_dir(), f"tests need ../shared beside the checkout ({SHARED})"
    return SHARED


@pytest.fixture(scope="session")
def cfg2023():
    return load_year(2023)


@pytest.fixture(scope="session")
def cfg2026():
    return load_year(2026)


@pytest.fixture
def coop_record() -> Record:
    return load_record(FIXTURES / "records" / "coop_example.json")


@pytest.fixture
def base_record() -> Record:
    return load_record(FIXTURES / "records" / "base_example.json")


def have(tool: str) -> bool:
    return shutil.which(tool) is not None
