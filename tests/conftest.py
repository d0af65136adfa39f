"""Shared test fixtures: paths, configs and the sample records."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from haizhi.pipeline.core.config import load_year
from haizhi.pipeline.core.record import Record, load_record
from tests.intake.pg import new_database, pg_server

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


# PostgreSQL: one server per test session (Debian package, on loopback), a fresh database per test that asks
@pytest.fixture(scope="session")
def pg_server_url():
    with pg_server() as url:
        yield url


@pytest.fixture(scope="module")
def pg_url(pg_server_url):
    return new_database(pg_server_url)


@pytest.fixture
def pg_db(pg_server_url):
    return new_database(pg_server_url)
