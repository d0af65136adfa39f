"""Fixtures for the scan reader tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def sim_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("scans")
